/**
 * MonCampus → ecal runs that overlap in queue mode: a copy of workflows/moncampus-to-ecal.json with its own id, its
 * own credentials and its own MonCampus and ecal fakes (the suite's scheduled copy and its fakes are not disturbed),
 * its Schedule Trigger replaced by a Webhook answered at once, so that several runs start at the same moment and
 * land on both workers. Everything else in the workflow is the shipped one, Config values aside.
 *
 * Bursts of RUNS runs at once:
 * 1. on an empty calendar; 2. after 2 moved, 1 cancelled, 1 added course — ECAL refusing a taken reference with its
 *    documented 409 "Event already exists": every run succeeds and the calendar is the single-run end state at once;
 * 3. after 20 added courses, the fake storing a second event under a taken reference instead (the other reading of
 *    the 409, not ruled out by anything verified): copies are made; a run either removes them in its consistency
 *    check's second sync or stops with that check's error naming the counts; one more run removes what is left.
 * After each burst (plus that one run in 3) the calendar holds one event per course and nothing else of ours,
 * foreign events are untouched, and a verifying run writes nothing (a single run would have nothing to change).
 */
import { changeTimetable } from '../../e2e/support/moncampus';
import { bundledWorkflow, loadFake, runtimeLib, scaled } from '../../e2e/support/repo';
import { FINISHED, type QueueCluster } from './cluster';

type Json = Record<string, any>;

const { createMonCampusFake } = loadFake('moncampus')!;
const { createEcalFake } = loadFake('ecal')!;

const USER = { username: 'overlap.student', password: 'overlap-password' };
const ECAL_KEYS = { apiKey: 'ecal-overlap-key', secret: 'ecal-overlap-secret' };
const WINDOW = { windowStart: '2026-03-23', windowEnd: '2026-05-21' };
const WEBHOOK_PATH = 'moncampus-overlap-sync';
/** Runs started at the same moment: more than the two workers, so both get some. */
const RUNS = 3;
/** Per ecal request: one run then lasts seconds, so the runs of a burst overlap on a loaded machine too. */
const ECAL_LATENCY_MS = 25;
const CREDENTIALS = {
	monCampusApi: { id: 'monCampusOvlp001', name: 'MonCampus account (overlap test)' },
	ecalApi: { id: 'ecalApiOvlp00001', name: 'ECAL account (overlap test)' },
};

export interface MonCampusOverlap {
	credentials: Json[];
	workflow: Json;
	/** The three bursts and their checks; prints one line per burst. */
	check(cluster: QueueCluster): Promise<void>;
	stop(): Promise<void>;
}

/** The shipped workflow, Config values replaced, its Schedule Trigger a Webhook answered on receipt. */
function overlapWorkflow(calendarId: string): Json {
	const workflow = bundledWorkflow('moncampus-to-ecal.json', { calendarId, ...WINDOW });
	Object.assign(workflow, { id: 'queueMonCampusOverlap1', name: 'Queue test: MonCampus → ecal runs that overlap' });
	const schedule = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.scheduleTrigger');
	const trigger = 'Sync request';
	workflow.connections[trigger] = workflow.connections[schedule.name];
	delete workflow.connections[schedule.name];
	Object.assign(schedule, {
		name: trigger,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '3c2b7d4e-0f51-4a8e-9b3c-moncampusovl',
		parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
	});
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) node.credentials[type] = CREDENTIALS[type as keyof typeof CREDENTIALS];
	}
	return workflow;
}

export async function startMonCampusOverlap(): Promise<MonCampusOverlap> {
	const moncampus = await createMonCampusFake(USER).start();
	const ecal = await createEcalFake({ ...ECAL_KEYS, today: WINDOW.windowStart, latencyMs: ECAL_LATENCY_MS }).start();
	moncampus.seedRange({ from: WINDOW.windowStart, to: WINDOW.windowEnd, perDay: 2, startNoCours: 1000 });
	const calendarId: string = ecal.addCalendar({ name: 'IPI Lyon - Bachelor CDA G2', reference: 'overlap-g2' }).id;
	const otherCalendarId: string = ecal.addCalendar({ name: 'BDE', reference: 'overlap-bde' }).id;
	const prefix = `moncampus-${calendarId}-`;
	// Another calendar (with a copy of one of our courses) and events added by hand in ours: never touched.
	ecal.addEvent({ calendarId: otherCalendarId, reference: 'bde-1', name: 'Soirée', location: 'Campus', startDate: '2026-03-24', startTime: '19:00', endDate: '2026-03-24', endTime: '23:00' });
	ecal.addEvent({ calendarId: otherCalendarId, reference: 'cours-1000', name: 'Administration des BDD', location: 'DISTANCIEL', startDate: '2026-03-23', startTime: '08:30', endDate: '2026-03-23', endTime: '12:00' });
	ecal.addEvent({ calendarId, name: 'Réunion parents', location: 'Salle B', startDate: '2026-03-25', startTime: '18:00', endDate: '2026-03-25', endTime: '19:00' });
	ecal.addEvent({ calendarId, reference: 'manual-42', name: 'Jury', location: 'Salle C', startDate: '2026-04-02', startTime: '14:00', endDate: '2026-04-02', endTime: '16:00' });
	const ours = (): Json[] => ecal.events().filter((event: Json) => event.calendarId === calendarId && String(event.reference ?? '').startsWith(prefix));
	const foreign = () => JSON.stringify(ecal.events().filter((event: Json) => !(event.calendarId === calendarId && String(event.reference ?? '').startsWith(prefix))));
	const foreignSnapshot = foreign();
	const writes = () => ecal.apiRequests().filter((entry: Json) => entry.method !== 'GET').length;
	const workflow = overlapWorkflow(calendarId);

	async function check(cluster: QueueCluster): Promise<void> {
		const urls = [cluster.webhooks[0].baseUrl, cluster.main.baseUrl].map((base) => `${base}/webhook/${WEBHOOK_PATH}`);
		// Published webhooks register a few seconds after start; a GET starts nothing and names POST once registered.
		const deadline = Date.now() + scaled(180_000);
		for (const url of urls) {
			for (;;) {
				if ((await (await fetch(url)).text()).includes('make a POST request')) break;
				if (Date.now() > deadline) throw new Error(`${url} not registered\n${cluster.webhooks[0].logTail(40)}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}

		/** `count` runs started at the same moment (half through each process that takes webhooks), once all ended. */
		async function burst(count: number): Promise<Json[]> {
			const before = new Set((await cluster.allExecutions(workflow.id)).map((execution) => String(execution.id)));
			const answers = await Promise.all(
				Array.from({ length: count }, async (_, index) => {
					const response = await fetch(urls[index % urls.length], { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					await response.arrayBuffer();
					return response.status;
				}),
			);
			expect(answers).toEqual(Array(count).fill(200));
			const settled = Date.now() + scaled(600_000);
			for (;;) {
				const started = (await cluster.allExecutions(workflow.id)).filter((execution) => !before.has(String(execution.id)));
				if (started.length >= count && started.every((execution) => FINISHED.includes(execution.status))) {
					expect(started).toHaveLength(count);
					return await Promise.all(started.map(async (execution) => await cluster.main.json(`/api/v1/executions/${execution.id}?includeData=true`)));
				}
				if (Date.now() > settled) throw new Error(`runs of ${workflow.id} not finished: ${JSON.stringify(started.map((execution) => execution.status))}\n${cluster.workers[0].logTail(20)}`);
				await new Promise((resolve) => setTimeout(resolve, 1_000));
			}
		}

		const errorOf = (execution: Json) => String(execution.data?.resultData?.error?.message ?? '');
		const summaryOf = (execution: Json, node = 'Sync to ecal') => (runtimeLib.nodeOutput(execution, node) as Json[]).find((item) => item.action === 'summary')!;
		const workersOf = (executions: Json[]) => {
			const owners = cluster.workerOfExecutions();
			return executions.map((execution) => owners.get(String(execution.id)) ?? '?');
		};
		/** The runs really overlapped: each started before any of them ended. */
		const overlapped = (executions: Json[]) =>
			Math.max(...executions.map((execution) => Date.parse(execution.startedAt))) < Math.min(...executions.map((execution) => Date.parse(execution.stoppedAt)));

		/** One event per course, no copy, nothing foreign touched; a verifying run finds nothing to write. */
		async function expectSingleRunEndState(): Promise<void> {
			const references = moncampus.events().map((event: Json) => `${prefix}${event.NoCours}`).sort();
			expect(ours().map((event) => event.reference).sort()).toEqual(references);
			expect(foreign()).toBe(foreignSnapshot);
			const writesBefore = writes();
			const [verifying] = await burst(1);
			expect(verifying.status).toBe('success');
			expect(summaryOf(verifying)).toMatchObject({ created: 0, updated: 0, deleted: 0, duplicatesRemoved: 0, unchanged: references.length, consistent: true });
			expect(writes() - writesBefore).toBe(0);
		}

		// 1. Empty calendar, ECAL refusing a taken reference (409): each course is created by one run; the others
		// meet the 409, find the event by its reference and leave it unchanged.
		const courses = moncampus.events().length;
		let runs = await burst(RUNS);
		expect(runs.map((execution) => [execution.status, errorOf(execution)])).toEqual(Array(RUNS).fill(['success', '']));
		expect(overlapped(runs)).toBe(true);
		const firstWorkers = workersOf(runs);
		expect(new Set(firstWorkers).size).toBeGreaterThan(1);
		const firstSummaries = runs.map((execution) => summaryOf(execution));
		expect(firstSummaries).toEqual(Array(RUNS).fill(expect.objectContaining({ consistent: true, failed: 0, ourEventsInWindow: courses })));
		expect(firstSummaries.reduce((sum, summary) => sum + summary.created, 0)).toBe(courses);
		// Per run, every course created or left as it is (listed, or found by its reference after a 409); no copy.
		for (const summary of firstSummaries) {
			expect(summary).toMatchObject({ created: courses - summary.unchanged, updated: 0, deleted: 0, duplicatesRemoved: 0 });
		}
		expect(firstSummaries.reduce((sum, summary) => sum + summary.foundByReference, 0)).toBeGreaterThan(0);
		expect(ours().find((event) => event.reference === `${prefix}1010`)).toMatchObject({ startDate: '2026-03-30', startTime: '08:30', endTime: '12:00' });
		await expectSingleRunEndState();
		process.stdout.write(`[queue] moncampus→ecal overlap, empty calendar: ${RUNS} runs at once (workers ${firstWorkers.join(',')}), created ${firstSummaries.map((summary) => summary.created).join('+')}, 409-found ${firstSummaries.map((summary) => summary.foundByReference).join('+')}\n`);

		// 2. Timetable changes: every run plans the same updates (same body twice: idempotent), deletes (a second
		// DELETE meets 404: already gone) and creates (409 as above).
		changeTimetable(moncampus);
		runs = await burst(RUNS);
		expect(runs.map((execution) => [execution.status, errorOf(execution)])).toEqual(Array(RUNS).fill(['success', '']));
		expect(overlapped(runs)).toBe(true);
		const changedWorkers = workersOf(runs);
		expect(new Set(changedWorkers).size).toBeGreaterThan(1);
		expect(runs.map((execution) => summaryOf(execution))).toEqual(Array(RUNS).fill(expect.objectContaining({ consistent: true, failed: 0, ourEventsInWindow: courses })));
		expect(ours().find((event) => event.reference === `${prefix}1004`)).toMatchObject({ startDate: '2026-03-27', startTime: '14:00', endTime: '17:30' });
		expect(ours().find((event) => event.reference === `${prefix}5000`)).toMatchObject({ name: 'Rattrapage', location: 'Lieu non communiqué' });
		await expectSingleRunEndState();
		process.stdout.write(`[queue] moncampus→ecal overlap, timetable changes: ${RUNS} runs at once (workers ${changedWorkers.join(',')}), all consistent\n`);

		// 3. The other reading of ECAL's 409: a taken reference is stored again. 20 new courses, ECAL slower (100 ms a
		// request): a run still listing while another creates makes copies of what it then creates too.
		ecal.setTakenReference('accept');
		ecal.setFaults({ latencyMs: 100 });
		const added = Array.from({ length: 20 }, (_, n) => ({
			NoCours: 6000 + n,
			date: new Date(Date.UTC(2026, 3, 20 + n)).toISOString().slice(0, 10),
			startTime: '18:00',
			endTime: '19:30',
			Commentaire: `Soutien ${n}`,
			Salles: 'B110',
		}));
		moncampus.addEvents(added);
		runs = await burst(RUNS);
		const acceptWorkers = workersOf(runs);
		expect(overlapped(runs)).toBe(true);
		const copiesMade = runs.reduce((sum, execution) => sum + summaryOf(execution).created, 0) - added.length;
		const secondSyncs = runs.filter((execution) => execution.data.resultData.runData['Sync again']).length;
		const copiesAfterBurst = ours().length - moncampus.events().length;
		// The runs did make copies: this burst tests their removal.
		expect(copiesMade).toBeGreaterThan(0);
		// A run succeeds (its second sync removed the copies it saw) or stops with the consistency check's error,
		// naming the counts (another run was still making copies); no other failure, no failed write.
		const consistencyError = /^ecal still has \d+ of our events from 2026-03-23 to 2026-05-21 after a second sync, but MonCampus gave \d+ courses \(calendar [0-9a-f]{24}, 0 failed writes\)\. Look at the failed items of Sync again\.$/;
		for (const execution of runs) {
			if (execution.status !== 'success') expect([execution.status, errorOf(execution)]).toEqual(['error', expect.stringMatching(consistencyError)]);
		}
		// At most one more run: it removes what copies are left (keeping the lowest id, as every run does).
		ecal.setFaults({ latencyMs: ECAL_LATENCY_MS });
		const [cleanup] = await burst(1);
		expect([cleanup.status, errorOf(cleanup)]).toEqual(['success', '']);
		expect(summaryOf(cleanup)).toMatchObject({ duplicatesRemoved: copiesAfterBurst, created: 0, deleted: 0, consistent: true });
		await expectSingleRunEndState();
		process.stdout.write(
			`[queue] moncampus→ecal overlap, ECAL accepting a taken reference: ${RUNS} runs at once (workers ${acceptWorkers.join(',')}), ` +
				`${copiesMade} copies made, ${secondSyncs} runs synced a second time, runs ${runs.map((execution) => execution.status).join(',')}, ` +
				`${copiesAfterBurst} copies left for the next run\n`,
		);
	}

	return {
		credentials: [
			{ ...CREDENTIALS.monCampusApi, type: 'monCampusApi', data: { casLoginUrl: moncampus.casLoginUrl, timetableUrl: moncampus.timetableBaseUrl, ...USER, sessionToken: '' } },
			{ ...CREDENTIALS.ecalApi, type: 'ecalApi', data: { url: ecal.apiBaseUrl, apiKey: ECAL_KEYS.apiKey, apiSecret: ECAL_KEYS.secret } },
		],
		workflow,
		check,
		async stop() {
			await Promise.all([moncampus.stop(), ecal.stop()]);
		},
	};
}
