/* Overlapping ECAL Sync runs (two schedules firing together, a manual run during a scheduled one, queue-mode workers):
 * three runs of the node at the same moment against one ecal fake, with latency so that their requests interleave,
 * compared with a single run against a second fake with the same calendar. ECAL documents 409 "already exists";
 * whether a taken event reference is what triggers it is not verified, so both readings are run. */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../harness/runWorkflow';

const { createEcalFake } = require('../../fakes/ecal.cjs');

const KEY = 'ecal-overlap-key';
const SECRET = 'ecal-overlap-secret';
const PREFIX = 'moncampus-';
const WINDOW = { windowStart: '2030-09-01', windowEnd: '2030-10-31' };
const COURSES = 40;
const RUNS = 3;

type Json = Record<string, any>;

/** Course n: day n of the window, 08:30–12:00 Paris time (or `overrides`). */
function course(n: number, overrides: IDataObject = {}): IDataObject {
	const date = new Date(Date.UTC(2030, 8, n)).toISOString().slice(0, 10);
	return { reference: `${PREFIX}${n}`, name: `Cours ${n}`, location: 'B110', start: `${date}T08:30:00+02:00`, end: `${date}T12:00:00+02:00`, ...overrides };
}

/** The first timetable, then 2 moved, 1 cancelled, 1 added (as in the e2e test). */
const firstTimetable = () => Array.from({ length: COURSES }, (_, i) => course(i + 1));
const changedTimetable = () =>
	firstTimetable()
		.filter((event) => event.reference !== `${PREFIX}9`)
		.map((event) => (event.reference === `${PREFIX}2` ? { ...event, location: 'B204' } : event))
		.map((event) => (event.reference === `${PREFIX}5` ? course(5, { start: '2030-09-05T14:00:00+02:00', end: '2030-09-05T17:30:00+02:00' }) : event))
		.concat([course(COURSES + 1)]);

async function calendarFake(takenReference: 'refuse' | 'accept') {
	const fake = await createEcalFake({ apiKey: KEY, secret: SECRET, today: WINDOW.windowStart, latencyMs: 3, takenReference }).start();
	const calendarId = fake.addCalendar({ name: 'IPI Lyon - G1' }).id;
	const other = fake.addCalendar({ name: 'BDE' }).id;
	fake.addEvent({ calendarId, reference: 'manual-42', name: 'Jury', location: 'Salle C', startDate: '2030-09-02', startTime: '14:00', endDate: '2030-09-02', endTime: '16:00' });
	fake.addEvent({ calendarId, name: 'Réunion', location: 'Salle B', startDate: '2030-09-03', startTime: '18:00', endDate: '2030-09-03', endTime: '19:00' });
	fake.addEvent({ calendarId: other, reference: 'bde-3', name: 'Cours 3', location: 'B110', startDate: '2030-09-03', startTime: '08:30', endDate: '2030-09-03', endTime: '12:00' });
	const ours = (): Json[] => fake.events().filter((event: Json) => event.calendarId === calendarId && String(event.reference ?? '').startsWith(PREFIX));
	const foreign = () => JSON.stringify(fake.events().filter((event: Json) => !ours().includes(event)));
	/** The calendar as a user sees it: our events without ECAL's ids, in reference order. */
	const view = () =>
		ours()
			.map((event): Json => ({ ...event, id: undefined }))
			.sort((a, b) => String(a.reference).localeCompare(String(b.reference)));
	const writes = () => fake.apiRequests().filter((entry: Json) => entry.method !== 'GET').length;
	return { fake, calendarId, ours, foreign, view, writes };
}

type Calendar = Awaited<ReturnType<typeof calendarFake>>;
const fakes: Calendar[] = [];
afterEach(async () => {
	await Promise.all(fakes.splice(0).map((calendar) => calendar.fake.stop()));
});

async function sync(calendar: Calendar, input: IDataObject[]): Promise<{ error?: string; summary?: Json }> {
	const result = await runWorkflow({
		nodes: [
			{
				name: 'Sync to ecal',
				type: 'ecal',
				parameters: {
					resource: 'event',
					operation: 'sync',
					calendarId: { __rl: true, mode: 'id', value: calendar.calendarId },
					...WINDOW,
					timezone: 'Europe/Paris',
					referencePrefix: PREFIX,
					options: { recount: true },
				},
				credentials: { ecalApi: 'ecal' },
			},
		],
		connections: ['Sync to ecal'],
		input,
		credentials: { ecal: { type: 'ecalApi', data: { url: calendar.fake.apiBaseUrl, apiKey: KEY, apiSecret: SECRET } } },
	});
	if (result.error) return { error: result.error.message };
	return { summary: result.output('Sync to ecal').find((item) => item.action === 'summary') };
}

/** RUNS syncs of the same timetable at the same moment. */
async function overlapping(calendar: Calendar, input: IDataObject[]) {
	return await Promise.all(Array.from({ length: RUNS }, async () => await sync(calendar, input)));
}

/** What one run alone leaves: the same timetables, one run each, on a calendar of its own. */
async function singleRunEndStates(): Promise<Json[][]> {
	const alone = await calendarFake('refuse');
	fakes.push(alone);
	const states: Json[][] = [];
	for (const timetable of [firstTimetable(), changedTimetable()]) {
		const run = await sync(alone, timetable);
		expect(run.error).toBeUndefined();
		expect(run.summary).toMatchObject({ consistent: true, failed: 0 });
		states.push(alone.view());
	}
	return states;
}

test('ECAL refusing a taken reference (409): overlapping runs create each event once, all succeed and are consistent, and equal one run alone', async () => {
	const [firstState, changedState] = await singleRunEndStates();
	const calendar = await calendarFake('refuse');
	fakes.push(calendar);
	const foreign = calendar.foreign();

	const first = await overlapping(calendar, firstTimetable());
	expect(first.map((run) => run.error)).toEqual(Array(RUNS).fill(undefined));
	expect(first.map((run) => run.summary)).toEqual(Array(RUNS).fill(expect.objectContaining({ consistent: true, failed: 0, ourEventsInWindow: COURSES })));
	// Each course created by exactly one run; the others met its 409 and found it by reference.
	expect(first.reduce((sum, run) => sum + run.summary!.created, 0)).toBe(COURSES);
	expect(first.reduce((sum, run) => sum + run.summary!.created + run.summary!.foundByReference, 0)).toBe(COURSES * RUNS);
	expect(calendar.view()).toEqual(firstState);

	const changed = await overlapping(calendar, changedTimetable());
	expect(changed.map((run) => run.error)).toEqual(Array(RUNS).fill(undefined));
	expect(changed.map((run) => run.summary)).toEqual(Array(RUNS).fill(expect.objectContaining({ consistent: true, failed: 0, ourEventsInWindow: COURSES })));
	expect(calendar.view()).toEqual(changedState);
	expect(calendar.foreign()).toBe(foreign);

	calendar.fake.clearLog();
	expect((await sync(calendar, changedTimetable())).summary).toMatchObject({ unchanged: COURSES, consistent: true });
	expect(calendar.writes()).toBe(0);
});

test('ECAL storing a second event under a taken reference: overlapping runs double events and say so (consistent: false); the next run removes the copies and equals one run alone', async () => {
	const [firstState, changedState] = await singleRunEndStates();
	const calendar = await calendarFake('accept');
	fakes.push(calendar);
	const foreign = calendar.foreign();

	const first = await overlapping(calendar, firstTimetable());
	expect(first.map((run) => run.error)).toEqual(Array(RUNS).fill(undefined));
	expect(calendar.ours().length).toBeGreaterThan(COURSES);
	// The recount sees the copies: the workflow's consistency check then syncs again (or, if copies are still being
	// made, stops with its error naming the counts); the next run removes them.
	expect(first.some((run) => run.summary!.consistent === false)).toBe(true);
	const next = await sync(calendar, firstTimetable());
	expect(next.summary).toMatchObject({ consistent: true, failed: 0, created: 0, deleted: 0, ourEventsInWindow: COURSES });
	expect(next.summary!.duplicatesRemoved).toBeGreaterThan(0);
	expect(calendar.view()).toEqual(firstState);

	// Copies again, this time removed by overlapping runs (each listing its own moment): they keep the same copy.
	const doubled = await overlapping(calendar, changedTimetable());
	expect(doubled.map((run) => run.error)).toEqual(Array(RUNS).fill(undefined));
	expect(calendar.ours().length).toBeGreaterThan(COURSES);
	const cleaning = await overlapping(calendar, changedTimetable());
	expect(cleaning.map((run) => run.error)).toEqual(Array(RUNS).fill(undefined));
	const last = await sync(calendar, changedTimetable());
	// created: 0: the overlapping clean-ups kept one copy of each (the same one), none deleted them all.
	expect(last.summary).toMatchObject({ consistent: true, failed: 0, created: 0, duplicatesRemoved: 0 });
	expect(calendar.view()).toEqual(changedState);
	expect(calendar.foreign()).toBe(foreign);
});
