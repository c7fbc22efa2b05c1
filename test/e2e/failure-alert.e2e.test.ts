/**
 * workflows/sync-failure-alert.json in a real n8n 2.41 in server mode, as the Error Workflow of the shipped
 * Recoco → Grist workflow (published, started by signed Recoco webhooks: n8n runs an error workflow only for
 * production runs, never for runs started by hand). The sync is made to fail by the Grist fake answering 500 to its
 * record writes; the mail goes through n8n's Send Email node to a loopback SMTP sink started by this test
 * (scripts/lib/smtp-sink.cjs). The test changes only values of the workflows' Config nodes and the sync's
 * settings.errorWorkflow, never their logic. The alert workflow is published, as n8n 2.41 requires of an error workflow.
 *
 * The throttle keeps its counts in the alert workflow's static data. n8n 2.41 saves static data at the end of every
 * execution that is not manual (mode "error" included), and the task runner hands a Code node's changed static data
 * back to the execution: the second and third failures below are only counted if that holds.
 * Failures here come one after the other (each alert run ends before the next failure): two error-workflow runs at
 * the same instant each read the static data before either saved it, so both may mail (said on the workflow's note).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, bundledWorkflow, finishedExecutions, loadFake, runtimeLib, scaled, type N8nRuntime, type N8nServer } from './support/repo';

type Json = Record<string, any>;
type Fake = Record<string, any>;

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { startSmtpSink } = require(path.join(REPO_ROOT, 'scripts/lib/smtp-sink.cjs'));
const { createRecocoFake, DEFAULT_USERS } = loadFake('recoco')!;
const { createGristFake } = loadFake('grist')!;
const { deliverWebhook } = loadFake('recocoWebhook')!;

const WEBHOOK_SECRET = 'alert-e2e-webhook-secret';
const GRIST_KEY = 'alert-e2e-grist-key';
const RECOCO_PASSWORD = 'alert-e2e-recoco-password';
const GRIST_DOC = 'alertE2eDoc';
const GRIST_TABLE = 'Projets';
const MAIL_TO = 'ops@alert-e2e.test';
const MAIL_FROM = 'n8n@alert-e2e.test';
/** Grist's answer to every record write while it is "down" (a real Grist says little more on a 500). */
const GRIST_FAILURE = 'Internal server error: document worker unavailable';
/**
 * The throttle window (Config → minutesBetweenMails, 15 in the shipped workflow): one minute here, as in "three
 * failures within a minute still produce one mail", scaled with E2E_TIME_SCALE so that three failed runs still fit
 * inside it on a loaded machine.
 */
const WINDOW_MS = scaled(60_000);

const commune = (insee: string, name: string) => ({
	name,
	insee,
	postal: '69001',
	department: { name: 'Rhône', code: '69', region: { name: 'Auvergne-Rhône-Alpes', code: '84' } },
	latitude: 45.76,
	longitude: 4.83,
});

describe('Sync failure alert in a real n8n (server mode): Recoco → Grist failing on Grist 500s', () => {
	let recoco: Fake;
	let grist: Fake;
	let sink: Json;
	let n8n: N8nRuntime;
	let server: N8nServer;
	let distDir: string;
	let syncWorkflow: Json;
	let alertWorkflow: Json;
	let syncUrl: string;
	let syncRuns = 0;
	let alertRuns = 0;
	let firstAlert: Json;

	const executionsOnceDone = (workflowId: string, count: number, timeoutMs?: number) => finishedExecutions(server, workflowId, count, timeoutMs);

	/**
	 * One failed production run of the sync (a signed Recoco event for `projectId` while Grist refuses writes), then
	 * the alert workflow's run for it, both finished. Resolves both executions.
	 */
	async function failSync(projectId: number): Promise<{ failed: Json; alert: Json }> {
		const answer = await deliverWebhook(syncUrl, { event: recoco.webhookEvent('projects.Project/update', projectId), secret: WEBHOOK_SECRET });
		// n8n answers once the run ended: 500 because it failed
		expect(answer.status).toBe(500);
		syncRuns += 1;
		const failed = (await executionsOnceDone(syncWorkflow.id, syncRuns)).at(-1)!;
		expect(failed.status).toBe('error');
		expect(failed.mode).toBe('webhook');
		alertRuns += 1;
		const alert = (await executionsOnceDone(alertWorkflow.id, alertRuns)).at(-1)!;
		expect({ status: alert.status, mode: alert.mode }).toEqual({ status: 'success', mode: 'error' });
		return { failed, alert };
	}

	/** Items a node output in an execution (public API, includeData=true); [] when the node did not run or output nothing. */
	function itemsOf(execution: Json, nodeName: string): Json[] {
		const runs = execution.data?.resultData?.runData?.[nodeName];
		return runs ? runtimeLib.nodeOutput({ data: execution.data }, nodeName, 0) : [];
	}

	/** No credential value of the sync (webhook secret, Grist key, Recoco password), n8n's key, nor a JWT Recoco issued. */
	function expectNoSecret(raw: string): void {
		for (const secret of [WEBHOOK_SECRET, GRIST_KEY, RECOCO_PASSWORD, n8n.encryptionKey]) expect(raw).not.toContain(secret);
		expect(raw).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
	}

	beforeAll(async () => {
		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'failure-alert-dist-'));
		privateBuild(distDir);

		sink = await startSmtpSink({ port: 0 });
		recoco = createRecocoFake({ users: [{ ...DEFAULT_USERS[0], password: RECOCO_PASSWORD }] });
		grist = createGristFake({ apiKey: GRIST_KEY });
		await Promise.all([recoco.start(), grist.start()]);
		recoco.seed({
			projects: [1, 2, 3, 4, 5].map((id) => ({ id, name: `Projet ${id}`, status: 'READY', commune: commune('69123', 'Lyon') })),
		});
		grist.seed({
			docs: [{ id: GRIST_DOC, name: 'Recoco', tables: [{ id: GRIST_TABLE, columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }], records: [] }] }],
		});

		syncWorkflow = bundledWorkflow('recoco-to-grist.json', { gristDocId: GRIST_DOC, gristTableId: GRIST_TABLE });
		alertWorkflow = bundledWorkflow('sync-failure-alert.json', {
			mailTo: MAIL_TO,
			mailFrom: MAIL_FROM,
			minutesBetweenMails: WINDOW_MS / 60_000,
		});
		// What the README tells users to do: Settings → Error workflow → Sync failure alert (e-mail).
		syncWorkflow.settings = { ...syncWorkflow.settings, errorWorkflow: alertWorkflow.id };

		n8n = await runtimeLib.createN8nRuntime({ distDir });
		const refs = new Map(
			[...syncWorkflow.nodes, ...alertWorkflow.nodes]
				.flatMap((node: Json) => Object.entries(node.credentials ?? {}))
				.map(([type, ref]: [string, any]) => [type, ref]),
		);
		const data: Json = {
			recocoWebhookApi: { secret: WEBHOOK_SECRET },
			recocoApi: { url: recoco.baseUrl, authMethod: 'jwt', email: DEFAULT_USERS[0].username, password: RECOCO_PASSWORD, accessToken: '' },
			gristSyncApi: { url: grist.baseUrl, apiKey: GRIST_KEY },
			// Plain SMTP to the sink: no TLS, no STARTTLS, no login.
			smtp: { host: sink.host, port: sink.port, user: '', password: '', secure: false, disableStartTls: true },
		};
		expect([...refs.keys()].sort()).toEqual(Object.keys(data).sort());
		await n8n.importCredentials([...refs].map(([type, ref]) => ({ id: ref.id, name: ref.name, type, data: data[type] })));
		await n8n.importWorkflow([syncWorkflow, alertWorkflow]);
		await n8n.publishWorkflow(syncWorkflow.id);
		// n8n 2.41 runs an error workflow only when it is published: else its log says 'Workflow "…" is not active and
		// cannot be executed' and no mail goes out.
		await n8n.publishWorkflow(alertWorkflow.id);

		server = await n8n.startServer();
		await server.login();
		const trigger = syncWorkflow.nodes.find((node: Json) => node.type === 'n8n-nodes-sync-connectors.recocoTrigger');
		syncUrl = `${server.baseUrl}/webhook/${trigger.webhookId}/webhook`;
		await server.waitForWebhook(syncUrl);
	});

	afterAll(async () => {
		await n8n?.stop();
		await Promise.all([recoco?.stop(), grist?.stop(), sink?.stop()]);
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	test('a successful sync sends no mail', async () => {
		const answer = await deliverWebhook(syncUrl, { event: recoco.webhookEvent('projects.Project/update', 1), secret: WEBHOOK_SECRET });
		expect(answer.status).toBe(200);
		syncRuns += 1;
		expect((await executionsOnceDone(syncWorkflow.id, syncRuns)).at(-1)!.status).toBe('success');
		expect(grist.records(GRIST_DOC, GRIST_TABLE)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, scaled(2_000)));
		expect(await server.listExecutions(alertWorkflow.id, { includeData: false })).toHaveLength(0);
		expect(sink.messages).toHaveLength(0);
	});

	test('a sync failing on Grist 500s mails once: workflow, failed node, error message, execution URL, and no secret', async () => {
		grist.setFaults({ failNext: 1_000_000, status: 500, body: { error: GRIST_FAILURE }, match: `PUT /api/docs/${GRIST_DOC}/tables/${GRIST_TABLE}/records` });
		const { failed, alert } = await failSync(2);
		firstAlert = alert;
		expect(failed.data.resultData.lastNodeExecuted).toBe('Upsert rows');
		expect(failed.data.resultData.error.message).toContain(GRIST_FAILURE);
		expect(grist.requests((request: Json) => request.method === 'PUT' && request.path.endsWith('/records')).length).toBeGreaterThan(0);

		const [mail] = await sink.waitForMessages(1, scaled(60_000));
		expect(sink.messages).toHaveLength(1);
		expect(itemsOf(alert, 'Send alert')).toHaveLength(1);
		expect(mail.from).toBe(MAIL_FROM);
		expect(mail.to).toEqual([MAIL_TO]);
		expect(mail.subject).toBe(`n8n sync failed: ${syncWorkflow.name} (1 failure(s))`);
		expect(mail.text).toContain(`"${syncWorkflow.name}"`);
		expect(mail.text).toContain('- failed node: Upsert rows');
		expect(mail.text).toMatch(new RegExp(`- error: .*${GRIST_FAILURE}`));
		expect(mail.text).toContain(`- execution: ${server.baseUrl}/workflow/${syncWorkflow.id}/executions/${failed.id}`);
		expectNoSecret(mail.raw);
		// nor anything from the failed run's items (the project's fields)
		expect(mail.raw).not.toContain('Projet 2');
	});

	test('two more failures within the window are counted, not mailed; the next failure after the window mails their count', async () => {
		// The window opened when the first alert's Code node decided to mail: between its start and its end.
		const [decided] = firstAlert.data.resultData.runData['Mail now or count?'];
		const windowOpened = { earliest: decided.startTime, latest: decided.startTime + decided.executionTime };
		for (const projectId of [3, 4]) {
			const { alert } = await failSync(projectId);
			const [counted] = alert.data.resultData.runData['Mail now or count?'];
			// The test's premise: this failure fell inside the window (else the machine is too slow for this time scale).
			expect(counted.startTime + counted.executionTime).toBeLessThan(windowOpened.earliest + WINDOW_MS);
			expect(itemsOf(alert, 'Mail now or count?')).toHaveLength(0);
			expect(alert.data.resultData.runData['Send alert']).toBeUndefined();
		}
		// three failures within the window, one mail
		await new Promise((resolve) => setTimeout(resolve, scaled(2_000)));
		expect(sink.messages).toHaveLength(1);

		const wait = windowOpened.latest + WINDOW_MS + 1_000 - Date.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		const { failed, alert } = await failSync(5);
		expect(itemsOf(alert, 'Send alert')).toHaveLength(1);
		const messages = await sink.waitForMessages(2, scaled(60_000));
		expect(messages).toHaveLength(2);
		const second = messages[1];
		expect(second.subject).toBe(`n8n sync failed: ${syncWorkflow.name} (3 failure(s))`);
		expect(second.text).toContain(`3 failure(s) of the workflow "${syncWorkflow.name}" since the last alert.`);
		expect(second.text).toContain(`- execution: ${server.baseUrl}/workflow/${syncWorkflow.id}/executions/${failed.id}`);
		expectNoSecret(second.raw);
		grist.setFaults({ failNext: 0, match: undefined });
	});
});
