/**
 * `npm start` works: the same demo stack (scripts/lib/demo.cjs), on free ports so it can run next to a real
 * `npm start`. Every demo credential passes n8n's credential test against its demo service, every bundled workflow
 * is imported, and the Bitrix24 → MariaDB workflow runs by hand, from the editor's run endpoint, into the demo DB.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';

import { REPO_ROOT, demoLib, runtimeLib } from './support/repo';

type Json = Record<string, any>;

const workflowFiles = fs.readdirSync(path.join(REPO_ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
const readWorkflow = (file: string): Json => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));

describe('the npm start demo', () => {
	let stack: Json;
	let userFolder: string;

	beforeAll(async () => {
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-demo-e2e-'));
		stack = await demoLib.startDemoStack({ userFolder, port: await runtimeLib.freePort(), freePorts: true, say: () => {} });
		await stack.server.login();
	});

	afterAll(async () => {
		await stack?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	test('every demo credential passes n8n’s credential test against its demo service', async () => {
		const results: Json = {};
		for (const credential of stack.credentials) {
			results[`${credential.type} ${credential.id}`] = (await stack.server.testCredential(credential)).status;
		}
		expect(Object.values(results).length).toBeGreaterThanOrEqual(9);
		expect(Object.entries(results).filter(([, status]) => status !== 'OK')).toEqual([]);
	});

	test('every bundled workflow is imported with its own id and its credentials resolved', async () => {
		const listed = (await stack.server.json('/rest/workflows')).data.map((workflow: Json) => workflow.id);
		for (const file of workflowFiles) expect(listed).toContain(readWorkflow(file).id);
		const ids = new Set(stack.credentials.map((credential: Json) => credential.id));
		for (const file of workflowFiles) {
			for (const node of readWorkflow(file).nodes) {
				for (const ref of Object.values(node.credentials ?? {}) as Json[]) expect(ids).toContain(ref.id);
			}
		}
	});

	test('the Bitrix24 dictionaries workflow runs by hand and fills the demo MariaDB', async () => {
		expect(stack.mariadb).toBeDefined();
		const workflow = readWorkflow('bitrix24-dictionaries-to-mysql.json');
		const manual = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.manualTrigger');
		await stack.server.json(`/rest/workflows/${workflow.id}/run`, { method: 'POST', body: { triggerToStartFrom: { name: manual.name } } });

		let executions: Json[] = [];
		for (let attempt = 0; attempt < 300 && !executions.some((execution) => execution.finished || execution.status === 'error'); attempt += 1) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			executions = await stack.server.listExecutions(workflow.id);
		}
		expect(executions.map((execution) => execution.status)).toEqual(['success']);

		const { host, port, user, password, database } = stack.mariadb;
		const connection = await mysql.createConnection({ host, port, user, password, database });
		try {
			const counts: Json = {};
			for (const table of ['city', 'violation_category', 'object', 'violation', 'user']) {
				const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
				counts[table] = Number((rows as Json[])[0].n);
			}
			expect(counts).toEqual({ city: 6, violation_category: 4, object: 12, violation: 6, user: 4 });
			const [objects] = await connection.query('SELECT COUNT(*) AS n FROM `object` o JOIN `city` c ON c.id = o.city_id');
			expect(Number((objects as Json[])[0].n)).toBe(12);
		} finally {
			await connection.end();
		}
	});
});
