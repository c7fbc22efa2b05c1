/**
 * The package in n8n's queue mode: a main (EXECUTIONS_MODE=queue), two `n8n worker`s and one `n8n webhook` process on
 * one private PostgreSQL and Redis, the package installed on each. One cluster serves every test of this file (a
 * cluster start is four n8n boots).
 *
 * - workflows/recoco-to-grist.json: a burst of 500 signed deliveries over 100 projects, 50 of them redeliveries of an
 *   earlier body (re-signed with a fresh timestamp, as django-webhook retries), spread over the main and the webhook
 *   process so that a redelivery can race its original on another process. When it settles, every project is exactly
 *   one Grist row equal to the Recoco fake's final state, no execution failed, and both workers ran executions.
 * - Bitrix24: two workers reading one portal at once under the fake's strict leaky bucket, each keeping to the share
 *   the credential's "Processes Sharing This Portal" gives it: no execution fails and the portal refuses nothing.
 * - workflows/moncampus-to-ecal.json started by its own Schedule Trigger (every minute here, published with the
 *   others), its runs landing on any worker: they converge to the regular-mode first-load end state (one event per
 *   course in our calendar, nothing foreign touched), no run fails, and a run after convergence writes nothing.
 * - workflows/bitrix24-dictionaries-to-mysql.json the same way, two of its runs writing the first load at once
 *   (support/bitrix24-dictionaries.ts): the tables end as after the regular-mode first load.
 * - workflows/hubee-attachments-to-folders.json, one copy per démarche (two), started by their Schedule Triggers, a
 *   worker SIGKILLed mid-run (test/queue/support/hubee.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, bundledWorkflow, loadFake, scaled } from '../e2e/support/repo';
import { startDictionaries, type Dictionaries } from './support/bitrix24-dictionaries';
import { clusterLib, FINISHED, type QueueCluster } from './support/cluster';
import { startMonCampusOverlap, type MonCampusOverlap } from './support/moncampusOverlap';
import { createHubeeQueueScenario } from './support/hubee';

type Json = Record<string, any>;

const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createRecocoFake } = loadFake('recoco')!;
const { createGristFake } = loadFake('grist')!;
const { deliverWebhook, pythonJsonDumps } = loadFake('recocoWebhook')!;
const { createBitrix24Fake } = loadFake('bitrix24')!;
const { createMonCampusFake } = loadFake('moncampus')!;
const { createEcalFake } = loadFake('ecal')!;

const MONCAMPUS_USER = { username: 'queue.student', password: 'queue-password' };
const ECAL_KEYS = { apiKey: 'ecal-queue-key', secret: 'ecal-queue-secret' };
/** 60 days across the spring change of time, as in the regular-mode e2e test. */
const MONCAMPUS_WINDOW = { windowStart: '2026-03-23', windowEnd: '2026-05-21' };

/** The shipped MonCampus → ecal workflow, its Schedule Trigger every minute, Config values replaced. */
function monCampusWorkflow(values: Json): Json {
	const workflow = bundledWorkflow('moncampus-to-ecal.json', values);
	const schedule = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.scheduleTrigger');
	schedule.parameters.rule.interval = [{ field: 'cronExpression', expression: '* * * * *' }];
	return workflow;
}

const WEBHOOK_SECRET = 'recoco-queue-webhook-secret';
const GRIST_KEY = 'grist-queue-key';
const GRIST_DOC = 'recocoQueueDoc';
const GRIST_TABLE = 'Projets';
const PROJECTS = 100;
const FIRST_BODIES = 450;
const REDELIVERIES = 50;
/** Deliveries in flight at once, as a busy portal's Celery workers would send them. */
const IN_FLIGHT = 24;

/** The portal's plan in the fake and in the credential: 4 requests/s, burst 8, shared by the two workers. */
const BITRIX24_PLAN = { rate: 4, burst: 8 };
const BITRIX24_ENTITY_TYPE = 1030;
const BITRIX24_READS = 6;
const BITRIX24_IDS_PER_READ = 25;

/**
 * A test workflow, not a bundled one: a webhook answered at once, one item per id, one crm.item.get per item (one
 * request each, so that each execution spends the portal's budget for several seconds).
 */
const bitrix24Workflow: Json = {
	id: 'queueBitrix24Reads1',
	name: 'Queue test: Bitrix24 reads from any worker',
	nodes: [
		{
			id: 'b24-queue-webhook',
			name: 'Read request',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '6a1f0c0e-b24a-4c1e-9d51-0e0b24queue1',
			parameters: { httpMethod: 'POST', path: 'bitrix24-queue-reads', responseMode: 'onReceived', options: {} },
		},
		{
			id: 'b24-queue-split',
			name: 'One item per id',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.ids', options: { destinationFieldName: 'id' } },
		},
		{
			id: 'b24-queue-read',
			name: 'Read CRM item',
			type: 'n8n-nodes-sync-connectors.bitrix24',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				resource: 'method',
				operation: 'call',
				methodName: 'crm.item.get',
				params: `={{ JSON.stringify({ entityTypeId: ${BITRIX24_ENTITY_TYPE}, id: $json.id }) }}`,
				options: {},
			},
			credentials: { bitrix24InboundWebhookApi: { id: 'queueBitrix24Cred1', name: 'Bitrix24 (queue test)' } },
		},
	],
	connections: {
		'Read request': { main: [[{ node: 'One item per id', type: 'main', index: 0 }]] },
		'One item per id': { main: [[{ node: 'Read CRM item', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

/** Fisher–Yates with a fixed seed, so that a failure replays the same order. */
function shuffled<T>(list: T[], seed = 13): T[] {
	const out = [...list];
	let state = seed;
	const random = () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

describe('queue mode (main + 2 workers + 1 webhook process, one cluster for every test)', () => {
	let recoco: Json;
	let grist: Json;
	let bitrix24: Json;
	let moncampus: Json;
	let ecal: Json;
	let calendarId: string;
	let foreignSnapshot: string;
	let scheduled: Json;
	let cluster: QueueCluster;
	let distDir: string;
	let workflow: Json;
	let overlap: MonCampusOverlap;
	const hubee = createHubeeQueueScenario();
	let dictionaries: Dictionaries;

	beforeAll(async () => {
		overlap = await startMonCampusOverlap();
		distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recoco-queue-dist-'));
		privateBuild(distDir);
		recoco = createRecocoFake();
		grist = createGristFake({ apiKey: GRIST_KEY });
		bitrix24 = createBitrix24Fake({ rateLimit: BITRIX24_PLAN, seed: { crmItems: { [BITRIX24_ENTITY_TYPE]: { count: BITRIX24_IDS_PER_READ } } } });
		moncampus = createMonCampusFake(MONCAMPUS_USER);
		ecal = createEcalFake({ ...ECAL_KEYS, today: MONCAMPUS_WINDOW.windowStart });
		await Promise.all([recoco.start(), grist.start(), bitrix24.start(), moncampus.start(), ecal.start(), hubee.start()]);
		moncampus.seedRange({ from: MONCAMPUS_WINDOW.windowStart, to: MONCAMPUS_WINDOW.windowEnd, perDay: 2, startNoCours: 1000 });
		calendarId = ecal.addCalendar({ name: 'IPI Lyon - Bachelor CDA G1', reference: 'queue-g1' }).id;
		const otherCalendarId = ecal.addCalendar({ name: 'BDE', reference: 'queue-bde' }).id;
		ecal.addEvent({ calendarId: otherCalendarId, reference: 'bde-1', name: 'Soirée', location: 'Campus', startDate: '2026-03-24', startTime: '19:00', endDate: '2026-03-24', endTime: '23:00' });
		ecal.addEvent({ calendarId, reference: 'manual-42', name: 'Jury', location: 'Salle C', startDate: '2026-04-02', startTime: '14:00', endDate: '2026-04-02', endTime: '16:00' });
		foreignSnapshot = JSON.stringify(ecal.events().filter((event: Json) => !String(event.reference ?? '').startsWith(`moncampus-${calendarId}-`)));
		scheduled = monCampusWorkflow({ calendarId, ...MONCAMPUS_WINDOW });
		recoco.generateProjects(PROJECTS, { startId: 1 });
		grist.seed({
			docs: [{ id: GRIST_DOC, name: 'Recoco', tables: [{ id: GRIST_TABLE, columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }], records: [] }] }],
		});

		workflow = bundledWorkflow('recoco-to-grist.json', { gristDocId: GRIST_DOC, gristTableId: GRIST_TABLE });
		dictionaries = await startDictionaries();
		// QUEUE_LOG_DIR=<dir> keeps every process's output there, at debug level (what found the unanswered webhooks).
		const logDir = process.env.QUEUE_LOG_DIR;
		cluster = await clusterLib.startQueueCluster({ workers: 2, webhooks: 1, concurrency: 5, distDir, env: logDir ? { N8N_LOG_LEVEL: 'debug' } : {}, onLog: logDir ? (name: string, chunk: string) => fs.appendFileSync(path.join(logDir, name + '.log'), chunk) : undefined });
		const credentials = new Map<string, any>(
			workflow.nodes.flatMap((node: Json) => Object.entries(node.credentials ?? {})).map(([type, ref]: [string, any]) => [type, ref]),
		);
		const data: Json = {
			recocoWebhookApi: { secret: WEBHOOK_SECRET },
			recocoApi: { url: recoco.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' },
			gristSyncApi: { url: grist.baseUrl, apiKey: GRIST_KEY },
		};
		const bitrix24Credential = bitrix24Workflow.nodes[2].credentials.bitrix24InboundWebhookApi;
		await cluster.importCredentials([
			...[...credentials].map(([type, ref]: [string, any]) => ({ id: ref.id, name: ref.name, type, data: data[type] })),
			{
				...bitrix24Credential,
				type: 'bitrix24InboundWebhookApi',
				data: {
					selfHosted: true,
					webhookSecretUrl: bitrix24.webhookUrl,
					rateLimit: 'custom',
					requestsPerSecond: BITRIX24_PLAN.rate,
					burst: BITRIX24_PLAN.burst,
					operatingBudget: 0,
					processesSharingPortal: 2,
				},
			},
			{
				id: 'monCampusCred001',
				name: 'MonCampus account',
				type: 'monCampusApi',
				data: { casLoginUrl: moncampus.casLoginUrl, timetableUrl: moncampus.timetableBaseUrl, ...MONCAMPUS_USER, sessionToken: '' },
			},
			{ id: 'ecalApiCred00001', name: 'ECAL account', type: 'ecalApi', data: { url: ecal.apiBaseUrl, apiKey: ECAL_KEYS.apiKey, apiSecret: ECAL_KEYS.secret } },
			...overlap.credentials,
			...hubee.credentials(),
			...dictionaries.credentials,
		]);
		await cluster.importWorkflow([workflow, bitrix24Workflow, scheduled, overlap.workflow, ...hubee.workflows(cluster.sharedFilesDir), dictionaries.workflow]);
		await cluster.publishWorkflow(workflow.id);
		await cluster.publishWorkflow(bitrix24Workflow.id);
		await cluster.publishWorkflow(scheduled.id);
		await cluster.publishWorkflow(overlap.workflow.id);
		for (const id of hubee.workflowIds) await cluster.publishWorkflow(id);
		await cluster.publishWorkflow(dictionaries.workflow.id);
		await cluster.start();
		// Four n8n processes and three CLI boots on a shared 2-core machine: beyond the e2e default.
	}, scaled(40 * 60_000));

	afterAll(async () => {
		await cluster?.stop();
		await Promise.all([recoco?.stop(), grist?.stop(), bitrix24?.stop(), moncampus?.stop(), ecal?.stop(), overlap?.stop(), hubee.stop(), dictionaries?.stop()]);
		if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
	});

	function webhookUrls(): string[] {
		const trigger = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-sync-connectors.recocoTrigger');
		const webhookPath = `/webhook/${trigger.webhookId}/webhook`;
		return [cluster.main.baseUrl, cluster.webhooks[0].baseUrl].map((base) => `${base}${webhookPath}`);
	}

	/** Published webhooks register a few seconds after start: an unsigned POST is answered 401 by the trigger itself. */
	async function waitUntilTriggerAnswers(url: string): Promise<void> {
		const deadline = Date.now() + scaled(180_000);
		for (;;) {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			await response.arrayBuffer();
			if (response.status === 401) return;
			if (Date.now() > deadline) throw new Error(`${url} answered ${response.status}\n${cluster.main.logTail(40)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	/**
	 * One delivery as Recoco makes it: POST, and on a non-2xx answer (409 "being processed", 5xx) the same body
	 * again, re-signed, after a pause (django-webhook waits 60 s and more; the test waits 1 s).
	 */
	async function deliverUntilAccepted(url: string, body: string): Promise<number[]> {
		const statuses: number[] = [];
		for (let attempt = 0; attempt < 30; attempt++) {
			const answer = await deliverWebhook(url, { body, secret: WEBHOOK_SECRET });
			statuses.push(answer.status);
			if (answer.status >= 200 && answer.status < 300) return statuses;
			await new Promise((resolve) => setTimeout(resolve, scaled(1_000)));
		}
		return statuses;
	}

	test('Recoco → Grist: 500 deliveries (50 re-signed redeliveries) racing on two processes: one row per project, equal to the final state; no failed execution; both workers used', async () => {
		const urls = webhookUrls();
		for (const url of urls) await waitUntilTriggerAnswers(url);

		// 450 distinct bodies: each project changes between events (its name in the event's object), so no two bodies
		// are equal; then every project takes its final state, which every run re-reads from Recoco.
		const bodies: string[] = [];
		for (let n = 0; n < FIRST_BODIES; n++) {
			const id = (n % PROJECTS) + 1;
			const project = recoco.projects().find((candidate: Json) => candidate.id === id);
			project.name = `Projet ${id} version ${Math.floor(n / PROJECTS)}`;
			bodies.push(pythonJsonDumps(recoco.webhookEvent('projects.Project/update', id)));
		}
		for (const project of recoco.projects()) {
			project.name = `Projet ${project.id} final`;
			project.status = project.id % 2 ? 'DONE' : 'IN_PROGRESS';
		}
		const firstDeliveries = bodies.map((body, index) => ({ body, url: urls[index % 2] }));
		// Each redelivery goes to the other process than its original, right after it in the order, so the two race.
		const redelivered = shuffled(firstDeliveries).slice(0, REDELIVERIES);
		const order: Array<{ body: string; url: string }> = [];
		const redeliveryOf = new Map(redelivered.map((delivery) => [delivery, { body: delivery.body, url: urls[(urls.indexOf(delivery.url) + 1) % 2] }]));
		for (const delivery of shuffled(firstDeliveries)) {
			order.push(delivery);
			const again = redeliveryOf.get(delivery);
			if (again) order.push(again);
		}
		expect(order).toHaveLength(FIRST_BODIES + REDELIVERIES);

		cluster.say(`delivering ${order.length} bodies, ${IN_FLIGHT} at a time`);
		const outcomes: number[][] = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: IN_FLIGHT }, async () => {
				while (next < order.length) {
					const delivery = order[next++];
					outcomes.push(await deliverUntilAccepted(delivery.url, delivery.body));
				}
			}),
		);
		cluster.say('all deliveries answered');
		const refused = outcomes.filter((statuses) => !(statuses.at(-1)! >= 200 && statuses.at(-1)! < 300));
		expect(refused).toEqual([]);
		const unexpected = outcomes.flat().filter((status) => ![200, 409].includes(status));
		expect(unexpected).toEqual([]);

		// Settled: every execution finished (lastNode answers come after the run, so this is immediate).
		const deadline = Date.now() + scaled(300_000);
		let executions = await cluster.allExecutions(workflow.id);
		while (executions.some((execution) => !FINISHED.includes(execution.status)) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			executions = await cluster.allExecutions(workflow.id);
		}
		const failed = executions.filter((execution) => execution.status !== 'success');
		expect(failed.map((execution) => `${execution.id}: ${execution.status}`)).toEqual([]);
		expect(executions.length).toBeGreaterThanOrEqual(FIRST_BODIES);
		expect(executions.length).toBeLessThanOrEqual(FIRST_BODIES + REDELIVERIES);

		const rows: Json[] = grist.records(GRIST_DOC, GRIST_TABLE);
		for (const project of recoco.projects()) {
			const mine = rows.filter((row) => row.fields.object_id === project.id);
			expect({ id: project.id, rows: mine.length }).toEqual({ id: project.id, rows: 1 });
			expect(mine[0].fields).toMatchObject({ object_id: project.id, name: project.name, status: project.status });
		}
		expect(rows).toHaveLength(PROJECTS);

		const owners = cluster.workerOfExecutions();
		const perWorker = [0, 1].map((index) => executions.filter((execution) => owners.get(String(execution.id)) === index).length);
		expect(perWorker[0]).toBeGreaterThan(0);
		expect(perWorker[1]).toBeGreaterThan(0);
		expect(perWorker[0] + perWorker[1]).toBe(executions.length);
		process.stdout.write(
			`[queue] recoco→grist: ${order.length} deliveries, ${executions.length} executions (worker 0: ${perWorker[0]}, worker 1: ${perWorker[1]}), ` +
				`${outcomes.filter((statuses) => statuses.length > 1).length} answered 409 first\n`,
		);
	}, scaled(40 * 60_000));

	test('Bitrix24: two workers reading one portal at once, each within its share of the plan: no failed execution, nothing refused', async () => {
		const started = Date.now();
		const url = (base: string) => `${base}/webhook/bitrix24-queue-reads`;
		const ids = Array.from({ length: BITRIX24_IDS_PER_READ }, (_, index) => index + 1);
		// Published webhooks register a few seconds after start. A GET starts nothing: n8n answers 404 either way, naming
		// POST once the path is registered for it.
		const deadline = Date.now() + scaled(180_000);
		for (;;) {
			const probe = await fetch(url(cluster.webhooks[0].baseUrl));
			if ((await probe.text()).includes('make a POST request')) break;
			if (Date.now() > deadline) throw new Error(`webhook not registered\n${cluster.webhooks[0].logTail(40)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const refusedBefore = bitrix24.limitExceeded;
		const readsBefore = bitrix24.callsTo('crm.item.get').length;
		const answers = await Promise.all(
			Array.from({ length: BITRIX24_READS }, async (_, index) => {
				const response = await fetch(url(index % 2 ? cluster.main.baseUrl : cluster.webhooks[0].baseUrl), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ ids }),
				});
				await response.arrayBuffer();
				return response.status;
			}),
		);
		expect(answers).toEqual(Array(BITRIX24_READS).fill(200));

		// One worker's share is 2 requests/s: 150 reads take about 40 s when both workers read together.
		const settled = Date.now() + scaled(600_000);
		let executions = await cluster.allExecutions(bitrix24Workflow.id);
		while ((executions.length < BITRIX24_READS || executions.some((execution) => !FINISHED.includes(execution.status))) && Date.now() < settled) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			executions = await cluster.allExecutions(bitrix24Workflow.id);
		}
		expect(executions.map((execution) => execution.status)).toEqual(Array(BITRIX24_READS).fill('success'));
		expect(bitrix24.limitExceeded - refusedBefore).toBe(0);
		expect(bitrix24.callsTo('crm.item.get').length - readsBefore).toBe(BITRIX24_READS * BITRIX24_IDS_PER_READ);

		const owners = cluster.workerOfExecutions();
		const perWorker = [0, 1].map((index) => executions.filter((execution) => owners.get(String(execution.id)) === index).length);
		expect(perWorker[0]).toBeGreaterThan(0);
		expect(perWorker[1]).toBeGreaterThan(0);
		process.stdout.write(
			`[queue] bitrix24: ${BITRIX24_READS} executions (worker 0: ${perWorker[0]}, worker 1: ${perWorker[1]}), ` +
				`${BITRIX24_READS * BITRIX24_IDS_PER_READ} reads, 0 refused, ${Math.round((Date.now() - started) / 1000)} s\n`,
		);
	}, scaled(20 * 60_000));

	test('MonCampus → ecal started by its Schedule Trigger on the workers: converges to the regular-mode end state, no failed run, then no writes', async () => {
		const prefix = `moncampus-${calendarId}-`;
		const courses = moncampus.events().length;
		expect(courses).toBe(44 * 2); // 44 weekdays, two courses a day
		const ours = () => ecal.events().filter((event: Json) => event.calendarId === calendarId && String(event.reference ?? '').startsWith(prefix));
		const successes = async () => (await cluster.allExecutions(scheduled.id)).filter((execution) => execution.status === 'success').length;

		// Scheduled every minute since the cluster started: wait for a successful run, then for one more that starts
		// after it, with the calendar already converged.
		const deadline = Date.now() + scaled(600_000);
		while ((await successes()) < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await successes()).toBeGreaterThanOrEqual(1);
		const writes = () => ecal.apiRequests().filter((entry: Json) => entry.method !== 'GET').length;
		let executions = await cluster.allExecutions(scheduled.id);
		while (executions.some((execution) => !FINISHED.includes(execution.status)) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			executions = await cluster.allExecutions(scheduled.id);
		}
		const writesAtConvergence = writes();
		const countAtConvergence = executions.length;
		while ((await cluster.allExecutions(scheduled.id)).filter((execution) => FINISHED.includes(execution.status)).length <= countAtConvergence && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 2_000));
		}
		executions = await cluster.allExecutions(scheduled.id);
		expect(executions.length).toBeGreaterThan(countAtConvergence);

		expect(executions.filter((execution) => FINISHED.includes(execution.status) && execution.status !== 'success').map((execution) => `${execution.id}: ${execution.status}`)).toEqual([]);
		expect(executions.every((execution) => execution.mode === 'trigger')).toBe(true);
		// The regular-mode first-load end state: one event per course, nothing else touched.
		expect(ours()).toHaveLength(courses);
		expect(ours().map((event: Json) => event.reference).sort()).toEqual(moncampus.events().map((event: Json) => `${prefix}${event.NoCours}`).sort());
		expect(ours().find((event: Json) => event.reference === `${prefix}1010`)).toMatchObject({ startDate: '2026-03-30', startTime: '08:30', endTime: '12:00' });
		expect(JSON.stringify(ecal.events().filter((event: Json) => !String(event.reference ?? '').startsWith(prefix)))).toBe(foreignSnapshot);
		// A run after convergence writes nothing (ecal writes only changes).
		expect(writes() - writesAtConvergence).toBe(0);
		const owners = cluster.workerOfExecutions();
		process.stdout.write(
			`[queue] moncampus→ecal: ${executions.length} scheduled runs (workers ${executions.map((execution) => owners.get(String(execution.id)) ?? '?').join(',')}), ${courses} events\n`,
		);
	}, scaled(20 * 60_000));

	test('MonCampus → ecal: 3 runs at once on both workers, on an empty calendar, after timetable changes, and with ECAL storing a taken reference twice: the single-run end state, nothing foreign touched', async () => {
		await overlap.check(cluster);
	}, scaled(20 * 60_000));

	test('Bitrix24 dictionaries → MySQL started by its Schedule Trigger on the workers, runs overlapping: converges to the regular-mode first load, no failed run, then no writes', async () => {
		process.stdout.write(await dictionaries.check(cluster));
	}, scaled(25 * 60_000));

	// Last: its SIGKILL ends whatever else that worker runs.
	test('HubEE → folders, two démarches started by their Schedule Triggers, the worker running one SIGKILLed mid-run: every notification processed, no file missing, corrupt or stray, no status regression; the killed execution ends in error, every other one succeeds', async () => {
		const outcome = await hubee.killMidRunAndDrain(cluster);
		process.stdout.write(
			`[queue] hubee: worker-${outcome.killedWorker} killed ${outcome.seconds.toKill} s after seeding (${outcome.downloadsAtKill} downloads), running HubEE ${outcome.killedHubee.join(',')}` +
				` and other ${outcome.killedOther.join(',') || 'none'}; drained ${outcome.seconds.killToDrained} s later; ` +
				`${outcome.executions.length} HubEE executions: ${outcome.executions.map((execution) => `${execution.id} ${execution.status}`).join(', ')}; ` +
				`killed: ${outcome.killedHubee.map((id) => `${id} (${outcome.statusesSeen.get(id)!.join(' → ')}) "${outcome.errors.get(id)}"`).join(', ')}\n`,
		);
		hubee.expectInvariants(outcome);
	}, scaled(20 * 60_000));
});
