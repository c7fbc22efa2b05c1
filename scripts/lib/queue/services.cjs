'use strict';
/**
 * Private, throw-away PostgreSQL and Redis for n8n's queue mode: Debian's `postgresql` and `redis-server` on free
 * loopback ports with temp data dirs, killed with this process.
 *
 *   const pg = await startPostgres();   // {host, port, user, password, database, stop()}
 *   const redis = await startRedis();   // {host, port, stop()}
 *
 * PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` user through `runuser`, and
 * the data dir is handed to that user.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { freePort, isListening: canConnect } = require('../ports.cjs');
const { trackProcessGroup } = require('../shutdown.cjs');

const INSTALL_HINT = 'apt-get install -y postgresql redis-server';


/** The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
	for (const version of versions) {
		const bin = path.join(root, version, 'bin');
		if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
	}
	throw new Error(`PostgreSQL server binaries not found under ${root}. Install them: ${INSTALL_HINT}`);
}

function redisBin() {
	for (const file of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (fs.existsSync(file)) return file;
	throw new Error(`redis-server not found. Install it: ${INSTALL_HINT}`);
}

const asRoot = () => process.getuid?.() === 0;

/** argv run as the postgres user when we are root (postgres refuses root), else as ourselves. */
function pgCommand(file, args) {
	return asRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function spawnDaemon(command, args, logFile) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	let exited = false;
	const exitPromise = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = true;
			resolve({ code, signal });
		}),
	);
	const stopGroup = trackProcessGroup(child.pid, exitPromise);
	const kill = () => stopGroup('SIGTERM', 15000);
	return { child, kill, isExited: () => exited };
}

const readTail = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '');

async function waitListening(port, daemon, logFile, what, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (daemon.isExited()) throw new Error(`${what} exited during startup:\n${readTail(logFile)}`);
		if (await canConnect(port)) return;
		if (Date.now() > deadline) throw new Error(`${what} not listening on ${port} after ${timeoutMs} ms:\n${readTail(logFile)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function startPostgres({ database = 'n8n', user = 'n8n', password = 'n8n-queue-password' } = {}) {
	const bin = postgresBin();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-queue-'));
	const dataDir = path.join(dir, 'data');
	const pwFile = path.join(dir, 'pw');
	fs.writeFileSync(pwFile, `${password}\n`);
	if (asRoot()) {
		fs.chmodSync(dir, 0o755);
		spawnSync('chown', ['-R', 'postgres:postgres', dir]);
	}
	const [initCmd, initArgs] = pgCommand(path.join(bin, 'initdb'), [
		'-D', dataDir, '-U', user, '--auth=md5', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync',
	]);
	const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
	if (init.status !== 0) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw new Error(`initdb failed (exit ${init.status}): ${init.stderr || init.stdout}`);
	}
	const logFile = path.join(dir, 'postgres.log');
	const [cmd, args] = pgCommand(path.join(bin, 'postgres'), [
		'-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
		// a throw-away database: durability traded for speed on a shared 2-core machine
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
	]);
	const daemon = spawnDaemon(cmd, args, logFile);
	const stop = async () => {
		await daemon.kill();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitListening(port, daemon, logFile, 'postgres');
		// The superuser's own database exists (initdb creates `postgres`); n8n's is created here.
		const [psqlCmd, psqlArgs] = pgCommand(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-c', `CREATE DATABASE "${database}"`]);
		let created;
		for (let attempt = 0; attempt < 50; attempt++) {
			created = spawnSync(psqlCmd, psqlArgs, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } });
			if (created.status === 0) break;
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
		if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
	} catch (error) {
		await stop();
		throw error;
	}
	return { host: '127.0.0.1', port, user, password, database, dataDir, pid: daemon.child.pid, stop };
}

async function startRedis() {
	const bin = redisBin();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-queue-'));
	const logFile = path.join(dir, 'redis.log');
	const daemon = spawnDaemon(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'no'],
		logFile,
	);
	const stop = async () => {
		await daemon.kill();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitListening(port, daemon, logFile, 'redis-server');
	} catch (error) {
		await stop();
		throw error;
	}
	return { host: '127.0.0.1', port, pid: daemon.child.pid, stop };
}

module.exports = { startPostgres, startRedis, INSTALL_HINT };
