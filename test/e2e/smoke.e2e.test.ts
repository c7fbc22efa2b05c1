/**
 * The bench itself, proven end to end: the built package installed as a community package in a real n8n 2.41,
 * a fixture workflow (not shipped) run headless with `n8n execute --id`, a node of ours talking to a fake,
 * then the same instance in server mode listing our node types and the execution.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT, credentialTypeName, loadFake, packageJson, runtimeLib, scaled, type N8nRuntime } from './support/repo';

const FIXTURE = path.join(REPO_ROOT, 'test/e2e/fixtures/smoke.workflow.json');
const WEBHOOK_FIXTURE = path.join(REPO_ROOT, 'test/e2e/fixtures/smoke-webhook.workflow.json');
const WORKFLOW_ID = 'e2eSmokeWorkflow01';
const WEBHOOK_WORKFLOW_ID = 'e2eSmokeWebhook01';

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('smoke: the package in a real n8n', () => {
	let n8n: N8nRuntime;
	let grist: Record<string, any>;

	beforeAll(async () => {
		const { createGristFake } = loadFake('grist')!;
		grist = createGristFake({ apiKey: 'grist-smoke-key' });
		await grist.start();
		grist.seed({
			docs: [
				{
					id: 'smokeDoc0001',
					name: 'Smoke',
					tables: [
						{
							id: 'Projets',
							columns: [
								{ id: 'name', fields: { label: 'Name', type: 'Text' } },
								{ id: 'department', fields: { label: 'Department', type: 'Text' } },
							],
							records: [
								{ fields: { name: 'Pont de la Guillotière', department: '69' } },
								{ fields: { name: 'Gare de Nantes', department: '44' } },
								{ fields: { name: 'Berges du Rhône', department: '69' } },
							],
						},
					],
				},
			],
		});
		n8n = await runtimeLib.createN8nRuntime();
		await n8n.importCredentials([
			{ id: 'e2eSmokeGrist01', name: 'Grist (fake)', type: 'gristSyncApi', data: { url: grist.baseUrl, apiKey: 'grist-smoke-key' } },
		]);
		expect(await n8n.importWorkflow([readJson(FIXTURE), readJson(WEBHOOK_FIXTURE)])).toEqual([WORKFLOW_ID, WEBHOOK_WORKFLOW_ID]);
		await n8n.publishWorkflow(WEBHOOK_WORKFLOW_ID);
	});

	afterAll(async () => {
		await n8n?.stop();
		await grist?.stop();
	});

	test('every node and credential file listed in package.json was built and installed', () => {
		expect(n8n.installed!.missing).toEqual([]);
	});

	test('n8n execute --id runs the fixture to success, through our Grist Sync node and the fake', async () => {
		const run = await n8n.execute(WORKFLOW_ID);
		expect(run.status).toBe('success');
		expect(runtimeLib.nodeOutput(run, 'Summary')).toEqual([
			{ count: 2, names: ['Berges du Rhône', 'Pont de la Guillotière'] },
		]);
		const sqlCalls = grist.requests((entry: { path: string }) => entry.path.startsWith('/api/docs/smokeDoc0001/sql'));
		expect(sqlCalls.length).toBeGreaterThanOrEqual(1);
		expect(sqlCalls[0].headers.authorization).toBe('Bearer grist-smoke-key');
	});

	test('a failing run is reported as a failure, not as a silent success', async () => {
		grist.setFaults({ failNext: 10, status: 401, body: { error: 'Bad request: invalid API key' }, match: '/sql' });
		try {
			const result = await n8n.executeRaw(WORKFLOW_ID);
			expect(result.ok).toBe(false);
			expect(result.code).not.toBe(0);
			expect(result.status).toBe('error');
			expect(result.error?.node).toBe('Projects of the department');
			expect(result.error?.message).toMatch(/Grist.*401|invalid API key/i);
			expect(result.error?.message).not.toContain('grist-smoke-key');
		} finally {
			grist.setFaults({ failNext: 0, match: undefined });
		}
	});

	test('in server mode: every node and credential type of the package is listed, a published webhook answers, executions are readable', async () => {
		const server = await n8n.startServer();
		try {
			await server.login();
			const nodeTypes = new Set((await server.nodeTypes()).map((type: { name: string }) => type.name));
			for (const file of packageJson.n8n.nodes) {
				expect(nodeTypes).toContain(`${packageJson.name}.${path.basename(file).replace(/\.node\.js$/, '').replace(/^./, (c) => c.toLowerCase())}`);
			}
			const credentialTypes = new Set((await server.credentialTypes()).map((type: { name: string }) => type.name));
			for (const file of packageJson.n8n.credentials) expect(credentialTypes).toContain(credentialTypeName(file));

			const cliRuns = await server.listExecutions(WORKFLOW_ID);
			expect(cliRuns.map((execution: { status: string }) => execution.status)).toContain('success');

			const url = `${server.baseUrl}/webhook/e2e-smoke`;
			await server.waitForWebhook(url);
			// the probe tells registered from unknown paths without running anything
			await expect(server.waitForWebhook(`${server.baseUrl}/webhook/not-registered`, { timeoutMs: 1500 })).rejects.toThrow(
				/still not registered/,
			);
			expect(await server.listExecutions(WEBHOOK_WORKFLOW_ID)).toEqual([]);
			const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 21 }) });
			expect(answer.status).toBe(200);
			let executions: any[] = [];
			for (const deadline = Date.now() + scaled(120_000); Date.now() < deadline && !executions.some((execution) => execution.finished); ) {
				executions = await server.listExecutions(WEBHOOK_WORKFLOW_ID);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
			expect(executions).toHaveLength(1);
			expect(executions[0]).toMatchObject({ mode: 'webhook', status: 'success' });
			expect(runtimeLib.nodeOutput({ data: executions[0].data }, 'Double')).toEqual([{ doubled: 42 }]);
		} finally {
			await server.stop();
		}
	});
});
