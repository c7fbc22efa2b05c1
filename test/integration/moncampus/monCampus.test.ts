/**
 * The MonCampus node on n8n-core's WorkflowExecute against the MonCampus fake, with its CAS on another port:
 * the CAS login through the credential's preAuthentication, paging by range, a session that dies in the
 * middle of a run (302 to cas/login, or a login page with 200), wrong credentials and a locked account.
 */
import type { IDataObject } from 'n8n-workflow';

import { CAS_LOCKED_MESSAGE, CAS_REJECTED_MESSAGE } from '../../../nodes/MonCampus/transport/casLogin';
import { SESSION_REJECTED_MESSAGE } from '../../../nodes/MonCampus/transport/timetable';
import { runWorkflow, type HarnessCredential, type HarnessNode } from '../../harness/runWorkflow';

const { createMonCampusFake } = require('../../fakes/moncampus.cjs');

const USERNAME = 'jeanne.martin';
const PASSWORD = 'pw-Moncampus&é=1';

let fake: any;
let credentials: Record<string, HarnessCredential>;

function monCampusNode(parameters: IDataObject = {}, extra: Partial<HarnessNode> = {}): HarnessNode {
	return {
		name: 'MonCampus',
		type: 'monCampus',
		parameters: {
			resource: 'course',
			operation: 'getMany',
			startDate: '2026-03-23',
			endDate: '2026-04-12',
			returnAll: true,
			options: { daysPerRequest: 7 },
			...parameters,
		},
		credentials: { monCampusApi: 'mc' },
		...extra,
	};
}

async function run(parameters: IDataObject = {}, extra: Partial<HarnessNode> = {}, input?: IDataObject[]) {
	return await runWorkflow({ nodes: [monCampusNode(parameters, extra)], credentials, input });
}

const casPosts = () => fake.requests((entry: IDataObject) => entry.server === 'cas' && entry.method === 'POST').length;
const homeGets = () =>
	fake.requests(
		(entry: IDataObject) =>
			entry.server === 'timetable' && entry.path === '/edt/Home/Get' && (entry.headers as IDataObject)['x-requested-with'] === 'XMLHttpRequest',
	);
const errorOf = (result: Awaited<ReturnType<typeof run>>) => result.nodeError('MonCampus')?.message ?? result.error?.message ?? '';

beforeEach(async () => {
	fake = await createMonCampusFake({ username: USERNAME, password: PASSWORD, lockAfterFailures: 3 }).start();
	// three weeks of weekdays, two courses a day, across the spring change of time (Sunday 29 March 2026)
	fake.seedRange({ from: '2026-03-23', to: '2026-04-12', perDay: 2, startNoCours: 500 });
	credentials = {
		mc: {
			type: 'monCampusApi',
			data: { casLoginUrl: fake.casLoginUrl, timetableUrl: fake.timetableBaseUrl, username: USERNAME, password: PASSWORD, sessionToken: '' },
		},
	};
});

afterEach(async () => {
	await fake.stop();
});

describe('MonCampus → Course → Get Many', () => {
	test('logs in through the CAS on its own port, pages the range and outputs normalised courses', async () => {
		expect(new URL(fake.casLoginUrl).port).not.toBe(new URL(fake.timetableBaseUrl).port);
		const result = await run();
		expect(result.error).toBeUndefined();
		const courses = result.output('MonCampus');
		expect(courses).toHaveLength(30);
		expect(casPosts()).toBe(1);
		expect(homeGets().map((entry: IDataObject) => (entry.query as IDataObject).dateDebut)).toEqual([
			'2026-03-23T00:00:00.000Z',
			'2026-03-30T00:00:00.000Z',
			'2026-04-06T00:00:00.000Z',
		]);
		// before and after the change of time, the same 08:30 wall clock
		expect(courses[0]).toMatchObject({ id: 500, start: '2026-03-23T08:30:00+01:00', end: '2026-03-23T12:00:00+01:00', allDay: false });
		expect(courses[10]).toMatchObject({ id: 510, start: '2026-03-30T08:30:00+02:00' });
		expect(Object.keys(courses[0]).sort()).toEqual(
			['allDay', 'comment', 'end', 'group', 'id', 'rooms', 'start', 'subject', 'teacher', 'teamsUrl', 'title'].sort(),
		);
		expect(courses.find((course) => course.teamsUrl)?.teamsUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
		// the session was stored in the credential: the next run does not log in again
		expect(String(credentials.mc.data.sessionToken)).toContain('.DotNetCasClientAuth=');
		fake.clearLog();
		expect((await run()).output('MonCampus')).toHaveLength(30);
		expect(casPosts()).toBe(0);
	});

	test('a school that caps the range: slices of its size return everything, a course in two slices once', async () => {
		fake.setMaxRangeDays(7);
		fake.addEvents([{ NoCours: 9000, date: '2026-03-29', endDate: '2026-03-30', allDay: true, Commentaire: 'Séminaire', Salles: 'Aucune' }]);
		const result = await run({ options: { daysPerRequest: 7, defaultLocation: 'Campus' } });
		const courses = result.output('MonCampus');
		expect(courses).toHaveLength(31);
		expect(courses.filter((course) => course.id === 9000)).toEqual([
			expect.objectContaining({ allDay: true, start: '2026-03-29', end: '2026-03-30', title: 'Séminaire', rooms: 'Campus' }),
		]);
		// one slice wider than the cap loses courses: the option is what makes a capped school work
		const wide = await run({ options: { daysPerRequest: 30 } });
		expect(wide.output('MonCampus').length).toBeLessThan(31);
	});

	test('Limit stops reading once enough courses came', async () => {
		const result = await run({ returnAll: false, limit: 5 });
		expect(result.output('MonCampus').map((course) => course.id)).toEqual([500, 501, 502, 503, 504]);
		expect(homeGets()).toHaveLength(1);
	});

	test.each([
		['302 to cas/login (n8n logs in again through preAuthentication)', 'redirect'],
		['a login page with 200 (the node logs in again by itself)', 'loginPage'],
	])('a session that expires mid-run — %s — recovers with one new login', async (_label, mode) => {
		fake.setExpiredSessionAnswer(mode);
		fake.expireSessionsAfter(1);
		const result = await run();
		expect(result.error).toBeUndefined();
		expect(result.output('MonCampus')).toHaveLength(30);
		expect(casPosts()).toBe(2);
		expect(homeGets()).toHaveLength(4);
		expect(String(credentials.mc.data.sessionToken)).toContain('.DotNetCasClientAuth=');
	});

	test.each([
		['302 to cas/login', 'redirect'],
		['a login page with 200', 'loginPage'],
	])('a session rejected right after a new login (%s) fails clearly after one new login, never loops', async (_label, mode) => {
		fake.setExpiredSessionAnswer(mode);
		fake.setRejectSessions(true);
		const result = await run();
		expect(errorOf(result)).toContain(SESSION_REJECTED_MESSAGE);
		expect(casPosts()).toBe(2);
		expect(homeGets()).toHaveLength(2);
	});

	test('wrong credentials: one login attempt, a clear error naming MonCampus, not tried again for the next items', async () => {
		credentials.mc.data.password = 'not-the-password';
		const result = await run({}, { continueOnFail: true }, [{ a: 1 }, { a: 2 }, { a: 3 }]);
		const outputs = result.output('MonCampus');
		expect(outputs).toHaveLength(3);
		for (const [index, output] of outputs.entries()) {
			expect(output.error).toBe(`${CAS_REJECTED_MESSAGE} (item ${index})`);
			expect(String(output.error)).not.toContain('not-the-password');
		}
		expect(casPosts()).toBe(1);
		expect(fake.state.locked).toBe(false);

		const stopped = await run();
		expect(errorOf(stopped)).toContain(CAS_REJECTED_MESSAGE);
	});

	test('a locked account is reported as such and never retried', async () => {
		fake.lockAccount();
		const result = await run({}, { continueOnFail: true }, [{ a: 1 }, { a: 2 }]);
		expect(result.output('MonCampus').map((output) => output.error)).toEqual([
			`${CAS_LOCKED_MESSAGE} (item 0)`,
			`${CAS_LOCKED_MESSAGE} (item 1)`,
		]);
		expect(casPosts()).toBe(1);
		expect(homeGets()).toHaveLength(0);
	});

	test('parameters are checked before any request', async () => {
		expect(errorOf(await run({ startDate: '2026-04-10', endDate: '2026-04-01' }))).toContain('End Date 2026-04-01 is before Start Date 2026-04-10');
		expect(errorOf(await run({ startDate: 'soon' }))).toContain('Start Date is not a date: "soon"');
		expect(errorOf(await run({ options: { timeZone: 'Mars/Olympus' } }))).toContain('Time Zone "Mars/Olympus" is not an IANA time zone');
		expect(casPosts()).toBe(0);
	});
});
