'use strict';
/**
 * n8n in queue mode, as users scale it out: one PostgreSQL and one Redis (private, services.cjs), a main
 * (`n8n start`, EXECUTIONS_MODE=queue), `n8n worker`s and `n8n webhook` processes, all on the cached n8n 2.41.1 /
 * Node 24. Every process has its own user folder with its own copy of the package (as on separate machines) and the
 * one shared N8N_ENCRYPTION_KEY; binary data goes to one shared folder in filesystem mode (the README's
 * recommendation: shared storage, e.g. NFS, across machines). Every process may also read and write one shared files
 * folder (`cluster.sharedFilesDir`, in each process's N8N_RESTRICT_FILE_ACCESS_TO besides its own `files`): where a
 * workflow that writes files (HubEE's download root) must find the same files whichever worker runs it.
 *
 *   const cluster = await startQueueCluster({ workers: 2, webhooks: 1, distDir });
 *   await cluster.importCredentials([...]); await cluster.importWorkflow([...]); await cluster.publishWorkflow(id);
 *   await cluster.start();            // main, then workers and webhook processes, each ready
 *   cluster.main.request(…)           // the main's REST handle (n8n/server.cjs)
 *   cluster.webhooks[0].baseUrl       // where production webhooks are delivered
 *   cluster.workerOfExecutions()      // Map execution id → worker index, from the workers' logs (killed ones too)
 *   await cluster.allExecutions(id)   // every execution of a workflow, all pages, without run data
 *   await cluster.killWorker(0)       // SIGKILL, as a crash; cluster.startWorker(0) starts it again
 *   await cluster.stop();
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { createN8nRuntime } = require('../n8n-runtime.cjs');
const { installPackageCopy } = require('../n8n/package-install.cjs');
const { freePort } = require('../ports.cjs');
const { scaled } = require('../time-scale.cjs');
const { tail } = require('../n8n/log-tail.cjs');
const { startPostgres, startRedis } = require('./services.cjs');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const { trackProcessGroup } = require('../shutdown.cjs');

/**
 * A worker or webhook process: spawned, its output kept, ready once `readyLine` shows up (and, for a webhook process,
 * its /healthz answers).
 */
async function startAuxProcess({ nodeBin, n8nBin, args, env, cwd, readyLine, healthUrl, name, timeoutMs = scaled(300000), onLog }) {
	let output = '';
	const child = spawn(nodeBin, [n8nBin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const onData = (chunk) => {
		output += chunk;
		if (output.length > 4_000_000) output = output.slice(-2_000_000);
		onLog?.(name, String(chunk));
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = false;
	const exitedPromise = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = true;
			resolve({ code, signal });
		}),
	);
	const stopGroup = trackProcessGroup(child.pid, exitedPromise);
	const handle = {
		name,
		pid: child.pid,
		get log() {
			return output;
		},
		get running() {
			return !exited;
		},
		exited: exitedPromise,
		logTail: (lines) => tail(output, lines),
		async stop(signal = 'SIGTERM') {
			await stopGroup(signal, 30000);
		},
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited) throw new Error(`${name} exited during startup\n${tail(output)}`);
		if (output.includes(readyLine)) {
			if (!healthUrl) break;
			try {
				const response = await fetch(healthUrl);
				await response.arrayBuffer();
				if (response.ok) break;
			} catch {
				// not listening yet
			}
		}
		if (Date.now() > deadline) {
			await handle.stop('SIGKILL');
			throw new Error(`${name} not ready after ${timeoutMs} ms (E2E_TIME_SCALE scales the limit)\n${tail(output)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	return handle;
}

/**
 * @param {object} options
 * @param {number} [options.workers]        default 2
 * @param {number} [options.webhooks]       `n8n webhook` processes, default 1
 * @param {number} [options.concurrency]    each worker's --concurrency (default 10, n8n's)
 * @param {string} [options.distDir]        the built package (default dist/)
 * @param {Record<string,string>} [options.env]  extra env for every process
 * @param {(name: string, chunk: string) => void} [options.onLog]
 */
async function startQueueCluster(options = {}) {
	const workerCount = options.workers ?? 2;
	const webhookCount = options.webhooks ?? 1;
	const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
	const sharedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	const binaryDir = path.join(sharedDir, 'binary-data');
	fs.mkdirSync(binaryDir, { recursive: true });
	const sharedFilesDir = path.join(sharedDir, 'shared-files');
	fs.mkdirSync(sharedFilesDir, { recursive: true });
	/** A process's N8N_RESTRICT_FILE_ACCESS_TO: its own files folder and the shared one (n8n splits the list on `;`). */
	const allowedFiles = (ownFiles) => `${ownFiles};${sharedFilesDir}`;
	const queueEnv = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		// n8n's default pool (2 connections, 20 s to get one) starves a worker running several executions on a loaded
		// machine: runs then fail with "timeout exceeded when trying to connect".
		DB_POSTGRESDB_POOL_SIZE: '10',
		DB_POSTGRESDB_CONNECTION_TIMEOUT: String(scaled(120000)),
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Keep finished jobs in Redis for a while. n8n 2.41 removes a job the moment it completes (keep-last 0), and the
		// process that enqueued it (main or webhook) only starts waiting for it after addJob and the
		// workflowExecuteBefore hook: Bull's job.finished() then checks the completed/failed sets once and listens for
		// the completion event. A run that ends within that window (a fast run, a loaded main) has published its event
		// already and left no trace in the sets, so the wait never ends and a lastNode webhook (Recoco) is never
		// answered. Kept jobs are seen by that check and by Bull's 5 s watchdog. Bull trims to the last N per set.
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
		// Filesystem binary data on storage every process shares (n8n's queue-mode default is the database).
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_BINARY_DATA_STORAGE_PATH: binaryDir,
		...(options.env ?? {}),
	};
	let runtime;
	try {
		runtime = await createN8nRuntime({ distDir: options.distDir, env: queueEnv, onLog: options.onLog && ((chunk) => options.onLog('main', chunk)) });
	} catch (error) {
		await Promise.all([pg.stop(), redis.stop()]);
		throw error;
	}

	const workers = [];
	/** The logs of killed or stopped workers, per index: their executions still belong to them. */
	const pastWorkerLogs = [];
	const webhooks = [];
	let main;

	/** Own user folder with its own package copy, like a separate machine; same database, Redis and key. */
	function processFolder(name) {
		const userFolder = path.join(sharedDir, name);
		fs.mkdirSync(path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
		fs.mkdirSync(path.join(userFolder, 'files'), { recursive: true });
		installPackageCopy(REPO_ROOT, path.join(userFolder, '.n8n', 'nodes'), options.distDir ?? process.env.N8N_E2E_DIST ?? path.join(REPO_ROOT, 'dist'));
		return userFolder;
	}

	async function processEnv(name, extra = {}) {
		const userFolder = processFolder(name);
		return {
			userFolder,
			env: {
				...runtime.env,
				N8N_USER_FOLDER: userFolder,
				N8N_RESTRICT_FILE_ACCESS_TO: allowedFiles(path.join(userFolder, 'files')),
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...extra,
			},
		};
	}

	async function startWorker(index) {
		const { userFolder, env } = await processEnv(`worker-${index}`, { N8N_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()) });
		const handle = await startAuxProcess({
			nodeBin: runtime.nodeBin,
			n8nBin: runtime.n8nBin,
			args: ['worker', `--concurrency=${options.concurrency ?? 10}`],
			env,
			cwd: userFolder,
			readyLine: 'n8n worker is now ready',
			name: `worker-${index}`,
			onLog: options.onLog,
		});
		if (workers[index]) (pastWorkerLogs[index] ??= []).push(workers[index].log);
		workers[index] = handle;
		return handle;
	}

	async function startWebhook(index) {
		const port = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const { userFolder, env } = await processEnv(`webhook-${index}`, { N8N_PORT: String(port), N8N_WEBHOOK_URL: `${baseUrl}/` });
		const handle = await startAuxProcess({
			nodeBin: runtime.nodeBin,
			n8nBin: runtime.n8nBin,
			args: ['webhook'],
			env,
			cwd: userFolder,
			readyLine: 'Webhook listener waiting for requests',
			healthUrl: `${baseUrl}/healthz`,
			name: `webhook-${index}`,
			onLog: options.onLog,
		});
		handle.baseUrl = baseUrl;
		handle.port = port;
		webhooks[index] = handle;
		return handle;
	}

	/** Milestones on stderr with the time since the cluster began: a boot takes minutes on a loaded machine. */
	const began = Date.now();
	const say = (message) => {
		if (options.quiet !== true) process.stderr.write(`[queue +${Math.round((Date.now() - began) / 1000)}s] ${message}\n`);
	};

	async function start() {
		say('starting main (n8n start, EXECUTIONS_MODE=queue)');
		main = await runtime.startServer({ env: { N8N_RESTRICT_FILE_ACCESS_TO: allowedFiles(runtime.filesFolder) } });
		await main.login();
		say(`main ready on ${main.baseUrl}; starting ${workerCount} worker(s) and ${webhookCount} webhook process(es)`);
		// The main has migrated the database: workers and webhook processes only connect, so they boot together.
		await Promise.all([
			...Array.from({ length: workerCount }, (_, i) => startWorker(i).then(() => say(`worker-${i} ready`))),
			...Array.from({ length: webhookCount }, (_, i) => startWebhook(i).then(() => say(`webhook-${i} ready`))),
		]);
		return main;
	}

	/** Execution id → index of the worker that started it (from "Worker started execution <id>" log lines). */
	function workerOfExecutions() {
		const owners = new Map();
		workers.forEach((worker, index) => {
			for (const log of [...(pastWorkerLogs[index] ?? []), worker?.log ?? '']) {
				for (const match of log.matchAll(/Worker started execution (\d+)/g)) owners.set(match[1], index);
			}
		});
		return owners;
	}

	/**
	 * Every execution of a workflow (the main's public API, paged by its cursor), without run data. That API leaves out
	 * the executions the main itself is running unless asked for `status=running`, so those are read too: a wait for
	 * "every execution finished" must see the running ones.
	 */
	async function allExecutions(workflowId) {
		const byId = new Map();
		for (const status of [undefined, 'running']) {
			let cursor;
			do {
				const qs = new URLSearchParams({ workflowId, includeData: 'false', limit: '250' });
				if (status) qs.set('status', status);
				if (cursor) qs.set('cursor', cursor);
				const page = await main.json(`/api/v1/executions?${qs}`);
				for (const execution of page.data) if (!byId.has(String(execution.id))) byId.set(String(execution.id), execution);
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
		}
		// Newest first, as the API lists them.
		return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
	}

	async function stop() {
		for (const handle of [...webhooks, ...workers]) await handle?.stop();
		await runtime.stop();
		await Promise.all([pg.stop(), redis.stop()]);
		if (!process.env.N8N_E2E_KEEP) fs.rmSync(sharedDir, { recursive: true, force: true });
	}

	return {
		runtime,
		pg,
		redis,
		binaryDir,
		sharedFilesDir,
		get main() {
			return main;
		},
		workers,
		webhooks,
		say: (message) => say(message),
		importCredentials: async (list) => {
			say('n8n import:credentials');
			return await runtime.importCredentials(list);
		},
		importWorkflow: async (workflows) => {
			say('n8n import:workflow');
			return await runtime.importWorkflow(workflows);
		},
		publishWorkflow: async (id) => {
			say(`n8n publish:workflow ${id}`);
			return await runtime.publishWorkflow(id);
		},
		start,
		startWorker,
		startWebhook,
		workerOfExecutions,
		allExecutions,
		async killWorker(index) {
			await workers[index].stop('SIGKILL');
		},
		stop,
	};
}

module.exports = { startQueueCluster };
