import type { IDataObject } from 'n8n-workflow';

import { normaliseBatchResult, type BatchResult } from '../../../nodes/Bitrix24/helpers/envelope';
import { KEYSET } from '../../../nodes/Bitrix24/helpers/listMethods';
import {
	BatchCommandError,
	fetchRecords,
	keysetCommands,
	readKeysetBatch,
	unionById,
	type PagerIo,
} from '../../../nodes/Bitrix24/transport/pager';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

function rows(from: number, count: number, idField = 'id') {
	return Array.from({ length: count }, (_, i) => ({ [idField]: from + i }));
}

function batchOf(result: IDataObject, errors: IDataObject = {}): BatchResult {
	return normaliseBatchResult({ result: { result, result_error: Object.keys(errors).length ? errors : [] } });
}

describe('keyset batch building', () => {
	it('chains crm.item.list pages through lowercase id under result.items', () => {
		const commands = keysetCommands('crm.item.list', { entityTypeId: 1030 }, KEYSET['crm.item.list']!, 100, 3);
		expect(Object.keys(commands)).toEqual(['p0', 'p1', 'p2']);
		expect(decodeURIComponent(commands.p0)).toBe('crm.item.list?entityTypeId=1030&order[id]=ASC&filter[>id]=100&start=-1');
		expect(decodeURIComponent(commands.p2)).toBe(
			'crm.item.list?entityTypeId=1030&order[id]=ASC&filter[>id]=$result[p1][items][49][id]&start=-1',
		);
	});

	it('uses sort/order/FILTER for user.get and ELEMENT_ORDER/FILTER for lists.element.get', () => {
		const users = keysetCommands('user.get', { FILTER: { ACTIVE: true } }, KEYSET['user.get']!, undefined, 2);
		expect(decodeURIComponent(users.p0)).toBe('user.get?FILTER[ACTIVE]=1&sort=ID&order=ASC&start=-1');
		expect(decodeURIComponent(users.p1)).toBe('user.get?FILTER[ACTIVE]=1&FILTER[>ID]=$result[p0][49][ID]&sort=ID&order=ASC&start=-1');
		const elements = keysetCommands('lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25 }, KEYSET['lists.element.get']!, '7', 2);
		expect(decodeURIComponent(elements.p1)).toBe(
			'lists.element.get?IBLOCK_TYPE_ID=lists&IBLOCK_ID=25&ELEMENT_ORDER[ID]=ASC&FILTER[>ID]=$result[p0][49][ID]&start=-1',
		);
	});
});

describe('reading a keyset batch', () => {
	const names = KEYSET['crm.item.list']!;

	it('stops at the first short page and ignores the later commands', () => {
		const step = readKeysetBatch('crm.item.list', names, batchOf({ p0: { items: rows(1, 50) }, p1: { items: rows(51, 7) }, p2: { items: rows(1, 50) } }), 3, undefined);
		expect(step.records).toHaveLength(57);
		expect(step.done).toBe(true);
	});

	it('carries the last id forward when every page is full', () => {
		const step = readKeysetBatch('crm.item.list', names, batchOf({ p0: { items: rows(11, 50) }, p1: { items: rows(61, 50) } }), 2, 10);
		expect(step).toMatchObject({ after: 110, done: false });
	});

	it('refuses a page that does not start after the bound (an ignored filter) instead of duplicating', () => {
		expect(() => readKeysetBatch('crm.item.list', names, batchOf({ p0: { items: rows(1, 50) } }), 1, 50)).toThrow(/ignored the id filter/);
	});

	it('refuses full pages without the id field rather than stop early', () => {
		const noIds = Array.from({ length: 50 }, () => ({ title: 'x' }));
		expect(() => readKeysetBatch('crm.item.list', names, batchOf({ p0: { items: noIds } }), 2, undefined)).toThrow(/KEYSET_ID_MISSING/);
	});

	it('puts the id into a select that lacks it', () => {
		const commands = keysetCommands('crm.item.list', { entityTypeId: 2, select: ['title'] }, names, undefined, 1);
		expect(decodeURIComponent(commands.p0)).toContain('select[0]=id&select[1]=title');
		const elements = keysetCommands('lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 1, SELECT: ['NAME'] }, KEYSET['lists.element.get']!, undefined, 1);
		expect(decodeURIComponent(elements.p0)).toContain('SELECT[0]=ID&SELECT[1]=NAME');
	});

	it('names the failing command and its method', () => {
		const batch = batchOf({ p0: { items: rows(1, 50) } }, { p1: { error: 'ACCESS_DENIED', error_description: 'Access denied' } });
		expect(() => readKeysetBatch('crm.item.list', names, batch, 2, undefined)).toThrow(
			new BatchCommandError('p1', 'crm.item.list', 'ACCESS_DENIED', 'Access denied'),
		);
		expect(() => readKeysetBatch('crm.item.list', names, batch, 2, undefined)).toThrow(
			'Bitrix24 batch command "p1" (crm.item.list) failed: ACCESS_DENIED: Access denied',
		);
	});

	it('keeps the pages before a limit error and resumes after them', () => {
		const batch = batchOf({ p0: { items: rows(1, 50) } }, { p1: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } });
		const step = readKeysetBatch('crm.item.list', names, batch, 2, undefined);
		expect(step.records).toHaveLength(50);
		expect(step.after).toBe(50);
		expect(step.limited?.code).toBe('QUERY_LIMIT_EXCEEDED');
	});
});

describe('fetchRecords against the fake', () => {
	let fake: any;
	let io: PagerIo;
	const waits: string[] = [];

	beforeAll(async () => {
		fake = createBitrix24Fake({
			rateLimit: null,
			seed: {
				crmItems: { 1030: { count: 5000 } },
				lists: [{ iblockTypeId: 'lists', iblockId: 25, elements: { count: 2550 } }],
				users: { count: 120 },
				departments: { count: 130 },
			},
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
			waitForLimit: async (code) => {
				waits.push(code);
			},
		};
	});

	afterAll(async () => fake.stop());
	beforeEach(() => fake.clearLog());

	it('reads 5,000 CRM items in ceil(N/2500)+1 batch requests, without duplicates', async () => {
		const records = await fetchRecords(io, 'crm.item.list', { entityTypeId: 1030 });
		expect(records).toHaveLength(5000);
		expect(new Set(records.map((r) => r.id)).size).toBe(5000);
		expect(fake.log).toHaveLength(3);
		expect(fake.callsTo('batch')).toHaveLength(3);
	});

	it('stops after a short page in the middle of a batch (2,550 list elements: 2 requests)', async () => {
		const records = await fetchRecords(io, 'lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25 });
		expect(records.map((r) => r.ID)).toEqual(Array.from({ length: 2550 }, (_, i) => String(i + 1)));
		expect(fake.log).toHaveLength(2);
	});

	it('honours a limit with as few pages as needed', async () => {
		const records = await fetchRecords(io, 'user.get', {}, 70);
		expect(records).toHaveLength(70);
		expect(Object.keys(fake.log[0].body.cmd)).toEqual(['p0', 'p1']);
	});

	it('falls back to start/next packed into batch for department.get', async () => {
		const records = await fetchRecords(io, 'department.get', {});
		expect(records).toHaveLength(130);
		expect(fake.log.map((entry: any) => entry.path.split('/').pop())).toEqual(['department.get.json', 'batch.json']);
		expect(Object.values(fake.log[1].body.cmd)).toEqual(['department.get?start=50', 'department.get?start=100']);
	});

	it('falls back to start/next when the caller orders by another field', async () => {
		const records = await fetchRecords(io, 'crm.item.list', { entityTypeId: 1030, order: { title: 'DESC' } }, 120);
		expect(records).toHaveLength(120);
		expect(fake.log).toHaveLength(2);
	});

	it('waits out a limit error inside a batch and goes on without losing pages', async () => {
		fake.failCommand({ key: 'p3', error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
		const records = await fetchRecords(io, 'crm.item.list', { entityTypeId: 1030 });
		expect(records).toHaveLength(5000);
		expect(new Set(records.map((r) => r.id)).size).toBe(5000);
		expect(waits).toEqual(['QUERY_LIMIT_EXCEEDED']);
	});
});

describe('a batch answer that lacks a command', () => {
	it('is an error, not an empty page that ends the read', () => {
		const batch = batchOf({ p0: rows(1, 50), p2: rows(101, 50) });
		expect(() => readKeysetBatch('crm.item.list', KEYSET['crm.item.list']!, batch, 3, undefined)).toThrow(
			'Bitrix24 batch command "p1" (crm.item.list) failed: RESULT_MISSING: the batch answer holds neither a result nor an error for it',
		);
	});

	it('an empty page that is present still ends the read', () => {
		const step = readKeysetBatch('crm.item.list', KEYSET['crm.item.list']!, batchOf({ p0: rows(1, 50), p1: [] }), 2, undefined);
		expect(step).toMatchObject({ done: true, after: 50 });
		expect(step.records).toHaveLength(50);
	});
});

describe('start/next lists read twice', () => {
	it('outputs each id of either read once, first read first', () => {
		expect(unionById([{ ID: '1' }, { ID: '2' }, { ID: '2' }], [{ ID: '3' }, { ID: '1' }, { value: 'x' }])).toEqual([
			{ ID: '1' },
			{ ID: '2' },
			{ ID: '3' },
			{ value: 'x' },
		]);
	});

	it('a record skipped by a shift during the first read comes back from the second', async () => {
		const fake = createBitrix24Fake({ rateLimit: null, seed: { departments: { count: 120 } } });
		await fake.start();
		try {
			// After the first page is answered, department 10 goes: department 51 moves into page 1's range and
			// the next page (start=50) starts at department 52.
			fake.afterCall('department.get', (state: any) => state.departments.remove('10'));
			const io = fakeIo(fake);
			const once = await fetchRecords(io, 'department.get', {});
			expect(once.map((record) => record.ID)).not.toContain('51');
			fake.seed({ departments: [{ ID: '10', NAME: 'Department 10' }] });
			fake.afterCall('department.get', (state: any) => state.departments.remove('10'));
			const twice = await fetchRecords(io, 'department.get', {}, undefined, undefined, { readOffsetTwice: true });
			const ids = twice.map((record) => Number(record.ID));
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids).toContain(51);
			expect(ids).toContain(10);
			expect(ids).toHaveLength(120);
		} finally {
			await fake.stop();
		}
	});
});

/** The pager's transport straight to a fake, without a rate limit or retries. */
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
