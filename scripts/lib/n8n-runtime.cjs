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
 *   const server = await n8n.startServer({ port }); // owner login, REST, webhooks
 *   await n8n.stop();                                // stops the server, removes the temp folder
 *
 * Every CLI command boots n8n and runs migrations (~5 s), and the server must be stopped before running CLI
 * commands on the same SQLite file, so callers batch imports and start the server once.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { ensureN8n } = require('./n8n-install.cjs');
const { freePort } = require('./ports.cjs');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-sync-connectors';
const OWNER = { email: 'owner@example.com', password: 'Demo-owner-1', firstName: 'Demo', lastName: 'Owner' };
const LOG_TAIL_LINES = 60;

/** Servers still running when this process exits (a crashed test, an uncaught error) are killed with it. */
const liveGroups = new Set();
process.on('exit', () => {
	for (const pgid of liveGroups) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});


function tail(text, lines = LOG_TAIL_LINES) {
	return String(text).split('\n').slice(-lines).join('\n');
}

/**
 * The package as `npm i` would place it: package.json, dist/, workflows/. Entries of n8n.nodes/credentials whose
 * built file is missing are dropped from the copy (n8n would refuse the whole package otherwise) and reported in
 * `missing`, so a half-written package can still be exercised; the smoke e2e fails while anything is missing.
 */
/** `npm run dev`: the package folder itself, linked, so that n8n's hot reload sees every rebuild of dist/. */
function linkPackage(packageDir, nodesDir) {
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.rmSync(target, { recursive: true, force: true });
	fs.symlinkSync(packageDir, target, 'dir');
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter(
		(file) => !fs.existsSync(path.join(packageDir, file)),
	);
	return { target, missing, nodes: pkg.n8n?.nodes ?? [], credentials: pkg.n8n?.credentials ?? [], linked: true };
}

function installPackageCopy(packageDir, nodesDir, distDir = path.join(packageDir, 'dist')) {
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	if (!fs.existsSync(distDir)) throw new Error(`${distDir} does not exist: run \`npm run build\` first`);
	fs.cpSync(distDir, path.join(target, 'dist'), { recursive: true });
	if (fs.existsSync(path.join(packageDir, 'workflows'))) {
		fs.cpSync(path.join(packageDir, 'workflows'), path.join(target, 'workflows'), { recursive: true });
	}
	const missing = [];
	const keep = (list = []) =>
		list.filter((file) => {
			const present = fs.existsSync(path.join(distDir, path.relative('dist', file)));
			if (!present) missing.push(file);
			return present;
		});
	const copy = { ...pkg, n8n: { ...pkg.n8n, nodes: keep(pkg.n8n?.nodes), credentials: keep(pkg.n8n?.credentials) } };
	delete copy.devDependencies;
	delete copy.scripts;
	fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(copy, null, 2)}\n`);
	return { target, missing, nodes: copy.n8n.nodes, credentials: copy.n8n.credentials };
}

/** The JSON that `n8n execute` prints through its logger after some log lines. */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start < 0) return undefined;
	const rest = lines.slice(start);
	for (let end = rest.length; end > 0; end -= 1) {
		if (!rest[end - 1].trimEnd().endsWith('}')) continue;
		try {
			return JSON.parse(rest.slice(0, end).join('\n'));
		} catch {
			// a log line after the JSON also ends with '}': keep shrinking
		}
	}
	return undefined;
}

/** The first error n8n recorded in a run: the node that failed and its message. */
function runError(run) {
	const error = run?.data?.resultData?.error;
	if (error) return { node: error.node?.name, message: error.message, description: error.description };
	for (const [node, tasks] of Object.entries(run?.data?.resultData?.runData ?? {})) {
		for (const task of tasks) {
			if (task.error) return { node, message: task.error.message, description: task.error.description };
		}
	}
	return undefined;
}

/** The items a node output in its first run (main output `output`). */
function nodeOutput(run, nodeName, output = 0) {
	const tasks = run?.data?.resultData?.runData?.[nodeName];
	if (!tasks) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run?.data?.resultData?.runData ?? {})}`);
	return (tasks[0].data?.main?.[output] ?? []).map((item) => item.json);
}

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
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash,
		...(options.env ?? {}),
	};

	let server;
	let tempCounter = 0;

	/** Runs one n8n CLI command to completion. Resolves {code, stdout, stderr}; never throws on exit code. */
	function cli(args, { env = {}, timeoutMs = 300000 } = {}) {
		if (server) throw new Error(`stop the n8n server before running \`n8n ${args[0]}\` (same SQLite file)`);
		return new Promise((resolve, reject) => {
			const child = spawn(NODE_BIN, [N8N_BIN, ...args], {
				cwd: userFolder,
				env: { ...baseEnv, N8N_PORT: '0', ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => {
				stdout += chunk;
				options.onLog?.(String(chunk));
			});
			child.stderr.on('data', (chunk) => {
				stderr += chunk;
				options.onLog?.(String(chunk));
			});
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${tail(stdout + stderr)}`));
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async function cliOrThrow(args, opts) {
		const result = await cli(args, opts);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited ${result.code}\n${tail(result.stdout + result.stderr)}`);
		}
		return result;
	}

	function tempJson(prefix, value) {
		tempCounter += 1;
		const file = path.join(userFolder, `${prefix}-${tempCounter}.json`);
		fs.writeFileSync(file, JSON.stringify(value));
		return file;
	}

	/** Array of {id, name, type, data:{plaintext}}; n8n encrypts it on import. Fixed ids keep workflows' references valid. */
	async function importCredentials(credentials) {
		const list = Array.isArray(credentials) ? credentials : [credentials];
		if (list.length === 0) return;
		await cliOrThrow(['import:credentials', `--input=${tempJson('credentials', list)}`]);
	}

	/** A workflow object, an array of them, or a path to a JSON file; imported as is (inactive). Returns the ids. */
	async function importWorkflow(workflowOrPath) {
		const file =
			typeof workflowOrPath === 'string' ? path.resolve(workflowOrPath) : tempJson('workflow', workflowOrPath);
		const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
		const list = Array.isArray(parsed) ? parsed : [parsed];
		for (const workflow of list) {
			if (!workflow.id) throw new Error(`workflow "${workflow.name}" in ${file} has no fixed id`);
		}
		await cliOrThrow(['import:workflow', `--input=${file}`]);
		return list.map((workflow) => workflow.id);
	}

	async function publishWorkflow(id) {
		await cliOrThrow(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * Runs a workflow once (it must start with a Manual Trigger) and returns
	 * {ok, code, status, run, error, log}. `n8n execute --file` exits 0 without running anything, so only --id
	 * is used, and a run only counts when its JSON says so.
	 */
	async function executeRaw(id, { timeoutMs } = {}) {
		const result = await cli(['execute', `--id=${id}`], { timeoutMs });
		const log = result.stdout + result.stderr;
		const run = parseRunOutput(result.stdout);
		const status = run?.status;
		return { ok: result.code === 0 && status === 'success', code: result.code, status, run, error: runError(run), log };
	}

	async function execute(id, opts) {
		const result = await executeRaw(id, opts);
		if (!result.ok) {
			const cause = result.error ? `${result.error.node}: ${result.error.message}` : 'no run result printed';
			throw new Error(
				`n8n execute --id=${id}: exit ${result.code}, status ${result.status ?? 'none'} (${cause})\n${tail(result.log)}`,
			);
		}
		return result.run;
	}

	/**
	 * `n8n start` on `port` (default: a free one), resolved once n8n is fully ready. `publish`: workflow ids to
	 * publish first (publishing takes effect at start; webhooks still need waitForWebhook).
	 */
	async function startServer({ port, env = {}, publish = [], healthTimeoutMs = 120000 } = {}) {
		if (server) throw new Error('n8n server already running');
		for (const id of publish) await publishWorkflow(id);
		const listenPort = port ?? (await freePort());
		const baseUrl = `http://127.0.0.1:${listenPort}`;
		let output = '';
		const child = spawn(NODE_BIN, [N8N_BIN, 'start'], {
			cwd: userFolder,
			env: { ...baseEnv, N8N_PORT: String(listenPort), N8N_EDITOR_BASE_URL: baseUrl, N8N_WEBHOOK_URL: `${baseUrl}/`, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const onData = (chunk) => {
			output += chunk;
			if (output.length > 2_000_000) output = output.slice(-1_000_000);
			options.onLog?.(String(chunk));
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let exited = false;
		liveGroups.add(child.pid);
		const exitPromise = new Promise((resolve) =>
			child.on('exit', (code, signal) => {
				exited = true;
				liveGroups.delete(child.pid);
				resolve({ code, signal });
			}),
		);

		let cookie = '';
		const handle = {
			baseUrl,
			port: listenPort,
			owner,
			pid: child.pid,
			get log() {
				return output;
			},
			/** resolves {code, signal} when the server process ends, whoever ended it */
			exited: exitPromise,
			logTail: (lines) => tail(output, lines),

			/** fetch relative to the server, with the login cookie when there is one. */
			async request(urlPath, init = {}) {
				const headers = { ...(init.headers ?? {}) };
				if (cookie) headers.cookie = cookie;
				let body = init.body;
				if (body !== undefined && typeof body !== 'string') {
					body = JSON.stringify(body);
					headers['content-type'] ??= 'application/json';
				}
				return fetch(new URL(urlPath, baseUrl), { ...init, headers, body });
			},

			async json(urlPath, init) {
				const response = await handle.request(urlPath, init);
				const text = await response.text();
				let parsed;
				try {
					parsed = text ? JSON.parse(text) : undefined;
				} catch {
					parsed = undefined;
				}
				if (!response.ok) {
					throw new Error(`${init?.method ?? 'GET'} ${urlPath} → ${response.status}: ${text.slice(0, 500)}`);
				}
				return parsed;
			},

			async login() {
				const response = await fetch(`${baseUrl}/rest/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
				});
				if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
				const setCookie = response.headers.getSetCookie?.() ?? [response.headers.get('set-cookie') ?? ''];
				const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
				if (!auth) throw new Error('login answered without an n8n-auth cookie');
				cookie = auth;
				return cookie;
			},

			/**
			 * Published webhooks register a few seconds after n8n is ready: poll until the path is registered for
			 * `method`. The probe is a CORS preflight (OPTIONS with an Origin), which n8n answers with the path's
			 * registered methods in Access-Control-Allow-Methods ("OPTIONS" alone while unknown) and which never
			 * runs the workflow. Resolves the registered methods.
			 */
			async waitForWebhook(url, { method = 'POST', timeoutMs = 60000 } = {}) {
				const deadline = Date.now() + timeoutMs;
				let last;
				while (Date.now() < deadline) {
					if (exited) throw new Error(`n8n exited while waiting for ${url}\n${tail(output)}`);
					try {
						const response = await fetch(new URL(url, baseUrl), { method: 'OPTIONS', headers: { origin: baseUrl } });
						await response.arrayBuffer();
						const methods = (response.headers.get('access-control-allow-methods') ?? '')
							.split(',')
							.map((entry) => entry.trim().toUpperCase())
							.filter(Boolean);
						last = `${response.status} [${methods.join(', ')}]`;
						if (response.status < 400 && methods.includes(method.toUpperCase())) return methods;
					} catch (error) {
						last = error.message;
					}
					await new Promise((resolve) => setTimeout(resolve, 500));
				}
				throw new Error(`webhook ${method} ${url} still not registered after ${timeoutMs} ms (last: ${last})\n${tail(output)}`);
			},

			/** Executions of a workflow, newest first, with their run data (public API, login cookie). */
			async listExecutions(workflowId, { includeData = true, status, limit = 100 } = {}) {
				const qs = new URLSearchParams({ workflowId: String(workflowId), includeData: String(includeData), limit: String(limit) });
				if (status) qs.set('status', status);
				const body = await handle.json(`/api/v1/executions?${qs}`);
				return body.data;
			},

			/**
			 * n8n's own credential test (the editor's "Retry"/"Save" check), POST /rest/credentials/test.
			 * `credential` = {id, name, type, data}; data given here replaces the stored data, so a wrong secret
			 * can be tested against a stored credential. Resolves {status: 'OK'|'Error', message}.
			 */
			async testCredential(credential) {
				const body = await handle.json('/rest/credentials/test', {
					method: 'POST',
					body: { credentials: { name: credential.name ?? credential.id, ...credential } },
				});
				return body.data;
			},

			/** Node types the server knows (the editor's list): [{name, displayName, version, …}]. */
			async nodeTypes() {
				const body = await handle.json('/types/nodes.json');
				return Array.isArray(body) ? body : body.data;
			},

			async credentialTypes() {
				const body = await handle.json('/types/credentials.json');
				return Array.isArray(body) ? body : body.data;
			},

			async stop() {
				if (!exited) {
					try {
						process.kill(-child.pid, 'SIGTERM');
					} catch {
						// already gone
					}
					const timer = setTimeout(() => {
						try {
							process.kill(-child.pid, 'SIGKILL');
						} catch {
							// already gone
						}
					}, 20000);
					await exitPromise;
					clearTimeout(timer);
				}
				if (server === handle) server = undefined;
			},
		};
		server = handle;

		const deadline = Date.now() + healthTimeoutMs;
		for (;;) {
			if (exited) {
				server = undefined;
				throw new Error(`n8n start exited before /healthz answered\n${tail(output)}`);
			}
			try {
				// /healthz turns ok long before the REST routes and the type files exist. Ready = /healthz/readiness
				// ok (DB migrated, server marked ready) and the "Editor is now accessible" line, which start.js prints
				// after activating workflows and writing types/nodes.json.
				if (output.includes('Editor is now accessible via')) {
					const readiness = await fetch(`${baseUrl}/healthz/readiness`);
					await readiness.arrayBuffer();
					if (readiness.ok) break;
				}
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await handle.stop();
				throw new Error(`n8n /healthz not ok after ${healthTimeoutMs} ms\n${tail(output)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
		return handle;
	}

	async function stop({ keepFolder = false } = {}) {
		if (server) await server.stop();
		if (ownTemp && !keepFolder && !process.env.N8N_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
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
			return server;
		},
		cli,
		importCredentials,
		importWorkflow,
		publishWorkflow,
		execute,
		executeRaw,
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
	freePort,
	PACKAGE_NAME,
	REPO_ROOT,
	OWNER,
};
