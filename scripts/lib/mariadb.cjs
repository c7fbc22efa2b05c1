'use strict';
/**
 * A private, throw-away MariaDB for the Bitrix24 → MariaDB workflows: Debian's mariadbd on a free loopback port
 * with a temp datadir, one database and one user that has every privilege (tests create their own schemas).
 *
 *   const db = await startMariaDb();   // {host, port, user, password, database, socket, stop()}
 *
 * MariaDB's anonymous account ''@'localhost' hides 'n8n'@'%' for local connections ("Access denied for user
 * 'n8n'@'localhost'"), so the user is created for localhost and 127.0.0.1 as well.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { freePort } = require('./ports.cjs');

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/libexec/mariadbd'];
const INSTALL_DB_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', '/usr/sbin/mariadb-install-db'];
const CLIENT_CANDIDATES = ['/usr/bin/mariadb', '/usr/bin/mysql'];
const INSTALL_HINT = 'apt-get install -y mariadb-server   (Debian/Ubuntu; provides mariadbd, mariadb-install-db, mariadb)';

const liveServers = new Set();
process.on('exit', () => {
	for (const pid of liveServers) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

function firstExisting(candidates) {
	return candidates.find((file) => fs.existsSync(file));
}

function binaries() {
	const server = firstExisting(SERVER_CANDIDATES);
	const installDb = firstExisting(INSTALL_DB_CANDIDATES);
	const client = firstExisting(CLIENT_CANDIDATES);
	return server && installDb && client ? { server, installDb, client } : undefined;
}

/** Whether mariadbd can be used here; with `install: true` and root, installs mariadb-server with apt-get. */
function ensureMariaDb({ install = false, log = (m) => process.stderr.write(`[mariadb] ${m}\n`) } = {}) {
	let found = binaries();
	if (found) return found;
	const isRoot = process.getuid?.() === 0;
	if (install && isRoot && fs.existsSync('/usr/bin/apt-get')) {
		log('mariadb-server is missing: installing it with apt-get');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 2, 2], env });
		if (update.status !== 0) throw new Error('apt-get update failed');
		const result = spawnSync('apt-get', ['install', '-y', '-qq', 'mariadb-server'], { stdio: ['ignore', 2, 2], env });
		if (result.status !== 0) throw new Error(`apt-get install mariadb-server failed; install it by hand: ${INSTALL_HINT}`);
		found = binaries();
		if (found) return found;
	}
	throw new Error(`MariaDB server binaries not found (looked for ${SERVER_CANDIDATES.join(', ')}). Install them: ${INSTALL_HINT}`);
}


function quote(value) {
	return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * @param {object} [options]
 * @param {number} [options.port]        default: a free port
 * @param {string} [options.database]    created empty (default 'n8n')
 * @param {string} [options.user]        default 'n8n'
 * @param {string} [options.password]    default 'n8n-e2e-password'
 * @param {boolean} [options.install]    apt-get install mariadb-server when missing and root (default false)
 */
async function startMariaDb(options = {}) {
	const bins = ensureMariaDb({ install: options.install });
	const database = options.database ?? 'n8n';
	const user = options.user ?? 'n8n';
	const password = options.password ?? 'n8n-e2e-password';
	const port = options.port ?? (await freePort());
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mariadb-e2e-'));
	const socket = path.join(dataDir, 'mysqld.sock');
	const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];

	const init = spawnSync(
		bins.installDb,
		['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=socket', '--skip-test-db', ...asRoot],
		{ encoding: 'utf8' },
	);
	if (init.status !== 0) {
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw new Error(`mariadb-install-db failed (exit ${init.status}): ${init.stderr || init.stdout}`);
	}

	const errorLog = path.join(dataDir, 'error.log');
	const child = spawn(
		bins.server,
		[
			'--no-defaults',
			`--datadir=${dataDir}`,
			`--socket=${socket}`,
			`--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
			`--log-error=${errorLog}`,
			`--port=${port}`,
			'--bind-address=127.0.0.1',
			'--skip-name-resolve',
			'--innodb-buffer-pool-size=128M',
			'--innodb-flush-log-at-trx-commit=2',
			'--character-set-server=utf8mb4',
			'--collation-server=utf8mb4_unicode_ci',
			...asRoot,
		],
		{ stdio: 'ignore' },
	);
	liveServers.add(child.pid);
	let exited = false;
	const exitPromise = new Promise((resolve) =>
		child.on('exit', (code) => {
			exited = true;
			liveServers.delete(child.pid);
			resolve(code);
		}),
	);
	const readLog = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8').split('\n').slice(-20).join('\n') : '');

	async function stop() {
		if (!exited) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
			await exitPromise;
			clearTimeout(timer);
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
	}

	const sqlAsRoot = (sql) =>
		spawnSync(bins.client, ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', sql], { encoding: 'utf8' });

	const deadline = Date.now() + 60000;
	for (;;) {
		if (exited) {
			const log = readLog();
			fs.rmSync(dataDir, { recursive: true, force: true });
			throw new Error(`mariadbd exited during startup:\n${log}`);
		}
		if (fs.existsSync(socket) && sqlAsRoot('SELECT 1').status === 0) break;
		if (Date.now() > deadline) {
			const log = readLog();
			await stop();
			throw new Error(`mariadbd did not accept connections within 60 s:\n${log}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}

	const statements = [`CREATE DATABASE IF NOT EXISTS \`${database}\``];
	for (const host of ['localhost', '127.0.0.1', '%']) {
		statements.push(`CREATE USER IF NOT EXISTS ${quote(user)}@${quote(host)} IDENTIFIED BY ${quote(password)}`);
		statements.push(`GRANT ALL PRIVILEGES ON *.* TO ${quote(user)}@${quote(host)}`);
	}
	statements.push('FLUSH PRIVILEGES');
	const setup = sqlAsRoot(statements.join('; '));
	if (setup.status !== 0) {
		await stop();
		throw new Error(`creating the database and user failed: ${setup.stderr}`);
	}

	return { host: '127.0.0.1', port, user, password, database, socket, dataDir, pid: child.pid, stop };
}

module.exports = { startMariaDb, ensureMariaDb, INSTALL_HINT };
