/**
 * What the e2e files share: the runtime libs (plain CommonJS so that scripts and `npm start` use the same code),
 * and optional loading of fakes and built files, so a suite can state exactly what it could not cover.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const runtimeLib = require(path.join(REPO_ROOT, 'scripts/lib/n8n-runtime.cjs')) as typeof import('../../../scripts/lib/n8n-runtime.cjs');
export const mariadbLib = require(path.join(REPO_ROOT, 'scripts/lib/mariadb.cjs')) as typeof import('../../../scripts/lib/mariadb.cjs');
export const demoLib = require(path.join(REPO_ROOT, 'scripts/lib/demo.cjs')) as typeof import('../../../scripts/lib/demo.cjs');
/** A shipped workflow (file name in workflows/) with some Config values replaced; every key must be a Config field. */
export const bundledWorkflow: (file: string, values?: Record<string, unknown>) => Record<string, any> = require(
	path.join(REPO_ROOT, 'scripts/lib/demo/workflows.cjs'),
).bundledWorkflow;
/** `ms` times E2E_TIME_SCALE: every wait and time limit of the e2e suite goes through it. */
export const scaled: (ms: number) => number = require(path.join(REPO_ROOT, 'scripts/lib/time-scale.cjs')).scaled;

export type N8nRuntime = Awaited<ReturnType<typeof runtimeLib.createN8nRuntime>>;
export type N8nServer = Awaited<ReturnType<N8nRuntime['startServer']>>;

/** A fake's module when its file exists (fakes land one by one), else undefined. */
export function loadFake(name: string): Record<string, any> | undefined {
	const file = path.join(REPO_ROOT, 'test', 'fakes', `${name}.cjs`);
	return fs.existsSync(file) ? require(file) : undefined;
}

export const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

/** The credential type names the package declares, read from the built files' class names. */
export function credentialTypeName(file: string): string {
	const base = path.basename(file).replace(/\.credentials\.js$/, '');
	return base.charAt(0).toLowerCase() + base.slice(1);
}

/** Executions of a workflow, oldest first, once exactly `count` of them exist and none is still running. */
export async function finishedExecutions(server: N8nServer, workflowId: string, count: number, timeoutMs = scaled(180_000)): Promise<Array<Record<string, any>>> {
	const deadline = Date.now() + timeoutMs;
	let last: Array<Record<string, any>> = [];
	while (Date.now() < deadline) {
		last = await server.listExecutions(workflowId, { includeData: true });
		const finished = last.every(runtimeLib.isFinished);
		if (last.length > count) throw new Error(`expected ${count} executions of ${workflowId}, found ${last.length}`);
		if (last.length === count && finished) return [...last].reverse();
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(
		`expected ${count} finished executions of ${workflowId}, have ${last.length}: ${JSON.stringify(last.map((e) => e.status))}\n${server.logTail(40)}`,
	);
}
