import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operations } from '../../../nodes/TableSync/actions/router';
import { planWrites, type CurrentRow, type FetchedRecord, type Report, type UpsertWrite } from '../../../nodes/TableSync/helpers/planWrites';
import { TableSyncConfigError, tablesFromConfig } from '../../../nodes/TableSync/helpers/tableConfig';
import { retriesOf, summarize, type Retry } from '../../../nodes/TableSync/helpers/writeResults';

const config = (overrides: Record<string, unknown> = {}) => ({
	sourceName: 'Bitrix24',
	markDeleted: true,
	maxDeletedShare: 0.2,
	chunkSize: 2,
	dictionaries: {
		city: { table: 'city', source: { listMethod: 'lists.element.get' }, fields: { NAME: 'name' } },
		object: {
			table: 'object',
			fields: { title: 'name' },
			parent: { dictionary: 'city', field: 'cityId', btxidColumn: 'city_btxid', idColumn: 'city_id' },
		},
		user: { table: 'user', fields: { NAME: 'first_name', ACTIVE: 'active' }, protectedColumns: ['tg_id', 'secret_key'] },
	},
	...overrides,
});

const records = (table: number, list: Array<Record<string, unknown>>, start = 0): FetchedRecord[] =>
	list.map((json, i) => ({ table, json, item: start + i }));
const current = (dictionary: string, list: Array<Record<string, unknown>>, start = 0): CurrentRow[] =>
	list.map((json, i) => ({ json: { _dictionary: dictionary, _kind: 'row', _deleted: 0, ...json }, item: start + i }));

describe('tablesFromConfig: the config is data, checked with errors that name the field', () => {
	test('a valid config gives one table per dictionary, in order, with the SQL that reads its rows', () => {
		const tables = tablesFromConfig(config());
		expect(tables.map((t) => t.dictionary)).toEqual(['city', 'object', 'user']);
		expect(tables[0].source).toEqual({ listMethod: 'lists.element.get' });
		expect(tables[0].readSql).toBe(
			"SELECT 'city' AS _dictionary, 'row' AS _kind, `btxid`, `name`, (`deleted_at` IS NOT NULL) AS _deleted FROM `city`",
		);
		expect(tables[1].parent).toEqual({ dictionary: 'city', field: 'cityId', btxidColumn: 'city_btxid', idColumn: 'city_id', table: 'city' });
		expect(tables[1].readSql).toContain("UNION ALL SELECT 'object', 'parent', `btxid`, NULL, NULL, 0 FROM `city`");
		expect(tablesFromConfig(config({ sync: ['user'] })).map((t) => t.dictionary)).toEqual(['user']);
	});

	test.each([
		[{ sync: ['city', 'town'] }, 'sync'],
		[{ sync: [] }, 'sync'],
		[{ maxDeletedShare: 1.5 }, 'maxDeletedShare'],
		[{ chunkSize: 0 }, 'chunkSize'],
		[{ markDeleted: 'yes' }, 'markDeleted'],
		[{ dictionaries: {} }, 'dictionaries'],
		[{ dictionaries: { city: { table: 'city; DROP', fields: { NAME: 'name' } } } }, 'dictionaries.city.table'],
		[{ dictionaries: { city: { table: 'city', fields: {} } } }, 'dictionaries.city.fields'],
		[{ dictionaries: { city: { table: 'city', fields: { ID: 'btxid' } } } }, 'dictionaries.city.fields.ID'],
		[{ dictionaries: { city: { table: 'city', fields: { A: 'name', B: 'name' } } } }, 'dictionaries.city.fields.B'],
		[{ dictionaries: { user: { table: 'user', fields: { T: 'tg_id' }, protectedColumns: ['tg_id'] } } }, 'dictionaries.user.fields.T'],
		[
			{ dictionaries: { o: { table: 'o', fields: { A: 'a' }, parent: { dictionary: 'c', field: 'x', btxidColumn: 'c_b', idColumn: 'c_id' } }, c: { table: 'c', fields: { A: 'a' } } } },
			'dictionaries.o.parent.dictionary',
		],
		[{ dictionaries: { c: { table: 'c', fields: { A: 'a' }, parent: { dictionary: 'nope', field: 'x', btxidColumn: 'b', idColumn: 'i' } } } }, 'dictionaries.c.parent.dictionary'],
	])('%j fails naming %s', (overrides, field) => {
		let caught: unknown;
		try {
			tablesFromConfig(config(overrides));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TableSyncConfigError);
		expect((caught as TableSyncConfigError).field).toBe(field);
		expect((caught as Error).message.startsWith(`${field}: `)).toBe(true);
	});
});

describe('planWrites: only new and changed rows, foreign keys, protected columns, guarded deletions', () => {
	const tables = tablesFromConfig(config());

	test('new, changed and unchanged records by btxid; chunks of chunkSize rows; protected columns never in the statement', () => {
		const plan = planWrites(
			tables,
			[
				...records(0, [{ ID: '1', NAME: 'A' }, { ID: '2', NAME: 'B2' }, { ID: '3', NAME: 'C' }, { ID: '4', NAME: 'D' }]),
				...records(2, [{ ID: '7', NAME: 'U', ACTIVE: true }], 4),
			],
			[...current('city', [{ btxid: 1, name: 'A' }, { btxid: 2, name: 'B' }]), ...current('user', [{ btxid: 7, first_name: 'U', active: 1 }], 2)],
		);
		const upserts = plan.writes.filter((w) => w.json.kind === 'upsert').map((w) => w.json as UpsertWrite);
		expect(upserts.map((u) => u.rows)).toEqual([[[2, 'B2'], [3, 'C']], [[4, 'D']]]);
		expect(upserts[0].actions).toEqual(['updated', 'created']);
		expect(upserts[0].sql).toBe(
			'INSERT INTO `city` (`btxid`, `name`) VALUES $1 ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `deleted_at` = NULL',
		);
		// each chunk is paired to the records it holds
		expect(plan.writes[0].sources).toEqual([{ input: 0, item: 1 }, { input: 0, item: 2 }]);
		const report = (name: string) => plan.reports.find((r) => r.json.dictionary === name)!.json;
		expect(report('city')).toMatchObject({ fetched: 4, created: 2, updated: 1, unchanged: 1, errors: 0 });
		expect(report('user')).toMatchObject({ fetched: 1, created: 0, updated: 0, unchanged: 1 });
		expect(JSON.stringify(plan)).not.toMatch(/tg_id|secret_key/);
	});

	test('a row marked deleted that comes back is updated (deleted_at cleared)', () => {
		const plan = planWrites(tables, records(0, [{ ID: '1', NAME: 'A' }]), current('city', [{ btxid: 1, name: 'A', _deleted: 1 }]));
		expect(plan.reports[0].json).toMatchObject({ updated: 1, unchanged: 0 });
	});

	test('a child is checked against its parent btxids (table and this run), and one lookup per child table follows the upserts', () => {
		const plan = planWrites(
			tables,
			[
				...records(0, [{ ID: '5', NAME: 'New city' }]),
				...records(1, [{ id: 10, title: 'x', cityId: 5 }, { id: 11, title: 'y', cityId: [9] }, { id: 12, title: 'z', cityId: 999 }, { id: 13, title: 'w', cityId: 0 }], 1),
			],
			[{ json: { _dictionary: 'object', _kind: 'parent', btxid: 9 }, item: 0 }],
		);
		const object = plan.reports[1].json;
		expect(object).toMatchObject({ fetched: 4, created: 3, errors: 1 });
		expect(object.errorDetails).toEqual([{ btxid: 12, message: 'object 12: city 999 exists neither in Bitrix24 nor in table city' }]);
		const kinds = plan.writes.map((w) => `${w.json.kind}:${w.json.dictionary}`);
		expect(kinds).toEqual(['upsert:city', 'upsert:object', 'upsert:object', 'resolveParents:object']);
		const rows = plan.writes.filter((w) => w.json.dictionary === 'object' && w.json.kind === 'upsert').flatMap((w) => (w.json as UpsertWrite).rows);
		expect(rows).toEqual([[10, 'x', 5], [11, 'y', 9], [13, 'w', null]]);
	});

	test('records without a valid ID or twice: errors, and the sweep is skipped for an incomplete fetch', () => {
		const plan = planWrites(tables, records(0, [{ ID: 'abc' }, { ID: '1', NAME: 'A' }, { ID: '1', NAME: 'A again' }]), current('city', [{ btxid: 2, name: 'B' }]));
		expect(plan.reports[0].json).toMatchObject({ fetched: 3, created: 1, errors: 2, deleted: 0 });
		expect(plan.reports[0].json.sweep).toMatch(/^skipped: the Bitrix24 fetch had errors/);
	});

	test('a failed fetch is an error, not a mass deletion', () => {
		const plan = planWrites(tables, records(2, [{ error: 'ACCESS_DENIED: Access denied' }]), current('user', [{ btxid: 1 }, { btxid: 2 }]));
		const user = plan.reports[2].json;
		expect(user).toMatchObject({ fetched: 0, errors: 1, deleted: 0 });
		expect(user.errorDetails[0].message).toBe('Bitrix24 fetch failed: ACCESS_DENIED: Access denied');
		expect(plan.writes.filter((w) => w.json.kind === 'markDeleted')).toEqual([]);
	});

	test('deletions: marked within maxDeletedShare, only reported above it or with markDeleted off', () => {
		const rows = current('city', Array.from({ length: 10 }, (_, i) => ({ btxid: i + 1, name: `C${i + 1}` })));
		const fetched = records(0, Array.from({ length: 9 }, (_, i) => ({ ID: String(i + 1), NAME: `C${i + 1}` })));
		const marked = planWrites(tables, fetched, rows);
		expect(marked.reports[0].json).toMatchObject({ deleted: 1, deletedBtxids: [10], sweep: 'marked 1 rows deleted' });
		const mark = marked.writes.find((w) => w.json.kind === 'markDeleted')!;
		expect(mark.json).toMatchObject({ rows: [10], sql: 'UPDATE `city` SET `deleted_at` = NOW() WHERE `deleted_at` IS NULL AND `btxid` IN ($1)' });
		expect(mark.sources).toEqual([{ input: 1, item: 9 }]);

		const tooMany = planWrites(tables, fetched.slice(0, 7), rows);
		expect(tooMany.reports[0].json.sweep).toMatch(/^skipped: 3 of 10 rows \(30%\) are gone from Bitrix24, more than the 20% limit/);
		expect(tooMany.writes.filter((w) => w.json.kind === 'markDeleted')).toEqual([]);

		const off = planWrites(tablesFromConfig(config({ markDeleted: false })), fetched, rows);
		expect(off.reports[0].json.sweep).toBe('reported only: 1 rows are gone from Bitrix24 (markDeleted is off)');
		expect(off.writes.map((w) => w.json.kind)).toEqual(['resolveParents']);
	});
});

describe('retriesOf and summarize: a refused chunk goes row by row, and only the bad row counts as an error', () => {
	const tables = tablesFromConfig(config());
	const plan = planWrites(
		tables,
		[...records(0, [{ ID: '1', NAME: 'A' }, { ID: '2', NAME: 'B' }]), ...records(1, [{ id: 10, title: 'x', cityId: 1 }], 2)],
		[],
	);
	const writes = plan.writes.map((w) => w.json);
	const reports = plan.reports.map((r) => r.json);

	test('the refused chunk becomes one statement per row, and the foreign keys are looked up again', () => {
		const { retries, reports: after } = retriesOf(writes, reports, [{ writeIndex: 0, message: 'Data too long' }]);
		expect(retries.map((r) => [r.kind, r.btxid, r.action, r.kind === 'upsert' ? r.rows : undefined])).toEqual([
			['upsert', 1, 'created', [[1, 'A']]],
			['upsert', 2, 'created', [[2, 'B']]],
			['resolveParents', undefined, undefined, undefined],
		]);
		expect(after).toEqual(reports);

		const final = summarize(after, retries, [
			{ retryIndex: 0, message: undefined },
			{ retryIndex: 1, message: "Data too long for column 'name'" },
			{ retryIndex: 2, message: undefined },
		]);
		expect(final[0]).toMatchObject({ created: 1, errors: 1, errorDetails: [{ btxid: 2, message: "city 2: Data too long for column 'name'" }] });
		expect(final[1]).toMatchObject({ created: 1, errors: 0 });
		// the inputs are not changed
		expect(reports[0]).toMatchObject({ created: 2, errors: 0 });
	});

	test('a failure that names no statement counts every planned row of every table as not written', () => {
		const { retries, reports: after } = retriesOf(writes, reports, [{ writeIndex: undefined, message: 'connect ECONNREFUSED' }]);
		expect(retries).toEqual([]);
		expect(after[0]).toMatchObject({ created: 0, errors: 2, errorDetails: [{ btxid: null, message: '2 rows not written: connect ECONNREFUSED' }] });
	});

	test('a refused deletion mark fails the sweep', () => {
		const retries: Retry[] = [{ kind: 'markDeleted', dictionary: 'city', table: 'city', sql: 'UPDATE …', rows: [3], retryOf: 0 }];
		const [city] = summarize([reports[0]], retries, [{ retryIndex: 0, message: 'lock wait timeout' }]);
		expect(city).toMatchObject({ errors: 1, sweep: 'failed: lock wait timeout' });
	});
});

describe('the Table Sync node: two inputs, paired outputs', () => {
	function context(parameters: Record<string, unknown>, inputs: INodeExecutionData[][]): IExecuteFunctions {
		return {
			getNodeParameter: (name: string, _i: number, fallback?: unknown) => parameters[name] ?? fallback,
			getInputData: (input = 0) => inputs[input] ?? [],
			getNode: () => ({ name: 'Table Sync', type: 'n8n-nodes-sync-connectors.tableSync', typeVersion: 1, parameters: {}, id: 'x', position: [0, 0] }),
		} as unknown as IExecuteFunctions;
	}

	test('Prepare names the field at fault in a NodeOperationError', async () => {
		const ctx = context({ config: config({ chunkSize: 9000 }) }, [[{ json: {} }]]);
		await expect(operations.table.prepare.execute.call(ctx, [{ json: {} }])).rejects.toThrow(/^Config: chunkSize: must be a whole number/);
	});

	test('Plan matches records to tables by pairing and pairs each output to what it came from; Retry and Summarize follow the writers', async () => {
		const recordsIn: INodeExecutionData[] = [
			{ json: { ID: '1', NAME: 'A' }, pairedItem: { item: 0 } },
			{ json: { ID: '2', NAME: 'B' }, pairedItem: { item: 0 } },
			{ json: { ID: '7', NAME: 'U', ACTIVE: true }, pairedItem: { item: 2 } },
		];
		const rowsIn: INodeExecutionData[] = [{ json: { _dictionary: 'city', _kind: 'row', btxid: 1, name: 'A', _deleted: 0 } }, { json: {} }];
		const planCtx = context({ config: config() }, [recordsIn, rowsIn]);
		const planned = await operations.table.plan.execute.call(planCtx, recordsIn);
		expect(planned.map((item) => item.json.kind)).toEqual(['upsert', 'upsert', 'resolveParents', 'dictionary', 'dictionary', 'dictionary']);
		expect(planned[0]).toMatchObject({ json: { dictionary: 'city', rows: [[2, 'B']] }, pairedItem: [{ item: 1 }] });
		expect(planned[1]).toMatchObject({ json: { dictionary: 'user', rows: [[7, 'U', 1]] }, pairedItem: [{ item: 2 }] });
		expect(planned[3].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);

		// the chunk writer refused write 1 (the user chunk)
		const refused: INodeExecutionData[] = [{ json: { message: 'Data too long', error: 'Data too long' }, pairedItem: { item: 1 } }];
		const retryCtx = context({}, [planned, refused]);
		const retried = await operations.table.retryRefused.execute.call(retryCtx, planned);
		expect(retried.map((item) => [item.json.kind, item.json.btxid, item.pairedItem])).toEqual([
			['upsert', 7, { item: 1 }],
			['resolveParents', undefined, { item: 2 }],
			['dictionary', undefined, { item: 3 }],
			['dictionary', undefined, { item: 4 }],
			['dictionary', undefined, { item: 5 }],
		]);

		const rowResults: INodeExecutionData[] = [{ json: { message: 'Data too long', error: 'Data too long' }, pairedItem: { item: 0 } }];
		const summaryCtx = context({}, [retried, rowResults]);
		const summary = await operations.table.summarize.execute.call(summaryCtx, retried);
		expect(summary.map((item) => item.json.dictionary)).toEqual(['city', 'object', 'user']);
		const user = summary[2].json as unknown as Report;
		expect(user).toMatchObject({ fetched: 1, created: 0, errors: 1, errorDetails: [{ btxid: 7, message: 'user 7: Data too long' }] });
		expect(summary[2].json.kind).toBeUndefined();
		expect(summary[2].pairedItem).toEqual({ item: 4 });
	});

	test('Plan refuses records that are not paired to a table, naming the item', async () => {
		const recordsIn: INodeExecutionData[] = [{ json: { ID: '1' }, pairedItem: { item: 5 } }];
		const ctx = context({ config: config() }, [recordsIn, []]);
		await expect(operations.table.plan.execute.call(ctx, recordsIn)).rejects.toThrow(/Record 0 is not paired to one of the 3 tables.*\(item 0\)/);
	});
});
