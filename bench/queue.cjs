'use strict';
/**
 * `npm run bench -- queue`: Recoco events processed end to end in n8n queue mode, with 1 worker and then 2 workers,
 * each `n8n worker --concurrency=2`, on one cluster (scripts/lib/queue/cluster.cjs: private PostgreSQL + Redis, a
 * main, one `n8n webhook` process, the package installed on each; the second worker joins between the two phases).
 * The bundled workflows/recoco-to-grist.json receives signed deliveries (Recoco Trigger, answered when the run ends)
 * and writes to the Grist fake, which waits 500 ms before answering every request (upstream latency), so that waiting
 * on upstream dominates on a 2-core machine and a second worker can overlap that waiting.
 * Each phase delivers QUEUE_BENCH_EVENTS distinct bodies (default 60) from QUEUE_BENCH_IN_FLIGHT senders (default
 * 12, at least 8 executions in flight, more than the 4 slots of two workers), alternating main and webhook process,
 * after an untimed warm-up. events/s = events / (last answer − first send). Every execution of the phase must
 * succeed and the Grist rows must equal the Recoco fake's final state; otherwise the bench fails.
 * Last line: `queue events_s: <1 worker> -> <2 workers> (x<ratio>)`. The cluster starts in minutes on a loaded machine.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { bundledWorkflow } = require(path.join(REPO_ROOT, 'scripts/lib/demo/workflows.cjs'));
const { startQueueCluster } = require(path.join(REPO_ROOT, 'scripts/lib/queue/cluster.cjs'));
const { scaled } = require(path.join(REPO_ROOT, 'scripts/lib/time-scale.cjs'));
const { createRecocoFake } = require(path.join(REPO_ROOT, 'test/fakes/recoco.cjs'));
const { createGristFake } = require(path.join(REPO_ROOT, 'test/fakes/grist.cjs'));
const { deliverWebhook, pythonJsonDumps } = require(path.join(REPO_ROOT, 'test/fakes/recocoWebhook.cjs'));

const EVENTS = Number(process.env.QUEUE_BENCH_EVENTS || 60);
const IN_FLIGHT = Math.max(8, Number(process.env.QUEUE_BENCH_IN_FLIGHT || 12));
const WARM_UP = 4;
const CONCURRENCY = 2;
const UPSTREAM_LATENCY_MS = 500;
const PROJECTS = 50;
const WEBHOOK_SECRET = 'recoco-queue-bench-secret';
const GRIST_KEY = 'grist-queue-bench-key';
const GRIST_DOC = 'recocoQueueBench';
const GRIST_TABLE = 'Projets';
const { FINISHED } = require(path.join(REPO_ROOT, 'scripts/lib/n8n/run-result.cjs'));

function log(message) {
	process.stdout.write(`${message}\n`);
}

async function main() {
	const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-bench-dist-'));
	const recoco = createRecocoFake();
	const grist = createGristFake({ apiKey: GRIST_KEY });
	let cluster;
	try {
		privateBuild(distDir);
		await Promise.all([recoco.start(), grist.start()]);
		recoco.generateProjects(PROJECTS, { startId: 1 });
		grist.seed({
			docs: [{ id: GRIST_DOC, name: 'Recoco', tables: [{ id: GRIST_TABLE, columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }], records: [] }] }],
		});
		grist.setFaults({ latencyMs: UPSTREAM_LATENCY_MS });

		const workflow = bundledWorkflow('recoco-to-grist.json', { gristDocId: GRIST_DOC, gristTableId: GRIST_TABLE });
		const data = {
			recocoWebhookApi: { secret: WEBHOOK_SECRET },
			recocoApi: { url: recoco.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' },
			gristSyncApi: { url: grist.baseUrl, apiKey: GRIST_KEY },
		};
		const credentials = new Map(workflow.nodes.flatMap((node) => Object.entries(node.credentials ?? {})));
		cluster = await startQueueCluster({ workers: 1, webhooks: 1, concurrency: CONCURRENCY, distDir });
		await cluster.importCredentials([...credentials].map(([type, ref]) => ({ id: ref.id, name: ref.name, type, data: data[type] })));
		await cluster.importWorkflow([workflow]);
		await cluster.publishWorkflow(workflow.id);
		await cluster.start();

		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-sync-connectors.recocoTrigger');
		const urls = [cluster.main.baseUrl, cluster.webhooks[0].baseUrl].map((base) => `${base}/webhook/${trigger.webhookId}/webhook`);
		for (const url of urls) {
			const deadline = Date.now() + scaled(180_000);
			for (;;) {
				const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				await response.arrayBuffer();
				if (response.status === 401) break;
				if (Date.now() > deadline) throw new Error(`${url} answered ${response.status}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}

		let version = 0;
		const touched = new Set();
		/** `count` distinct bodies (each project changes between events), sent IN_FLIGHT at a time; seconds taken. */
		async function deliver(count) {
			const bodies = [];
			for (let n = 0; n < count; n++) {
				const id = (n % PROJECTS) + 1;
				const project = recoco.projects().find((candidate) => candidate.id === id);
				project.name = `Projet ${id} version ${++version}`;
				touched.add(id);
				bodies.push(pythonJsonDumps(recoco.webhookEvent('projects.Project/update', id)));
			}
			let next = 0;
			const bad = [];
			const started = Date.now();
			await Promise.all(
				Array.from({ length: Math.min(IN_FLIGHT, count) }, async () => {
					while (next < bodies.length) {
						const index = next++;
						for (let attempt = 0; ; attempt++) {
							const answer = await deliverWebhook(urls[index % 2], { body: bodies[index], secret: WEBHOOK_SECRET });
							if (answer.status >= 200 && answer.status < 300) break;
							// 409: the same body is being processed elsewhere; anything else is a failure of the bench.
							if (answer.status !== 409 || attempt >= 30) {
								bad.push(`delivery ${index}: ${answer.status}`);
								break;
							}
							await new Promise((resolve) => setTimeout(resolve, 1_000));
						}
					}
				}),
			);
			const seconds = (Date.now() - started) / 1000;
			if (bad.length) throw new Error(`deliveries refused: ${bad.slice(0, 5).join(', ')}`);
			return seconds;
		}

		async function settledCheck(label) {
			const deadline = Date.now() + scaled(300_000);
			let executions = await cluster.allExecutions(workflow.id);
			while (executions.some((execution) => !FINISHED.includes(execution.status)) && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				executions = await cluster.allExecutions(workflow.id);
			}
			const failed = executions.filter((execution) => execution.status !== 'success');
			if (failed.length) throw new Error(`${label}: ${failed.length} execution(s) not successful: ${failed.slice(0, 5).map((e) => `${e.id} ${e.status}`).join(', ')}`);
			const rows = grist.records(GRIST_DOC, GRIST_TABLE);
			for (const project of recoco.projects().filter((candidate) => touched.has(candidate.id))) {
				const mine = rows.filter((row) => row.fields.object_id === project.id);
				if (mine.length !== 1 || mine[0].fields.name !== project.name) {
					throw new Error(`${label}: project ${project.id} has ${mine.length} row(s), name ${mine[0]?.fields.name} instead of ${project.name}`);
				}
			}
			return executions;
		}

		async function phase(workers) {
			await deliver(WARM_UP * workers);
			const before = new Set((await settledCheck(`${workers} worker(s) warm-up`)).map((execution) => String(execution.id)));
			const gristBefore = grist.log.length;
			const seconds = await deliver(EVENTS);
			const executions = (await settledCheck(`${workers} worker(s)`)).filter((execution) => !before.has(String(execution.id)));
			const owners = cluster.workerOfExecutions();
			const perWorker = Array.from({ length: workers }, (_, index) => executions.filter((execution) => owners.get(String(execution.id)) === index).length);
			const rate = EVENTS / seconds;
			log(
				`${workers} worker(s) × --concurrency ${CONCURRENCY}: ${EVENTS} events in ${seconds.toFixed(1)} s = ${rate.toFixed(2)} events/s ` +
					`(${executions.length} executions, per worker ${perWorker.join('/')}, ${grist.log.length - gristBefore} Grist requests)`,
			);
			if (perWorker.some((count) => count === 0)) throw new Error(`a worker ran nothing: ${perWorker.join('/')}`);
			return rate;
		}

		log(
			`queue bench: ${EVENTS} Recoco events per phase, ${IN_FLIGHT} deliveries in flight, workers at --concurrency ${CONCURRENCY}, ` +
				`Grist fake answering every request after ${UPSTREAM_LATENCY_MS} ms (upstream latency); ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
		);
		const one = await phase(1);
		cluster.say('starting a second worker');
		await cluster.startWorker(1);
		const two = await phase(2);
		log(`queue events_s: ${one.toFixed(2)} -> ${two.toFixed(2)} (x${(two / one).toFixed(2)})`);
	} finally {
		await cluster?.stop().catch((error) => process.stderr.write(`cluster stop: ${error.message}\n`));
		await Promise.all([recoco.stop(), grist.stop()]);
		fs.rmSync(distDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
