/* What a real grist-core 1.7.17 showed: a plain list in a cell refuses the whole request, so lists go as ["L", …];
 * one bad value fails its own item only; a refused chunk fails each of its items under its own index; created
 * columns stay tied to their label until a PATCH unties them, and a label rename would otherwise rename the id. */
import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow, type HarnessNode } from '../../harness/runWorkflow';

const { createGristFake } = require('../../fakes/grist.cjs');

const DOC = 'demoDoc';
const locator = (value: string) => ({ __rl: true, mode: 'id', value });

let fake: any;
const realSleep = transportClock.sleep;

beforeAll(async () => {
	fake = createGristFake();
	await fake.start();
	transportClock.sleep = async () => undefined;
});

afterAll(async () => {
	transportClock.sleep = realSleep;
	await fake.stop();
});

beforeEach(() => {
	fake.reset();
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
							{ id: 'tags', fields: { label: 'Etiquettes', type: 'ChoiceList' } },
							{ id: 'extra', fields: { label: 'Extra', type: 'Any' } },
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

const upsert = (input: IDataObject[], options: { continueOnFail?: boolean } = {}) =>
	runGrist({ resource: 'record', operation: 'upsert', tableId: locator('Projets'), columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: ['object_id'] } }, input, options);

const requests = (method: string, pathPart: string) =>
	fake.log.filter((entry: IDataObject) => entry.method === method && String(entry.path).includes(pathPart));

const cells = (colId: string) =>
	new Map(fake.records(DOC, 'Projets').map((row: { fields: IDataObject }) => [row.fields.object_id, row.fields[colId]]));

describe('Grist Sync: lists and objects in cells', () => {
	it('sends a list bound for a Choice List column as ["L", …] in PUT, POST and PATCH: a tag with a comma or quotes stays whole', async () => {
		// The Recoco node outputs tags as a list; a comma-joined "a, b" would become two choices in Grist.
		const tags = ['centre-bourg, cœur de ville', '"guillemets"', 'mobilité'];
		const run = await upsert([
			{ object_id: 1, name: 'A', tags },
			{ object_id: 2, name: 'B', tags: [] },
		]);
		expect(run.error).toBeUndefined();
		expect(cells('tags').get(1)).toEqual(['L', ...tags]);
		expect(cells('tags').get(2)).toEqual(['L']);
		const sent = (requests('PUT', '/records')[0].body as IDataObject).records as IDataObject[];
		expect(sent[0]).toEqual({ require: { object_id: 1 }, fields: { name: 'A', tags: ['L', ...tags] } });

		const created = await runGrist({ resource: 'record', operation: 'create', tableId: locator('Projets') }, [{ object_id: 3, tags: ['x', 7] }]);
		expect(created.error).toBeUndefined();
		expect(cells('tags').get(3)).toEqual(['L', 'x', '7']);

		const updated = await runGrist({ resource: 'record', operation: 'update', tableId: locator('Projets'), rowId: 1 }, [{ tags: ['y'] }]);
		expect(updated.error).toBeUndefined();
		expect(cells('tags').get(1)).toEqual(['L', 'y']);
	});

	it('an Any column takes lists and objects in Grist encodings; a list for a Text column fails its own item, naming the field', async () => {
		const run = await upsert(
			[
				{ object_id: 1, extra: { a: [1, 2] } },
				{ object_id: 2, name: ['not', 'text'] },
				{ object_id: 3, name: 'ok' },
			],
			{ continueOnFail: true },
		);
		const items = run.items('Grist');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toMatch(/Field "name" is a list, which a Text column cannot store.*\(item 1\)$/);
		expect(items[0].json).toMatchObject({ added: true });
		expect(items[2].json).toMatchObject({ added: true });
		expect(cells('extra').get(1)).toEqual(['O', { a: ['L', 1, 2] }]);
		expect([...cells('name').keys()].sort()).toEqual([1, 3]);
		expect(requests('PUT', '/records')).toHaveLength(1);
	});

	it('a value that cannot be serialised (a circular object) fails only its own item; the others are written', async () => {
		const circular: IDataObject = { label: 'loop' };
		circular.self = circular;
		const input = [{ object_id: 1, name: 'A' }, { object_id: 2, extra: circular }, { object_id: 3, name: 'C' }];
		const run = await upsert(input, { continueOnFail: true });
		const items = run.items('Grist');
		expect(items).toHaveLength(3);
		expect(items[1].json.error).toMatch(/Field "extra" cannot be serialised: it contains itself.*\(item 1\)$/);
		expect(items[0].json.error).toBeUndefined();
		expect(items[2].json.error).toBeUndefined();
		expect([...cells('name').keys()].sort()).toEqual([1, 3]);

		const created = await runGrist({ resource: 'record', operation: 'create', tableId: locator('Projets') }, input, { continueOnFail: true });
		expect(created.items('Grist').map((item) => item.json.error === undefined)).toEqual([true, false, true]);

		// Without Continue On Fail the run stops with an error naming the item, before anything is sent.
		fake.clearLog();
		const stopped = await upsert([{ object_id: 9, extra: circular }]);
		expect(stopped.error?.message).toMatch(/Field "extra" cannot be serialised.*\(item 0\)/);
		expect(requests('PUT', '/records')).toHaveLength(0);
	});

	it('a chunk Grist refuses fails every item in it, each under its own index, with details.userError in the message', async () => {
		fake.setFaults({
			failNext: 1,
			status: 400,
			match: 'PUT',
			body: { error: 'Invalid payload', details: { userError: 'Error: body.records[1].fields.tags is not a CellValue' } },
		});
		const run = await upsert(
			[
				{ object_id: 1, name: 'A' },
				{ object_id: 2, name: 'B' },
				{ object_id: 3, name: 'C' },
			],
			{ continueOnFail: true },
		);
		const errors = run.items('Grist').map((item) => String(item.json.error));
		expect(errors).toEqual([0, 1, 2].map((index) => expect.stringMatching(new RegExp(`^Grist answered 400: Invalid payload: Error: body\\.records\\[1\\]\\.fields\\.tags is not a CellValue \\(item ${index}\\)$`))));
		expect(run.items('Grist').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});

describe('Grist Sync: column ids untied from labels', () => {
	const spec = JSON.stringify([
		{ id: 'object_id', label: 'ID', type: 'Int' },
		{ id: 'status', label: 'Statut', type: 'Text' },
	]);

	it('Ensure unties the columns it creates and the tied columns of the spec it finds; a label rename then keeps the id', async () => {
		expect(fake.tiedColumns(DOC, 'Projets')).toContain('object_id');
		const ensure = () =>
			runGrist({ resource: 'column', operation: 'ensure', tableId: locator('Projets'), columnSource: 'json', columnsJson: spec });
		expect((await ensure()).error).toBeUndefined();
		expect(fake.tiedColumns(DOC, 'Projets')).toEqual(['name', 'tags', 'extra']);
		const patches = requests('PATCH', '/columns');
		expect(patches).toHaveLength(1);
		expect((patches[0].body as IDataObject).columns).toEqual([
			{ id: 'object_id', fields: { untieColIdFromLabel: true } },
			{ id: 'status', fields: { untieColIdFromLabel: true } },
		]);

		// A user renames the label in Grist's UI (the same column PATCH).
		await fetch(`${fake.apiBaseUrl}/docs/${DOC}/tables/Projets/columns`, {
			method: 'PATCH',
			headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ columns: [{ id: 'object_id', fields: { label: 'ID Recoco' } }] }),
		});
		expect(fake.columns(DOC, 'Projets')[0]).toEqual({ id: 'object_id', label: 'ID Recoco', type: 'Int' });

		fake.clearLog();
		expect((await ensure()).output('Grist')).toEqual([{ tableId: 'Projets', created: [], existing: ['object_id', 'status'] }]);
		// Nothing tied is left: the second run changes nothing.
		expect(requests('PATCH', '/columns')).toHaveLength(0);
		expect(requests('PUT', '/columns')).toHaveLength(0);
	});

	it('Column Create and Table Create untie every column they create', async () => {
		const created = await runGrist({
			resource: 'column',
			operation: 'create',
			tableId: locator('Projets'),
			columnsUi: { column: [{ id: 'insee', label: 'Code Insee', type: 'Text' }] },
		});
		expect(created.error).toBeUndefined();
		expect(fake.tiedColumns(DOC, 'Projets')).not.toContain('insee');

		const table = await runGrist({ resource: 'table', operation: 'create', newTableId: 'Suivi', columnSource: 'json', columnsJson: spec });
		expect(table.error).toBeUndefined();
		expect(fake.columns(DOC, 'Suivi').map((column: IDataObject) => column.id)).toEqual(['object_id', 'status']);
		expect(fake.tiedColumns(DOC, 'Suivi')).toEqual([]);
	});
});
