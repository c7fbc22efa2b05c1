// `npm start`: the package in a local n8n with demo services, from a fresh clone.
//   npm ci (when node_modules is missing) → npm run build → cached Node 24 + n8n 2.41.1 → every service fake on
//   127.0.0.1:5701-5707 with demo data → a private MariaDB on :5710 (when mariadbd is installed) → demo credentials
//   → every workflows/*.json → n8n on http://127.0.0.1:5678 with an owner login. Ctrl+C stops everything.
// Options: --no-build (use dist/ as it is), --keep (reuse .n8n-local/ from the last run instead of starting clean),
//          --port=<n> (n8n's port, default 5678).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const portArg = process.argv.find((arg) => arg.startsWith('--port='));
const N8N_PORT = Number(portArg?.slice('--port='.length) ?? process.env.N8N_DEMO_PORT ?? 5678);
const MARIADB_PORT = 5710;
const USER_FOLDER = path.join(REPO_ROOT, '.n8n-local');

const say = (message) => process.stdout.write(`[start] ${message}\n`);

function npm(npmArgs) {
	say(`npm ${npmArgs.join(' ')}`);
	const result = spawnSync('npm', npmArgs, { cwd: REPO_ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`npm ${npmArgs.join(' ')} failed (exit ${result.status})`);
}

const running = { fakes: [], mariadb: undefined, n8n: undefined };
let stopping = false;

async function stopAll(code) {
	if (stopping) return;
	stopping = true;
	say('stopping…');
	try {
		await running.n8n?.stop();
	} catch (error) {
		say(`n8n: ${error.message}`);
	}
	for (const fake of running.fakes) await fake.stop().catch(() => {});
	await running.mariadb?.stop().catch(() => {});
	say('stopped');
	process.exit(code);
}

async function main() {
	if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) npm(['ci', '--no-audit', '--no-fund']);
	if (!args.has('--no-build')) npm(['run', 'build']);
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('dist/ is missing: run without --no-build');

	const { ensureN8n } = require('./lib/n8n-install.cjs');
	const { createN8nRuntime } = require('./lib/n8n-runtime.cjs');
	const { startMariaDb, ensureMariaDb } = require('./lib/mariadb.cjs');
	const { availableServices, startDemoFake, demoCredentials, DEMO_SECRETS } = require('./lib/demo.cjs');

	say('checking the cached n8n (the first run installs it: about 5 minutes)');
	ensureN8n();

	const services = {};
	for (const service of availableServices()) {
		try {
			const fake = await startDemoFake(service);
			running.fakes.push(fake);
			services[service.key] = fake;
		} catch (error) {
			throw new Error(`could not start the ${service.key} fake on 127.0.0.1:${service.port}: ${error.message}`);
		}
	}

	try {
		ensureMariaDb();
		running.mariadb = await startMariaDb({ port: MARIADB_PORT, database: 'demo', user: 'n8n', password: 'demo-mariadb-password' });
		services.mariadb = running.mariadb;
		const schemas = fs.existsSync(path.join(REPO_ROOT, 'workflows'))
			? fs.readdirSync(path.join(REPO_ROOT, 'workflows')).filter((file) => file.endsWith('.sql'))
			: [];
		for (const file of schemas) {
			const sql = fs.readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8');
			const result = spawnSync('mariadb', ['--no-defaults', `--socket=${running.mariadb.socket}`, '-uroot', 'demo'], { input: sql, encoding: 'utf8' });
			say(result.status === 0 ? `MariaDB: applied workflows/${file}` : `MariaDB: workflows/${file} failed: ${result.stderr.trim()}`);
		}
	} catch (error) {
		say(`MariaDB not started (${error.message.split('\n')[0]}); the Bitrix24 → MariaDB workflow will have no database`);
	}

	const workflowsDir = path.join(REPO_ROOT, 'workflows');
	const workflows = fs.existsSync(workflowsDir)
		? fs
				.readdirSync(workflowsDir)
				.filter((file) => file.endsWith('.json'))
				.sort()
				.map((file) => JSON.parse(fs.readFileSync(path.join(workflowsDir, file), 'utf8')))
		: [];

	const keep = args.has('--keep') && fs.existsSync(path.join(USER_FOLDER, 'encryption-key'));
	if (!keep) fs.rmSync(USER_FOLDER, { recursive: true, force: true });
	fs.mkdirSync(USER_FOLDER, { recursive: true });
	const keyFile = path.join(USER_FOLDER, 'encryption-key');
	if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });

	const logFile = path.join(USER_FOLDER, 'n8n.log');
	const log = fs.createWriteStream(logFile, { flags: 'a' });
	const n8n = await createN8nRuntime({
		userFolder: USER_FOLDER,
		encryptionKey: fs.readFileSync(keyFile, 'utf8').trim(),
		onLog: (chunk) => log.write(chunk),
	});
	if (n8n.installed.missing.length) say(`not built yet, left out of the package: ${n8n.installed.missing.join(', ')}`);

	const { credentials, missing } = demoCredentials(services, workflows);
	say(`importing ${credentials.length} demo credentials and ${workflows.length} workflows`);
	await n8n.importCredentials(credentials);
	if (workflows.length) await n8n.importWorkflow(workflows);
	for (const why of missing) say(`credential not created: ${why}`);

	running.n8n = n8n;
	say(`starting n8n on 127.0.0.1:${N8N_PORT}…`);
	const server = await n8n.startServer({ port: N8N_PORT, healthTimeoutMs: 180000 });

	const lines = [
		'',
		`  n8n is ready:  ${server.baseUrl}`,
		`  login:         ${server.owner.email}  /  ${server.owner.password}`,
		'',
		'  demo services (fakes, in memory, reset at every start):',
		...Object.entries(services)
			.filter(([key]) => key !== 'mariadb')
			.map(([key, fake]) => `    ${key.padEnd(11)} ${fake.baseUrl}   (request log: ${fake.baseUrl}/__fake/log)`),
		running.mariadb
			? `    mariadb     127.0.0.1:${running.mariadb.port}  database ${running.mariadb.database}, user ${running.mariadb.user} / ${running.mariadb.password}`
			: '    mariadb     not running (apt-get install -y mariadb-server)',
		'',
		`  credentials:   ${credentials.map((credential) => credential.name).join(', ')}`,
		`  webhook secrets for trigger tests: Recoco "${DEMO_SECRETS.recocoWebhookSecret}", Bitrix24 application token "${DEMO_SECRETS.bitrix24ApplicationToken}"`,
		`  workflows:     ${workflows.length ? workflows.map((workflow) => workflow.name).join(' | ') : 'none yet'} (imported inactive)`,
		`  n8n data:      ${USER_FOLDER} (start with --keep to reuse it); n8n's log: ${logFile}`,
		'',
		'  Ctrl+C stops n8n, the demo services and MariaDB.',
		'',
	];
	process.stdout.write(`${lines.join('\n')}\n`);

	const watchdog = setInterval(() => {
		if (!stopping && server.pid && !isAlive(server.pid)) {
			say(`n8n exited on its own; last output:\n${server.logTail(30)}`);
			void stopAll(1);
		}
	}, 2000);
	watchdog.unref();
	await new Promise(() => {});
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

main().catch(async (error) => {
	process.stderr.write(`[start] ${error.message}\n`);
	await stopAll(1);
});
