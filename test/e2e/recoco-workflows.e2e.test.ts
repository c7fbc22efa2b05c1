/**
 * The two shipped Recoco workflows, workflows/recoco-to-grist.json and workflows/recoco-to-lescommuns.json, in a real
 * n8n 2.41 in server mode (published, webhooks registered), with the package built privately and installed as a
 * community package. Recoco deliveries are signed exactly as django-webhook signs them (test/fakes/recocoWebhook.cjs)
 * and POSTed to the trigger's production URL; the outcome is read from the Grist, Les Communs and Recoco fakes and
 * from n8n's own executions. The test changes only values of each workflow's Config node, never its logic.
 * The "Full resync" branches (the nightly schedule's too) run by hand through the server, which holds their result.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, bundledWorkflow, finishedExecutions, loadFake, runtimeLib, scaled, type N8nRuntime, type N8nServer } from './support/repo';

type Json = Record<string, any>;
type Fake = Record<string, any>;

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createRecocoFake } = loadFake('recoco')!;
const { createGristFake } = loadFake('grist')!;
const { createLesCommunsFake } = loadFake('lescommuns')!;
const { deliverWebhook, deliverWithRetries } = loadFake('recocoWebhook')!;

const WEBHOOK_SECRET = 'recoco-e2e-webhook-secret';
const GRIST_KEY = 'grist-e2e-key';
const LESCOMMUNS_KEY = 'lescommuns-e2e-key';
const GRIST_DOC = 'recocoE2eDoc';
const GRIST_TABLE = 'Projets';

function webhookPath(workflow: Json): string {
	const trigger = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-sync-connectors.recocoTrigger');
	return `/webhook/${trigger.webhookId}/webhook`;
}

/** The items a node output in an execution read from the public API (includeData=true). */
function itemsOf(execution: Json, nodeName: string, output = 0): Json[] {
	return runtimeLib.nodeOutput({ data: execution.data }, nodeName, output);
}

/** A node's output items as stored, pairedItem included. */
function rawItemsOf(execution: Json, nodeName: string, output = 0): Json[] {
	return execution.data.resultData.runData[nodeName][0].data.main[output] ?? [];
}

/** The indexes of the items of input `input` an output item is paired with. */
function pairedWith(item: Json, input: number): number[] {
	const entries: Array<Json | number> = (Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem]).filter(
		(entry: unknown) => entry !== undefined && entry !== null,
	);
	return entries
		.map((entry: Json | number) => (typeof entry === 'number' ? { item: entry } : entry))
		.filter((entry: Json) => (entry.input ?? 0) === input)
		.map((entry: Json) => entry.item);
}

function ran(execution: Json, nodeName: string): boolean {
	return Boolean(execution.data?.resultData?.runData?.[nodeName]);
}

describe('Recoco workflows in a real n8n (server mode, signed webhooks)', () => {
	let recoco: Fake;
	let grist: Fake;
	let lescommuns: Fake;
	let n8n: N8nRuntime;
	let server: N8nServer;
	let distDir: string;
	let gristWorkflow: Json;
	let lesCommunsWorkflow: Json;
	let gristUrl: string;
	let lesCommunsUrl: string;

	const executionsOnceDone = (workflowId: string, count: number, timeoutMs?: number) => finishedExecutions(server, workflowId, count, timeoutMs);

	/** No new execution shows up within a grace period (the trigger answered without starting one). */
	async function expectNoNewExecution(workflowId: string, count: number): Promise<void> {
		await new Promise((resolve) => setTimeout(resolve, scaled(2_000)));
		expect(await server.listExecutions(workflowId, { includeData: false })).toHaveLength(count);
	}

	/**
	 * Published webhooks answer 404 for a few seconds after n8n is up: POST an unsigned body until the trigger
	 * itself answers (401, no execution).
	 */
	async function waitUntilTriggerAnswers(url: string, timeoutMs = scaled(180_000)): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			await response.arrayBuffer();
			if (response.status === 401) return;
			if (response.status !== 404 || Date.now() > deadline) throw new Error(`${url} answered ${response.status}\n${server.logTail(40)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	async function deliver(url: string, event: Json, options: Json = {}) {
		return await deliverWebhook(url, { event, secret: WEBHOOK_SECRET, ...options });
	}

	function gristRows(): Json[] {
		return grist.records(GRIST_DOC, GRIST_TABLE);
	}

	function rowsOf(projectId: number): Json[] {
		return gristRows().filter((row) => row.fields.object_id === projectId);
	}

	function recocoProject(id: number): Json {
		return recoco.projects().find((project: Json) => project.id === id);
	}

	beforeAll(async () => {
		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recoco-workflows-dist-'));
		privateBuild(distDir);

		recoco = createRecocoFake();
		grist = createGristFake({ apiKey: GRIST_KEY });
		// Services appear 2.5 s after the projet is created: the workflow must wait and re-read.
		lescommuns = createLesCommunsFake({ apiKeys: [LESCOMMUNS_KEY], servicesDelayMs: 2_500 });
		await Promise.all([recoco.start(), grist.start(), lescommuns.start()]);

		const commune = (insee: string, name: string) => ({
			name,
			insee,
			postal: '69001',
			department: { name: 'Rhône', code: '69', region: { name: 'Auvergne-Rhône-Alpes', code: '84' } },
			latitude: 45.76,
			longitude: 4.83,
		});
		recoco.seed({
			users: [{ id: 900, username: 'maire@commune.test', email: 'maire@commune.test', password: 'maire-password-1' }],
			projects: [
				{
					id: 1,
					name: 'Rénovation de la place',
					status: 'DONE',
					commune: commune('69123', 'Lyon'),
					tags: ['centre-bourg', 'mobilité'],
					switchtenders: [{ username: 'ada', first_name: 'Ada', last_name: 'Conseil', email: 'ada@conseil.test' }],
				},
				{ id: 2, name: 'Pont v0', status: 'IN_PROGRESS', commune: commune('69266', 'Villeurbanne') },
				{ id: 3, name: 'Halles', status: 'READY', commune: commune('69123', 'Lyon') },
				{ id: 4, name: 'École', commune: commune('69123', 'Lyon'), owner: { email: 'maire@commune.test' } },
				{ id: 5, name: 'Gymnase', commune: commune('69123', 'Lyon'), owner: { email: 'maire@commune.test' } },
				{ id: 6, name: 'Projet sans commune', status: 'STUCK', commune: null },
			],
			questions: [
				{ id: 1, text: 'Décrivez votre besoin', text_short: 'Besoin', slug: 'besoin', choices: [] },
				{
					id: 2,
					text: 'Avez-vous un budget ?',
					text_short: 'Budget',
					slug: 'a-un-budget',
					choices: [
						{ id: 21, value: 'oui', text: 'Oui', conclusion: '' },
						{ id: 22, value: 'non', text: 'Non', conclusion: '' },
					],
				},
				{
					id: 3,
					text: 'Thèmes',
					text_short: '',
					slug: 'themes',
					is_multiple: true,
					choices: [
						{ id: 31, value: 'mob', text: 'Mobilité', conclusion: 'mobilite' },
						{ id: 32, value: 'ene', text: 'Énergie', conclusion: '' },
					],
				},
				{ id: 4, text: 'Plan du site', text_short: 'Plan', slug: 'plan-du-site', choices: [] },
			],
			sessions: [
				{ id: 101, project: 1 },
				{ id: 102, project: 2 },
			],
			answers: [
				{ id: 1001, session: 101, question: 1, choices: [], comment: 'Rendre la place aux piétons' },
				{ id: 1002, session: 101, question: 2, choices: [21], comment: 'Budget voté' },
				{ id: 1003, session: 101, question: 3, choices: [31, 32], comment: '' },
				{ id: 1004, session: 101, question: 4, choices: [], comment: '', attachment: 'https://portal.test/media/plan.pdf' },
				{ id: 1005, session: 102, question: 1, choices: [], comment: 'Traverser le canal' },
				{ id: 1006, session: 102, question: 2, choices: [22], comment: 'Pas encore' },
			],
			tasks: [
				{ id: 501, project: 1, status: 1, resource: { id: 71, title: 'Les communs', subtitle: '', tags: ['les-communs'], status: 2 } },
				{ id: 502, project: 1, status: 0, resource: { id: 72, title: 'Mobilité', subtitle: '', tags: ['mobilité'], status: 2 } },
				{ id: 504, project: 2, status: 0, resource: { id: 71, title: 'Les communs', subtitle: '', tags: ['les-communs'], status: 2 } },
			],
		});
		grist.seed({
			docs: [{ id: GRIST_DOC, name: 'Recoco', tables: [{ id: GRIST_TABLE, columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }], records: [] }] }],
		});
		lescommuns.seedServices([
			{
				id: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
				name: 'Fonds vert',
				description: 'Financer la renaturation',
				sousTitre: 'Subvention',
				redirectionUrl: 'https://fonds-vert.test',
				logoUrl: 'https://fonds-vert.test/logo.svg',
				extraFields: [],
				isListed: true,
			},
			{
				id: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f56',
				name: 'Aides territoires',
				description: 'Trouver des aides',
				sousTitre: 'Catalogue',
				redirectionUrl: 'https://aides.test',
				logoUrl: 'https://aides.test/logo.svg',
				extraFields: [{ name: 'siret', label: 'SIRET' }],
				isListed: true,
			},
		]);

		gristWorkflow = bundledWorkflow('recoco-to-grist.json', { gristDocId: GRIST_DOC, gristTableId: GRIST_TABLE });
		lesCommunsWorkflow = bundledWorkflow('recoco-to-lescommuns.json', {
			projectAllowList: '1, 2, 6, 7',
			servicesDelaySeconds: 1,
			servicesReReadAttempts: 6,
			servicesReReadIntervalSeconds: 1,
		});

		n8n = await runtimeLib.createN8nRuntime({ distDir });
		const credentials = new Map(
			[...gristWorkflow.nodes, ...lesCommunsWorkflow.nodes]
				.flatMap((node: Json) => Object.entries(node.credentials ?? {}))
				.map(([type, ref]: [string, any]) => [type, ref]),
		);
		const data: Json = {
			recocoWebhookApi: { secret: WEBHOOK_SECRET },
			recocoApi: { url: recoco.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' },
			gristSyncApi: { url: grist.baseUrl, apiKey: GRIST_KEY },
			lesCommunsApi: { environment: 'custom', url: lescommuns.baseUrl, apiKey: LESCOMMUNS_KEY },
		};
		expect([...credentials.keys()].sort()).toEqual(Object.keys(data).sort());
		await n8n.importCredentials([...credentials].map(([type, ref]) => ({ id: ref.id, name: ref.name, type, data: data[type] })));
		await n8n.importWorkflow([gristWorkflow, lesCommunsWorkflow]);
		await n8n.publishWorkflow(gristWorkflow.id);
		await n8n.publishWorkflow(lesCommunsWorkflow.id);

		server = await n8n.startServer();
		await server.login();
		gristUrl = `${server.baseUrl}${webhookPath(gristWorkflow)}`;
		lesCommunsUrl = `${server.baseUrl}${webhookPath(lesCommunsWorkflow)}`;
		await waitUntilTriggerAnswers(gristUrl);
		await waitUntilTriggerAnswers(lesCommunsUrl);
	});

	afterAll(async () => {
		await n8n?.stop();
		await Promise.all([recoco?.stop(), grist?.stop(), lescommuns?.stop()]);
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	describe('recoco-to-grist', () => {
		let executions = 0;

		test('a signed project event upserts one row: default columns with labels and types, survey columns, no attachment column', async () => {
			const answer = await deliver(gristUrl, recoco.webhookEvent('projects.Project/update', 1));
			expect(answer.status).toBe(200);
			executions += 1;
			const [execution] = await executionsOnceDone(gristWorkflow.id, executions);
			expect(execution.status).toBe('success');

			const columns = new Map<string, Json>(grist.columns(GRIST_DOC, GRIST_TABLE).map((column: Json) => [column.id, column]));
			const expectTypes: Array<[string, string, string]> = [
				['object_id', 'ID', 'Int'],
				['name', 'Nom du projet', 'Text'],
				['tags', 'Etiquettes', 'ChoiceList'],
				['insee', 'Code Insee', 'Text'],
				['latitude', 'Latitude', 'Numeric'],
				['created', 'Créé le', 'DateTime:Europe/Amsterdam'],
				['active', 'Actif', 'Bool'],
				['advisors_note', 'Note des conseillers', 'Text'],
				['besoin', 'Besoin', 'Text'],
				['a_un_budget', 'Budget', 'Bool'],
				['a_un_budget_comment', 'Commentaire de Budget', 'Text'],
				['themes', 'Thèmes', 'ChoiceList'],
				['themes_comment', 'Commentaire de Thèmes', 'Text'],
				['plan_du_site', 'Plan', 'Text'],
			];
			for (const [id, label, type] of expectTypes) expect({ id, ...columns.get(id) }).toEqual({ id, label, type });
			expect(columns.size).toBe(21 + 4 + 2);
			expect(columns.has('besoin_comment')).toBe(false);
			expect(columns.has('plan_du_site_attachment')).toBe(false);

			const rows = rowsOf(1);
			expect(rows).toHaveLength(1);
			expect(rows[0].fields).toMatchObject({
				object_id: 1,
				name: 'Rénovation de la place',
				insee: '69123',
				city: 'Lyon',
				status: 'DONE',
				active: true,
				besoin: 'Rendre la place aux piétons',
				a_un_budget: true,
				a_un_budget_comment: 'Budget voté',
				// Grist parses the comma-joined choices into a ChoiceList cell
				themes: ['L', 'mobilite', 'Énergie'],
			});
			expect(rows[0].fields).not.toHaveProperty('droppedFields');

			expect(itemsOf(execution, 'Sync report')).toEqual([
				expect.objectContaining({
					projects: 1,
					rowsSent: 1,
					added: 1,
					matched: 0,
					projectIds: [1],
					droppedFields: { plan_du_site_attachment: [1] },
				}),
			]);
		});

		test('3 updates to one project leave one row, not three, with the last values', async () => {
			for (const name of ['Pont v1', 'Pont v2', 'Pont v3']) {
				recocoProject(2).name = name;
				if (name === 'Pont v2') {
					expect(rowsOf(2)[0].fields).toMatchObject({ a_un_budget: false, a_un_budget_comment: 'Pas encore' });
				}
				// an answer withdrawn in Recoco before the last update
				if (name === 'Pont v3') recoco.state.answers.splice(recoco.state.answers.findIndex((answer: Json) => answer.id === 1006), 1);
				expect((await deliver(gristUrl, recoco.webhookEvent('projects.Project/update', 2))).status).toBe(200);
				executions += 1;
				const all = await executionsOnceDone(gristWorkflow.id, executions);
				expect(all.at(-1)!.status).toBe('success');
			}
			const rows = rowsOf(2);
			expect(rows).toHaveLength(1);
			expect(rows[0].fields).toMatchObject({ name: 'Pont v3', besoin: 'Traverser le canal', a_un_budget_comment: null });
			// the Bool cell is emptied too (Grist stores an empty Bool as false)
			expect([null, false]).toContain(rows[0].fields.a_un_budget);
		});

		test('a replayed delivery (same body, re-signed) and a bad signature start no execution', async () => {
			const first = await deliver(gristUrl, recoco.webhookEvent('projects.Project/update', 3));
			expect(first.status).toBe(200);
			executions += 1;
			await executionsOnceDone(gristWorkflow.id, executions);
			expect(rowsOf(3)).toHaveLength(1);

			// Recoco's retry: the same bytes, a fresh timestamp and signature.
			const replay = await deliverWebhook(gristUrl, { body: first.body, secret: WEBHOOK_SECRET });
			expect({ status: replay.status, text: replay.text }).toEqual({ status: 200, text: expect.stringContaining('ignored') });
			expect(replay.json).toEqual({ status: 'ignored', message: expect.any(String) });

			recocoProject(3).name = 'Halles (signed with another secret)';
			const forged = await deliver(gristUrl, recoco.webhookEvent('projects.Project/update', 3), { secret: 'not-the-webhook-secret' });
			expect(forged.status).toBe(401);
			expect(forged.json).toEqual({ status: 'rejected', message: expect.any(String) });

			await expectNoNewExecution(gristWorkflow.id, executions);
			expect(rowsOf(3)).toHaveLength(1);
			expect(rowsOf(3)[0].fields.name).toBe('Halles');
		});

		test('two different events from the same subscription (same Django-Webhook-UUID) both execute', async () => {
			const uuid = 'c0ffee00-1111-4222-8333-444455556666';
			const answerEvent = recoco.webhookEvent('survey.Answer/update', 1005, { webhookUuid: uuid });
			const tagEvent = recoco.webhookEvent('taggit.TaggedItem/create', 4, { webhookUuid: uuid });
			const answers = await Promise.all([
				deliver(gristUrl, answerEvent, { webhookUuid: uuid }),
				deliver(gristUrl, tagEvent, { webhookUuid: uuid }),
			]);
			expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
			executions += 2;
			const all = await executionsOnceDone(gristWorkflow.id, executions);
			const lastTwo = all.slice(-2);
			expect(lastTwo.map((execution) => execution.status)).toEqual(['success', 'success']);
			expect(lastTwo.map((execution) => itemsOf(execution, 'Sync report')[0].projectIds[0]).sort()).toEqual([2, 4]);
			expect(rowsOf(2)).toHaveLength(1);
			expect(rowsOf(4)).toHaveLength(1);
		});

		test('a user profile event fans out to every project the user owns', async () => {
			const event = recoco.webhookEvent('home.UserProfile/update', 900);
			expect(event.object.projects).toEqual([4, 5]);
			expect((await deliver(gristUrl, event)).status).toBe(200);
			executions += 1;
			const execution = (await executionsOnceDone(gristWorkflow.id, executions)).at(-1)!;
			expect(execution.status).toBe('success');
			expect(itemsOf(execution, 'Sync report')[0]).toMatchObject({ projects: 2, projectIds: [4, 5], added: 1, matched: 1 });
			expect(rowsOf(4)).toHaveLength(1);
			expect(rowsOf(5)).toHaveLength(1);
			expect(rowsOf(5)[0].fields.name).toBe('Gymnase');

			// Pairing: each Grist row links back, through "Projects with columns", to the project it was made from.
			const rows = rawItemsOf(execution, 'Map to Grist rows');
			const merged = rawItemsOf(execution, 'Projects with columns');
			const fetched = rawItemsOf(execution, 'Fetch project');
			expect(rows.map((row) => row.json.object_id)).toEqual([4, 5]);
			rows.forEach((row, index) => {
				expect(pairedWith(row, 0)).toEqual([index]);
				const fromMerge = merged[pairedWith(row, 0)[0]];
				const projectIndexes = pairedWith(fromMerge, 0);
				expect(projectIndexes).toHaveLength(1);
				expect(fetched[projectIndexes[0]].json.object_id).toBe(row.json.object_id);
			});
		});

		test('a project Recoco no longer gives (404) is reported and leaves the table alone; the run succeeds', async () => {
			recoco.seed({ projects: [{ id: 7, name: 'Projet supprimé', commune: null }] });
			const event = recoco.webhookEvent('projects.Project/delete', 7);
			recoco.projects().splice(recoco.projects().findIndex((project: Json) => project.id === 7), 1);
			const rowsBefore = gristRows().length;
			expect((await deliver(gristUrl, event)).status).toBe(200);
			executions += 1;
			const execution = (await executionsOnceDone(gristWorkflow.id, executions)).at(-1)!;
			expect(execution.status).toBe('success');
			expect(itemsOf(execution, 'Projects Recoco could not give')).toEqual([
				{
					projectId: 7,
					cause: 'projects.Project/delete',
					error: expect.stringMatching(/Recoco answered 404/),
					status: 'not found in Recoco: the Grist row, if any, is left as it is',
				},
			]);
			expect(ran(execution, 'Upsert rows')).toBe(false);
			expect(gristRows()).toHaveLength(rowsBefore);
		});

		test('any other Recoco error fails the run, after the projects that could be read were upserted', async () => {
			recoco.seed({
				users: [{ id: 901, username: 'adjoint@commune.test', email: 'adjoint@commune.test', password: 'adjoint-password-1' }],
				projects: [
					{ id: 8, name: 'Médiathèque', commune: null, owner: { email: 'adjoint@commune.test' } },
					{ id: 9, name: 'Piscine', commune: null, owner: { email: 'adjoint@commune.test' } },
				],
			});
			recoco.setFaults({ failNext: 1, status: 400, body: { detail: 'Bad request on purpose' }, match: 'GET /api/projects/9/' });
			try {
				const answer = await deliver(gristUrl, recoco.webhookEvent('home.UserProfile/update', 901));
				// n8n answers once the run ended: 500 because it failed, so Recoco would retry the event
				expect(answer.status).toBe(500);
				executions += 1;
				const execution = (await executionsOnceDone(gristWorkflow.id, executions)).at(-1)!;
				expect(execution.status).toBe('error');
				expect(execution.data.resultData.error.message).toMatch(
					/^1 Recoco project\(s\) could not be read, their rows were not updated: project 9: Recoco answered 400/,
				);
				expect(itemsOf(execution, 'Sync report')[0]).toMatchObject({ projects: 1, projectIds: [8], added: 1 });
			} finally {
				recoco.setFaults({ failNext: 0, match: undefined });
			}
			expect(rowsOf(8)).toHaveLength(1);
			expect(rowsOf(9)).toHaveLength(0);
		});

		test('a label renamed in Grist between two syncs keeps one row per project; an unchanged row is reported matched, not updated', async () => {
			// Grist renames a column tied to its label along with the label; the workflow's Ensure unties its columns.
			expect(grist.tiedColumns(GRIST_DOC, GRIST_TABLE)).not.toContain('object_id');
			const rowsBefore = gristRows().length;
			const renamed = await fetch(`${grist.apiBaseUrl}/docs/${GRIST_DOC}/tables/${GRIST_TABLE}/columns`, {
				method: 'PATCH',
				headers: { authorization: `Bearer ${GRIST_KEY}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					columns: [
						{ id: 'object_id', fields: { label: 'ID Recoco' } },
						{ id: 'name', fields: { label: 'Nom' } },
					],
				}),
			});
			expect(renamed.status).toBe(200);
			const event = recoco.webhookEvent('taggit.TaggedItem/update', 1, { webhookUuid: '5e1ec7ed-0000-4000-8000-00000000abcd' });
			expect((await deliver(gristUrl, event, { webhookUuid: '5e1ec7ed-0000-4000-8000-00000000abcd' })).status).toBe(200);
			executions += 1;
			const execution = (await executionsOnceDone(gristWorkflow.id, executions)).at(-1)!;
			expect(execution.status).toBe('success');
			expect(gristRows()).toHaveLength(rowsBefore);
			expect(rowsOf(1)).toHaveLength(1);
			const columns = grist.columns(GRIST_DOC, GRIST_TABLE);
			expect(columns.filter((column: Json) => ['object_id', 'name'].includes(column.id))).toEqual([
				{ id: 'object_id', label: 'ID Recoco', type: 'Int' },
				{ id: 'name', label: 'Nom', type: 'Text' },
			]);
			const report = itemsOf(execution, 'Sync report')[0];
			expect(report).toMatchObject({ projects: 1, rowsSent: 1, added: 0, matched: 1 });
			expect(report).not.toHaveProperty('updated');
		});

		test('identical deliveries racing each other give one run and one write; the others are told to retry or that it is done', async () => {
			recocoProject(3).name = 'Halles (marché couvert)';
			const event = recoco.webhookEvent('projects.Project/update', 3);
			const answers = await Promise.all([1, 2, 3].map(() => deliver(gristUrl, event)));
			const started = answers.filter((answer) => answer.status === 200 && answer.text === '');
			expect(started).toHaveLength(1);
			for (const answer of answers.filter((candidate) => !started.includes(candidate))) {
				// 409 while the first run goes on (Recoco retries later), or "ignored" once it succeeded
				expect([409, 200]).toContain(answer.status);
				expect(['in progress', 'ignored']).toContain(answer.json?.status);
			}
			executions += 1;
			expect((await executionsOnceDone(gristWorkflow.id, executions)).at(-1)!.status).toBe('success');
			await expectNoNewExecution(gristWorkflow.id, executions);
			expect(rowsOf(3)).toHaveLength(1);
			expect(rowsOf(3)[0].fields.name).toBe('Halles (marché couvert)');
		});

		test('an event that arrives while Grist answers 503 for 30 s: n8n answers 500, and Recoco\'s retry a minute later writes the row', async () => {
			recocoProject(5).name = 'Gymnase rénové';
			grist.setFaults({ failNext: 1_000_000, status: 503, body: { error: 'Service Unavailable' }, match: undefined });
			const recovery = setTimeout(() => grist.setFaults({ failNext: 0 }), 30_000);
			try {
				// Recoco's own schedule: a retry from about +60 s after a non-2xx answer, the same body re-signed.
				const attempts = await deliverWithRetries(gristUrl, { event: recoco.webhookEvent('projects.Project/update', 5), secret: WEBHOOK_SECRET });
				expect(attempts.map((attempt: Json) => attempt.status)).toEqual([500, 200]);
				expect(attempts[1].at).toBeGreaterThanOrEqual(60_000);
			} finally {
				clearTimeout(recovery);
				grist.setFaults({ failNext: 0 });
			}
			executions += 2;
			const [failed, retried] = (await executionsOnceDone(gristWorkflow.id, executions)).slice(-2);
			expect([failed.status, retried.status]).toEqual(['error', 'success']);
			expect(rowsOf(5)).toHaveLength(1);
			expect(rowsOf(5)[0].fields.name).toBe('Gymnase rénové');
		});
	});

	describe('recoco-to-lescommuns', () => {
		let executions = 0;

		test('a project event of an allow-listed project upserts the projet (phase, phaseStatut from status, commune INSEE)', async () => {
			expect((await deliver(lesCommunsUrl, recoco.webhookEvent('projects.Project/update', 1))).status).toBe(200);
			executions += 1;
			const execution = (await executionsOnceDone(lesCommunsWorkflow.id, executions)).at(-1)!;
			expect(execution.status).toBe('success');
			const projet = lescommuns.projetByExternalId('1');
			expect(projet).toMatchObject({
				nom: 'Rénovation de la place',
				phase: 'Idée',
				phaseStatut: 'Terminé',
				porteur: expect.objectContaining({ referentEmail: 'ada@conseil.test', referentPrenom: 'Ada', referentNom: 'Conseil' }),
			});
			expect(projet.collectivites).toEqual([expect.objectContaining({ type: 'Commune', codeInsee: '69123' })]);
			// a project event writes no add-on
			expect(ran(execution, 'Services for the projet')).toBe(false);
		});

		test('a project that is not in the allow-list, and a task whose resource lacks the tag, send nothing', async () => {
			const before = lescommuns.projets().length;
			expect((await deliver(lesCommunsUrl, recoco.webhookEvent('projects.Project/update', 3))).status).toBe(200);
			expect((await deliver(lesCommunsUrl, recoco.webhookEvent('tasks.Task/update', 502))).status).toBe(200);
			executions += 2;
			const lastTwo = (await executionsOnceDone(lesCommunsWorkflow.id, executions)).slice(-2);
			const reasons = lastTwo.map((execution) => {
				expect(execution.status).toBe('success');
				expect(ran(execution, 'Fetch project')).toBe(false);
				return itemsOf(execution, 'Not for Les Communs')[0].reason;
			});
			expect(reasons.sort()).toEqual([
				'project 3 is not in the allow-list (Config → projectAllowList)',
				'recommendation 502: its resource is not tagged "les-communs"',
			]);
			expect(lescommuns.projets()).toHaveLength(before);
			expect(recoco.resourceAddons()).toHaveLength(0);
		});

		test('a project without a commune is reported, and the run does not fail', async () => {
			expect((await deliver(lesCommunsUrl, recoco.webhookEvent('projects.Project/update', 6))).status).toBe(200);
			executions += 1;
			const execution = (await executionsOnceDone(lesCommunsWorkflow.id, executions)).at(-1)!;
			expect(execution.status).toBe('success');
			expect(itemsOf(execution, 'Report: no commune')).toEqual([
				{
					status: 'not sent to Les Communs',
					projectId: 6,
					reason: 'no commune',
					message: expect.stringMatching(/^skipped: no commune\. Recoco project 6 has no commune INSEE code/),
				},
			]);
			// the node that maps and upserts says it skipped the project, and sent nothing for it
			expect(itemsOf(execution, 'Create or update projet')).toEqual([expect.objectContaining({ skipped: true, externalId: '6', reason: 'no commune' })]);
			expect(lescommuns.projetByExternalId('6')).toBeUndefined();
		});

		test('a tagged task event upserts its project, waits for services, creates the add-on once, then updates it', async () => {
			const task = recoco.webhookEvent('tasks.Task/update', 504);
			expect((await deliver(lesCommunsUrl, task)).status).toBe(200);
			executions += 1;
			const first = (await executionsOnceDone(lesCommunsWorkflow.id, executions)).at(-1)!;
			expect(first.status).toBe('success');
			const projet = lescommuns.projetByExternalId('2');
			expect(projet).toMatchObject({ nom: 'Pont v3', phaseStatut: 'En cours' });

			// the projet was new, so its services were not there at the first read: the workflow re-read them
			const plan = itemsOf(first, 'Plan add-on write')[0];
			expect(plan).toMatchObject({ action: 'create', recommendation: 504, projetId: projet.id });
			expect(plan.reads).toBeGreaterThan(1);
			const addons = recoco.resourceAddons();
			expect(addons).toHaveLength(1);
			expect(addons[0]).toMatchObject({ recommendation: 504, nature: 'lescommuns', enabled: true });
			expect(addons[0].data).toHaveLength(2);
			// the snake_case shape Recoco-sync stored
			expect(Object.keys(addons[0].data[0]).sort()).toEqual(
				[
					'description',
					'extend_label',
					'extra_fields',
					'id',
					'iframe_url',
					'is_listed',
					'logo_url',
					'name',
					'redirection_label',
					'redirection_url',
					'sous_titre',
				].sort(),
			);
			expect(addons[0].data[1]).toMatchObject({ name: 'Aides territoires', sous_titre: 'Catalogue', extra_fields: [{ name: 'siret', label: 'SIRET' }] });

			// The same recommendation again (another state, so not a redelivery): the add-on is updated, not duplicated.
			recoco.seed({ tasks: [{ id: 504, project: 2, status: 1, resource: { id: 71, title: 'Les communs', subtitle: '', tags: ['les-communs'], status: 2 } }] });
			recoco.clearLog();
			expect((await deliver(lesCommunsUrl, recoco.webhookEvent('tasks.Task/update', 504))).status).toBe(200);
			executions += 1;
			const second = (await executionsOnceDone(lesCommunsWorkflow.id, executions)).at(-1)!;
			expect(second.status).toBe('success');
			expect(itemsOf(second, 'Plan add-on write')[0]).toMatchObject({ action: 'update', addonId: addons[0].id, reads: 1 });
			expect(recoco.resourceAddons()).toHaveLength(1);
			const writes = recoco.requests((entry: Json) => entry.path.startsWith('/api/resource-addons/') && entry.method !== 'GET');
			expect(writes.map((entry: Json) => `${entry.method} ${entry.path}`)).toEqual([`PUT /api/resource-addons/${addons[0].id}/`]);
			expect(lescommuns.projets().filter((candidate: Json) => candidate.recocoId === '2')).toHaveLength(1);
		});

		test('a project Recoco no longer gives (404) is reported, nothing is sent, and the run succeeds (as in the Grist workflow)', async () => {
			recoco.seed({ projects: [{ id: 7, name: 'Projet supprimé', commune: null }] });
			const event = recoco.webhookEvent('projects.Project/update', 7);
			recoco.projects().splice(recoco.projects().findIndex((project: Json) => project.id === 7), 1);
			const before = lescommuns.projets().length;
			expect((await deliver(lesCommunsUrl, event)).status).toBe(200);
			executions += 1;
			const execution = (await executionsOnceDone(lesCommunsWorkflow.id, executions)).at(-1)!;
			expect(execution.status).toBe('success');
			expect(itemsOf(execution, 'Projects Recoco could not give')).toEqual([
				{
					projectId: 7,
					cause: 'projects.Project/update',
					error: expect.stringMatching(/Recoco answered 404/),
					status: 'not found in Recoco: the Les Communs projet, if any, is left as it is',
				},
			]);
			expect(ran(execution, 'Create or update projet')).toBe(false);
			expect(lescommuns.projets()).toHaveLength(before);
		});

		test('Full resync (what the nightly schedule runs) re-sends every allow-listed project, and reports the rest', async () => {
			recocoProject(1).name = 'Rénovation de la place (phase 2)';
			const executionId = await server.runManually(lesCommunsWorkflow.id, 'Full resync');
			const execution = await server.waitForExecution(executionId);
			executions += 1;
			expect(execution.status).toBe('success');
			expect(lescommuns.projetByExternalId('1')).toMatchObject({ nom: 'Rénovation de la place (phase 2)' });
			expect(lescommuns.projets().filter((projet: Json) => projet.recocoId === '1')).toHaveLength(1);
			// allow-list 1, 2, 6, 7: 6 has no commune, 7 is gone from Recoco (not listed), the others are not for Les Communs
			expect(itemsOf(execution, 'Create or update projet').filter((item) => item.skipped === false).length).toBe(2);
			expect(itemsOf(execution, 'Report: no commune').map((item) => item.projectId)).toEqual([6]);
			expect(itemsOf(execution, 'Not for Les Communs').map((item) => item.projectId).sort((a, b) => a - b)).toEqual(
				recoco
					.projects()
					.map((project: Json) => project.id)
					.filter((id: number) => ![1, 2, 6].includes(id))
					.sort((a: number, b: number) => a - b),
			);
			expect(ran(execution, 'Services for the projet')).toBe(false);
		});
	});

	describe('recoco-to-grist full resync (Manual Trigger, run through the server)', () => {
		test('a full resync of 1,000 projects leaves 1,000 rows, upserted in bulk', async () => {
			recoco.generateProjects(1000 - recoco.projects().length);
			expect(recoco.projects()).toHaveLength(1000);
			grist.clearLog();

			const started = Date.now();
			// A run this large prints megabytes: its result is read from the server, never from `n8n execute` stdout.
			const executionId = await server.runManually(gristWorkflow.id, 'Full resync');
			const execution = await server.waitForExecution(executionId);
			const seconds = (Date.now() - started) / 1000;
			expect(execution.status).toBe('success');

			const rows = gristRows();
			expect(rows).toHaveLength(1000);
			expect(new Set(rows.map((row) => row.fields.object_id)).size).toBe(1000);
			for (const id of [1, 2, 3, 4, 5, 6, 8, 9]) expect(rowsOf(id)).toHaveLength(1);
			expect(rowsOf(7)).toHaveLength(0);
			const report = itemsOf(execution, 'Sync report')[0];
			// rows 1-5 and 8 were there from the webhook tests; 7 is gone from Recoco
			expect(report).toMatchObject({ projects: 1000, rowsSent: 1000, added: 1000 - 6, matched: 6 });
			expect(report).not.toHaveProperty('updated');
			const upserts = grist.requests((entry: Json) => entry.method === 'PUT' && entry.path.endsWith('/records'));
			expect(upserts.length).toBeGreaterThanOrEqual(1);
			expect(upserts.length).toBeLessThanOrEqual(3);
			process.stdout.write(`full resync: 1000 projects in ${seconds.toFixed(1)} s, ${upserts.length} Grist upsert request(s)\n`);
		});
	});
});
