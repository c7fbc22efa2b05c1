/**
 * The Bitrix24 Trigger in a real n8n 2.41 in server mode (package built privately, installed as a community
 * package, workflow published): Bitrix24's form-urlencoded outgoing-webhook deliveries POSTed to the production URL,
 * parsed by n8n's own body parser; the event's deal fetched by the Bitrix24 node from the fake. Checks what only a
 * real n8n shows: bracketed keys, the 401 with no execution, the token absent from stored execution data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, loadFake, runtimeLib, type N8nRuntime, type N8nServer } from './support/repo';

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createBitrix24Fake } = loadFake('bitrix24')!;

const TOKEN = 'b24e2eapplicationtoken0123456789';
const FIXTURE = path.join(REPO_ROOT, 'test/e2e/fixtures/bitrix24-trigger.workflow.json');

type Json = Record<string, any>;

function form(fields: Record<string, string>): string {
	return new URLSearchParams(fields).toString();
}

function dealEvent(event: string, id: number, token = TOKEN): string {
	return form({
		event,
		event_handler_id: '17',
		'data[FIELDS][ID]': String(id),
		ts: '1796190000',
		'auth[domain]': 'acme.bitrix24.ru',
		'auth[client_endpoint]': 'https://acme.bitrix24.ru/rest/',
		'auth[server_endpoint]': 'https://oauth.bitrix.info/rest/',
		'auth[member_id]': 'a1b2c3',
		'auth[application_token]': token,
	});
}

describe('Bitrix24 Trigger in a real n8n', () => {
	let n8n: N8nRuntime;
	let server: N8nServer;
	let fake: Json;
	let distDir: string;
	let url: string;
	const workflow = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));

	const post = (body: string) =>
		fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

	async function executionsOnceDone(count: number): Promise<Json[]> {
		let executions: Json[] = [];
		for (let attempt = 0; attempt < 150; attempt += 1) {
			executions = await server.listExecutions(workflow.id);
			if (executions.length >= count && executions.every(runtimeLib.isFinished)) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		return executions;
	}

	beforeAll(async () => {
		fake = createBitrix24Fake({ userId: 5, code: 'e2etriggercode0001', rateLimit: null });
		await fake.start();
		fake.seed({ crmItems: { 2: [{ id: 7405, title: 'Deal from the event', stageId: 'NEW' }] } });

		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-trigger-dist-'));
		const build = privateBuild(distDir);
		if (!build.ok) throw new Error(`private build failed:\n${build.errors}`);

		n8n = await runtimeLib.createN8nRuntime({ distDir });
		await n8n.importCredentials([
			{ id: 'e2eB24Outgoing01', name: 'Bitrix24 outgoing (e2e)', type: 'bitrix24OutgoingWebhookApi', data: { applicationToken: TOKEN } },
			{ id: 'e2eB24Inbound01', name: 'Bitrix24 inbound (e2e)', type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: fake.webhookUrl } },
		]);
		await n8n.importWorkflow([workflow]);
		await n8n.publishWorkflow(workflow.id);
		server = await n8n.startServer();
		await server.login();
		const trigger = workflow.nodes.find((node: Json) => node.type.endsWith('.bitrix24Trigger'));
		url = `${server.baseUrl}/webhook/${trigger.webhookId}/bitrix24`;
		await server.waitForWebhook(url);
	});

	afterAll(async () => {
		await n8n?.stop();
		await fake?.stop();
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	test('a token mismatch is answered 401 and starts nothing', async () => {
		const answer = await post(dealEvent('ONCRMDEALADD', 7405, 'not-the-token-but-well-shaped'));
		expect(answer.status).toBe(401);
		expect(await answer.text()).not.toContain(TOKEN);
		const missing = await post(dealEvent('ONCRMDEALADD', 7405).replace(/&auth%5Bapplication_token%5D=[^&]*/, ''));
		expect(missing.status).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await server.listExecutions(workflow.id)).toEqual([]);
	});

	test('an unselected event is answered 200 and starts nothing', async () => {
		const answer = await post(dealEvent('ONCRMLEADADD', 1));
		expect(answer.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await server.listExecutions(workflow.id)).toEqual([]);
	});

	test('a deal event starts one execution with clean JSON, no token, and the deal fetched', async () => {
		const answer = await post(`${dealEvent('ONCRMDEALUPDATE', 7405)}&__proto__%5Bpolluted%5D=1&data%5Bconstructor%5D%5Bprototype%5D%5Bx%5D=1`);
		expect(answer.status).toBe(200);
		const executions = await executionsOnceDone(1);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({ mode: 'webhook', status: 'success' });
		const event = runtimeLib.nodeOutput({ data: executions[0].data }, 'Deal event');
		expect(event).toEqual([
			{
				event: 'ONCRMDEALUPDATE',
				event_handler_id: '17',
				data: { FIELDS: { ID: '7405' } },
				ts: '1796190000',
				auth: {
					domain: 'acme.bitrix24.ru',
					client_endpoint: 'https://acme.bitrix24.ru/rest/',
					server_endpoint: 'https://oauth.bitrix.info/rest/',
					member_id: 'a1b2c3',
				},
			},
		]);
		expect(runtimeLib.nodeOutput({ data: executions[0].data }, 'Fetch the deal')).toEqual([
			expect.objectContaining({ id: 7405, title: 'Deal from the event' }),
		]);
		const stored = JSON.stringify(executions[0].data);
		expect(stored).not.toContain(TOKEN);
		expect(stored).not.toContain('e2etriggercode0001');
		expect(fake.callsTo('crm.item.get')).toHaveLength(1);
	});
});
