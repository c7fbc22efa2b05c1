/**
 * The Bitrix24 CRM Trigger (polling) in a real n8n 2.41 in server mode (package built privately, workflow published,
 * polling every minute) against the Bitrix24 fake: the activation poll stores a cursor and emits none of the
 * existing deals; then three rounds of changes, each made at once between two polls, come out as three executions
 * holding exactly the changed deals, each once; a later poll with no change starts nothing. Only a real n8n shows
 * that the static data of the activation poll and of the polls that emit is kept between polls.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, loadFake, runtimeLib, scaled, type N8nRuntime, type N8nServer } from './support/repo';

jest.setTimeout(scaled(900_000));

type Json = Record<string, any>;

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createBitrix24Fake } = loadFake('bitrix24')!;

const DEAL = 2;
const TRIGGER = 'Deal changes';
const WORKFLOW_ID = 'b24CrmTriggerE2e1';
const CREDENTIAL = { id: 'e2eB24CrmPoll01', name: 'Bitrix24 inbound (CRM trigger e2e)' };

function workflow(): Json {
	return {
		id: WORKFLOW_ID,
		name: 'Bitrix24 CRM Trigger e2e',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'b24-crm-trigger-e2e-trigger',
				name: TRIGGER,
				type: 'n8n-nodes-sync-connectors.bitrix24CrmTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, entityTypeId: DEAL, options: { select: 'title, stageId' } },
				credentials: { bitrix24InboundWebhookApi: CREDENTIAL },
			},
			{ id: 'b24-crm-trigger-e2e-noop', name: 'Handle the change', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Handle the change', type: 'main', index: 0 }]] } },
	};
}

describe('Bitrix24 CRM Trigger in a real n8n: three polls, three rounds of changes', () => {
	let n8n: N8nRuntime;
	let server: N8nServer;
	let fake: Json;
	let distDir: string;

	async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = scaled(240_000)): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await probe();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`${what}: not seen after ${timeoutMs} ms\n${server?.logTail?.(40) ?? ''}`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	/** The finished executions, oldest first, once there are `count`. */
	async function executions(count: number): Promise<Json[]> {
		return await until(`${count} executions`, async () => {
			const list = await server.listExecutions(WORKFLOW_ID, { includeData: true });
			const finished = list.filter(runtimeLib.isFinished);
			return finished.length >= count ? [...finished].reverse() : undefined;
		});
	}

	/** Resolves once the trigger has read changes `more` more times (one crm.item.list call per poll here). */
	async function polls(more: number): Promise<void> {
		const target = fake.callsTo('crm.item.list').length + more;
		await until(`${more} more polls`, async () => (fake.callsTo('crm.item.list').length >= target ? true : undefined));
	}

	const emitted = (execution: Json) =>
		runtimeLib.nodeOutput({ data: execution.data }, TRIGGER).map((item: Json) => [item.id, item.title, item.stageId]);

	beforeAll(async () => {
		fake = createBitrix24Fake({ userId: 4, code: 'e2ecrmtriggercode01', rateLimit: null });
		await fake.start();
		for (let n = 1; n <= 5; n++) fake.addCrmItem(DEAL, { title: `Existing ${n}`, stageId: 'NEW' });

		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-crm-trigger-dist-'));
		const build = privateBuild(distDir);
		if (!build.ok) throw new Error(`private build failed:\n${build.errors}`);

		n8n = await runtimeLib.createN8nRuntime({ distDir });
		await n8n.importCredentials([{ ...CREDENTIAL, type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: fake.webhookUrl } }]);
		await n8n.importWorkflow([workflow()]);
		await n8n.publishWorkflow(WORKFLOW_ID);
		server = await n8n.startServer();
		await server.login();
	}, scaled(900_000)); // it boots n8n: minutes on a loaded machine

	afterAll(async () => {
		await n8n?.stop();
		await fake?.stop();
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	test('each round of changes is emitted by the next poll, exactly, once', async () => {
		// The activation poll: the portal's clock, the deals of its current second marked seen, nothing emitted.
		await until('the activation poll', async () => (fake.callsTo('server.time').length && fake.callsTo('crm.item.list').length ? true : undefined));
		expect(await server.listExecutions(WORKFLOW_ID)).toEqual([]);

		// Each round is made in one synchronous block, so that no poll falls in the middle of it.
		fake.addCrmItem(DEAL, { title: 'New 6', stageId: 'NEW' });
		fake.updateCrmItem(DEAL, 2, { stageId: 'WON' });
		const [first] = await executions(1);
		expect(first.status).toBe('success');
		expect(emitted(first)).toEqual([
			[2, 'Existing 2', 'WON'],
			[6, 'New 6', 'NEW'],
		]);

		fake.updateCrmItem(DEAL, 6, { stageId: 'PREPARATION' });
		fake.updateCrmItem(DEAL, 6, { title: 'New 6, renamed' });
		fake.addCrmItem(DEAL, { title: 'New 7', stageId: 'NEW' });
		const second = (await executions(2))[1];
		expect(emitted(second)).toEqual([
			[6, 'New 6, renamed', 'PREPARATION'],
			[7, 'New 7', 'NEW'],
		]);

		fake.updateCrmItem(DEAL, 4, { stageId: 'LOSE' });
		fake.deleteCrmItem(DEAL, 5);
		const third = (await executions(3))[2];
		expect(emitted(third)).toEqual([[4, 'Existing 4', 'LOSE']]);

		// Polls with nothing new (the overlap reads the last changes again) start nothing.
		await polls(2);
		expect(await server.listExecutions(WORKFLOW_ID)).toHaveLength(3);
		const stored = JSON.stringify([first.data, second.data, third.data]);
		expect(stored).not.toContain('e2ecrmtriggercode01');
	});
});
