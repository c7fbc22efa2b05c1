/* The Grist Sync Trigger's webhook lifecycle (checkExists / create / delete, as n8n calls them on publish, restart and
 * unpublish) and its webhook() decisions, with the real node code against the Grist fake's webhook endpoints. The
 * context's HTTP goes through the real credential's authenticate and the package's request core. */
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { GristSyncApi } from '../../../credentials/GristSyncApi.credentials';
import { GristTrigger } from '../../../nodes/Grist/GristTrigger.node';

const { createGristFake } = require('../../fakes/grist.cjs');

const URL_A = 'https://n8n.example.org/webhook/5d2f7a90/grist';
const DOC = 'hookDoc';

let fake: any;

beforeAll(async () => {
	fake = createGristFake({ allowedWebhookDomains: 'example.org' });
	await fake.start();
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => {
	fake.reset();
	fake.seed({
		docs: [
			{ id: DOC, tables: [{ id: 'Tasks', columns: [{ id: 'Status', fields: { type: 'Text' } }, { id: 'Ready', fields: { type: 'Bool' } }] }] },
			{ id: 'otherDoc', tables: [{ id: 'Tasks', columns: [{ id: 'Status', fields: { type: 'Text' } }] }] },
		],
	});
});

interface Setup {
	parameters?: IDataObject;
	staticData?: IDataObject;
	url?: string;
}

async function httpRequest(options: IHttpRequestOptions) {
	const credential = new GristSyncApi();
	const request = await credential.authenticate({ url: fake.baseUrl, apiKey: fake.apiKey }, options);
	const url = new URL(`${request.baseURL ?? ''}${request.url}`);
	for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
	const response = await fetch(url, {
		method: request.method ?? 'GET',
		headers: { 'content-type': 'application/json', ...(request.headers as Record<string, string>) },
		body: request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
	});
	const text = await response.text();
	const body = text ? JSON.parse(text) : undefined;
	// As n8n's helper throws: the response under `response`, status and parsed body included.
	if (!response.ok) throw Object.assign(new Error(`Request failed with status code ${response.status}`), { response: { status: response.status, data: body, headers: {} } });
	return body;
}

function hookContext({ parameters = {}, staticData = {}, url = URL_A }: Setup): IHookFunctions & { staticData: IDataObject } {
	const values: IDataObject = {
		documentId: { __rl: true, mode: 'id', value: DOC },
		tableId: { __rl: true, mode: 'id', value: 'Tasks' },
		events: ['add', 'update'],
		watchedColumns: [],
		readyColumn: '',
		...parameters,
	};
	return {
		staticData,
		getNode: () => ({ id: 'n', name: 'Task changed', type: 'n8n-nodes-sync-connectors.gristTrigger', typeVersion: 1, position: [0, 0], parameters: values }),
		getWorkflow: () => ({ id: 'wf1', name: 'Sync tasks', active: true }),
		getCredentials: async () => ({ url: fake.baseUrl, apiKey: fake.apiKey }),
		getNodeWebhookUrl: () => url,
		getWorkflowStaticData: () => staticData,
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = values[name] ?? fallback;
			return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject).value : value;
		},
		helpers: { httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => await httpRequest(options) },
	} as unknown as IHookFunctions & { staticData: IDataObject };
}

const methods = new GristTrigger().webhookMethods.default;

/** What n8n does on activation: checkExists, then create when it answered false. */
async function activate(context: IHookFunctions): Promise<void> {
	if (!(await methods.checkExists.call(context))) await methods.create.call(context);
}

const posts = () => fake.requests((entry: any) => entry.method === 'POST' && entry.path === `/api/docs/${DOC}/webhooks`).length;

describe('Grist Sync Trigger lifecycle', () => {
	test('activation registers once with watchedColIds and the ready column; activating again registers nothing', async () => {
		const context = hookContext({ parameters: { watchedColumns: ['Status'], readyColumn: 'Ready', events: ['add'] } });
		await activate(context);
		await activate(context);
		expect(posts()).toBe(1);
		const [webhook] = fake.webhooks(DOC);
		expect(webhook.fields).toMatchObject({ url: URL_A, tableId: 'Tasks', eventTypes: ['add'], watchedColIds: ['Status'], isReadyColumn: 'Ready', name: 'n8n: Sync tasks → Task changed' });
		expect(context.staticData).toEqual({ webhookId: webhook.id, docId: DOC, authorization: webhook.fields.authorization });
		expect(webhook.fields.authorization).toMatch(/^Bearer [0-9a-f]{64}$/);
	});

	test('static data lost after a registration: the webhook at our URL is adopted with its secret, not registered twice', async () => {
		await activate(hookContext({}));
		const [webhook] = fake.webhooks(DOC);
		const fresh = hookContext({});
		await activate(fresh);
		expect(posts()).toBe(1);
		expect(fresh.staticData).toEqual({ webhookId: webhook.id, docId: DOC, authorization: webhook.fields.authorization });
	});

	test('duplicates at our URL are deleted; webhooks at other URLs are left alone', async () => {
		const first = hookContext({});
		await activate(first);
		await activate(hookContext({}));
		// A registration whose id was lost (a reply lost on the way): a second webhook at the same URL.
		await methods.create.call(hookContext({}));
		await activate(hookContext({ url: 'https://n8n.example.org/webhook/other/grist' }));
		expect(fake.webhooks(DOC)).toHaveLength(3);
		await activate(first);
		expect(fake.webhooks(DOC).map((webhook: any) => webhook.fields.url).sort()).toEqual([URL_A, 'https://n8n.example.org/webhook/other/grist'].sort());
		expect(fake.webhooks(DOC).find((webhook: any) => webhook.fields.url === URL_A).id).toBe(first.staticData.webhookId);
	});

	test('changed settings replace the webhook (delete, then one new registration)', async () => {
		const staticData: IDataObject = {};
		await activate(hookContext({ staticData }));
		const before = staticData.webhookId;
		await activate(hookContext({ staticData, parameters: { watchedColumns: ['Status'] } }));
		expect(fake.webhooks(DOC)).toHaveLength(1);
		expect(fake.webhooks(DOC)[0]).toMatchObject({ fields: { watchedColIds: ['Status'] } });
		expect(staticData.webhookId).not.toBe(before);
		expect(posts()).toBe(2);
	});

	test('another document: the old document\'s webhook is deleted', async () => {
		const staticData: IDataObject = {};
		await activate(hookContext({ staticData, parameters: { documentId: { __rl: true, mode: 'id', value: 'otherDoc' } } }));
		expect(fake.webhooks('otherDoc')).toHaveLength(1);
		await activate(hookContext({ staticData }));
		expect(fake.webhooks('otherDoc')).toHaveLength(0);
		expect(fake.webhooks(DOC)).toHaveLength(1);
		expect(staticData.docId).toBe(DOC);
	});

	test('deactivation deletes the webhook and forgets it; a webhook already deleted in Grist is not an error', async () => {
		const context = hookContext({});
		await activate(context);
		expect(await methods.delete.call(context)).toBe(true);
		expect(fake.webhooks(DOC)).toEqual([]);
		expect(context.staticData).toEqual({});
		await activate(context);
		await fetch(`${fake.apiBaseUrl}/docs/${DOC}/webhooks/${String(context.staticData.webhookId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${fake.apiKey}` } });
		expect(await methods.delete.call(context)).toBe(true);
		expect(context.staticData).toEqual({});
	});

	test('Grist refusing the URL (ALLOWED_WEBHOOK_DOMAINS) fails the activation with Grist\'s message', async () => {
		await expect(activate(hookContext({ url: 'https://n8n.elsewhere.net/webhook/x/grist' }))).rejects.toThrow(/Provided url is forbidden/);
		await expect(activate(hookContext({ parameters: { watchedColumns: ['Nope'] } }))).rejects.toThrow(/Column not found "Nope"/);
		await expect(activate(hookContext({ parameters: { events: [] } }))).rejects.toThrow(/Choose at least one event/);
	});
});

describe('Grist Sync Trigger webhook()', () => {
	function webhookContext(headers: IDataObject, body: unknown, staticData: IDataObject, options: IDataObject = {}) {
		const response = { statusCode: 200, body: undefined as unknown, status(code: number) { this.statusCode = code; return this; }, json(value: unknown) { this.body = value; return this; } };
		const context = {
			getWorkflowStaticData: () => staticData,
			getRequestObject: () => ({ headers }),
			getResponseObject: () => response,
			getBodyData: () => body,
			getNodeParameter: (name: string, fallback: unknown) => (name === 'options' ? options : fallback),
		} as unknown as IWebhookFunctions;
		return { context, response };
	}

	const trigger = new GristTrigger();
	const staticData = { webhookId: 'w1', docId: DOC, authorization: 'Bearer s3cret' };
	const records = [{ id: 1, manualSort: 1, Tags: ['L', 'a'], Next: ['d', 1704844800] }];

	test('the right header: one item per record, decoded; raw on request', async () => {
		const decoded = webhookContext({ authorization: 'Bearer s3cret' }, records, staticData);
		expect(await trigger.webhook.call(decoded.context)).toEqual({ workflowData: [[{ json: { id: 1, manualSort: 1, Tags: ['a'], Next: '2024-01-10' } }]] });
		const raw = webhookContext({ authorization: 'Bearer s3cret' }, records, staticData, { cellValues: 'raw' });
		expect(await trigger.webhook.call(raw.context)).toEqual({ workflowData: [[{ json: records[0] }]] });
	});

	test('a wrong or missing header is answered 401 and starts nothing', async () => {
		for (const headers of [{}, { authorization: 'Bearer s3cres' }, { authorization: 'Bearer s3cret ' }]) {
			const { context, response } = webhookContext(headers, records, staticData);
			expect(await trigger.webhook.call(context)).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
		}
		// Never activated: no secret, nothing passes.
		const { context, response } = webhookContext({ authorization: '' }, records, {});
		expect(await trigger.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
	});

	test('a body that is not a record array is answered 400; an empty array starts nothing', async () => {
		const bad = webhookContext({ authorization: 'Bearer s3cret' }, { id: 1 }, staticData);
		expect(await trigger.webhook.call(bad.context)).toEqual({ noWebhookResponse: true });
		expect(bad.response.statusCode).toBe(400);
		const empty = webhookContext({ authorization: 'Bearer s3cret' }, [], staticData);
		expect(await trigger.webhook.call(empty.context)).toEqual({ webhookResponse: '' });
	});
});
