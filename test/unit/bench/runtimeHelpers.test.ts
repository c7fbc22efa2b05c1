/**
 * The pure parts of the e2e bench (scripts/lib): reading `n8n execute` output, installing the package copy,
 * and choosing the demo credentials. The parts that need a real n8n are proven by test/e2e/smoke.e2e.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const runtime = require(path.join(REPO_ROOT, 'scripts/lib/n8n-runtime.cjs'));
const demo = require(path.join(REPO_ROOT, 'scripts/lib/demo.cjs'));

describe('parseRunOutput: the run JSON that `n8n execute` prints among log lines', () => {
	const run = { status: 'success', data: { resultData: { runData: { Code: [{ data: { main: [[{ json: { a: 1 } }]] } }] } } } };

	test('skips the log lines before the JSON and any after it', () => {
		const stdout = [
			'Initializing n8n process',
			'[license SDK] Skipping renewal on init: {"reason":"x"}',
			JSON.stringify(run, null, 2),
			'Shutting down {"code":0}',
			'',
		].join('\n');
		expect(runtime.parseRunOutput(stdout)).toEqual(run);
		expect(runtime.nodeOutput(runtime.parseRunOutput(stdout), 'Code')).toEqual([{ a: 1 }]);
	});

	test('no JSON (e.g. `n8n execute --file`, which runs nothing and exits 0) gives undefined, not a success', () => {
		expect(runtime.parseRunOutput('"--id" has to be set!\n')).toBeUndefined();
	});

	test('runError names the failing node', () => {
		const failed = { status: 'error', data: { resultData: { error: { message: 'boom', node: { name: 'Grist' } }, runData: {} } } };
		expect(runtime.runError(failed)).toEqual({ node: 'Grist', message: 'boom', description: undefined });
		const perTask = { data: { resultData: { runData: { Fetch: [{ error: { message: 'Bitrix24 answered 401' } }] } } } };
		expect(runtime.runError(perTask)).toMatchObject({ node: 'Fetch', message: 'Bitrix24 answered 401' });
	});
});

describe('installPackageCopy', () => {
	let root: string;
	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-copy-'));
	});
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	test('copies package.json, dist and workflows, and leaves out listed files that were not built, saying so', () => {
		const pkgDir = path.join(root, 'pkg');
		fs.mkdirSync(path.join(pkgDir, 'dist', 'nodes'), { recursive: true });
		fs.mkdirSync(path.join(pkgDir, 'workflows'), { recursive: true });
		fs.writeFileSync(path.join(pkgDir, 'dist', 'nodes', 'A.node.js'), 'module.exports = {}');
		fs.writeFileSync(path.join(pkgDir, 'workflows', 'w.json'), '{}');
		fs.writeFileSync(
			path.join(pkgDir, 'package.json'),
			JSON.stringify({
				name: 'n8n-nodes-sync-connectors',
				devDependencies: { jest: '*' },
				n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/A.node.js', 'dist/nodes/B.node.js'], credentials: [] },
			}),
		);
		const result = runtime.installPackageCopy(pkgDir, path.join(root, 'nodes'));
		expect(result.missing).toEqual(['dist/nodes/B.node.js']);
		const installed = JSON.parse(fs.readFileSync(path.join(result.target, 'package.json'), 'utf8'));
		expect(installed.n8n.nodes).toEqual(['dist/nodes/A.node.js']);
		expect(installed.devDependencies).toBeUndefined();
		expect(fs.existsSync(path.join(result.target, 'dist', 'nodes', 'A.node.js'))).toBe(true);
		expect(fs.existsSync(path.join(result.target, 'workflows', 'w.json'))).toBe(true);
		expect(result.target).toBe(path.join(root, 'nodes', 'node_modules', 'n8n-nodes-sync-connectors'));
	});
});

describe('demo credentials', () => {
	const grist = { baseUrl: 'http://127.0.0.1:5702' };

	test('exactly one per type whose service runs, named as the demo\'s; workflows are pointed at it', () => {
		const workflows = [
			{
				name: 'w',
				nodes: [
					{ name: 'a', credentials: { gristSyncApi: { id: 'gristAccount01', name: 'Grist account' } } },
					{ name: 'b', credentials: { gristSyncApi: { id: 'gristDemo000001', name: 'Grist (demo)' } } },
					{ name: 'c' },
				],
			},
		];
		const { credentials, missing } = demo.demoCredentials({ grist }, workflows);
		const grists = credentials.filter((credential: { type: string }) => credential.type === 'gristSyncApi');
		expect(grists).toEqual([{ id: 'gristDemo000001', name: 'Grist (demo)', type: 'gristSyncApi', data: { url: grist.baseUrl, apiKey: 'grist-demo-key' } }]);
		const types = credentials.map((credential: { type: string }) => credential.type);
		expect(new Set(types).size).toBe(types.length);
		for (const credential of credentials) expect(credential.name).toMatch(/\(demo\)$/);
		// shape-checked secrets need no service
		expect(types).toEqual(expect.arrayContaining(['recocoWebhookApi', 'bitrix24OutgoingWebhookApi']));
		expect(types).not.toContain('recocoApi');
		expect(missing).toEqual([]);

		const imported = demo.withDemoCredentials(workflows[0], credentials);
		expect(imported.nodes.map((node: { credentials?: unknown }) => node.credentials)).toEqual([
			{ gristSyncApi: { id: 'gristDemo000001', name: 'Grist (demo)' } },
			{ gristSyncApi: { id: 'gristDemo000001', name: 'Grist (demo)' } },
			undefined,
		]);
		expect(workflows[0].nodes[0].credentials!.gristSyncApi.id).toBe('gristAccount01');
	});

	test('a referenced credential whose service is not running is reported, not invented', () => {
		const workflows = [{ name: 'w', nodes: [{ credentials: { recocoApi: { id: 'recocoAccount1', name: 'Recoco' } } }] }];
		const { credentials, missing } = demo.demoCredentials({}, workflows);
		expect(missing).toEqual(['recocoApi (recocoAccount1): its demo service "recoco" is not running']);
		expect(demo.withDemoCredentials(workflows[0], credentials).nodes[0].credentials.recocoApi.id).toBe('recocoAccount1');
	});

	test('every credential type of the package has demo data', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		for (const file of pkg.n8n.credentials as string[]) {
			const base = path.basename(file).replace(/\.credentials\.js$/, '');
			expect(demo.CREDENTIALS).toHaveProperty(base.charAt(0).toLowerCase() + base.slice(1));
		}
	});
});

describe('E2E_TIME_SCALE: one knob for every e2e wait and time limit', () => {
	const { timeScale, scaled } = require(path.join(REPO_ROOT, 'scripts/lib/time-scale.cjs'));

	test('unset or empty is 1; a number above 0 multiplies every limit', () => {
		expect(timeScale({})).toBe(1);
		expect(timeScale({ E2E_TIME_SCALE: ' ' })).toBe(1);
		expect(scaled(60_000, { E2E_TIME_SCALE: '3' })).toBe(180_000);
		expect(scaled(1000, { E2E_TIME_SCALE: '0.5' })).toBe(500);
	});

	test('anything else stops the run with a clear message instead of silently shrinking or dropping the limits', () => {
		for (const value of ['0', '-2', 'fast', 'Infinity', 'NaN']) {
			expect(() => timeScale({ E2E_TIME_SCALE: value })).toThrow(`E2E_TIME_SCALE must be a number above 0, not "${value}"`);
		}
	});
});
