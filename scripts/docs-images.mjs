// `npm run docs:images`: the pictures of the README, taken in a real browser on the `npm start` demo (Debian's
// chromium through playwright-core, like `npm run test:ui`): one screenshot of each bundled workflow's canvas
// (docs/images/workflow-<id>.png) and of one parameter panel per node of the package, the first use of that node in
// the bundled workflows (docs/images/node-<type>.png). Not part of `npm test`: tests never rewrite tracked files.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(REPO_ROOT, 'docs', 'images');
const editor = require('../test/ui/support/editor.cjs');
const say = (message) => process.stdout.write(`[docs:images] ${message}\n`);

require('./lib/n8n-install.cjs').ensureN8n();
fs.mkdirSync(OUT, { recursive: true });
const session = await editor.startEditorSession({ say, viewport: { width: 1400, height: 900 } });
try {
	const page = await session.newPage();
	// Leaving a workflow whose panel set a value asks to save: not for pictures.
	page.on('dialog', (dialog) => dialog.dismiss().catch(() => {}));
	const shotOfNode = new Map();
	/** Opens a node's panel on the canvas shown, saves docs/images/node-<type>.png, closes the panel: the file. */
	const shootPanel = async (node) => {
		const nodeFile = path.join(OUT, `node-${node.type.slice(editor.PACKAGE.length + 1)}.png`);
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name.replace(/"/g, '\\"')}"]`).dblclick();
		await editor.waitFor(() => page.locator('[data-test-id="ndv"]').isVisible(), { what: `the panel of "${node.name}"` });
		await page.waitForTimeout(editor.scaled(2500));
		await page.screenshot({ path: nodeFile });
		await page.keyboard.press('Escape');
		await editor.waitFor(async () => !(await page.locator('[data-test-id="ndv"]').isVisible()), { what: `the panel of "${node.name}" closed` });
		return nodeFile;
	};
	for (const workflow of session.stack.workflows) {
		const count = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length;
		await page.goto(`${session.baseUrl}/workflow/${workflow.id}`, { waitUntil: 'domcontentloaded' });
		await editor.waitFor(async () => (await page.locator('[data-test-id="canvas-node"]').count()) === count, {
			timeoutMs: editor.scaled(180_000),
			what: `"${workflow.name}" on the canvas`,
		});
		// A published workflow opens with n8n's "Production Checklist" card over the canvas: close it for the picture.
		await page.getByText('Production Checklist').locator('xpath=ancestor::*[.//button][1]').locator('button').first().click({ timeout: 3000 }).catch(() => {});
		await page.locator('[data-test-id="zoom-to-fit"]').click().catch(() => {});
		await page.waitForTimeout(editor.scaled(1500));
		const file = path.join(OUT, `workflow-${workflow.id}.png`);
		await page.screenshot({ path: file });
		say(`${path.relative(REPO_ROOT, file)}  (${workflow.name})`);
		for (const node of workflow.nodes) {
			if (!node.type.startsWith(`${editor.PACKAGE}.`) || shotOfNode.has(node.type)) continue;
			const nodeFile = await shootPanel(node);
			shotOfNode.set(node.type, nodeFile);
			say(`${path.relative(REPO_ROOT, nodeFile)}  (${node.name} in ${workflow.name})`);
		}
	}
	// Nodes no bundled workflow uses (the Grist, Bitrix24 and HubEE triggers…): their panel as a fresh node.
	const missing = (await session.stack.server.nodeTypes()).filter(
		(type) => type.name.startsWith(`${editor.PACKAGE}.`) && !type.name.endsWith('Tool') && !shotOfNode.has(type.name),
	);
	if (missing.length) {
		const nodes = missing.map((type, index) => ({
			id: `docs-${index}`,
			name: type.displayName,
			type: type.name,
			typeVersion: Array.isArray(type.version) ? Math.max(...type.version) : type.version,
			position: [index * 240, 0],
			parameters: {},
		}));
		const body = { name: 'docs:images: nodes outside the bundled workflows', nodes, connections: {}, settings: {} };
		const created = (await session.stack.server.json('/rest/workflows', { method: 'POST', body })).data;
		await editor.openWorkflow(page, session.baseUrl, { ...created, nodes });
		for (const node of nodes) {
			const nodeFile = await shootPanel(node);
			say(`${path.relative(REPO_ROOT, nodeFile)}  (${node.name}, fresh)`);
		}
	}
} finally {
	await session.stop();
}
