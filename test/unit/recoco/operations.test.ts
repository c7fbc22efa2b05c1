import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { projectListQuery } from '../../../nodes/Recoco/actions/project/getMany.operation';
import { addonListQuery } from '../../../nodes/Recoco/actions/resourceAddon/getMany.operation';
import { Recoco } from '../../../nodes/Recoco/Recoco.node';
import { parseProjectId } from '../../../nodes/Recoco/helpers/projectId';
import { nextPageQuery, recocoPaginate } from '../../../nodes/Recoco/transport';

type Reply = (request: IHttpRequestOptions) => unknown;

/** A mocked IExecuteFunctions whose HTTP calls go to `reply`; records every request and its auth options. */
function mockContext(parameters: IDataObject[], reply: Reply, { continueOnFail = false } = {}) {
	const calls: Array<{ request: IHttpRequestOptions; options: unknown }> = [];
	const context = {
		getInputData: () => parameters.map(() => ({ json: {} })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => parameters[itemIndex][name] ?? fallback,
		getNode: () => ({ name: 'Recoco', type: 'n8n-nodes-sync-connectors.recoco', typeVersion: 1, parameters: {} }),
		continueOnFail: () => continueOnFail,
		getCredentials: async () => ({
			url: 'https://portal.test',
			email: 'a@b.fr',
			password: 'pw-secret-123',
			accessToken: 'tok-abcdef',
		}),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions, options: unknown) => {
				calls.push({ request, options });
				const result = reply(request);
				if (result instanceof Error) throw result;
				return result;
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, calls };
}

function httpError(status: number, body: IDataObject = {}) {
	return Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data: body, headers: {} } });
}

const page = (results: IDataObject[], next: string | null) => ({ count: 999, next, previous: null, results });

describe('Recoco list queries', () => {
	it('builds the project list query Recoco reads', () => {
		expect(
			projectListQuery({
				tags: ' a, b ,',
				search: ' friche ',
				departments: '44, 85',
				status: ['DONE', 'READY'],
				lastActivity: 30,
				myProjects: true,
				withDeleted: true,
			}),
		).toEqual({
			tags: 'a,b',
			search: 'friche',
			departments: ['44', '85'],
			status: ['DONE', 'READY'],
			last_activity: 30,
			my_projects: 1,
			'with-deleted': 1,
		});
		expect(projectListQuery({ tags: '', search: '  ', status: [], myProjects: false })).toEqual({});
	});

	it('builds the add-on list query, refusing a recommendation filter it cannot use', () => {
		expect(addonListQuery({ recommendation: 31, nature: ' lescommuns ' })).toEqual({
			qs: { recommendation: 31, nature: 'lescommuns' },
		});
		expect(addonListQuery({ recommendation: '31' })).toEqual({ qs: { recommendation: 31 } });
		expect(addonListQuery({ recommendation: 0, nature: '' })).toEqual({ qs: {} });
		expect(addonListQuery({ recommendation: 'abc' }).invalid).toBe(
			'Recommendation ID filter "abc" is not a positive whole number',
		);
	});

	it('accepts ids that expressions turned into strings', async () => {
		const { context, calls } = mockContext(
			[
				{
					resource: 'resourceAddon',
					operation: 'update',
					addonId: '3',
					recommendation: ' 31 ',
					nature: 'lescommuns',
					data: '[]',
				},
			],
			(request) => ({ id: 3, ...(request.body as IDataObject) }),
		);
		await new Recoco().execute.call(context);
		expect(calls[0].request).toMatchObject({ method: 'PUT', url: '/resource-addons/3/', body: { recommendation: 31 } });
	});

	it('stops instead of listing every add-on when the recommendation filter is unusable', async () => {
		const { context, calls } = mockContext(
			[
				{
					resource: 'resourceAddon',
					operation: 'getMany',
					returnAll: true,
					filters: { recommendation: 'undefined', nature: 'lescommuns' },
				},
			],
			() => ({ count: 0, next: null, results: [] }),
		);
		await expect(new Recoco().execute.call(context)).rejects.toThrow(
			'Recommendation ID filter "undefined" is not a positive whole number (item 0)',
		);
		expect(calls).toHaveLength(0);
	});

	it('reads a project id from a number, a numeric string or a portal link', () => {
		expect(parseProjectId(42)).toBe(42);
		expect(parseProjectId(' 42 ')).toBe(42);
		expect(parseProjectId('https://sosponts.recoconseil.fr/project/42/overview')).toBe(42);
		expect(parseProjectId('https://x.fr/api/projects/17/')).toBe(17);
		expect(parseProjectId('abc')).toBeUndefined();
		expect(parseProjectId(0)).toBeUndefined();
		expect(parseProjectId(4.5)).toBeUndefined();
		expect(parseProjectId('')).toBeUndefined();
	});
});

describe('recocoPaginate', () => {
	it('follows next by its query only, keeping repeated filters', async () => {
		expect(nextPageQuery('http://internal-host:8000/api/projects/?limit=2&offset=2&status=A&status=B')).toEqual({
			limit: '2',
			offset: '2',
			status: ['A', 'B'],
		});
		const { context, calls } = mockContext([{}], (request) => {
			const offset = Number((request.qs as IDataObject).offset);
			if (offset === 0) return page([{ id: 1 }, { id: 2 }], 'http://internal-host:8000/api/projects/?limit=2&offset=2&tags=x');
			return page([{ id: 3 }], null);
		});
		const records = await recocoPaginate(context, '/projects/', { qs: { tags: 'x' }, pageSize: 2 });
		expect(records).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
		expect(calls.map((call) => call.request.url)).toEqual(['/projects/', '/projects/']);
		expect(calls[1].request.qs).toEqual({ tags: 'x', limit: '2', offset: '2' });
		expect(calls[0].options).toEqual({ preAuthenticationRetryStatusCode: [401, 403] });
	});

	it('stops at the limit without reading further pages', async () => {
		const { context, calls } = mockContext([{}], () =>
			page([{ id: 1 }, { id: 2 }, { id: 3 }], 'http://h/api/projects/?limit=3&offset=3'),
		);
		expect(await recocoPaginate(context, '/projects/', { maxResults: 3, pageSize: 100 })).toHaveLength(3);
		expect(calls).toHaveLength(1);
		expect(calls[0].request.qs).toEqual({ limit: 3, offset: 0 });
	});

	it('takes a bare list as the whole result, and never loops on a repeated next link', async () => {
		const bare = mockContext([{}], () => [{ id: 1 }]);
		expect(await recocoPaginate(bare.context, '/projects/1/tasks/')).toEqual([{ id: 1 }]);
		const looping = mockContext([{}], () => page([{ id: 1 }], 'http://h/api/x/?limit=1&offset=1'));
		expect(await recocoPaginate(looping.context, '/x/', { pageSize: 1 })).toHaveLength(2);
		expect(looping.calls).toHaveLength(2);
	});
});

describe('Recoco node operations (mocked context)', () => {
	const realSleep = transportClock.sleep;
	beforeAll(() => {
		transportClock.sleep = async () => {};
	});
	afterAll(() => {
		transportClock.sleep = realSleep;
	});

	it('gets a project by id and pairs the item', async () => {
		const { context, calls } = mockContext([{ resource: 'project', operation: 'get', projectId: '42' }], () => ({
			id: 42,
			name: 'P',
		}));
		const [items] = await new Recoco().execute.call(context);
		expect(items).toEqual([{ json: { id: 42, name: 'P' }, pairedItem: { item: 0 } }]);
		expect(calls[0].request).toMatchObject({ method: 'GET', url: '/projects/42/', json: true });
	});

	it('posts an add-on once when the POST answers', async () => {
		const { context, calls } = mockContext(
			[
				{
					resource: 'resourceAddon',
					operation: 'create',
					recommendation: 31,
					nature: 'lescommuns',
					data: '[{"id":"s1"}]',
					enabled: true,
				},
			],
			(request) => (request.method === 'POST' ? { id: 9, ...(request.body as IDataObject) } : page([], null)),
		);
		const [items] = await new Recoco().execute.call(context);
		expect(items[0].json).toEqual({ id: 9, recommendation: 31, nature: 'lescommuns', data: [{ id: 's1' }], enabled: true });
		expect(calls.map((call) => call.request.method)).toEqual(['GET', 'POST']);
	});

	it('does not re-post after a 400 (the outcome is known)', async () => {
		const { context, calls } = mockContext(
			[{ resource: 'resourceAddon', operation: 'create', recommendation: 31, nature: 'lescommuns', data: '[]' }],
			(request) => (request.method === 'POST' ? httpError(400, { nature: ['This field is required.'] }) : page([], null)),
		);
		await expect(new Recoco().execute.call(context)).rejects.toThrow(
			'Recoco answered 400: nature: This field is required. (item 0)',
		);
		expect(calls.filter((call) => call.request.method === 'POST')).toHaveLength(1);
	});

	it('returns the add-on that landed when a POST times out, instead of posting again', async () => {
		let posted = false;
		const { context, calls } = mockContext(
			[{ resource: 'resourceAddon', operation: 'create', recommendation: 31, nature: 'lescommuns', data: '[]' }],
			(request) => {
				if (request.method === 'POST') {
					posted = true;
					return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				}
				return page(
					posted
						? [
								{ id: 1, recommendation: 31 },
								{ id: 2, recommendation: 31 },
							]
						: [{ id: 1, recommendation: 31 }],
					null,
				);
			},
		);
		const [items] = await new Recoco().execute.call(context);
		expect(items[0].json).toEqual({ id: 2, recommendation: 31 });
		expect(calls.map((call) => call.request.method)).toEqual(['GET', 'POST', 'GET']);
	});

	it('gives up after three POSTs that never land', async () => {
		const { context, calls } = mockContext(
			[{ resource: 'resourceAddon', operation: 'create', recommendation: 31, nature: 'lescommuns', data: '[]' }],
			(request) => (request.method === 'POST' ? httpError(503, { detail: 'Service unavailable' }) : page([], null)),
		);
		await expect(new Recoco().execute.call(context)).rejects.toThrow('Recoco answered 503: Service unavailable (item 0)');
		expect(calls.filter((call) => call.request.method === 'POST')).toHaveLength(3);
	});

	it('names the item when Data is not JSON, and goes on with Continue On Fail', async () => {
		const { context } = mockContext(
			[
				{ resource: 'resourceAddon', operation: 'update', addonId: 3, recommendation: 31, nature: 'lescommuns', data: '{oops' },
				{ resource: 'resourceAddon', operation: 'update', addonId: 3, recommendation: 31, nature: 'lescommuns', data: [] },
			],
			(request) => ({ id: 3, ...(request.body as IDataObject) }),
			{ continueOnFail: true },
		);
		const [items] = await new Recoco().execute.call(context);
		expect(items[0].json.error).toMatch(/^"Data" is not valid JSON: .* \(item 0\)$/);
		expect(items[1]).toEqual({
			json: { id: 3, recommendation: 31, nature: 'lescommuns', data: [], enabled: true },
			pairedItem: { item: 1 },
		});
	});

	it('keeps secrets out of error messages', async () => {
		const { context } = mockContext([{ resource: 'project', operation: 'get', projectId: '1' }], () =>
			httpError(403, { detail: 'Bad token tok-abcdef for a@b.fr:pw-secret-123' }),
		);
		const error = await new Recoco().execute.call(context).catch((caught: Error) => caught);
		expect((error as Error).message).not.toContain('pw-secret-123');
		expect((error as Error).message).not.toContain('tok-abcdef');
	});
});
