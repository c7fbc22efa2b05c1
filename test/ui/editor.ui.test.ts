/**
 * The editor as a user meets it, in a real browser (playwright-core driving Debian's chromium, headless) on the
 * `npm start` stack (scripts/lib/demo.cjs: demo services, one demo credential per service, the bundled workflows with
 * demo Config values). Setup through n8n's REST API; what must be seen, through the page (n8n's data-test-id
 * attributes). Every wait polls with a limit scaled by E2E_TIME_SCALE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Json = Record<string, any>;
const editor = require(path.join(__dirname, 'support', 'editor.cjs'));
const { scaled, waitFor, PACKAGE } = editor;

const ours = (type: string): boolean => type.startsWith(`${PACKAGE}.`);
/** n8n asks every node for an optional output schema (/schemas/<type>/<version>/<resource>/<operation>.json); a node without one answers 404, for nodes-base nodes too. */
const schemaProbe = (text: string): boolean => /\/schemas\//.test(text);
const fromOurNodes = (text: string): boolean => new RegExp(`${PACKAGE}|recoco|grist|bitrix|hubee|ecal|moncampus|lescommuns|les communs`, 'i').test(text);

describe('the editor, in a browser, on the npm start demo', () => {
	let session: Json;
	let page: Json;

	beforeAll(async () => {
		session = await editor.startEditorSession();
		page = await session.newPage();
	});

	afterAll(async () => {
		await session?.stop();
	});

	const workflows = (): Json[] => session.stack.workflows;
	const canvasCount = (workflow: Json): number => workflow.nodes.filter((node: Json) => node.type !== 'n8n-nodes-base.stickyNote').length;

	async function open(workflow: Json): Promise<void> {
		await page.goto(`${session.baseUrl}/workflow/${workflow.id}`, { waitUntil: 'domcontentloaded' });
		await waitFor(async () => (await page.locator('[data-test-id="canvas-node"]').count()) === canvasCount(workflow), {
			timeoutMs: scaled(180_000),
			what: `"${workflow.name}" on the canvas with its ${canvasCount(workflow)} nodes`,
		});
	}

	test('every bundled workflow opens: each node with its own icon, no unknown node, no issue, no error toast, no console error from our nodes', async () => {
		const known = new Set((await session.stack.server.nodeTypes()).map((type: Json) => type.name));
		const problems: string[] = [];
		for (const workflow of workflows()) {
			page.errors.length = 0;
			await open(workflow);
			await page.waitForTimeout(scaled(2000));
			const shown = await editor.canvasNodes(page);
			for (const node of workflow.nodes.filter((each: Json) => each.type !== 'n8n-nodes-base.stickyNote')) {
				const where = `${workflow.name} / ${node.name}`;
				const onCanvas = shown.find((each: Json) => each.name === node.name);
				if (!onCanvas) problems.push(`${where}: not on the canvas`);
				else {
					if (onCanvas.type !== node.type) problems.push(`${where}: shown as ${onCanvas.type}, not ${node.type}`);
					if (!known.has(node.type)) problems.push(`${where}: unknown node type ${node.type} (placeholder)`);
					if (!onCanvas.icon) problems.push(`${where}: no icon`);
					if (ours(node.type) && !String(onCanvas.icon).includes(`/icons/${PACKAGE}/`)) problems.push(`${where}: not its own icon (${onCanvas.icon})`);
					if (onCanvas.issues) problems.push(`${where}: shows an issue on the canvas`);
				}
			}
			for (const toast of await editor.errorToasts(page)) problems.push(`${workflow.name}: error toast "${toast}"`);
			for (const error of page.errors) if (fromOurNodes(error.text) && !schemaProbe(error.text)) problems.push(`${workflow.name}: console ${error.type}: ${error.text.slice(0, 300)}`);
		}
		expect(problems).toEqual([]);
	});

	test('every panel of our nodes in the bundled workflows shows no issue and no error toast', async () => {
		const problems: string[] = [];
		for (const workflow of workflows()) {
			await open(workflow);
			for (const node of workflow.nodes.filter((each: Json) => ours(each.type))) {
				const { issues, credentialIssue } = await editor.openNodePanel(page, node.name);
				for (const issue of issues) problems.push(`${workflow.name} / ${node.name}: issue on "${issue.label || issue.parameter}": ${issue.message}`);
				if (credentialIssue) problems.push(`${workflow.name} / ${node.name}: no credential (the demo creates one per service)`);
				for (const toast of await editor.errorToasts(page)) problems.push(`${workflow.name} / ${node.name}: error toast "${toast}"`);
			}
		}
		expect(problems).toEqual([]);
	});

	test('in a fresh workflow, every resource and operation of our nodes shows only missing-credential and required-field issues', async () => {
		// "<Node> Tool" types are n8n's copies of the usableAsTool nodes, with the same description: checked once, through the node.
		const types: Json[] = (await session.stack.server.nodeTypes()).filter((type: Json) => ours(type.name) && !type.name.endsWith('Tool'));
		const nodes: Json[] = [];
		for (const type of types) {
			const version = Array.isArray(type.version) ? Math.max(...type.version) : type.version;
			const property = (name: string): Json | undefined => type.properties.find((each: Json) => each.name === name && each.type === 'options');
			const resources: Array<string | undefined> = property('resource')?.options.map((option: Json) => option.value) ?? [undefined];
			for (const resource of resources) {
				const operations = type.properties.filter(
					(each: Json) => each.name === 'operation' && each.type === 'options' && (resource === undefined || each.displayOptions?.show?.resource?.includes(resource)),
				);
				const values: Array<string | undefined> = operations.length ? operations.flatMap((each: Json) => each.options.map((option: Json) => option.value)) : [undefined];
				for (const operation of values) {
					const parameters: Json = {};
					if (resource !== undefined) parameters.resource = resource;
					if (operation !== undefined) parameters.operation = operation;
					nodes.push({
						id: `ui-${nodes.length}`,
						name: `${type.displayName} ${resource ?? ''} ${operation ?? ''}`.replace(/\s+/g, ' ').trim(),
						type: type.name,
						typeVersion: version,
						position: [(nodes.length % 8) * 220, Math.floor(nodes.length / 8) * 200],
						parameters,
					});
				}
			}
		}
		expect(nodes.length).toBeGreaterThan(types.length);
		const created = (await session.stack.server.json('/rest/workflows', { method: 'POST', body: { name: 'UI test: every operation', nodes, connections: {}, settings: {} } })).data;
		const workflow = { ...created, nodes };
		const problems: string[] = [];
		await open(workflow);
		for (const node of nodes) {
			const { issues } = await editor.openNodePanel(page, node.name, { settleMs: scaled(1500) });
			// A fresh node's issues by design: no credential yet (the demo has one per service, which n8n picks), required fields still empty.
			const byDesign = (issue: Json): boolean => issue.empty && /is required/.test(issue.message);
			for (const issue of issues.filter((each: Json) => !byDesign(each))) problems.push(`${node.name}: issue on "${issue.label || issue.parameter}": ${issue.message}`);
			for (const toast of await editor.errorToasts(page)) problems.push(`${node.name}: error toast "${toast}"`);
		}
		expect(problems).toEqual([]);
	});

	test.each(['Grist', 'Bitrix', 'HubEE', 'Recoco', 'ecal', 'MonCampus', 'Communs'])('the node panel finds our nodes for "%s", each with a one-line description', async (term) => {
		const items: Json[] = await editor.searchNodePanel(page, session.baseUrl, term);
		const types: Json[] = (await session.stack.server.nodeTypes()).filter((type: Json) => ours(type.name));
		const expected = types.filter((type: Json) => type.displayName.toLowerCase().includes(term.toLowerCase())).map((type: Json) => type.displayName);
		expect(expected.length).toBeGreaterThan(0);
		const found = items.filter((item) => expected.some((name: string) => item.name === name || item.name.startsWith(name)));
		expect(found.length).toBeGreaterThan(0);
		for (const item of found) {
			expect(item.description.length).toBeGreaterThan(0);
			expect(item.description).not.toMatch(/\n/);
		}
	});

	test('each bundled workflow runs from the editor, from its manual trigger, against the demo services, to the success state', async () => {
		const results: Json = {};
		for (const workflow of workflows()) {
			// From its manual trigger; a workflow without one (the failure alert's Error Trigger) from its only trigger,
			// which n8n runs on sample data when started from the editor.
			const manual =
				workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.manualTrigger') ?? workflow.nodes.find((node: Json) => /trigger$/i.test(node.type));
			expect(manual).toBeDefined();
			page.once('dialog', (dialog: Json) => dialog.accept().catch(() => {}));
			await open(workflow);
			const known = new Set<string>((await session.stack.server.listExecutions(workflow.id, { includeData: false })).map((execution: Json) => String(execution.id)));
			await page.locator(`[data-test-id="execute-workflow-button-${manual.name}"]`).click({ force: true });
			const execution = await editor.waitForNewExecution(session.stack.server, workflow.id, known);
			// What the user sees: the run's nodes turn green on the canvas, none red.
			await waitFor(async () => (await editor.canvasNodes(page)).some((node: Json) => node.success), { timeoutMs: scaled(120_000), what: `${workflow.name}: success shown on the canvas` });
			const shown = await editor.canvasNodes(page);
			results[workflow.name] = { status: execution.status, red: shown.filter((node: Json) => node.error).map((node: Json) => node.name), toasts: await editor.errorToasts(page) };
		}
		expect(Object.values(results).length).toBe(workflows().length);
		for (const [name, result] of Object.entries(results)) expect({ name, ...result }).toEqual({ name, status: 'success', red: [], toasts: [] });
	});

	test('each webhook-started workflow runs from the editor: its trigger listens, a signed Recoco delivery arrives, the run succeeds', async () => {
		const { DEMO_SECRETS } = require(path.join(editor.REPO_ROOT, 'scripts/lib/demo.cjs'));
		const { createRecocoFake } = require(path.join(editor.REPO_ROOT, 'test/fakes/recoco.cjs'));
		const { deliverWebhook } = require(path.join(editor.REPO_ROOT, 'test/fakes/recocoWebhook.cjs'));
		const state: Json = JSON.parse(fs.readFileSync(session.stack.stateFile, 'utf8'));
		const listening = workflows().filter((workflow: Json) => state.recocoWebhooks?.some((hook: Json) => hook.workflowId === workflow.id));
		expect(listening.length).toBeGreaterThan(0);
		const results: Json = {};
		for (const workflow of listening) {
			const hook = state.recocoWebhooks.find((each: Json) => each.workflowId === workflow.id);
			const trigger = workflow.nodes.find((node: Json) => node.type === `${PACKAGE}.recocoTrigger`);
			page.once('dialog', (dialog: Json) => dialog.accept().catch(() => {}));
			await open(workflow);
			const known = new Set<string>((await session.stack.server.listExecutions(workflow.id, { includeData: false })).map((execution: Json) => String(execution.id)));
			await page.locator(`[data-test-id="execute-workflow-button-${trigger.name}"]`).click({ force: true });
			// The event the demo Recoco would send about one of its projects, signed as django-webhook signs it.
			const recoco = createRecocoFake();
			recoco.ctx.state = await (await fetch(`${state.services.recoco}/__fake/state`)).json();
			const project = recoco.ctx.state.projects.find((each: Json) => each.commune?.insee);
			const event = recoco.webhookEvent('projects.Project/update', project.id);
			// While the editor listens, n8n serves the trigger's test URL (404 before it registered it).
			const testUrl = hook.url.replace('/webhook/', '/webhook-test/');
			let answer: Json = {};
			await waitFor(
				async () => {
					answer = await deliverWebhook(testUrl, { event, secret: DEMO_SECRETS.recocoWebhookSecret });
					return answer.status !== 404;
				},
				{ timeoutMs: scaled(120_000), intervalMs: 1000, what: `${workflow.name}: the editor listening on ${testUrl}` },
			);
			const execution = await editor.waitForNewExecution(session.stack.server, workflow.id, known);
			await waitFor(async () => (await editor.canvasNodes(page)).some((node: Json) => node.success), { timeoutMs: scaled(120_000), what: `${workflow.name}: success shown on the canvas` });
			const shown = await editor.canvasNodes(page);
			results[workflow.name] = { answer: answer.status, status: execution.status, red: shown.filter((node: Json) => node.error).map((node: Json) => node.name), toasts: await editor.errorToasts(page) };
		}
		for (const [name, result] of Object.entries(results)) expect({ name, ...result }).toEqual({ name, answer: 200, status: 'success', red: [], toasts: [] });
	});
});
