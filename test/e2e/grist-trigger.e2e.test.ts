/**
 * The Grist Sync Trigger in a real n8n 2.41 in server mode (package built privately, installed as a community
 * package, workflow published) against the Grist fake, which registers webhooks and delivers row changes the way
 * grist-core does (a JSON array of records per batch, the webhook's Authorization header, retries). Checks what only a
 * real n8n shows: the lifecycle calls (checkExists / create / delete) at publish, unpublish and re-publish, a restart
 * that registers nothing and keeps the secret, the 401 with no execution, and decoded cells in the execution data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, loadFake, runtimeLib, scaled, type N8nRuntime, type N8nServer } from './support/repo';

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createGristFake } = loadFake('grist')!;

const API_KEY = 'grist-e2e-trigger-key-0123456789';
const FIXTURE = path.join(REPO_ROOT, 'test/e2e/fixtures/grist-trigger.workflow.json');
const DOC = 'e2eDoc';

type Json = Record<string, any>;

async function until<T>(what: string, probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = scaled(60_000)): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`${what}: still not there after ${timeoutMs} ms (last: ${JSON.stringify(value).slice(0, 400)})`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describe('Grist Sync Trigger in a real n8n', () => {
	let n8n: N8nRuntime;
	let server: N8nServer;
	let fake: Json;
	let distDir: string;
	let url: string;
	const workflow = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
	const trigger = workflow.nodes.find((node: Json) => node.type.endsWith('.gristTrigger'));

	async function grist(method: string, apiPath: string, body?: unknown) {
		const response = await fetch(`${fake.apiBaseUrl}${apiPath}`, {
			method,
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		expect(response.status).toBe(200);
		return await response.json();
	}

	const registrations = () => fake.requests((entry: Json) => entry.method === 'POST' && entry.path === `/api/docs/${DOC}/webhooks`);
	const deletions = () => fake.requests((entry: Json) => entry.method === 'DELETE' && entry.path.startsWith(`/api/docs/${DOC}/webhooks/`));
	const finished = async () => (await server.listExecutions(workflow.id)).filter(runtimeLib.isFinished);

	beforeAll(async () => {
		// '*' as ALLOWED_WEBHOOK_DOMAINS: n8n listens on plain http at 127.0.0.1, which Grist otherwise refuses.
		fake = createGristFake({ apiKey: API_KEY, allowedWebhookDomains: '*', webhookRetryDelayMs: scaled(500) });
		await fake.start();
		fake.seed({
			docs: [
				{
					id: DOC,
					tables: [
						{ id: 'People', columns: [{ id: 'Name', fields: { type: 'Text' } }], records: [{ id: 3, fields: { Name: 'Ada' } }] },
						{
							id: 'Tasks',
							columns: [
								{ id: 'Name', fields: { type: 'Text' } },
								{ id: 'Status', fields: { type: 'Text' } },
								{ id: 'Tags', fields: { type: 'ChoiceList' } },
								{ id: 'Due', fields: { type: 'Date' } },
								{ id: 'Owner', fields: { type: 'Ref:People' } },
								{ id: 'Files', fields: { type: 'Attachments' } },
								{ id: 'Next', fields: { type: 'Any' } },
								{ id: 'Ready', fields: { type: 'Bool' } },
							],
						},
					],
				},
			],
		});

		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grist-trigger-dist-'));
		const build = privateBuild(distDir);
		if (!build.ok) throw new Error(`private build failed:\n${build.errors}`);

		n8n = await runtimeLib.createN8nRuntime({ distDir });
		await n8n.importCredentials([{ id: 'e2eGristSync01', name: 'Grist (e2e)', type: 'gristSyncApi', data: { url: fake.baseUrl, apiKey: API_KEY } }]);
		await n8n.importWorkflow([workflow]);
		await n8n.publishWorkflow(workflow.id);
		server = await n8n.startServer();
		await server.login();
		url = `${server.baseUrl}/webhook/${trigger.webhookId}/grist`;
		await server.waitForWebhook(url);
	});

	afterAll(async () => {
		await n8n?.stop();
		await fake?.stop();
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	test('publishing registers one webhook with watchedColIds, the ready column and a secret; a restart registers and deletes none', async () => {
		const [webhook] = await until('the webhook registered', () => fake.webhooks(DOC), (list: Json[]) => list.length > 0);
		expect(fake.webhooks(DOC)).toHaveLength(1);
		expect(webhook.fields).toMatchObject({
			url,
			tableId: 'Tasks',
			eventTypes: ['add', 'update'],
			watchedColIds: ['Status'],
			isReadyColumn: 'Ready',
			enabled: true,
		});
		expect(webhook.fields.authorization).toMatch(/^Bearer [0-9a-f]{64}$/);
		expect(registrations()).toHaveLength(1);

		await server.stop();
		server = await n8n.startServer({ port: server.port });
		await server.login();
		await server.waitForWebhook(url);
		// n8n is ready only once it activated the published workflows. At startup n8n 2.41 keeps the webhook paths it
		// stored and skips the node's lifecycle for them, so the registration and its secret (static data) carry over.
		expect(fake.webhooks(DOC).map((entry: Json) => entry.id)).toEqual([webhook.id]);
		expect(registrations()).toHaveLength(1);
		expect(deletions()).toHaveLength(0);
	});

	test('a delivery without the webhook secret is answered 401 and starts nothing', async () => {
		const body = JSON.stringify([{ id: 1, manualSort: 1, Name: 'forged' }]);
		const headers = { 'content-type': 'application/json' };
		expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
		expect((await fetch(url, { method: 'POST', headers: { ...headers, authorization: 'Bearer not-the-secret' }, body })).status).toBe(401);
		const secret = fake.webhooks(DOC)[0].fields.authorization as string;
		const tampered = secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0');
		expect((await fetch(url, { method: 'POST', headers: { ...headers, authorization: tampered }, body })).status).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, scaled(1500)));
		expect(await server.listExecutions(workflow.id)).toEqual([]);
	});

	test('a row that becomes ready arrives as one execution with its cells decoded; a watched change follows', async () => {
		await grist('POST', `/docs/${DOC}/tables/Tasks/records`, {
			records: [
				{
					fields: {
						Name: 'Bridge',
						Status: 'draft',
						Tags: ['L', 'urgent', 'ops'],
						Due: '2026-05-01',
						Owner: 3,
						Files: ['L', 11, 12],
						Next: ['D', 1777647600, 'Europe/Paris'],
						Ready: false,
					},
				},
			],
		});
		// Not ready: nothing is sent.
		await fake.webhooksIdle(scaled(30_000));
		expect(fake.webhookDeliveries()).toHaveLength(0);

		await grist('PATCH', `/docs/${DOC}/tables/Tasks/records`, { records: [{ id: 1, fields: { Ready: true } }] });
		const [first] = await until('the execution of the row that became ready', finished, (list: Json[]) => list.length >= 1);
		expect(first).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(runtimeLib.nodeOutput({ data: first.data }, 'Rows')).toEqual([
			{
				id: 1,
				manualSort: 1,
				Name: 'Bridge',
				Status: 'draft',
				Tags: ['urgent', 'ops'],
				// A Date column holds epoch seconds, which Grist sends as they are.
				Due: 1777593600,
				Owner: 3,
				Files: [11, 12],
				Next: '2026-05-01T17:00:00+02:00',
				Ready: true,
			},
		]);
		const delivered = fake.webhookDeliveries();
		expect(delivered).toHaveLength(1);
		expect(delivered[0]).toMatchObject({ status: 200, attempt: 1, size: 1 });

		// An unwatched column changes: no update; the watched one: one.
		await grist('PATCH', `/docs/${DOC}/tables/Tasks/records`, { records: [{ id: 1, fields: { Name: 'Bridge 2' } }] });
		await grist('PATCH', `/docs/${DOC}/tables/Tasks/records`, { records: [{ id: 1, fields: { Status: 'done' } }] });
		const executions = await until('the execution of the watched change', finished, (list: Json[]) => list.length >= 2);
		await fake.webhooksIdle(scaled(30_000));
		expect(executions).toHaveLength(2);
		expect(fake.webhookDeliveries()).toHaveLength(2);
		const latest = executions.find((execution: Json) => execution.id !== first.id)!;
		expect(runtimeLib.nodeOutput({ data: latest.data }, 'Rows')).toEqual([expect.objectContaining({ id: 1, Name: 'Bridge 2', Status: 'done', Tags: ['urgent', 'ops'] })]);
		// The secret is in no stored execution.
		const secret = fake.webhooks(DOC)[0].fields.authorization as string;
		expect(JSON.stringify(executions)).not.toContain(secret.slice('Bearer '.length));
	});

	test('unpublishing deletes the webhook; publishing again registers exactly one new one', async () => {
		const before = fake.webhooks(DOC)[0].id;
		await server.json(`/api/v1/workflows/${workflow.id}/unpublish`, { method: 'POST' });
		await until('the webhook deleted', () => fake.webhooks(DOC), (list: Json[]) => list.length === 0);
		expect(deletions().map((entry: Json) => entry.path)).toEqual([`/api/docs/${DOC}/webhooks/${before}`]);

		await server.json(`/api/v1/workflows/${workflow.id}/publish`, { method: 'POST' });
		const [again] = await until('the webhook registered again', () => fake.webhooks(DOC), (list: Json[]) => list.length > 0);
		await server.waitForWebhook(url);
		expect(fake.webhooks(DOC)).toHaveLength(1);
		expect(again.id).not.toBe(before);
		expect(registrations()).toHaveLength(2);

		// The new secret works end to end.
		await grist('PATCH', `/docs/${DOC}/tables/Tasks/records`, { records: [{ id: 1, fields: { Status: 'reopened' } }] });
		await until('the execution after re-publishing', finished, (list: Json[]) => list.length >= 3);
	});
});
