'use strict';
/**
 * A throw-away real n8n (the cached 2.41.1 on Node 24) with this package installed the way users install it:
 * as a community package in $N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-sync-connectors, so node types
 * are `n8n-nodes-sync-connectors.<node>` exactly as in the shipped workflows.
 *
 *   const n8n = await createN8nRuntime();
 *   await n8n.importCredentials([{ id, name, type, data }]);
 *   await n8n.importWorkflow('workflows/x.json');
 *   const run = await n8n.execute('wfId');          // IRun JSON; throws unless status is success
 *   const server = await n8n.startServer({ port }); // owner login, REST, webhooks, manual runs (n8n/server.cjs)
 *   await n8n.stop();                                // stops the server, removes the temp folder
 *
 * Every CLI command boots n8n and runs migrations (~5 s), and the server must be stopped before running CLI
 * commands on the same SQLite file, so callers batch imports and start the server once.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { ensureN8n } = require('./n8n-install.cjs');
const { freePort } = require('./ports.cjs');
const { PACKAGE_NAME, linkPackage, installPackageCopy } = require('./n8n/package-install.cjs');
const { parseRunOutput, runError, nodeOutput, isFinished } = require('./n8n/run-result.cjs');
const { createCli } = require('./n8n/cli.cjs');
const { startServerProcess } = require('./n8n/server.cjs');
const { timeScale } = require('./time-scale.cjs');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const OWNER = { email: 'owner@example.com', password: 'Demo-owner-1', firstName: 'Demo', lastName: 'Owner' };

function cleanEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		// jest sets NODE_ENV=test (n8n changes behaviour under it); npm run exports its config; the caller's own
		// n8n settings must not leak into a throw-away instance.
		if (/^(npm_|N8N_|DB_|JEST_|NODE_OPTIONS$|NODE_ENV$|NODE_PATH$|WEBHOOK_URL$|EXECUTIONS_)/i.test(key)) continue;
		env[key] = value;
	}
	return env;
}

/**
 * @param {object} [options]
 * @param {string} [options.packageDir]   repo root holding package.json + dist/ (default: this repo)
 * @param {string} [options.distDir]      the built files (default: <packageDir>/dist, or $N8N_E2E_DIST)
 * @param {string} [options.userFolder]   N8N_USER_FOLDER to use (default: a new temp folder, removed by stop())
 * @param {boolean} [options.installPackage]  copy the built package in (default true)
 * @param {boolean} [options.linkPackage]     link the package folder instead of copying it (npm run dev)
 * @param {Record<string,string>} [options.env]  extra env for every n8n process
 * @param {(line: string) => void} [options.onLog]  receives n8n's output lines (default: kept for error tails)
 */
async function createN8nRuntime(options = {}) {
	const { NODE_BIN, N8N_BIN, N8N_MODULES } = ensureN8n();
	const ownTemp = !options.userFolder;
	const userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	const n8nFolder = path.join(userFolder, '.n8n');
	const filesFolder = path.join(userFolder, 'files');
	fs.mkdirSync(path.join(n8nFolder, 'nodes'), { recursive: true });
	fs.mkdirSync(filesFolder, { recursive: true });

	let installed;
	if (options.linkPackage) {
		installed = linkPackage(options.packageDir ?? REPO_ROOT, path.join(n8nFolder, 'nodes'));
	} else if (options.installPackage !== false) {
		const packageDir = options.packageDir ?? REPO_ROOT;
		const distDir = options.distDir ?? process.env.N8N_E2E_DIST ?? path.join(packageDir, 'dist');
		installed = installPackageCopy(packageDir, path.join(n8nFolder, 'nodes'), distDir);
	}

	const bcrypt = require(path.join(N8N_MODULES, 'bcryptjs'));
	const owner = { ...OWNER, ...(options.owner ?? {}) };
	const passwordHash = bcrypt.hashSync(owner.password, 10);
	const encryptionKey = options.encryptionKey ?? crypto.randomBytes(24).toString('hex');
	const runnerBrokerPort = await freePort();

	const baseEnv = {
		...cleanEnv(),
		PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RESTRICT_FILE_ACCESS_TO: filesFolder,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(runnerBrokerPort),
		// Every Code node runs in n8n's task runner, a child process that must fetch a grant token within 30 s and
		// get a task accepted within 60 s (n8n's defaults). On a shared 2-core machine at load 40 the runner boots
		// slower than that and the run fails with "Task request timed out"; allow minutes, scaled like every wait.
		N8N_RUNNERS_GRANT_TOKEN_TTL: String(Math.round(300 * timeScale())),
		N8N_RUNNERS_TASK_REQUEST_TIMEOUT: String(Math.round(300 * timeScale())),
		N8N_RUNNERS_HEARTBEAT_INTERVAL: String(Math.round(120 * timeScale())),
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash,
		...(options.env ?? {}),
	};

	let server;
	const commands = createCli({
		nodeBin: NODE_BIN,
		n8nBin: N8N_BIN,
		userFolder,
		env: baseEnv,
		serverRunning: () => Boolean(server),
		onLog: options.onLog,
	});

	/**
	 * `n8n start` on `port` (default: a free one), resolved once n8n is fully ready. `publish`: workflow ids to
	 * publish first (publishing takes effect at start; webhooks still need waitForWebhook).
	 * @param {{ port?: number, env?: Record<string, string>, publish?: string[], healthTimeoutMs?: number }} [options]
	 */
	async function startServer({ port, env = {}, publish = [], healthTimeoutMs } = {}) {
		if (server) throw new Error('n8n server already running');
		for (const id of publish) await commands.publishWorkflow(id);
		const setup = { nodeBin: NODE_BIN, n8nBin: N8N_BIN, userFolder, env: baseEnv, owner, onLog: options.onLog };
		let handle;
		setup.onStopped = () => {
			if (server === handle || !handle) server = undefined;
		};
		server = { starting: true };
		try {
			handle = await startServerProcess(setup, { port, env, healthTimeoutMs });
		} catch (error) {
			server = undefined;
			throw error;
		}
		server = handle;
		return handle;
	}

	async function stop({ keepFolder = false } = {}) {
		if (server?.stop) await server.stop();
		// A child of n8n (the task runner) can still be writing in the folder for a moment after n8n exits: retry.
		if (ownTemp && !keepFolder && !process.env.N8N_E2E_KEEP) {
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
		}
	}

	return {
		userFolder,
		n8nFolder,
		filesFolder,
		encryptionKey,
		owner,
		installed,
		env: baseEnv,
		nodeBin: NODE_BIN,
		n8nBin: N8N_BIN,
		get server() {
			return server?.stop ? server : undefined;
		},
		...commands,
		startServer,
		stop,
	};
}

module.exports = {
	createN8nRuntime,
	installPackageCopy,
	linkPackage,
	parseRunOutput,
	runError,
	nodeOutput,
	isFinished,
	freePort,
	PACKAGE_NAME,
	REPO_ROOT,
	OWNER,
};
