/**
 * The package as users get it: `npm pack` of the built repo, installed into a clean user folder's .n8n/nodes the way
 * n8n 2.41's community-package install does it (CommunityPackagesService.downloadPackage: the tarball extracted into
 * nodes/node_modules/<name>, devDependencies, peerDependencies and optionalDependencies removed from its
 * package.json, then `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 * --ignore-scripts=true --package-lock=false` inside it, and the name recorded in nodes/package.json). The manifest
 * clean-up matters: with it kept, that npm install (npm 11, --offline) asks the registry for @n8n/node-cli (a dev
 * dependency) and would install the n8n-workflow peer. With no runtime dependencies the install runs --offline here,
 * so a runtime dependency slipped into package.json fails this test.
 * Then n8n 2.41.1 starts on that folder: every node and credential of package.json's `n8n` section is loaded, each
 * node with its codex and an icon n8n serves, and the bundled MonCampus → ecal workflow, read from the installed
 * package, runs through the server against the fakes. Packaging mistakes (`files`, icons, codex, workflows) fail here.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, credentialTypeName, packageJson, runtimeLib, scaled, type N8nRuntime, type N8nServer } from './support/repo';

type Json = Record<string, any>;

const demoServices = require(path.join(REPO_ROOT, 'scripts/lib/demo/services.cjs'));
const { SERVICES } = require(path.join(REPO_ROOT, 'scripts/lib/demo/registry.cjs'));
const monCampusEcal = require(path.join(REPO_ROOT, 'scripts/lib/demo-moncampus-ecal.cjs'));

/** This process's environment without what `npm run` exports (its config would steer the inner npm commands). */
function npmEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
	return { ...env, npm_config_update_notifier: 'false' };
}

const nodeTypeName = (file: string) =>
	`${packageJson.name}.${path.basename(file).replace(/\.node\.js$/, '').replace(/^./, (c) => c.toLowerCase())}`;

describe('the packed tarball, installed as n8n installs a community package', () => {
	let workDir: string;
	let userFolder: string;
	let installedDir: string;
	let packed: Json;
	let n8n: N8nRuntime;
	let server: N8nServer;
	const fakes: Json = {};

	beforeAll(async () => {
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-tarball-'));
		userFolder = path.join(workDir, 'user');
		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		installedDir = path.join(nodesDir, 'node_modules', packageJson.name);
		fs.mkdirSync(installedDir, { recursive: true });

		const packOutput = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
			cwd: REPO_ROOT,
			env: npmEnv(),
			encoding: 'utf8',
		});
		packed = JSON.parse(packOutput)[0];
		const tarball = path.join(workDir, packed.filename);

		fs.writeFileSync(path.join(nodesDir, 'package.json'), `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
		execFileSync('tar', ['-xzf', tarball, '-C', installedDir, '--strip-components=1']);
		const manifestFile = path.join(installedDir, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
		for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[key];
		fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
		execFileSync(
			'npm',
			['install', '--offline', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
			{ cwd: installedDir, env: npmEnv(), stdio: 'pipe' },
		);
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageJson.name]: manifest.version } }, null, 2)}\n`,
		);

		for (const key of ['moncampus', 'ecal']) {
			const service = SERVICES.find((candidate: Json) => candidate.key === key);
			fakes[key] = await demoServices.startDemoFake(service, { freePort: true });
		}

		n8n = await runtimeLib.createN8nRuntime({ userFolder, installPackage: false });
		// The workflow as shipped in the tarball, with the demo calendar in its Config node.
		const shipped = JSON.parse(fs.readFileSync(path.join(installedDir, 'workflows', 'moncampus-to-ecal.json'), 'utf8'));
		const seeded = monCampusEcal.seed({ moncampus: fakes.moncampus, ecal: fakes.ecal });
		const workflow = monCampusEcal.withDemoConfig(shipped, seeded);
		await n8n.importCredentials(monCampusEcal.credentials({ moncampus: fakes.moncampus, ecal: fakes.ecal }, workflow));
		await n8n.importWorkflow([workflow]);
		server = await n8n.startServer();
		await server.login();
	});

	afterAll(async () => {
		await n8n?.stop();
		for (const fake of Object.values(fakes)) await fake.stop().catch(() => {});
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
	});

	test('the tarball holds every file package.json’s n8n section names, the codex files, icons and workflows, and no sources or tests', () => {
		const files = new Set((packed.files as Json[]).map((file) => file.path));
		for (const file of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials]) expect(files).toContain(file);
		for (const file of packageJson.n8n.nodes) expect(files).toContain(file.replace(/\.js$/, '.json'));
		expect([...files].filter((file) => file.endsWith('.svg')).length).toBeGreaterThanOrEqual(packageJson.n8n.nodes.length / 2);
		for (const file of fs.readdirSync(path.join(REPO_ROOT, 'workflows'))) expect(files).toContain(`workflows/${file}`);
		expect([...files].filter((file) => /^(test|nodes|credentials|scripts|bench)\/|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
	});

	test('the installed package keeps no dependency to fetch: node_modules has nothing npm had to download', () => {
		const modules = path.join(installedDir, 'node_modules');
		const downloaded = fs.existsSync(modules) ? fs.readdirSync(modules).filter((entry) => !entry.startsWith('.')) : [];
		expect(downloaded).toEqual([]);
	});

	test('n8n loads every node, each with its codex and an icon it serves', async () => {
		const types = new Map<string, Json>();
		for (const type of await server.nodeTypes()) types.set(type.name, type);
		for (const file of packageJson.n8n.nodes) {
			const name = nodeTypeName(file);
			const type = types.get(name);
			expect({ name, loaded: Boolean(type) }).toEqual({ name, loaded: true });
			expect({ name, categories: (type!.codex?.categories ?? []).length > 0 }).toEqual({ name, categories: true });
			const icon = type!.iconUrl ?? type!.icon;
			const urls: string[] = typeof icon === 'string' ? [icon] : Object.values(icon ?? {});
			expect({ name, icons: urls.length > 0 }).toEqual({ name, icons: true });
			for (const url of urls) {
				expect(url).toMatch(/^icons\//);
				const response = await fetch(new URL(`/${url}`, server.baseUrl));
				const body = await response.text();
				expect({ name, url, status: response.status, svg: body.includes('<svg') }).toEqual({ name, url, status: 200, svg: true });
			}
		}
	});

	test('n8n loads every credential type', async () => {
		const names = new Set((await server.credentialTypes()).map((type: Json) => type.name));
		for (const file of packageJson.n8n.credentials) expect(names).toContain(credentialTypeName(file));
	});

	test('the shipped MonCampus → ecal workflow runs through the server and fills the demo calendar', async () => {
		const calendarId = monCampusEcal.seed({ moncampus: fakes.moncampus, ecal: fakes.ecal }).calendarId;
		const before = fakes.ecal.events().filter((event: Json) => event.calendarId === calendarId).length;
		const executionId = await server.runManually(monCampusEcal.WORKFLOW_ID, 'Sync now');
		const execution = await server.waitForExecution(executionId, { timeoutMs: scaled(240_000) });
		const error = execution.data?.resultData?.error;
		expect({ status: execution.status, error: error ? `${error.node?.name ?? ''}: ${error.message}` : undefined }).toEqual({
			status: 'success',
			error: undefined,
		});
		const after = fakes.ecal.events().filter((event: Json) => event.calendarId === calendarId).length;
		// The workflow syncs only the courses of its window (today → +60 days), not every course of the fake.
		expect(after).toBeGreaterThan(before);
	});
});
