'use strict';
/**
 * n8n's editor in a real browser, for `npm run test:ui` and `npm run docs:images`: the `npm start` demo stack
 * (scripts/lib/demo.cjs, on free ports, in a temp user folder) and Debian's chromium driven by playwright-core
 * (no browser download: executablePath is the distribution's binary). Setup goes through n8n's REST API (login,
 * workflow list); what a user sees is read from the page by n8n's own data-test-id attributes.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const { scaled } = require(path.join(REPO_ROOT, 'scripts/lib/time-scale.cjs'));
const { freePort } = require(path.join(REPO_ROOT, 'scripts/lib/ports.cjs'));
const { isFinished } = require(path.join(REPO_ROOT, 'scripts/lib/n8n/run-result.cjs'));
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const INSTALL_HINT = 'apt-get install -y chromium   (Debian; .ci/run installs it)';

function chromiumPath() {
	const found = CHROMIUM_CANDIDATES.find((file) => fs.existsSync(file));
	if (!found) throw new Error(`no chromium binary (${CHROMIUM_CANDIDATES.join(', ')}): ${INSTALL_HINT}`);
	return found;
}

/** Polls `check` (async, resolves a truthy value when done) until it is truthy; throws with `describe()` after the limit. */
async function waitFor(check, { timeoutMs = scaled(60_000), intervalMs = 250, what = 'condition', describe } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			last = await check();
			if (last) return last;
		} catch (error) {
			last = error.message;
		}
		if (Date.now() > deadline) {
			const detail = describe ? await describe().catch((error) => error.message) : last;
			throw new Error(`${what}: not reached after ${timeoutMs} ms (E2E_TIME_SCALE scales the limit); last: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/**
 * Starts the demo stack and a browser logged in as the owner. Resolves {stack, browser, context, newPage(), stop()};
 * every page records its console errors and uncaught errors in page.errors ([{type, text}]).
 */
async function startEditorSession({ say = () => {}, viewport = { width: 1600, height: 1000 } } = {}) {
	const { chromium } = require('playwright-core');
	const executablePath = chromiumPath();
	const demo = require(path.join(REPO_ROOT, 'scripts/lib/demo.cjs'));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ui-'));
	let stack;
	let browser;
	const stop = async () => {
		await browser?.close().catch(() => {});
		await stack?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		stack = await demo.startDemoStack({ userFolder, port: await freePort(), freePorts: true, say });
		await stack.server.login();
		browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
		const context = await browser.newContext({ viewport, locale: 'en-US' });
		context.setDefaultTimeout(scaled(60_000));
		context.setDefaultNavigationTimeout(scaled(120_000));
		// On a loaded machine n8n answers 503 "Database is not ready!" while its SQLite ping times out: retry.
		let lastLogin = '';
		await waitFor(
			async () => {
				const login = await context.request.post(`${stack.server.baseUrl}/rest/login`, {
					data: { emailOrLdapLoginId: stack.server.owner.email, password: stack.server.owner.password },
				});
				lastLogin = `${login.status()} ${(await login.text()).slice(0, 200)}`;
				return login.ok();
			},
			{ timeoutMs: scaled(120_000), intervalMs: 1000, what: 'the browser login', describe: async () => lastLogin },
		);
		const newPage = async () => {
			const page = await context.newPage();
			page.errors = [];
			page.on('console', (message) => {
				if (message.type() === 'error') page.errors.push({ type: 'console', text: message.text() });
			});
			page.on('pageerror', (error) => page.errors.push({ type: 'pageerror', text: `${error.message}\n${error.stack ?? ''}` }));
			return page;
		};
		return { stack, browser, context, newPage, stop, baseUrl: stack.server.baseUrl };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** Opens a workflow in the editor and waits until its `nodeCount` nodes are on the canvas. */
async function openWorkflow(page, baseUrl, workflow) {
	await page.goto(`${baseUrl}/workflow/${workflow.id}`);
	await waitFor(async () => (await page.locator('[data-test-id="canvas-node"]').count()) === workflow.nodes.length, {
		timeoutMs: scaled(120_000),
		what: `workflow "${workflow.name}" on the canvas with its ${workflow.nodes.length} nodes`,
		describe: async () => `${await page.locator('[data-test-id="canvas-node"]').count()} nodes shown`,
	});
	// Fit the whole workflow into view, as the editor does on open.
	await page.keyboard.press('1').catch(() => {});
}

/** The error toasts on screen: [text]. */
async function errorToasts(page) {
	return page
		.locator('.el-notification:has(.el-notification__icon.el-notification--error), .el-notification.error, [role="alert"].el-notification')
		.evaluateAll((elements) =>
			elements.filter((element) => element.querySelector('.el-notification--error') || element.className.includes('error')).map((element) => element.textContent.trim()),
		);
}

module.exports = { REPO_ROOT, PACKAGE, INSTALL_HINT, chromiumPath, waitFor, startEditorSession, openWorkflow, errorToasts, scaled };

/** The canvas nodes as shown: [{name, type, icon (img src or 'svg'), issues}] (sticky notes are not canvas nodes). */
async function canvasNodes(page) {
	return page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) =>
		elements.map((element) => {
			const icon = element.querySelector('.n8n-node-icon');
			return {
				name: element.getAttribute('data-node-name'),
				type: element.getAttribute('data-node-type'),
				icon: icon?.querySelector('img')?.getAttribute('src') ?? (icon?.querySelector('svg') ? 'svg' : undefined),
				issues: Boolean(element.querySelector('[data-test-id="node-issues"]')),
				success: Boolean(element.querySelector('[data-test-id="canvas-node-status-success"]')),
				error: Boolean(element.querySelector('[data-test-id="canvas-node-status-error"], [data-test-id="canvas-node-status-mark-error"]')),
			};
		}),
	);
}

/**
 * Opens a node's parameter panel (double click), lets its option lists load, and resolves what shows an issue:
 * issues [{parameter (its name), label, message (the warning's tooltip), empty (the input has no value)}] and
 * credentialIssue (the credential select's warning: no credential selected). Closes the panel again.
 */
async function openNodePanel(page, nodeName, { settleMs = scaled(3000) } = {}) {
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName.replace(/"/g, '\\"')}"]`);
	await node.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await waitFor(() => ndv.isVisible(), { what: `the panel of "${nodeName}"` });
	await waitFor(async () => (await ndv.locator('[data-test-id="node-parameters"]').count()) > 0, { what: `the parameters of "${nodeName}"` });
	await page.waitForTimeout(settleMs);
	const markers = ndv.locator('[data-test-id="node-parameters"] [data-test-id="parameter-issues"]');
	const issues = await markers.evaluateAll((elements) =>
		elements.map((element) => {
			// n8n wraps each parameter's input in data-test-id="parameter-input-<name>" (class parameter-value-container).
			const container = element.closest('.parameter-value-container[data-test-id^="parameter-input-"]') ?? element.parentElement;
			const item = element.closest('.parameter-item') ?? container;
			// A resource locator's mode select ("From list", "By ID") has a value of its own: not the parameter's.
			const inputs = [...container.querySelectorAll('input, textarea')].filter((input) => input.type !== 'hidden' && !input.closest('[data-test-id="rlc-mode-selector"]'));
			const tags = container.querySelectorAll('.el-tag, .el-select__tags-text').length;
			const code = container.querySelector('.cm-content');
			const empty = !tags && inputs.every((input) => !input.value) && !(code && code.textContent.trim());
			return {
				parameter: (container.getAttribute('data-test-id') ?? '').replace(/^parameter-input-/, ''),
				label: (item.querySelector('label [class*="_title_"]')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
				empty,
			};
		}),
	);
	// The reason is in the warning's tooltip: hover each marker and read the tooltip that opens.
	for (let index = 0; index < issues.length; index++) {
		issues[index].message = await markers
			.nth(index)
			.locator('span')
			.first()
			.hover({ force: true, timeout: scaled(5000) })
			.then(() => waitFor(() => page.locator('[data-reka-popper-content-wrapper]:visible').last().textContent({ timeout: 1000 }), { timeoutMs: scaled(3000), what: 'tooltip' }))
			.then((text) => String(text).replace(/^\s*Issues:\s*/, '').replace(/\s+/g, ' ').trim())
			.catch(() => '');
	}
	const credentialIssue = await ndv.locator('[data-test-id="node-credentials-slot"] svg[data-icon="triangle-alert"]').count();
	await page.keyboard.press('Escape');
	await waitFor(async () => !(await ndv.isVisible()), { what: `the panel of "${nodeName}" closed` });
	return { issues, credentialIssue: credentialIssue > 0 };
}

/** Searches the node panel of an empty workflow: [{name, description}] of what it lists. */
async function searchNodePanel(page, baseUrl, term) {
	if (!/\/workflow\/new/.test(page.url())) {
		await page.goto(`${baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
	}
	const creator = page.locator('[data-test-id="node-creator"]');
	if (!(await creator.isVisible().catch(() => false))) {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
	}
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	// Typed key by key: the panel filters on its input events, which a programmatic fill did not always trigger.
	await search.fill('');
	await search.pressSequentially(term, { delay: 50 });
	const read = () =>
		creator.locator('[data-test-id="node-creator-item-name"]').evaluateAll((elements) =>
			elements.map((element) => {
				let item = element;
				while (item.parentElement && !item.querySelector('[data-test-id="node-creator-item-description"]') && item.tagName !== 'BODY') item = item.parentElement;
				return {
					name: element.textContent.trim(),
					description: item.querySelector('[data-test-id="node-creator-item-description"]')?.textContent.trim() ?? '',
				};
			}),
		);
	// The list first shows the panel's default entries: wait until it shows what the search found.
	const matches = (items) => items.some((item) => item.name.toLowerCase().includes(term.toLowerCase()));
	return waitFor(async () => {
		const items = await read();
		return matches(items) ? items : undefined;
	}, { timeoutMs: scaled(30_000), what: `node panel results for "${term}"`, describe: read });
}

/** Resolves a REST run's final state: the newest execution of `workflowId` newer than `after` ids, once finished. */
async function waitForNewExecution(server, workflowId, knownIds, { timeoutMs = scaled(600_000) } = {}) {
	return waitFor(
		async () => {
			const executions = await server.listExecutions(workflowId, { includeData: false });
			const fresh = executions.find((execution) => !knownIds.has(String(execution.id)));
			if (isFinished(fresh)) return fresh;
			return undefined;
		},
		{ timeoutMs, intervalMs: 1000, what: `a finished execution of ${workflowId}` },
	);
}

Object.assign(module.exports, { canvasNodes, openNodePanel, searchNodePanel, waitForNewExecution });
