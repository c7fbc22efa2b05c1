/* The ECAL node on n8n-core's WorkflowExecute against the ecal fake, which verifies every signature over the bytes it
 * receives, answers 204 past the last page, caps pages at 100, answers 409 on a taken reference, and can rate-limit
 * (429 + Retry-After) or lose a reply after applying a write. */
import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow, type HarnessNode } from '../../harness/runWorkflow';

const { createEcalFake } = require('../../fakes/ecal.cjs');

const KEY = 'ecal-it-key';
const SECRET = 'ecal-it-sécret';
const PREFIX = 'moncampus-';
const WINDOW = { windowStart: '2030-09-01', windowEnd: '2030-10-31' };

let fake: any;
let calendarId: string;
let otherCalendarId: string;
let sleeps: number[];
const realSleep = transportClock.sleep;

beforeEach(async () => {
	fake = await createEcalFake({ apiKey: KEY, secret: SECRET, today: '2030-09-20' }).start();
	calendarId = fake.addCalendar({ name: 'IPI Lyon - G1' }).id;
	otherCalendarId = fake.addCalendar({ name: 'BDE' }).id;
	sleeps = [];
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
	};
});

afterEach(async () => {
	transportClock.sleep = realSleep;
	await fake.stop();
});

const credentials = () => ({ ecal: { type: 'ecalApi', data: { url: fake.apiBaseUrl, apiKey: KEY, apiSecret: SECRET } } });

function ecalNode(parameters: IDataObject, extra: Partial<HarnessNode> = {}): HarnessNode {
	return { name: 'ECAL', type: 'ecal', parameters, credentials: { ecalApi: 'ecal' }, ...extra };
}

async function run(parameters: IDataObject, input: IDataObject[] = [{}], extra: Partial<HarnessNode> = {}) {
	return await runWorkflow({ nodes: [ecalNode(parameters, extra)], connections: ['ECAL'], input, credentials: credentials() });
}

const calendar = () => ({ __rl: true, mode: 'id', value: calendarId });

/** Course n on day n of September 2030 (days 1–30), 08:30–12:00 Paris time. */
function course(n: number, overrides: IDataObject = {}): IDataObject {
	const day = String(((n - 1) % 30) + 1).padStart(2, '0');
	return {
		reference: `${PREFIX}${n}`,
		name: `Cours ${n}`,
		location: 'B110',
		start: `2030-09-${day}T08:30:00+02:00`,
		end: `2030-09-${day}T12:00:00+02:00`,
		details: `Intervenant : Prof ${n}`,
		...overrides,
	};
}

async function sync(input: IDataObject[], options: IDataObject = {}, extra: Partial<HarnessNode> = {}) {
	const result = await run(
		{ resource: 'event', operation: 'sync', calendarId: calendar(), ...WINDOW, timezone: 'Europe/Paris', referencePrefix: PREFIX, options },
		input,
		extra,
	);
	const output = result.error ? [] : result.output('ECAL');
	return { result, actions: output.filter((item) => item.action !== 'summary'), summary: output.find((item) => item.action === 'summary') };
}

const writes = () => fake.apiRequests().filter((entry: IDataObject) => entry.method !== 'GET');
const ours = () => fake.events().filter((event: IDataObject) => event.calendarId === calendarId && String(event.reference ?? '').startsWith(PREFIX));
const byAction = (actions: IDataObject[], action: string) => actions.filter((item) => item.action === action).map((item) => item.reference).sort();

describe('ECAL Event → Get Many', () => {
	test('pages with limit 100 until the 204, scoped to the calendar, every request signed', async () => {
		for (let n = 1; n <= 250; n++) fake.addEvent({ ...fakeEvent(n), calendarId });
		for (let n = 1; n <= 5; n++) fake.addEvent({ ...fakeEvent(n), calendarId: otherCalendarId, reference: `bde-${n}` });
		const result = await run({ resource: 'event', operation: 'getMany', calendarId: calendar(), returnAll: true, filters: {} });
		expect(result.error).toBeUndefined();
		const events = result.output('ECAL');
		expect(events).toHaveLength(250);
		expect(new Set(events.map((event) => event.calendarId))).toEqual(new Set([calendarId]));
		const lists = fake.apiRequests();
		expect(lists.map((entry: IDataObject) => (entry.query as IDataObject).page)).toEqual(['1', '2', '3', '4']);
		for (const entry of lists) {
			expect(entry.query).toMatchObject({ calendarIds: calendarId, limit: '100', showPastEvents: 'true', apiKey: KEY });
			expect(JSON.stringify(entry)).not.toContain(SECRET);
		}
	});

	test('a limit stops paging early; the reference prefix filter keeps only ours', async () => {
		for (let n = 1; n <= 150; n++) fake.addEvent({ ...fakeEvent(n), calendarId, reference: n % 3 ? `${PREFIX}${n}` : `other-${n}` });
		const limited = await run({ resource: 'event', operation: 'getMany', calendarId: calendar(), returnAll: false, limit: 30, filters: {} });
		expect(limited.output('ECAL')).toHaveLength(30);
		expect(fake.apiRequests()).toHaveLength(1);
		const filtered = await run({
			resource: 'event',
			operation: 'getMany',
			calendarId: calendar(),
			returnAll: true,
			filters: { referencePrefix: PREFIX, startDate: '2030-09-01', endDate: '2030-09-30' },
		});
		const references = filtered.output('ECAL').map((event) => String(event.reference));
		expect(references.length).toBeGreaterThan(0);
		expect(references.every((reference) => reference.startsWith(PREFIX))).toBe(true);
	});

	test('429 with Retry-After: waits what ECAL asked, then gets the page', async () => {
		fake.addEvent({ ...fakeEvent(1), calendarId });
		fake.rateLimitNext(1, 2, 'GET /apiv2/event');
		const result = await run({ resource: 'event', operation: 'getMany', calendarId: calendar(), returnAll: true, filters: {} });
		expect(result.error).toBeUndefined();
		expect(result.output('ECAL')).toHaveLength(1);
		expect(sleeps).toEqual([2000]);
		expect(fake.apiRequests().map((entry: IDataObject) => (entry.query as IDataObject).page)).toEqual(['1', '1', '2']);
	});

	test('a wrong secret: ECAL\'s 403 message, pointing at the credential, without the secret', async () => {
		const result = await runWorkflow({
			nodes: [ecalNode({ resource: 'event', operation: 'getMany', calendarId: calendar(), returnAll: true, filters: {} })],
			connections: ['ECAL'],
			input: [{}],
			credentials: { ecal: { type: 'ecalApi', data: { url: fake.apiBaseUrl, apiKey: KEY, apiSecret: 'wrong-secret' } } },
		});
		expect(result.error?.message).toMatch(/ECAL answered 403: API signature does not match\. Check the API key and secret/);
		expect(result.error?.message).not.toContain('wrong-secret');
	});
});

function fakeEvent(n: number): IDataObject {
	const day = String(((n - 1) % 30) + 1).padStart(2, '0');
	return {
		reference: `${PREFIX}${n}`,
		name: `Cours ${n}`,
		location: 'B110',
		startDate: `2030-09-${day}`,
		startTime: '08:30',
		endDate: `2030-09-${day}`,
		endTime: '12:00',
		details: `Intervenant : Prof ${n}`,
	};
}

describe('ECAL Event CRUD and Calendar', () => {
	test('create (accents signed), get by reference, update in place, delete; calendars listed and read', async () => {
		const created = await run({
			resource: 'event',
			operation: 'create',
			calendarId: calendar(),
			name: 'Anglais – salle B110',
			location: 'B110-S(Bâtiment B)',
			start: '2030-09-16T08:30:00+02:00',
			end: '2030-09-16T12:00:00+02:00',
			timezone: 'Europe/Paris',
			additionalFields: { reference: 'moncampus-7', details: 'Intervenant : Dupré' },
		});
		expect(created.error).toBeUndefined();
		const event = created.output('ECAL')[0];
		expect(event).toMatchObject({ calendarId, startDate: '2030-09-16', startTime: '08:30', endTime: '12:00', reference: 'moncampus-7' });

		const got = await run({ resource: 'event', operation: 'get', eventId: 'moncampus-7', options: {} });
		expect(got.output('ECAL')[0].id).toBe(event.id);

		const updated = await run({
			resource: 'event',
			operation: 'update',
			eventId: event.id,
			timezone: 'Europe/Paris',
			updateFields: { location: 'B204', start: '2030-09-16T09:00:00+02:00' },
		});
		expect(updated.error).toBeUndefined();
		expect(fake.events()[0]).toMatchObject({ id: event.id, location: 'B204', startTime: '09:00', name: 'Anglais – salle B110' });

		const again = await run({
			resource: 'event',
			operation: 'create',
			calendarId: calendar(),
			name: 'x',
			location: 'y',
			start: '2030-09-17T08:00',
			end: '2030-09-17T09:00',
			timezone: 'Europe/Paris',
			additionalFields: { reference: 'moncampus-7' },
		});
		expect(again.error?.message).toMatch(/already has the reference "moncampus-7".*\(item 0\)/);

		const deleted = await run({ resource: 'event', operation: 'delete', eventId: event.id });
		expect(deleted.output('ECAL')).toEqual([{ deleted: true, eventId: event.id }]);
		expect(fake.events()).toHaveLength(0);
		const missing = await run({ resource: 'event', operation: 'delete', eventId: event.id });
		expect(missing.error?.message).toMatch(/ECAL answered 404: Event not found/);

		const calendars = await run({ resource: 'calendar', operation: 'getMany', returnAll: true, options: {} });
		expect(calendars.output('ECAL').map((entry) => entry.name).sort()).toEqual(['BDE', 'IPI Lyon - G1']);
		const one = await run({ resource: 'calendar', operation: 'get', calendarId: calendar() });
		expect(one.output('ECAL')[0]).toMatchObject({ id: calendarId, name: 'IPI Lyon - G1' });
	});
});

describe('ECAL Event → Sync', () => {
	test('first run creates; a rerun makes zero writes; 2 moved, 1 cancelled, 1 added → 2 updates, 1 delete, 1 create; other calendar and foreign events untouched', async () => {
		const foreign = fake.addEvent({ ...fakeEvent(3), calendarId, reference: 'bde-soiree' });
		const unreferenced = fake.addEvent({ ...fakeEvent(4), calendarId, reference: undefined });
		const elsewhere = fake.addEvent({ ...fakeEvent(5), calendarId: otherCalendarId, reference: 'bde-5' });
		const desired = Array.from({ length: 12 }, (_, i) => course(i + 1));

		const first = await sync(desired);
		expect(first.result.error).toBeUndefined();
		expect(byAction(first.actions, 'created')).toHaveLength(12);
		expect(first.summary).toMatchObject({ desired: 12, created: 12, notOwned: 2, ourEventsInWindow: 12, consistent: true });
		expect(ours()).toHaveLength(12);
		expect(ours()[0]).toMatchObject({ startDate: '2030-09-01', startTime: '08:30', timezone: 'Europe/Paris' });

		fake.clearLog();
		const second = await sync(desired);
		expect(writes()).toHaveLength(0);
		expect(second.summary).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 12, requests: 2 });

		fake.clearLog();
		const changed = desired
			.filter((event) => event.reference !== `${PREFIX}9`)
			.map((event) =>
				event.reference === `${PREFIX}2`
					? { ...event, location: 'B204' }
					: event.reference === `${PREFIX}5`
						? course(5, { start: '2030-09-05T14:00:00+02:00', end: '2030-09-05T17:30:00+02:00' })
						: event,
			)
			.concat([course(13)]);
		const third = await sync(changed, { recount: true });
		expect(third.result.error).toBeUndefined();
		expect(byAction(third.actions, 'updated')).toEqual([`${PREFIX}2`, `${PREFIX}5`]);
		expect(byAction(third.actions, 'deleted')).toEqual([`${PREFIX}9`]);
		expect(byAction(third.actions, 'created')).toEqual([`${PREFIX}13`]);
		expect(third.actions.find((item) => item.reference === `${PREFIX}5`)?.changedFields).toEqual(['startTime', 'endTime']);
		expect(writes().map((entry: IDataObject) => entry.method).sort()).toEqual(['DELETE', 'POST', 'PUT', 'PUT']);
		expect(third.summary).toMatchObject({ ourEventsInWindow: 12, recounted: true, consistent: true });
		// updated in place: same id, new time
		expect(fake.events().find((event: IDataObject) => event.reference === `${PREFIX}5`)).toMatchObject({ startTime: '14:00', endTime: '17:30' });

		expect(fake.events()).toContainEqual(foreign);
		expect(fake.events()).toContainEqual(unreferenced);
		expect(fake.events()).toContainEqual(elsewhere);
		expect((third.summary?.notOwnedEvents as IDataObject[]).map((event) => event.eventId).sort()).toEqual([foreign.id, unreferenced.id].sort());
	});

	test('duplicates of our references are removed, keeping the lowest id', async () => {
		const kept = fake.addEvent({ ...fakeEvent(1), calendarId });
		const copy = fake.addEvent({ ...fakeEvent(1), calendarId });
		fake.addEvent({ ...fakeEvent(2), calendarId });
		const { actions, summary } = await sync([course(1), course(2)]);
		expect(actions.filter((item) => item.action === 'duplicateRemoved')).toEqual([
			expect.objectContaining({ reference: `${PREFIX}1`, eventId: copy.id, keptEventId: kept.id }),
		]);
		expect(summary).toMatchObject({ duplicatesRemoved: 1, unchanged: 2, ourEventsInWindow: 2, consistent: true });
		expect(fake.events().map((event: IDataObject) => event.id)).toContain(kept.id);
		expect(fake.events().map((event: IDataObject) => event.id)).not.toContain(copy.id);
	});

	test('adopt legacy events: our reference PUT onto the first on the slot, further legacy copies removed, a lone legacy event elsewhere untouched', async () => {
		const legacy = (reference: string) => fake.addEvent({ ...fakeEvent(1), calendarId, reference, details: 'Intervenant : None' });
		const first = legacy('4711023');
		const second = legacy('88');
		const lone = fake.addEvent({ ...fakeEvent(20), calendarId, reference: '555' });

		const dry = await sync([course(1)], { adoptLegacyEvents: true, dryRun: true });
		expect(writes()).toHaveLength(0);
		expect(dry.summary).toMatchObject({ adopted: 1, duplicatesRemoved: 1, dryRun: true });

		const { actions, summary } = await sync([course(1)], { adoptLegacyEvents: true });
		expect(actions.find((item) => item.action === 'adopted')).toMatchObject({
			reference: `${PREFIX}1`,
			eventId: first.id,
			previousReference: '4711023',
			changedFields: ['reference', 'details'],
		});
		expect(actions.find((item) => item.action === 'duplicateRemoved')).toMatchObject({ eventId: second.id, keptEventId: first.id });
		expect(summary).toMatchObject({ adopted: 1, created: 0, duplicatesRemoved: 1, notOwned: 1 });
		expect(fake.events().find((event: IDataObject) => event.id === first.id)).toMatchObject({
			reference: `${PREFIX}1`,
			details: 'Intervenant : Prof 1',
		});
		expect(fake.events()).toContainEqual(lone);
		expect(fake.events()).toHaveLength(2);
	});

	test('safety stop: an empty source refuses to empty the calendar; never delete and dry run write nothing', async () => {
		for (let n = 1; n <= 10; n++) fake.addEvent({ ...fakeEvent(n), calendarId });
		const refused = await sync([{}]);
		expect(refused.result.error?.message).toMatch(/ECAL Sync refused: it would delete 10 of our 10 events in the window \(100 %\), more than the 50 %/);
		expect(writes()).toHaveLength(0);

		const fewer = Array.from({ length: 4 }, (_, i) => course(i + 1));
		expect((await sync(fewer)).result.error?.message).toMatch(/delete 6 of our 10/);
		const kept = await sync(fewer, { neverDelete: true });
		expect(kept.summary).toMatchObject({ deleted: 0, deletesSkipped: 6, ourEventsInWindow: 10, consistent: false });
		const dry = await sync(fewer, { dryRun: true });
		expect(dry.summary).toMatchObject({ deleted: 6, dryRun: true, safetyStop: expect.objectContaining({ refused: true }) });
		expect(writes()).toHaveLength(0);

		const allowed = await sync(fewer, { maxDeletePercent: 60 });
		expect(allowed.summary).toMatchObject({ deleted: 6, ourEventsInWindow: 4 });
		expect(ours()).toHaveLength(4);
	});

	test('a lost POST reply is not retried blindly: re-read by reference finds the event, no second POST', async () => {
		fake.loseNextReply('POST /apiv2/event');
		const { result, actions, summary } = await sync([course(1), course(2)]);
		expect(result.error).toBeUndefined();
		expect(actions.filter((item) => item.action === 'created')).toHaveLength(2);
		expect(actions.find((item) => item.reference === `${PREFIX}1`)).toMatchObject({ recoveredLostReply: true });
		expect(ours()).toHaveLength(2);
		const calls = fake.apiRequests().map((entry: IDataObject) => `${entry.method} ${entry.path}`);
		expect(calls.filter((call: string) => call.startsWith('POST'))).toHaveLength(2);
		expect(calls).toContain(`GET /apiv2/event/${PREFIX}1`);
		expect(summary).toMatchObject({ created: 2, ourEventsInWindow: 2 });
	});

	test('a POST dropped before ECAL applied it: the re-read finds nothing, so it is posted once more', async () => {
		fake.setFaults({ failNext: 1, status: 'reset', match: 'POST /apiv2/event' });
		const { result, summary } = await sync([course(1)]);
		expect(result.error).toBeUndefined();
		const calls = fake.apiRequests().map((entry: IDataObject) => `${entry.method} ${entry.path}`);
		expect(calls.filter((call: string) => call.startsWith('POST'))).toHaveLength(2);
		expect(calls).toContain(`GET /apiv2/event/${PREFIX}1`);
		expect(ours()).toHaveLength(1);
		expect(summary).toMatchObject({ created: 1 });
	});

	test('409: a reference held outside the window in our calendar is moved into it; in another calendar it is an item error', async () => {
		fake.addEvent({ ...fakeEvent(1), calendarId, startDate: '2031-01-05', endDate: '2031-01-05' });
		const moved = await sync([course(1)]);
		expect(moved.actions).toEqual([expect.objectContaining({ action: 'updated', reference: `${PREFIX}1` })]);
		expect(ours()).toEqual([expect.objectContaining({ startDate: '2030-09-01' })]);

		fake.addEvent({ ...fakeEvent(2), calendarId: otherCalendarId, startDate: '2031-01-05', endDate: '2031-01-05' });
		const clash = await sync([course(1), course(2)], {}, { continueOnFail: true });
		expect(clash.actions.find((item) => item.action === 'failed')).toMatchObject({
			reference: `${PREFIX}2`,
			error: expect.stringMatching(/already used by ECAL event .* in another calendar .*\(item 1\)/),
		});
		const stopped = await sync([course(1), course(2)]);
		expect(stopped.result.error?.message).toMatch(/in another calendar/);
	});

	test('bad input items: a clear item error; under Continue On Fail their events are protected, the rest syncs', async () => {
		fake.addEvent({ ...fakeEvent(3), calendarId });
		const input = [course(1), course(2, { reference: 'other-2' }), course(3, { location: '' }), course(4, { start: '2030-12-01T08:00:00+01:00', end: '2030-12-01T09:00:00+01:00' }), course(1)];
		const stopped = await sync(input);
		expect(stopped.result.error?.message).toMatch(/does not start with the reference prefix "moncampus-" \(item 1\)/);
		expect(writes()).toHaveLength(0);

		const { actions, summary } = await sync(input, {}, { continueOnFail: true });
		expect(actions.filter((item) => item.error).map((item) => item.error)).toEqual([
			expect.stringMatching(/other-2.*\(item 1\)/),
			expect.stringMatching(/no location.*\(item 2\)/),
			expect.stringMatching(/outside the sync window.*\(item 3\)/),
			expect.stringMatching(/already used by item 0 \(item 4\)/),
		]);
		expect(byAction(actions, 'created')).toEqual([`${PREFIX}1`]);
		// course 3 failed validation: its existing event is neither updated nor deleted
		expect(summary).toMatchObject({ deleted: 0, created: 1 });
		expect(ours().map((event: IDataObject) => event.reference).sort()).toEqual([`${PREFIX}1`, `${PREFIX}3`]);
	});

	test('a 429 during the listing is waited out; outputs are paired with their input items', async () => {
		fake.addEvent({ ...fakeEvent(1), calendarId });
		fake.rateLimitNext(1, 1, 'GET /apiv2/event');
		const { result } = await sync([course(1, { location: 'B999' }), course(2)]);
		expect(result.error).toBeUndefined();
		expect(sleeps).toEqual([1000]);
		const items = result.items('ECAL');
		const updated = items.find((item) => item.json.action === 'updated');
		const created = items.find((item) => item.json.action === 'created');
		expect(updated?.pairedItem).toEqual({ item: 0 });
		expect(created?.pairedItem).toEqual({ item: 1 });
		expect(items.at(-1)?.json.action).toBe('summary');
	});
	test('a listing that lags behind writes never doubles an event (409 → found by reference); a lagging recount reports the mismatch', async () => {
		for (let n = 1; n <= 3; n++) fake.addEvent({ ...fakeEvent(n), calendarId });
		fake.hideFromListings(PREFIX, 1);
		const lagging = await sync([course(1), course(2), course(3)]);
		expect(lagging.result.error).toBeUndefined();
		expect(lagging.summary).toMatchObject({ created: 0, unchanged: 3, foundByReference: 3, ourEventsInWindow: 3, consistent: true });
		expect(ours()).toHaveLength(3);

		fake.hideFromListings(PREFIX, 2);
		const recounted = await sync([course(1), course(2), course(3)], { recount: true });
		expect(recounted.summary).toMatchObject({ recounted: true, ourEventsInWindow: 0, consistent: false, desired: 3 });
		expect(ours()).toHaveLength(3);
	});
});
