import type { IDataObject } from 'n8n-workflow';

import { normaliseBatchResult } from '../../../nodes/Bitrix24/helpers/envelope';
import { fetchRecords, type PagerIo } from '../../../nodes/Bitrix24/transport/pager';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

/** Get Many normalises list elements batch by batch through `prepare`: it must see each record read once, in order. */
describe('fetchRecords prepare', () => {
	let fake: { webhookUrl: string; start(): Promise<unknown>; stop(): Promise<void> };
	let io: PagerIo;

	beforeAll(async () => {
		fake = createBitrix24Fake({
			rateLimit: null,
			seed: { lists: [{ iblockTypeId: 'lists', iblockId: 25, elements: { count: 5120 } }], users: { count: 130 } },
		});
		await fake.start();
		const post = async (method: string, body: IDataObject) => {
			const response = await fetch(`${fake.webhookUrl}${method}.json`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return (await response.json()) as IDataObject;
		};
		io = {
			call: async (method, params) => await post(method, params),
			batch: async (commands) => normaliseBatchResult(await post('batch', { halt: 0, cmd: commands })),
			waitForLimit: async () => undefined,
		};
	});

	afterAll(async () => fake.stop());

	function recording() {
		const seen: string[][] = [];
		const prepare = (records: IDataObject[]) => {
			seen.push(records.map((record) => String(record.ID)));
			return records.map((record) => ({ ...record, prepared: true }));
		};
		return { seen, prepare };
	}

	it('keyset paging: every record once, in order, batch by batch, and what it returns is the output', async () => {
		const { seen, prepare } = recording();
		const records = await fetchRecords(io, 'lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25 }, undefined, prepare);
		const ids = Array.from({ length: 5120 }, (_, i) => String(i + 1));
		expect(seen.map((batch) => batch.length)).toEqual([2500, 2500, 120]);
		expect(seen.flat()).toEqual(ids);
		expect(records.map((record) => record.ID)).toEqual(ids);
		expect(records.every((record) => record.prepared === true)).toBe(true);
	});

	it('start/next paging and a limit: the records kept are prepared ones', async () => {
		const { seen, prepare } = recording();
		const records = await fetchRecords(io, 'user.get', { sort: 'NAME', order: 'DESC' }, 120, prepare);
		expect(records).toHaveLength(120);
		expect(records.every((record) => record.prepared === true)).toBe(true);
		expect(new Set(seen.flat()).size).toBe(seen.flat().length);
		expect(records.map((record) => record.ID)).toEqual(seen.flat().slice(0, 120));
	});
});
