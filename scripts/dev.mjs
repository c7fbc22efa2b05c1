// `npm run dev`: edit the nodes and see them live in a local n8n, using the cached n8n 2.41.1 (plain `n8n-node dev`
// would run `npx n8n@latest`, which this registry cannot install).
//   1. npm run build, then the same demo as `npm start` (fakes, MariaDB, demo credentials, bundled workflows), but
//      n8n gets the repo itself linked as its community package and N8N_DEV_RELOAD=true, so node types stay
//      `n8n-nodes-sync-connectors.*` (workflows built in dev are valid to ship, unlike n8n-node's `CUSTOM.*`).
//   2. `n8n-node dev --external-n8n`: copies the static files and runs `tsc --watch` into dist/; n8n's watcher
//      reloads the package on every rebuild (refresh the editor page).
// The n8n data lives outside the repo (~/.cache/n8n-nodes-sync-connectors/dev-n8n) and is kept between runs:
// n8n's custom-folder loader follows symlinks, and a folder inside the repo would be scanned through its own link.
// Options: --fresh (start with empty n8n data), --port=<n> (default 5678).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const portArg = process.argv.find((arg) => arg.startsWith('--port='));
const port = Number(portArg?.slice('--port='.length) ?? process.env.N8N_DEMO_PORT ?? 5678);

const shutdown = require('./lib/shutdown.cjs').createShutdown('dev');
const { say } = shutdown;

let stack;
let watcher;
shutdown.onStop(() => {
	if (watcher && watcher.exitCode === null) {
		try {
			process.kill(-watcher.pid, 'SIGTERM');
		} catch {
			// already gone
		}
	}
});
shutdown.onStop(() => stack?.stop());

async function main() {
	if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', '.package-lock.json'))) {
		spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: REPO_ROOT, stdio: 'inherit' });
	}
	// A first full build, so that n8n starts with every node; tsc --watch then keeps dist/ current.
	const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	if (build.status !== 0) say('the first build failed: n8n starts with what dist/ has; fix the errors and tsc --watch rebuilds');

	const { ensureN8n, paths } = require('./lib/n8n-install.cjs');
	ensureN8n();
	const devRoot = path.join(paths.CACHE_ROOT, 'dev-n8n');

	const { startDemoStack } = require('./lib/demo.cjs');
	stack = await startDemoStack({
		userFolder: path.join(devRoot, 'n8n'),
		keep: !args.has('--fresh'),
		port,
		linkPackage: true,
		env: { N8N_DEV_RELOAD: 'true' },
		say,
	});
	if (shutdown.stopping) return;
	process.stdout.write(`${stack.summary()}\n  Edit nodes/ or credentials/: tsc --watch rebuilds dist/ and n8n reloads the package.\n\n`);

	// n8n-node dev links the repo into <custom-user-folder>/.n8n/custom for an n8n it would run itself; that folder
	// is not the one our n8n uses, so the link is unused and our n8n does not load the nodes twice as CUSTOM.*.
	watcher = spawn(
		process.execPath,
		[
			path.join(REPO_ROOT, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs'),
			'dev',
			'--external-n8n',
			'--custom-user-folder',
			path.join(devRoot, 'node-cli'),
		],
		{ cwd: REPO_ROOT, stdio: 'inherit', detached: true },
	);
	watcher.on('exit', (code) => {
		if (!shutdown.stopping) {
			say(`n8n-node dev exited (${code})`);
			void shutdown.stopAll(code ?? 1);
		}
	});
	shutdown.watchServer(stack.server);
}

shutdown.run(main);
