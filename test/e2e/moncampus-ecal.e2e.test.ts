/**
 * The bundled workflow workflows/moncampus-to-ecal.json in a real n8n 2.41 in server mode, with the package built
 * privately and installed as a community package, each run started from its Manual Trigger through the server's
 * REST API (as the editor's "Execute workflow" does) and read back from n8n's executions, against the MonCampus fake
 * (CAS on its own port) and the ecal fake (signatures checked). Only values of its Config node change, never its
 * logic. The runs build on each other like the two-hourly syncs of one student's timetable: first load, a run with
 * nothing new, moved/cancelled/added courses, duplicates, the old tool's events, a session that dies mid-run.
 * Every run is checked in the workflow's Sync summary AND in the ecal fake's events and request log.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { changeTimetable } from './support/moncampus';
import { REPO_ROOT, bundledWorkflow, loadFake, runtimeLib, type N8nRuntime, type N8nServer, scaled } from './support/repo';

jest.setTimeout(scaled(900_000));

type Json = Record<string, any>;

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createMonCampusFake } = loadFake('moncampus')!;
const { createEcalFake } = loadFake('ecal')!;

const ECAL_KEY = 'ecal-e2e-key';
const ECAL_SECRET = 'ecal-e2e-secret';
const USERNAME = 'e2e.student';
const PASSWORD = 'e2e-password';
// 60 days across the spring change of time (Sunday 29 March 2026)
const WINDOW = { windowStart: '2026-03-23', windowEnd: '2026-05-21' };
const WORKFLOW_ID = 'monCampusToEcal01';
// The same workflow with adoptLegacyEvents on, imported beside it (Config values are the only difference).
const ADOPTING_WORKFLOW_ID = 'monCampusToEcal02';

/** The shipped workflow with some Config values replaced; every key must be an existing Config field. */
function workflowWithConfig(values: Json, id = WORKFLOW_ID): Json {
	const workflow = bundledWorkflow('moncampus-to-ecal.json', values);
	if (id !== workflow.id) Object.assign(workflow, { id, name: `${workflow.name} (adopting)` });
	return workflow;
}

describe('workflow: MonCampus → ecal in a real n8n', () => {
	let moncampus: Json;
	let ecal: Json;
	let n8n: N8nRuntime;
	let server: N8nServer;
	let distDir: string;
	let calendarId: string;
	let otherCalendarId: string;
	let prefix: string;
	let foreignSnapshot: string;

	const ours = () =>
		ecal.events().filter((event: Json) => event.calendarId === calendarId && String(event.reference ?? '').startsWith(prefix));
	const writes = () => ecal.apiRequests().filter((entry: Json) => entry.method !== 'GET');
	const writesBy = (method: string) => writes().filter((entry: Json) => entry.method === method).length;
	const casPosts = () => moncampus.requests((entry: Json) => entry.server === 'cas' && entry.method === 'POST').length;
	/** Everything the sync must never touch: other calendars, and events without our prefix in ours. */
	const foreign = () =>
		JSON.stringify(
			ecal
				.events()
				.filter((event: Json) => event.calendarId !== calendarId || !String(event.reference ?? '').startsWith(prefix))
				.filter((event: Json) => !/^\d+$/.test(String(event.reference ?? ''))),
		);

	/** Runs the workflow from "Sync now" through the server and returns the finished execution. */
	async function runToEnd(workflowId: string): Promise<Json> {
		const before = (await server.listExecutions(workflowId, { includeData: false })).length;
		await server.json(`/rest/workflows/${workflowId}/run`, { method: 'POST', body: { triggerToStartFrom: { name: 'Sync now' } } });
		const deadline = Date.now() + scaled(240_000);
		for (;;) {
			const executions = await server.listExecutions(workflowId, { includeData: true });
			const done = executions.length > before && runtimeLib.isFinished(executions[0]);
			if (done) return executions[0];
			if (Date.now() > deadline) throw new Error(`run of ${workflowId} did not finish\n${server.logTail(30)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** The finished execution's data, once it succeeded. */
	async function execute(workflowId: string): Promise<Json> {
		const execution = await runToEnd(workflowId);
		if (execution.status !== 'success') {
			const error = execution.data?.resultData?.error;
			throw new Error(`run of ${workflowId} ended ${execution.status}: ${error?.node?.name ?? ''} ${error?.message ?? ''}\n${server.logTail(30)}`);
		}
		return { data: execution.data };
	}

	async function sync(workflowId = WORKFLOW_ID): Promise<{ run: Json; summary: Json; actions: Json[] }> {
		ecal.clearLog();
		moncampus.clearLog();
		const run = await execute(workflowId);
		const output = runtimeLib.nodeOutput(run, 'Sync to ecal') as Json[];
		const summary = output.find((item) => item.action === 'summary');
		expect(summary).toBeDefined();
		// the consistency check ran on the recounted window and found nothing to redo
		expect(summary).toMatchObject({ recounted: true, consistent: true, failed: 0 });
		expect(run.data.resultData.runData['Sync again']).toBeUndefined();
		expect(foreign()).toBe(foreignSnapshot);
		return { run, summary: summary!, actions: output.filter((item) => item.action !== 'summary') };
	}

	beforeAll(async () => {
		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'moncampus-ecal-dist-'));
		const build = privateBuild(distDir);
		if (!build.ok) throw new Error(build.errors);

		moncampus = await createMonCampusFake({ username: USERNAME, password: PASSWORD }).start();
		ecal = await createEcalFake({ apiKey: ECAL_KEY, secret: ECAL_SECRET, today: WINDOW.windowStart }).start();
		moncampus.seedRange({ from: WINDOW.windowStart, to: WINDOW.windowEnd, perDay: 2, startNoCours: 1000 });

		calendarId = ecal.addCalendar({ name: 'IPI Lyon - Bachelor CDA G1', reference: 'e2e-g1' }).id;
		otherCalendarId = ecal.addCalendar({ name: 'BDE', reference: 'e2e-bde' }).id;
		prefix = `moncampus-${calendarId}-`;
		// Another calendar of the same account — even with a copy of one of our courses — and, in our calendar,
		// events someone added by hand: none of them may be touched or counted.
		ecal.addEvent({ calendarId: otherCalendarId, reference: 'bde-1', name: 'Soirée', location: 'Campus', startDate: '2026-03-24', startTime: '19:00', endDate: '2026-03-24', endTime: '23:00' });
		ecal.addEvent({ calendarId: otherCalendarId, reference: 'cours-1000', name: 'Administration des BDD', location: 'DISTANCIEL', startDate: '2026-03-23', startTime: '08:30', endDate: '2026-03-23', endTime: '12:00' });
		ecal.addEvent({ calendarId, name: 'Réunion parents', location: 'Salle B', startDate: '2026-03-25', startTime: '18:00', endDate: '2026-03-25', endTime: '19:00' });
		ecal.addEvent({ calendarId, reference: 'manual-42', name: 'Jury', location: 'Salle C', startDate: '2026-04-02', startTime: '14:00', endDate: '2026-04-02', endTime: '16:00' });
		foreignSnapshot = foreign();

		n8n = await runtimeLib.createN8nRuntime({ distDir });
		await n8n.importCredentials([
			{
				id: 'monCampusCred001',
				name: 'MonCampus account',
				type: 'monCampusApi',
				data: { casLoginUrl: moncampus.casLoginUrl, timetableUrl: moncampus.timetableBaseUrl, username: USERNAME, password: PASSWORD, sessionToken: '' },
			},
			{ id: 'ecalApiCred00001', name: 'ECAL account', type: 'ecalApi', data: { url: ecal.apiBaseUrl, apiKey: ECAL_KEY, apiSecret: ECAL_SECRET } },
		]);
		await n8n.importWorkflow([
			workflowWithConfig({ calendarId, ...WINDOW }),
			workflowWithConfig({ calendarId, ...WINDOW, adoptLegacyEvents: true }, ADOPTING_WORKFLOW_ID),
		]);
		server = await n8n.startServer();
		await server.login();
	});

	afterAll(async () => {
		await n8n?.stop();
		await Promise.all([moncampus?.stop(), ecal?.stop()]);
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	let courses: number;

	test('first run: one event per course, with Paris times, created in our calendar only', async () => {
		courses = moncampus.events().length;
		expect(courses).toBe(44 * 2); // 44 weekdays, two courses a day
		const { summary, run } = await sync();
		expect(summary).toMatchObject({ desired: courses, created: courses, updated: 0, deleted: 0, ourEventsInWindow: courses, notOwned: 2 });
		expect(writesBy('POST')).toBe(courses);
		expect(writes()).toHaveLength(courses);
		expect(ours()).toHaveLength(courses);
		expect(casPosts()).toBe(1);

		const mapped = runtimeLib.nodeOutput(run, 'Map to ecal events') as Json[];
		expect(mapped[0]).toMatchObject({ reference: `${prefix}1000`, start: '2026-03-23T08:30:00+01:00' });
		const afterChange = ours().find((event: Json) => event.reference === `${prefix}1010`);
		expect(afterChange).toMatchObject({ startDate: '2026-03-30', startTime: '08:30', endTime: '12:00' });
		expect(String(ours()[0].details)).toContain('Groupe : IPI - Bachelor');
	});

	test('second run with no change: zero writes, and no new CAS login (the session was kept)', async () => {
		const { summary } = await sync();
		expect(summary).toMatchObject({ desired: courses, unchanged: courses, created: 0, updated: 0, deleted: 0 });
		expect(writes()).toHaveLength(0);
		expect(casPosts()).toBe(0);
	});

	test('2 courses moved, 1 cancelled, 1 added: exactly 2 updates, 1 delete, 1 create', async () => {
		changeTimetable(moncampus);

		const { summary, actions } = await sync();
		expect(summary).toMatchObject({ desired: courses, created: 1, updated: 2, deleted: 1, unchanged: courses - 3, ourEventsInWindow: courses });
		expect([writesBy('POST'), writesBy('PUT'), writesBy('DELETE')]).toEqual([1, 2, 1]);
		expect(actions.filter((action) => action.action === 'updated').map((action) => action.reference).sort()).toEqual([`${prefix}1004`, `${prefix}1020`]);
		expect(ours().find((event: Json) => event.reference === `${prefix}1004`)).toMatchObject({ startDate: '2026-03-27', startTime: '14:00', endTime: '17:30' });
		expect(ours().find((event: Json) => event.reference === `${prefix}5000`)).toMatchObject({ name: 'Rattrapage', location: 'Lieu non communiqué' });
		expect(ours().some((event: Json) => event.reference === `${prefix}1030`)).toBe(false);
	});

	test('seeded duplicates are removed, keeping one copy', async () => {
		for (const reference of [`${prefix}1001`, `${prefix}1002`]) {
			const copy = { ...ours().find((event: Json) => event.reference === reference) };
			delete copy.id;
			ecal.addEvent(copy);
		}
		expect(ours()).toHaveLength(courses + 2);
		const { summary } = await sync();
		expect(summary).toMatchObject({ duplicatesRemoved: 2, created: 0, updated: 0, deleted: 0, ourEventsInWindow: courses });
		expect(writes()).toHaveLength(2);
		expect(writesBy('DELETE')).toBe(2);
		expect(ours()).toHaveLength(courses);
	});

	test('with adoptLegacyEvents on, the old tool’s events are adopted (its duplicates removed) instead of doubled', async () => {
		const added = moncampus.addEvents([
			{ NoCours: 6001, date: '2026-04-20', startTime: '08:30', endTime: '12:00', Commentaire: 'Droit du numérique', Salles: 'B108-S(Bâtiment B)' },
			{ NoCours: 6002, date: '2026-04-21', startTime: '13:30', endTime: '17:00', Commentaire: 'Cybersécurité', Salles: 'DISTANCIEL' },
		]);
		// what MonCampus_Ecal_Docker wrote: name = Commentaire, location = Salles, random numeric reference
		// (Wigor's UTC digits are the wall clock)
		const wallClock = (value: string) => new Date(value).toISOString();
		const legacy = (course: Json, reference: string) => ({
			calendarId,
			reference,
			name: course.Commentaire,
			location: course.Salles,
			startDate: wallClock(course.Start).slice(0, 10),
			startTime: wallClock(course.Start).slice(11, 16),
			endDate: wallClock(course.End).slice(0, 10),
			endTime: wallClock(course.End).slice(11, 16),
			details: 'Intervenant : None\nNom complet du cours : IPI',
			alert: '15M',
		});
		ecal.addEvent(legacy(added[0], '4711023'));
		ecal.addEvent(legacy(added[1], '9000017'));
		ecal.addEvent(legacy(added[1], '123456')); // the old tool's own duplicate
		courses += 2;
		const { summary, actions } = await sync(ADOPTING_WORKFLOW_ID);
		expect(summary).toMatchObject({ desired: courses, adopted: 2, duplicatesRemoved: 1, created: 0, deleted: 0, ourEventsInWindow: courses });
		expect(actions.filter((action) => action.action === 'adopted').map((action) => action.previousReference).sort()).toEqual(['4711023', '9000017']);
		expect(writesBy('POST')).toBe(0);
		expect(ours().filter((event: Json) => ['Droit du numérique', 'Cybersécurité'].includes(event.name))).toHaveLength(2);
		expect(ecal.events().filter((event: Json) => /^\d+$/.test(String(event.reference ?? '')))).toHaveLength(0);
	});

	test.each([
		['302 to cas/login', 'redirect'],
		['a login page with 200', 'loginPage'],
	])('a session that expires mid-run (%s) recovers with one new login and changes nothing', async (_label, mode) => {
		moncampus.setExpiredSessionAnswer(mode);
		// the 60-day window is read in two 30-day requests: the session dies after the first
		moncampus.expireSessionsAfter(1);
		const { summary, run } = await sync();
		expect(summary).toMatchObject({ desired: courses, unchanged: courses, created: 0, updated: 0, deleted: 0 });
		expect(writes()).toHaveLength(0);
		expect(casPosts()).toBe(1);
		expect(runtimeLib.nodeOutput(run, 'Read timetable')).toHaveLength(courses);
	});

	describe('consistency check (ecal’s list lagging behind its writes)', () => {
		const lagging = () => `${prefix}1001`;
		const summaryOf = (run: Json, node: string) => (runtimeLib.nodeOutput(run, node) as Json[]).find((item) => item.action === 'summary');

		test('a mismatch after the sync makes one more sync, which finds the calendar right: the run succeeds', async () => {
			// each listing is two list requests (a page, then 204): the first Sync's listing and recount miss one event
			ecal.hideFromListings(lagging(), 4);
			ecal.clearLog();
			const run = await execute(WORKFLOW_ID);
			expect(summaryOf(run, 'Sync to ecal')).toMatchObject({ consistent: false, ourEventsInWindow: courses - 1, desired: courses });
			expect(summaryOf(run, 'Sync again')).toMatchObject({ consistent: true, ourEventsInWindow: courses, created: 0, deleted: 0 });
			expect(run.data.resultData.runData['Consistency check failed']).toBeUndefined();
			// the event was not doubled: its reference was taken (409), so the sync kept the one ECAL holds
			expect(ours()).toHaveLength(courses);
			expect(foreign()).toBe(foreignSnapshot);
		});

		test('a mismatch that survives the second sync stops the run with a clear error, without a third sync', async () => {
			ecal.hideFromListings(lagging(), 8);
			const execution = await runToEnd(WORKFLOW_ID);
			expect(execution.status).toBe('error');
			const runData = execution.data.resultData.runData;
			expect(runData['Sync to ecal']).toHaveLength(1);
			expect(runData['Sync again']).toHaveLength(1);
			expect(runData['Consistency check failed']).toHaveLength(1);
			expect(execution.data.resultData.error.message).toBe(
				`ecal still has ${courses - 1} of our events from ${WINDOW.windowStart} to ${WINDOW.windowEnd} after a second sync, but MonCampus gave ${courses} courses (calendar ${calendarId}, 0 failed writes). Look at the failed items of Sync again.`,
			);
			expect(ours()).toHaveLength(courses);
			expect(foreign()).toBe(foreignSnapshot);
		});
	});
});
