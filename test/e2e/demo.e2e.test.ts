/**
 * `npm start` works: the same demo stack (scripts/lib/demo.cjs), on free ports so it can run next to a real
 * `npm start`. Every demo credential passes n8n's credential test against its demo service, every bundled workflow
 * is imported, and the Bitrix24 → MariaDB workflow runs by hand, from the editor's run endpoint, into the demo DB.
 * The two Recoco workflows are published with demo Config values: `npm run demo:recoco-event` (the script itself,
 * pointed at this stack) makes one Grist row and one Les Communs projet, and Recoco → Grist's Full resync fills Grist.
 * The HubEE workflow, with its download root under n8n's files folder, runs by hand against the demo HubEE.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';

import { REPO_ROOT, demoLib, finishedExecutions, runtimeLib, scaled } from './support/repo';

type Json = Record<string, any>;

const workflowFiles = fs.readdirSync(path.join(REPO_ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
const readWorkflow = (file: string): Json => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));

describe('the npm start demo', () => {
	let stack: Json;
	let userFolder: string;

	beforeAll(async () => {
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-demo-e2e-'));
		stack = await demoLib.startDemoStack({ userFolder, port: await runtimeLib.freePort(), freePorts: true, say: () => {} });
		await stack.server.login();
	});

	function runScript(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
		return new Promise((resolve) => {
			execFile(process.execPath, [path.join(REPO_ROOT, 'scripts', 'demo-recoco-event.mjs'), ...args], (error, stdout, stderr) =>
				resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
			);
		});
	}

	const gristRows = (): Json[] => stack.services.grist.records(stack.grist.docId, stack.grist.tableId);

	afterAll(async () => {
		await stack?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	test('every demo credential passes n8n’s credential test against its demo service', async () => {
		const results: Json = {};
		for (const credential of stack.credentials) {
			results[`${credential.type} ${credential.id}`] = (await stack.server.testCredential(credential)).status;
		}
		expect(Object.values(results).length).toBeGreaterThanOrEqual(9);
		expect(Object.entries(results).filter(([, status]) => status !== 'OK')).toEqual([]);
	});

	test('every bundled workflow is imported with its own id and its credentials resolved', async () => {
		const listed = (await stack.server.json('/rest/workflows')).data.map((workflow: Json) => workflow.id);
		for (const file of workflowFiles) expect(listed).toContain(readWorkflow(file).id);
		// One demo credential per type, and every node of every imported workflow uses the one of its type.
		const byType = new Map(stack.credentials.map((credential: Json) => [credential.type, credential]));
		expect(byType.size).toBe(stack.credentials.length);
		const stored = (await stack.server.json('/rest/credentials')).data as Json[];
		expect(stored.map((credential) => credential.id).sort()).toEqual(stack.credentials.map((credential: Json) => credential.id).sort());
		for (const file of workflowFiles) {
			const imported = (await stack.server.json(`/rest/workflows/${readWorkflow(file).id}`)).data;
			for (const node of imported.nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {}) as Array<[string, Json]>) {
					expect({ node: node.name, type, id: ref.id }).toEqual({ node: node.name, type, id: (byType.get(type) as Json)?.id });
				}
			}
		}
		// The failure alert is set up: its SMTP credential points at the demo's mail sink, and every sync reports to it.
		expect((byType.get('smtp') as Json)?.data).toMatchObject({ host: '127.0.0.1', port: stack.services.smtp.port, disableStartTls: true });
		for (const file of workflowFiles) {
			const { id } = readWorkflow(file);
			if (id === 'syncFailureAlert01') continue;
			const imported = (await stack.server.json(`/rest/workflows/${id}`)).data;
			expect({ id, errorWorkflow: imported.settings?.errorWorkflow }).toEqual({ id, errorWorkflow: 'syncFailureAlert01' });
		}
		// n8n 2.41 runs an error workflow only when it is published.
		expect(stack.publishedIds).toContain('syncFailureAlert01');
	});

	test('the Bitrix24 dictionaries workflow runs by hand and fills the demo MariaDB', async () => {
		expect(stack.mariadb).toBeDefined();
		const workflow = readWorkflow('bitrix24-dictionaries-to-mysql.json');
		const manual = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.manualTrigger');
		await stack.server.json(`/rest/workflows/${workflow.id}/run`, { method: 'POST', body: { triggerToStartFrom: { name: manual.name } } });

		let executions: Json[] = [];
		for (const deadline = Date.now() + scaled(180_000); Date.now() < deadline && !executions.some((execution) => execution.finished || execution.status === 'error'); ) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			executions = await stack.server.listExecutions(workflow.id);
		}
		expect(executions.map((execution) => execution.status)).toEqual(['success']);

		const { host, port, user, password, database } = stack.mariadb;
		const connection = await mysql.createConnection({ host, port, user, password, database });
		try {
			const counts: Json = {};
			for (const table of ['city', 'violation_category', 'object', 'violation', 'user']) {
				const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
				counts[table] = Number((rows as Json[])[0].n);
			}
			expect(counts).toEqual({ city: 6, violation_category: 4, object: 12, violation: 6, user: 4 });
			const [objects] = await connection.query('SELECT COUNT(*) AS n FROM `object` o JOIN `city` c ON c.id = o.city_id');
			expect(Number((objects as Json[])[0].n)).toBe(12);
		} finally {
			await connection.end();
		}
	});

	test('the Recoco workflows are published with demo Config values and their webhooks are live', async () => {
		const imported = (id: string): Json => stack.workflows.find((workflow: Json) => workflow.id === id);
		const config = (workflow: Json): Json =>
			Object.fromEntries(
				workflow.nodes.find((node: Json) => node.name === 'Config').parameters.assignments.assignments.map((field: Json) => [field.name, field.value]),
			);
		expect(config(imported('recocoToGrist0001'))).toMatchObject({ gristDocId: 'demoDoc', gristTableId: 'Projets' });
		expect(config(imported('recocoToLesCommuns01'))).toMatchObject({ projectAllowList: '*', servicesDelaySeconds: 2 });
		// The shipped files keep their placeholders.
		expect(config(readWorkflow('recoco-to-grist.json')).gristDocId).toBe('YOUR_GRIST_DOC_ID');
		expect(stack.services.grist.tableIds('demoDoc')).toContain('Projets');

		expect(stack.webhooks.map((webhook: Json) => webhook.workflowId).sort()).toEqual(['recocoToGrist0001', 'recocoToLesCommuns01']);
		for (const webhook of stack.webhooks) expect(await stack.server.waitForWebhook(webhook.url)).toContain('POST');
		const state = JSON.parse(fs.readFileSync(path.join(userFolder, demoLib.DEMO_STATE_FILE), 'utf8'));
		expect(state).toMatchObject({ n8n: stack.server.baseUrl, recocoWebhooks: stack.webhooks });
	});

	test('the HubEE workflow runs by hand against the demo HubEE and saves every file under n8n\'s files folder', async () => {
		const hubeeSupport = require(path.join(REPO_ROOT, 'test/e2e/support/hubee.cjs'));
		const workflow = readWorkflow('hubee-attachments-to-folders.json');
		const config = (source: Json): Json =>
			Object.fromEntries(source.nodes.find((node: Json) => node.name === 'Config').parameters.assignments.assignments.map((field: Json) => [field.name, field.value]));
		const downloadRoot = path.join(userFolder, 'files', 'hubee');
		expect(config(stack.workflows.find((imported: Json) => imported.id === workflow.id))).toMatchObject({
			downloadRoot,
			demarcheName: 'EtatCivil',
			processCode: 'EtatCivil',
			minimalStatus: 'SI_RECEIVED',
			maximalStatus: 'DONE',
		});
		expect(config(workflow).downloadRoot).toBe('/home/node/.n8n-files/hubee');
		expect(stack.summary()).toContain(path.join(downloadRoot, 'EtatCivil'));

		const hubee = stack.services.hubee;
		// The fake's own seedDemo (once, when the demo started it) and the demo's additions: 4 cases, 2 events, 1 foreign.
		const ours = hubeeSupport.queued(hubee, 'EtatCivil');
		expect(ours.filter((notification: Json) => !notification.eventId)).toHaveLength(4);
		expect(ours.filter((notification: Json) => notification.eventId)).toHaveLength(2);
		expect(hubee.notifications().filter((notification: Json) => notification.processCode !== 'EtatCivil')).toHaveLength(1);
		const caseIds = [...new Set<string>(ours.map((notification: Json) => notification.caseId))];
		const files = hubeeSupport.expectedFiles(hubee, 'EtatCivil');
		expect(files).toHaveLength(4);

		const manual = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.manualTrigger');
		await stack.server.json(`/rest/workflows/${workflow.id}/run`, { method: 'POST', body: { triggerToStartFrom: { name: manual.name } } });
		const [run] = await finishedExecutions(stack.server, workflow.id, 1, scaled(300_000));
		expect(run.status).toBe('success');

		expect(hubeeSupport.fileProblems(downloadRoot, 'EtatCivil', files)).toEqual([]);
		expect(hubeeSupport.queued(hubee, 'EtatCivil')).toEqual([]);
		expect(hubee.notifications().filter((notification: Json) => notification.processCode !== 'EtatCivil')).toHaveLength(1);
		for (const caseId of caseIds) expect(hubee.getCase(caseId).status).toBe('DONE');
		expect(hubeeSupport.duplicateStatusEvents(hubee, caseIds)).toEqual([]);
	});

	test('a Config field the demo sets but the workflow lacks stops the demo, naming the field', () => {
		const workflows = demoLib.readWorkflows().map((workflow: Json) => structuredClone(workflow));
		const grist = workflows.find((workflow: Json) => workflow.id === 'recocoToGrist0001')!;
		const field = grist.nodes.find((node: Json) => node.name === 'Config').parameters.assignments.assignments.find((f: Json) => f.name === 'gristDocId');
		field.name = 'gristDocumentId';
		expect(() => demoLib.demoWorkflows(workflows)).toThrow(/Config node has no field "gristDocId"/);
	});

	test('npm run demo:recoco-event: a signed Recoco project event makes one Grist row and one Les Communs projet', async () => {
		expect(gristRows()).toEqual([]);
		const result = await runScript(['--project=1', `--demo=${path.join(userFolder, demoLib.DEMO_STATE_FILE)}`]);
		expect(result).toMatchObject({ code: 0, stderr: '' });
		expect(result.stdout).toContain('projects.Project/update');
		expect(result.stdout).toContain('django-webhook-signature-v1');
		expect(result.stdout.match(/^← 200 /gm)).toHaveLength(2);

		const [gristRun] = await finishedExecutions(stack.server, 'recocoToGrist0001', 1);
		const [lesCommunsRun] = await finishedExecutions(stack.server, 'recocoToLesCommuns01', 1);
		expect([gristRun.status, lesCommunsRun.status]).toEqual(['success', 'success']);

		const rows = gristRows();
		expect(rows).toHaveLength(1);
		expect(rows[0].fields).toMatchObject({ object_id: 1, name: 'Projet démo 1' });
		const projets = stack.services.lescommuns.projets();
		expect(projets).toHaveLength(1);
		expect(projets[0]).toMatchObject({ nom: 'Projet démo 1' });
		expect(stack.services.lescommuns.projetByExternalId('1')).toBeDefined();
	});

	test('Recoco → Grist Full resync, run by hand from its Manual Trigger, fills Grist with every demo project', async () => {
		await stack.server.json('/rest/workflows/recocoToGrist0001/run', { method: 'POST', body: { triggerToStartFrom: { name: 'Full resync' } } });
		const runs = await finishedExecutions(stack.server, 'recocoToGrist0001', 2);
		expect(runs.map((execution) => execution.status)).toEqual(['success', 'success']);

		const demoProjects = stack.services.recoco.projects().map((project: Json) => project.id).sort((a: number, b: number) => a - b);
		expect(demoProjects).toHaveLength(12);
		const rowIds = gristRows()
			.map((row) => row.fields.object_id)
			.sort((a: number, b: number) => a - b);
		expect(rowIds).toEqual(demoProjects);
	});
});
