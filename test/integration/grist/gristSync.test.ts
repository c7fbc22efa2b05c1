import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow, type HarnessNode } from '../../harness/runWorkflow';

const { createGristFake } = require('../../fakes/grist.cjs');

const DOC = 'demoDoc';
const locator = (value: string) => ({ __rl: true, mode: 'id', value });

let fake: any;
const realSleep = transportClock.sleep;
const sleeps: number[] = [];

beforeAll(async () => {
	fake = createGristFake();
	await fake.start();
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
	};
});

afterAll(async () => {
	transportClock.sleep = realSleep;
	await fake.stop();
});

beforeEach(() => {
	fake.reset();
	sleeps.length = 0;
	fake.seed({
		docs: [
			{
				id: DOC,
				tables: [
					{
						id: 'Projets',
						columns: [
							{ id: 'object_id', fields: { label: 'ID', type: 'Int' } },
							{ id: 'name', fields: { label: 'Nom du projet', type: 'Text' } },
							{ id: 'insee', fields: { label: 'Code Insee', type: 'Text' } },
						],
					},
				],
			},
		],
	});
});

async function runGrist(parameters: IDataObject, input: IDataObject[] = [{}], { continueOnFail = false } = {}) {
	const node: HarnessNode = {
		name: 'Grist',
		type: 'gristSync',
		continueOnFail,
		parameters: { documentId: locator(DOC), ...parameters },
		credentials: { gristSyncApi: 'grist' },
	};
	return await runWorkflow({
		nodes: [node],
		connections: ['Grist'],
		input,
		credentials: { grist: { type: 'gristSyncApi', data: { url: fake.baseUrl, apiKey: fake.apiKey } } },
	});
}

const upsert = (input: IDataObject[], extra: IDataObject = {}, options: { continueOnFail?: boolean } = {}) =>
	runGrist({ resource: 'record', operation: 'upsert', tableId: locator('Projets'), columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: ['object_id'] }, ...extra }, input, options);

const requests = (method: string, pathPart: string) =>
	fake.log.filter((entry: IDataObject) => entry.method === method && String(entry.path).includes(pathPart));

describe('Grist Sync: Record Upsert', () => {
	it('creates a row, then updates the same row; three updates to one key in one run leave one row', async () => {
		const first = await upsert([{ object_id: 42218, name: 'Jardin partagé' }]);
		expect(first.error).toBeUndefined();
		expect(first.output('Grist')).toEqual([{ id: 1, recordIds: [1], added: true, require: { object_id: 42218 } }]);

		const second = await upsert([{ object_id: 42218, name: 'Jardin partagé (v2)' }]);
		expect(second.output('Grist')[0]).toMatchObject({ id: 1, added: false });

		fake.clearLog();
		const third = await upsert([
			{ object_id: 42218, name: 'v3', insee: '69123' },
			{ object_id: 42218, name: 'v4' },
			{ object_id: 42218, name: 'v5' },
		]);
		expect(third.error).toBeUndefined();
		const rows = fake.records(DOC, 'Projets');
		expect(rows).toHaveLength(1);
		expect(rows[0].fields).toMatchObject({ object_id: 42218, name: 'v5', insee: '69123' });

		// One request carrying one merged record; each input item still gets its own output, paired with it.
		const puts = requests('PUT', '/records');
		expect(puts).toHaveLength(1);
		expect(puts[0].body.records).toEqual([{ require: { object_id: 42218 }, fields: { name: 'v5', insee: '69123' } }]);
		const items = third.items('Grist');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.id)).toEqual([1, 1, 1]);
		expect(items[0].json.mergedWithItems).toEqual([0, 1, 2]);
	});

	it('sends require values in the column type: "42218" matches the Int row, 69 matches the Text row', async () => {
		await upsert([{ object_id: 42218, name: 'A', insee: '69' }]);
		// noparse=1 makes Grist compare exactly what is sent, so only our own coercion can make these match.
		const byInt = await upsert([{ object_id: '42218', name: 'B' }], { options: { noParse: true } });
		expect(byInt.error).toBeUndefined();
		const byText = await runGrist(
			{ resource: 'record', operation: 'upsert', tableId: locator('Projets'), columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: ['insee'] }, options: { noParse: true } },
			[{ insee: 69, name: 'C' }],
		);
		expect(byText.error).toBeUndefined();
		const rows = fake.records(DOC, 'Projets');
		expect(rows).toHaveLength(1);
		expect(rows[0].fields).toMatchObject({ object_id: 42218, insee: '69', name: 'C' });
		const sent = requests('PUT', '/records').map((entry: IDataObject) => (entry.body as IDataObject).records);
		expect(sent[1]).toEqual([{ require: { object_id: 42218 }, fields: { name: 'B' } }]);
		expect(sent[2]).toEqual([{ require: { insee: '69' }, fields: { name: 'C' } }]);
		// The column types were read once per run, not once per item.
		expect(requests('GET', '/columns')).toHaveLength(3);
	});

	it('fails only the item whose require value cannot be an Int, with Continue On Fail', async () => {
		const run = await upsert([{ object_id: 'abc', name: 'bad' }, { object_id: 5, name: 'good' }], {}, { continueOnFail: true });
		const items = run.items('Grist');
		expect(items[0].json.error).toMatch(/"abc" for column "object_id" cannot be stored as Int/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ id: 1, added: true });
		expect(fake.records(DOC, 'Projets')).toHaveLength(1);
	});

	it('fails only a record too large for one request, and writes the others', async () => {
		const run = await upsert([{ object_id: 1, name: 'ok' }, { object_id: 2, name: 'x'.repeat(1_100_000) }, { object_id: 3, name: 'ok too' }], {}, { continueOnFail: true });
		const items = run.items('Grist');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toMatch(/larger than Grist's 1 MB request limit/);
		expect(fake.records(DOC, 'Projets').map((row: IDataObject) => (row.fields as IDataObject).object_id)).toEqual([1, 3]);
		expect(requests('PUT', '/records')).toHaveLength(2);
	});

	it('asks once when the table does not exist, and fails every item with Grist\'s message', async () => {
		const run = await upsert(Array.from({ length: 50 }, (_, n) => ({ object_id: n })), { tableId: locator('Nope') }, { continueOnFail: true });
		const items = run.items('Grist');
		expect(items).toHaveLength(50);
		expect(items.every((item) => /Grist answered 404: Table not found "Nope"/.test(String(item.json.error)))).toBe(true);
		expect(requests('GET', '/columns')).toHaveLength(1);
	});

	it('sends flags as =1 and honours Do Not Add', async () => {
		const run = await upsert([{ object_id: 7, name: 'new' }], { options: { noAdd: true, onMany: 'all' } });
		expect(run.error).toBeUndefined();
		expect(requests('PUT', '/records')[0].query).toEqual({ onmany: 'all', noadd: '1' });
		expect(fake.records(DOC, 'Projets')).toHaveLength(0);
		expect(run.output('Grist')[0]).toMatchObject({ recordIds: [], added: false });
	});

	it('splits a large batch into requests under 1 MB, with multi-byte text, and writes every row', async () => {
		const input = Array.from({ length: 3000 }, (_, n) => ({ object_id: n + 1, name: `Écoquartier ${n} — ${'é'.repeat(300)}` }));
		const run = await upsert(input);
		expect(run.error).toBeUndefined();
		const puts = requests('PUT', '/records');
		const sizes = puts.map((entry: IDataObject) => Buffer.byteLength(String(entry.rawBody), 'utf8'));
		const total = sizes.reduce((sum: number, size: number) => sum + size, 0);
		expect(puts.length).toBeGreaterThan(1);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(1_048_576);
		expect(puts.length).toBeLessThanOrEqual(Math.ceil(total / 1_048_576) + 1);
		expect(fake.records(DOC, 'Projets')).toHaveLength(3000);
		expect(run.output('Grist').map((json) => json.id)).toEqual(input.map((_, n) => n + 1));
	});
});

describe('Grist Sync: Record Create, Update, Delete', () => {
	it('creates in bulk, grouping records by field set so no column is blanked with null', async () => {
		const run = await runGrist({ resource: 'record', operation: 'create', tableId: locator('Projets') }, [
			{ object_id: 1, name: 'A' },
			{ object_id: 2, insee: '69123' },
			{ object_id: 3, name: 'C' },
		]);
		expect(run.error).toBeUndefined();
		const posts = requests('POST', '/records');
		expect(posts.map((entry: IDataObject) => (entry.body as IDataObject).records)).toEqual([
			[{ fields: { object_id: 1, name: 'A' } }, { fields: { object_id: 3, name: 'C' } }],
			[{ fields: { object_id: 2, insee: '69123' } }],
		]);
		expect(run.items('Grist').map((item) => [item.pairedItem, item.json.id, item.json.object_id])).toEqual([
			[{ item: 0 }, 1, 1],
			[{ item: 1 }, 3, 2],
			[{ item: 2 }, 2, 3],
		]);
		expect(fake.records(DOC, 'Projets').find((row: IDataObject) => row.id === 3).fields).toMatchObject({ name: '', insee: '69123' });
	});

	it('updates and deletes rows by id in bulk', async () => {
		await upsert([{ object_id: 1, name: 'A' }, { object_id: 2, name: 'B' }, { object_id: 3, name: 'C' }]);
		fake.clearLog();
		const update = await runGrist(
			{ resource: 'record', operation: 'update', tableId: locator('Projets'), rowId: '={{ $json.id }}', inputsToIgnore: 'id' },
			[{ id: 1, name: 'A2' }, { id: 2, name: 'B2' }],
		);
		expect(update.error).toBeUndefined();
		expect(requests('PATCH', '/records')).toHaveLength(1);
		const remove = await runGrist({ resource: 'record', operation: 'delete', tableId: locator('Projets'), rowIds: '={{ $json.id }}' }, [
			{ id: 3 },
		]);
		expect(remove.output('Grist')).toEqual([{ id: 3, deleted: true }]);
		expect(fake.records(DOC, 'Projets').map((row: IDataObject) => (row.fields as IDataObject).name)).toEqual(['A2', 'B2']);
	});
});

describe('Grist Sync: limits', () => {
	it('backs off on "too many backlogged requests" and then succeeds', async () => {
		fake.failNextWithBacklog(2);
		const run = await upsert([{ object_id: 1, name: 'A' }]);
		expect(run.error).toBeUndefined();
		expect(fake.records(DOC, 'Projets')).toHaveLength(1);
		expect(sleeps).toHaveLength(2);
	});

	it('retries a create refused for backlog (Grist refused it before reading it) and creates it once', async () => {
		fake.failNextWithBacklog(1);
		const run = await runGrist({ resource: 'record', operation: 'create', tableId: locator('Projets') }, [{ object_id: 1, name: 'A' }]);
		expect(run.error).toBeUndefined();
		expect(requests('POST', '/records')).toHaveLength(2);
		expect(fake.records(DOC, 'Projets')).toHaveLength(1);
	});

	it('does not retry a create after a 503: the write may have happened', async () => {
		fake.setFaults({ failNext: 1, status: 503, match: 'POST /api/docs/demoDoc/tables/Projets/records' });
		const run = await runGrist({ resource: 'record', operation: 'create', tableId: locator('Projets') }, [{ object_id: 1, name: 'A' }]);
		expect(run.error?.message).toMatch(/Grist answered 503/);
		expect(requests('POST', '/records')).toHaveLength(1);
	});

	it('fails at once with a clear message when the daily limit is exceeded', async () => {
		fake.exceedDailyLimit(true);
		const run = await upsert([{ object_id: 1, name: 'A' }]);
		fake.exceedDailyLimit(false);
		expect(run.error?.message).toMatch(/Grist answered 429: Exceeded daily limit for document demoDoc \(item 0\)/);
		expect((run.error as any)?.description).toMatch(/daily API quota/);
		expect(fake.log.filter((entry: IDataObject) => String(entry.path).startsWith('/api/docs'))).toHaveLength(1);
		expect(sleeps).toHaveLength(0);
	});
});

describe('Grist Sync: Record Get Many', () => {
	beforeEach(() => {
		fake.seed({
			docs: [
				{
					id: DOC,
					tables: [
						{
							id: 'Projets',
							records: Array.from({ length: 2500 }, (_, n) => ({
								fields: { object_id: n + 1, name: `P${n + 1}`, insee: ['69123', '75056', '13055'][n % 3] },
							})),
						},
					],
				},
			],
		});
		fake.clearLog();
	});

	it('returns all rows over several keyset pages without a sort', async () => {
		const run = await runGrist({
			resource: 'record',
			operation: 'getMany',
			tableId: locator('Projets'),
			returnAll: true,
			options: { pageSize: 1000 },
		});
		expect(run.error).toBeUndefined();
		const ids = run.output('Grist').map((row) => row.id);
		expect(ids).toEqual(Array.from({ length: 2500 }, (_, n) => n + 1));
		const sql = requests('POST', '/sql').map((entry: IDataObject) => entry.body as IDataObject);
		expect(sql).toHaveLength(3);
		expect(sql[1]).toEqual({ sql: 'SELECT * FROM "Projets" WHERE id > ? ORDER BY id ASC LIMIT 1000', args: [1000] });
		expect(run.output('Grist')[0]).toEqual({ id: 1, object_id: 1, name: 'P1', insee: '69123' });
	});

	it('returns all rows in the user sort, ties broken by id, over several keyset pages, with a filter', async () => {
		const run = await runGrist({
			resource: 'record',
			operation: 'getMany',
			tableId: locator('Projets'),
			returnAll: true,
			options: { pageSize: 400, sort: '-insee', filter: '{"insee": ["69123", "13055"]}' },
		});
		expect(run.error).toBeUndefined();
		const rows = run.output('Grist');
		const expected = Array.from({ length: 2500 }, (_, n) => ({ id: n + 1, insee: ['69123', '75056', '13055'][n % 3] }))
			.filter((row) => row.insee !== '75056')
			.sort((a, b) => (a.insee === b.insee ? a.id - b.id : a.insee < b.insee ? 1 : -1));
		expect(rows.map((row) => [row.id, row.insee])).toEqual(expected.map((row) => [row.id, row.insee]));
		expect(requests('POST', '/sql').length).toBe(Math.floor(expected.length / 400) + 1);
	});

	it('stops at the limit', async () => {
		const run = await runGrist({ resource: 'record', operation: 'getMany', tableId: locator('Projets'), returnAll: false, limit: 5 });
		expect(run.output('Grist').map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
		expect(requests('POST', '/sql')[0].body.sql).toMatch(/LIMIT 5$/);
	});
});

describe('Grist Sync: tables and columns', () => {
	it('outputs the table id Grist assigned: capitalised, and suffixed when taken', async () => {
		const columns = { columnSource: 'json', columnsJson: '[{"id": "object_id", "label": "ID", "type": "Int"}]' };
		const first = await runGrist({ resource: 'table', operation: 'create', newTableId: 'suivi', ...columns });
		expect(first.output('Grist')[0]).toMatchObject({ tableId: 'Suivi', requestedTableId: 'suivi', renamed: true });
		const second = await runGrist({ resource: 'table', operation: 'create', newTableId: 'projets', ...columns });
		expect(second.output('Grist')[0]).toMatchObject({ tableId: 'Projets2', renamed: true });
		expect(fake.columns(DOC, 'Suivi')).toEqual([{ id: 'object_id', label: 'ID', type: 'Int' }]);
	});

	it('Ensure Columns twice creates the missing columns once, with label and type, atomically', async () => {
		const spec = {
			object_id: { label: 'ID', type: 'Int' },
			tags: { label: 'Etiquettes', type: 'ChoiceList' },
			latitude: { label: 'Latitude', type: 'Numeric' },
			created: { label: 'Créé le', type: 'DateTime:Europe/Amsterdam' },
		};
		const parameters = { resource: 'column', operation: 'ensure', tableId: locator('Projets'), columnSource: 'json', columnsJson: JSON.stringify(spec) };
		const first = await runGrist(parameters);
		expect(first.error).toBeUndefined();
		expect(first.output('Grist')).toEqual([{ tableId: 'Projets', created: ['tags', 'latitude', 'created'], existing: ['object_id'] }]);
		const puts = requests('PUT', '/columns');
		expect(puts).toHaveLength(1);
		expect(puts[0].query).toEqual({ noupdate: '1' });

		const second = await runGrist(parameters);
		expect(second.output('Grist')).toEqual([{ tableId: 'Projets', created: [], existing: ['object_id', 'tags', 'latitude', 'created'] }]);
		expect(requests('PUT', '/columns')).toHaveLength(1);
		expect(fake.columns(DOC, 'Projets')).toEqual([
			{ id: 'object_id', label: 'ID', type: 'Int' },
			{ id: 'name', label: 'Nom du projet', type: 'Text' },
			{ id: 'insee', label: 'Code Insee', type: 'Text' },
			{ id: 'tags', label: 'Etiquettes', type: 'ChoiceList' },
			{ id: 'latitude', label: 'Latitude', type: 'Numeric' },
			{ id: 'created', label: 'Créé le', type: 'DateTime:Europe/Amsterdam' },
		]);
	});

	it('Ensure Columns can pass items through to an Upsert right after it (the Recoco → Grist chain)', async () => {
		const node = (name: string, parameters: IDataObject): HarnessNode => ({
			name,
			type: 'gristSync',
			parameters: { documentId: locator(DOC), tableId: locator('Projets'), ...parameters },
			credentials: { gristSyncApi: 'grist' },
		});
		const run = await runWorkflow({
			nodes: [
				node('Ensure Columns', {
					resource: 'column',
					operation: 'ensure',
					columnSource: 'json',
					columnsJson: '={{ JSON.stringify({ object_id: { label: "ID", type: "Int" }, status: { label: "Statut", type: "Text" } }) }}',
					ensureOutput: 'passThrough',
				}),
				node('Upsert Project', { resource: 'record', operation: 'upsert', columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: ['object_id'] }, options: { onMany: 'all' } }),
			],
			connections: ['Ensure Columns', 'Upsert Project'],
			input: [{ object_id: 3, status: 'READY' }, { object_id: 4, status: 'DONE' }],
			credentials: { grist: { type: 'gristSyncApi', data: { url: fake.baseUrl, apiKey: fake.apiKey } } },
		});
		expect(run.error).toBeUndefined();
		expect(run.output('Ensure Columns')).toEqual([{ object_id: 3, status: 'READY' }, { object_id: 4, status: 'DONE' }]);
		expect(fake.records(DOC, 'Projets').map((row: IDataObject) => row.fields)).toEqual([
			expect.objectContaining({ object_id: 3, status: 'READY' }),
			expect.objectContaining({ object_id: 4, status: 'DONE' }),
		]);
		expect(requests('PUT', '/columns')).toHaveLength(1);
	});

	it('Ensure Columns refuses an id Grist would rename, instead of adding a new column on every run', async () => {
		const run = await runGrist({
			resource: 'column',
			operation: 'ensure',
			tableId: locator('Projets'),
			columnSource: 'json',
			columnsJson: '[{"id": "besoin-principal", "label": "Besoin", "type": "Text"}]',
		});
		expect(run.error?.message).toMatch(/"besoin-principal" is not a Grist column id/);
		expect(requests('PUT', '/columns')).toHaveLength(0);
	});

	it('Ensure Columns run concurrently by two executions adds each column once', async () => {
		const parameters = {
			resource: 'column',
			operation: 'ensure',
			tableId: locator('Projets'),
			columnSource: 'json',
			columnsJson: '[{"id": "status", "label": "Statut", "type": "Text"}]',
		};
		const [a, b] = await Promise.all([runGrist(parameters), runGrist(parameters)]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(fake.columns(DOC, 'Projets').filter((column: IDataObject) => String(column.id).startsWith('status'))).toEqual([
			{ id: 'status', label: 'Statut', type: 'Text' },
		]);
	});

	it('Column Update changes the label without renaming the column id', async () => {
		const run = await runGrist({
			resource: 'column',
			operation: 'update',
			tableId: locator('Projets'),
			columnsUi: { column: [{ id: 'name', label: 'Nom', type: '' }] },
		});
		expect(run.error).toBeUndefined();
		expect(fake.columns(DOC, 'Projets')[1]).toEqual({ id: 'name', label: 'Nom', type: 'Text' });
	});

	it('SQL Query runs a SELECT with arguments', async () => {
		await upsert([
			{ object_id: 1, name: 'A', insee: '69123' },
			{ object_id: 2, name: 'B', insee: '75056' },
		]);
		const run = await runGrist({ resource: 'sql', operation: 'query', query: 'SELECT * FROM Projets WHERE insee = ?', args: '["75056"]' });
		expect(run.error).toBeUndefined();
		expect(run.output('Grist')).toEqual([expect.objectContaining({ id: 2, object_id: 2, name: 'B', insee: '75056' })]);
	});
});
