import type { IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { GristSyncApi } from '../../../credentials/GristSyncApi.credentials';
import { searchDocuments, searchTables } from '../../../nodes/Grist/methods/listSearch';
import { getMappingColumns } from '../../../nodes/Grist/methods/resourceMapping';

const { createGristFake } = require('../../fakes/grist.cjs');

let fake: any;

beforeAll(async () => {
	fake = createGristFake();
	await fake.start();
	fake.seed({
		docs: [
			{
				id: 'recocoDoc',
				name: 'Recoco suivi',
				tables: [{ id: 'Projets', columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }, { id: 'name', fields: { type: 'Text' } }] }],
			},
		],
	});
});

afterAll(async () => {
	await fake.stop();
});

/** A load-options context whose HTTP goes through the real credential's authenticate, like n8n's. */
function loadOptionsContext(parameters: IDataObject): ILoadOptionsFunctions {
	const credential = new GristSyncApi();
	const data = { url: fake.baseUrl, apiKey: fake.apiKey };
	return {
		getNode: () => ({ id: 'n', name: 'Grist', type: 'gristSync', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => data,
		getNodeParameter: (name: string) => {
			const value = parameters[name] as IDataObject | string;
			return typeof value === 'object' && value !== null ? value.value : value;
		},
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const request = await credential.authenticate(data, options);
				const url = new URL(`${request.baseURL ?? ''}${request.url}`);
				for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
				const response = await fetch(url, { method: request.method ?? 'GET', headers: request.headers as Record<string, string> });
				if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { httpCode: response.status });
				return await response.json();
			},
		},
	} as unknown as ILoadOptionsFunctions;
}

describe('Grist Sync pickers', () => {
	it('lists documents from every org and workspace, filtered by name', async () => {
		const all = await searchDocuments.call(loadOptionsContext({}));
		expect(all.results.map((result) => result.value)).toEqual(expect.arrayContaining(['demoDoc', 'recocoDoc']));
		const filtered = await searchDocuments.call(loadOptionsContext({}), 'recoco');
		expect(filtered.results).toEqual([{ name: 'Recoco suivi (Demo / Home)', value: 'recocoDoc' }]);
	});

	it('lists the tables of the chosen document and the columns of the chosen table', async () => {
		const context = loadOptionsContext({ documentId: { value: 'recocoDoc' }, tableId: { value: 'Projets' } });
		expect((await searchTables.call(context)).results).toEqual([{ name: 'Projets', value: 'Projets' }]);
		const mapped = await getMappingColumns.call(context);
		expect(mapped.fields.map(({ id, displayName, type, canBeUsedToMatch }) => ({ id, displayName, type, canBeUsedToMatch }))).toEqual([
			{ id: 'object_id', displayName: 'ID (object_id)', type: 'number', canBeUsedToMatch: true },
			{ id: 'name', displayName: 'name', type: 'string', canBeUsedToMatch: true },
		]);
	});

	it('gives no columns and no error when the document is an expression the editor cannot resolve', async () => {
		const context = loadOptionsContext({});
		context.getNodeParameter = (() => {
			throw new Error("Referenced node is unexecuted: $('Config')");
		}) as unknown as ILoadOptionsFunctions['getNodeParameter'];
		const before = fake.log.length;
		const mapped = await getMappingColumns.call(context);
		expect(mapped.fields).toEqual([]);
		expect(mapped.emptyFieldsNotice).toMatch(/expression/);
		expect(fake.log.length).toBe(before);
	});
});
