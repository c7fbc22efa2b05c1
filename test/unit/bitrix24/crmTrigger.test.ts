/* The Bitrix24 CRM Trigger's cursor (helpers/changeCursor, helpers/changePoll) and its (updatedTime, id) reader
 * (transport/changes) against the Bitrix24 fake, whose updatedTime is a portal's: to the second, in the portal's
 * zone, moved by every update, filterable with >=/<=/> and ordered as asked (ties in no useful order). */
import type { IDataObject } from 'n8n-workflow';

import { advanceCursor, changeKey, instantOf, shiftDateTime, type ChangeCursor } from '../../../nodes/Bitrix24/helpers/changeCursor';
import { pollChanges, type ChangePollSettings } from '../../../nodes/Bitrix24/helpers/changePoll';
import { normaliseBatchResult } from '../../../nodes/Bitrix24/helpers/envelope';
import { changeReader } from '../../../nodes/Bitrix24/transport/changes';
import type { PagerIo } from '../../../nodes/Bitrix24/transport/pager';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

const DEAL = 2;
const SECOND = 1000;

describe('the cursor', () => {
	it('reads Bitrix24 date-times to the second and shifts them in their own zone', () => {
		expect(instantOf('2026-01-01T10:00:00+03:00')).toBe(Date.UTC(2026, 0, 1, 7) / 1000);
		expect(instantOf('2026-01-01T10:00')).toBeUndefined();
		expect(shiftDateTime('2026-01-01T00:00:30+03:00', -60)).toBe('2025-12-31T23:59:30+03:00');
		expect(shiftDateTime('2026-03-29T01:59:59-05:30', 1)).toBe('2026-03-29T02:00:00-05:30');
		// The same instant written with two offsets is one change.
		expect(changeKey({ id: 7, updatedTime: '2026-01-01T10:00:00+03:00' })).toBe(changeKey({ id: 7, updatedTime: '2026-01-01T07:00:00Z' }));
	});

	it('moves to the newest emitted change, reads again one overlap before it, and forgets what is older', () => {
		const start: ChangeCursor = { readFrom: '2026-01-01T10:00:00+03:00', seen: [] };
		const emitted = [
			{ id: 9, updatedTime: '2026-01-01T10:00:05+03:00' },
			{ id: 3, updatedTime: '2026-01-01T10:02:00+03:00' },
			{ id: 4, updatedTime: '2026-01-01T10:02:00+03:00' },
		];
		const next = advanceCursor(start, emitted, { overlapSeconds: 60, maxSeen: 100 });
		expect(next).toMatchObject({ updatedTime: '2026-01-01T10:02:00+03:00', id: 4, readFrom: '2026-01-01T10:01:00+03:00' });
		expect(next.seen.sort()).toEqual([changeKey(emitted[1]), changeKey(emitted[2])].sort());
		// A skipped backlog stays skipped: readFrom never goes back before the first activation's now.
		const early = advanceCursor(start, [emitted[0]], { overlapSeconds: 60, maxSeen: 100 });
		expect(early.readFrom).toBe('2026-01-01T10:00:00+03:00');
		expect(early.seen).toEqual([changeKey(emitted[0])]);
	});

	it('past the seen limit keeps whole newest seconds and reads from the oldest one kept', () => {
		const emitted = [
			...[1, 2, 3].map((id) => ({ id, updatedTime: '2026-01-01T10:00:01+03:00' })),
			...[4, 5].map((id) => ({ id, updatedTime: '2026-01-01T10:00:02+03:00' })),
			...[6, 7].map((id) => ({ id, updatedTime: '2026-01-01T10:00:03+03:00' })),
		];
		const next = advanceCursor({ seen: [] }, emitted, { overlapSeconds: 60, maxSeen: 5 });
		expect(next.seen).toHaveLength(4);
		expect(next.readFrom).toBe('2026-01-01T10:00:02+03:00');
	});
});

describe('polling a portal', () => {
	let fake: any;
	let clock: number;
	const settings: ChangePollSettings = { manual: false, emitExisting: false, maxRecords: 500, overlapSeconds: 60, maxSeen: 5000 };

	beforeEach(async () => {
		clock = Date.UTC(2026, 11, 3, 9, 0, 0, 250);
		fake = createBitrix24Fake({ rateLimit: null, now: () => clock });
		await fake.start();
	});

	afterEach(async () => {
		await fake.stop();
	});

	const reader = () => changeReader(fakeIo(fake), { entityTypeId: DEAL });
	const ids = (records: IDataObject[]) => records.map((record) => Number(record.id));

	/** Polls as n8n does: the cursor is kept only when the poll emits, or on the first activation. */
	async function poll(state: { cursor?: ChangeCursor }, overrides: Partial<ChangePollSettings> = {}) {
		const outcome = await pollChanges(reader(), state.cursor, { ...settings, ...overrides });
		if (outcome.cursor) state.cursor = outcome.cursor;
		return outcome.records;
	}

	it('reads equal timestamps across page boundaries once each, in (updatedTime, id) order', async () => {
		// 130 deals saved in one second, then 60 in the next: pages of 50 end inside a second.
		for (let n = 0; n < 130; n++) fake.addCrmItem(DEAL, { title: `A${n}` });
		clock += SECOND;
		for (let n = 0; n < 60; n++) fake.addCrmItem(DEAL, { title: `B${n}` });
		fake.clearLog();
		const all = await reader().changes(undefined, () => true, 1000);
		expect(ids(all)).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));
		// One call, then one batch (rest of the second + the next page) per further page.
		expect(fake.callsTo('crm.item.list')).toHaveLength(1);
		expect(fake.callsTo('batch').length).toBeLessThanOrEqual(4);

		// A poll limited to 50 stops inside the first second; the next ones go on without loss or repeat.
		const state: { cursor?: ChangeCursor } = { cursor: { seen: [] } };
		const emitted: number[] = [];
		for (let round = 0; round < 5; round++) emitted.push(...ids(await poll(state, { maxRecords: 50 })));
		expect(emitted).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));
		expect(await poll(state, { maxRecords: 50 })).toEqual([]);
	});

	it('skips the backlog on the first activation, then emits each change once', async () => {
		for (let n = 0; n < 5; n++) fake.addCrmItem(DEAL, { title: `old ${n}` });
		const state: { cursor?: ChangeCursor } = {};
		expect(await poll(state)).toEqual([]);
		// Read from the portal's now; the 5 saved in that very second are marked seen.
		expect(state.cursor).toMatchObject({ readFrom: '2026-12-03T12:00:00+03:00' });
		expect(state.cursor!.seen).toHaveLength(5);
		clock += 5 * SECOND;
		expect(await poll(state)).toEqual([]);

		const fresh = fake.addCrmItem(DEAL, { title: 'new' });
		fake.updateCrmItem(DEAL, 2, { title: 'old 1, edited' });
		const first = await poll(state);
		expect(first.map((record) => [record.id, record.title])).toEqual([
			[2, 'old 1, edited'],
			[fresh.id, 'new'],
		]);
		expect(first[1].createdTime).toBe(first[1].updatedTime);
		clock += 10 * SECOND;
		// Nothing changed: the overlap reads them again, and they are not emitted again.
		expect(await poll(state)).toEqual([]);
	});

	it('emits a record updated twice between polls once, as it is now', async () => {
		const state: { cursor?: ChangeCursor } = {};
		await poll(state);
		clock += 5 * SECOND;
		fake.addCrmItem(DEAL, { title: 'v1' });
		expect(ids(await poll(state))).toEqual([1]);
		clock += 5 * SECOND;
		fake.updateCrmItem(DEAL, 1, { title: 'v2' });
		clock += 2 * SECOND;
		fake.updateCrmItem(DEAL, 1, { title: 'v3' });
		const second = await poll(state);
		expect(second.map((record) => record.title)).toEqual(['v3']);
		expect(await poll(state)).toEqual([]);
		// Deletions leave nothing to poll.
		fake.deleteCrmItem(DEAL, 1);
		clock += 5 * SECOND;
		expect(await poll(state)).toEqual([]);
	});

	it('a save that commits late, within the overlap, is still emitted', async () => {
		const state: { cursor?: ChangeCursor } = {};
		await poll(state);
		clock += 30 * SECOND;
		fake.addCrmItem(DEAL, { title: 'quick' });
		expect(ids(await poll(state))).toEqual([1]);
		// A save stamped 20 s before the watermark that committed only now.
		fake.seed({ crmItems: { [DEAL]: [{ id: 40, title: 'slow', updatedTime: '2026-12-03T12:00:10+03:00' }] } });
		expect(ids(await poll(state))).toEqual([40]);
		expect(await poll(state)).toEqual([]);
	});

	it('emits the backlog when asked, in parts', async () => {
		for (let n = 0; n < 70; n++) fake.addCrmItem(DEAL, { title: `old ${n}` });
		const state: { cursor?: ChangeCursor } = {};
		expect(await poll(state, { emitExisting: true, maxRecords: 60 })).toHaveLength(60);
		expect(ids(await poll(state, { emitExisting: true, maxRecords: 60 }))).toEqual(Array.from({ length: 10 }, (_, i) => 61 + i));
	});

	it('a manual run shows what the next poll would emit, or else the latest records, and leaves the cursor', async () => {
		for (let n = 0; n < 15; n++) {
			fake.addCrmItem(DEAL, { title: `old ${n}` });
			clock += SECOND;
		}
		const manual = { ...settings, manual: true };
		// Never activated: the 10 latest, newest first, and no cursor to store.
		const samples = await pollChanges(reader(), undefined, manual);
		expect(ids(samples.records)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
		expect(samples.cursor).toBeUndefined();

		const state: { cursor?: ChangeCursor } = {};
		await poll(state);
		const stored = JSON.stringify(state.cursor);
		clock += SECOND;
		fake.updateCrmItem(DEAL, 3, { title: 'edited' });
		const pending = await pollChanges(reader(), state.cursor, manual);
		expect(pending.records.map((record) => record.title)).toEqual(['edited']);
		expect(pending.cursor).toBeUndefined();
		expect(JSON.stringify(state.cursor)).toBe(stored);
		// The change the test run showed is still emitted by the next real poll.
		expect(ids(await poll(state))).toEqual([3]);
	});
});

describe('the reader refuses answers that would repeat or skip records', () => {
	const page = (from: number, count: number, updatedTime: string) =>
		Array.from({ length: count }, (_, i) => ({ id: from + i, updatedTime }));

	it('fails naming the cause when the portal ignored the rest-of-second filter', async () => {
		const second = '2026-01-01T10:00:00+03:00';
		const io: PagerIo = {
			call: async () => ({ result: { items: page(1, 50, second) } }),
			// A portal that ignored the id bound answers the same 50 again.
			batch: async () => normaliseBatchResult({ result: { result: { tie: { items: page(1, 50, second) }, next: { items: [] } }, result_error: [] } }),
			waitForLimit: async () => undefined,
		};
		await expect(changeReader(io, { entityTypeId: DEAL }).changes(undefined, () => true, 500)).rejects.toThrow(
			/CHANGE_FILTER_IGNORED.*Bitrix24 ignored the filter/,
		);
	});
});

/** The reader's transport straight to a fake, without a rate limit or retries. */
function fakeIo(fake: any): PagerIo {
	const post = async (method: string, body: IDataObject) => {
		const response = await fetch(`${fake.webhookUrl}${method}.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return (await response.json()) as IDataObject;
	};
	return {
		call: async (method, params) => await post(method, params),
		batch: async (commands) => normaliseBatchResult(await post('batch', { halt: 0, cmd: commands })),
		waitForLimit: async () => undefined,
	};
}
