// `npm start`: the package in a local n8n with demo services, from a fresh clone.
//   npm ci (when node_modules is missing) → npm run build → cached Node 24 + n8n 2.41.1 → every service fake on
//   127.0.0.1:5701-5707 with demo data → a private MariaDB on :5710 (when mariadbd is installed) → demo credentials
//   → every workflows/*.json, with demo values in their Config nodes and the Recoco ones published (demo.cjs) → n8n on
//   http://127.0.0.1:5678 with an owner login. `npm run demo:recoco-event` then sends them a signed Recoco webhook.
//   Ctrl+C stops everything; so do SIGINT, SIGTERM or SIGHUP to npm's or this process, and npm dying (shutdown.cjs).
//   Redirected to a file, the build's spinner is printed as plain lines (plain-output.cjs).
// Options: --no-build (use dist/ as it is), --keep (reuse .n8n-local/ from the last run instead of starting clean),
//          --port=<n> (n8n's port, default 5678; or N8N_DEMO_PORT), --free-ports (demo services on free ports instead of
//          5701-5710) and --user-folder=<dir> (instead of .n8n-local/): a second stack next to a running one (tests).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const portArg = process.argv.find((arg) => arg.startsWith('--port='));
const port = Number(portArg?.slice('--port='.length) ?? process.env.N8N_DEMO_PORT ?? 5678);
const userFolderArg = process.argv.find((arg) => arg.startsWith('--user-folder='));
const userFolder = userFolderArg ? path.resolve(userFolderArg.slice('--user-folder='.length)) : path.join(REPO_ROOT, '.n8n-local');

const shutdown = require('./lib/shutdown.cjs').createShutdown('start');
const { say } = shutdown;

const { runWithPlainOutput } = require('./lib/plain-output.cjs');

// Asynchronous, so that a signal during the build is handled at once (a synchronous spawn holds the event loop).
async function npm(npmArgs) {
	say(`npm ${npmArgs.join(' ')}`);
	const code = await runWithPlainOutput('npm', npmArgs, { cwd: REPO_ROOT });
	if (shutdown.stopping) return;
	if (code !== 0) throw new Error(`npm ${npmArgs.join(' ')} failed (exit ${code})`);
}

let stack;
shutdown.onStop(() => stack?.stop());

async function main() {
	if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) await npm(['ci', '--no-audit', '--no-fund']);
	if (!args.has('--no-build')) await npm(['run', 'build']);
	if (shutdown.stopping) return;
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('dist/ is missing: run without --no-build');

	say('checking the cached n8n (the first run installs it: about 5 minutes)');
	require('./lib/n8n-install.cjs').ensureN8n();

	const { startDemoStack } = require('./lib/demo.cjs');
	stack = await startDemoStack({ userFolder, keep: args.has('--keep'), port, freePorts: args.has('--free-ports'), say });
	if (shutdown.stopping) return;
	shutdown.reapOnDeath(stack.server.pid, { group: true });
	if (stack.mariadb?.pid) shutdown.reapOnDeath(stack.mariadb.pid);
	process.stdout.write(`${stack.summary()}\n  Ctrl+C stops n8n, the demo services and MariaDB.\n\n`);
	shutdown.watchServer(stack.server);
}

shutdown.run(main);
