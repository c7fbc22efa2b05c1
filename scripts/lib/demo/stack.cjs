'use strict';
/**
 * The whole demo behind `npm start` and `npm run dev`: the demo services (registry.cjs), n8n with the package, the
 * demo credentials and the bundled workflows with demo Config values, the published ones live.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { PARTS, DEMO_WORKFLOW_SETTINGS } = require('./registry.cjs');
const { startDemoServices } = require('./services.cjs');
const { demoCredentials, withDemoCredentials } = require('./credentials.cjs');
const { readWorkflows, demoWorkflows } = require('./workflows.cjs');
const { demoSummary } = require('./banner.cjs');

/** Where `npm run demo:recoco-event` finds the running demo: written at start in the user folder, removed at stop. */
const DEMO_STATE_FILE = 'demo.json';

/** n8n's user folder: emptied first unless `keep` (and a key from a run exists); its encryption key survives `keep`. */
function prepareUserFolder(userFolder, keep) {
	const keyFile = path.join(userFolder, 'encryption-key');
	if (!(keep && fs.existsSync(keyFile))) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
	return fs.readFileSync(keyFile, 'utf8').trim();
}

function writeState(stack, userFolder) {
	const state = {
		n8n: stack.server.baseUrl,
		services: Object.fromEntries(
			Object.entries(stack.services)
				.filter(([, handle]) => handle.baseUrl)
				.map(([key, handle]) => [key, handle.baseUrl]),
		),
	};
	for (const part of PARTS) Object.assign(state, part.state?.(stack));
	stack.stateFile = path.join(userFolder, DEMO_STATE_FILE);
	fs.writeFileSync(stack.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * @param {object} options
 * @param {string} options.userFolder    N8N_USER_FOLDER, emptied first unless `keep` (and a key from a run exists)
 * @param {boolean} [options.keep]
 * @param {number} [options.port]        n8n's port (5678)
 * @param {boolean} [options.linkPackage] link the repo instead of copying dist/ (hot reload in `npm run dev`)
 * @param {boolean} [options.freePorts]  services on free ports instead of the fixed ones (tests)
 * @param {object} [options.env]         extra env for n8n
 * @param {(message: string) => void} [options.say]
 * Resolves {n8n, server, services, mariadb, credentials, workflows, webhooks, grist, stop(), summary()}; stop() is safe
 * to call any time.
 */
async function startDemoStack(options) {
	const say = options.say ?? ((message) => process.stdout.write(`[demo] ${message}\n`));
	const { createN8nRuntime } = require('../n8n-runtime.cjs');
	const started = [];
	const stack = { services: {}, n8n: undefined, server: undefined };
	let stopped = false;
	stack.stop = async () => {
		if (stopped) return;
		stopped = true;
		if (stack.stateFile) fs.rmSync(stack.stateFile, { force: true });
		await stack.n8n?.stop().catch((error) => say(`n8n: ${error.message}`));
		for (const handle of started) await handle.stop().catch(() => {});
	};
	try {
		// Before anything starts: a renamed Config field must stop the demo, not leave a workflow that cannot run.
		stack.workflows = demoWorkflows(readWorkflows());
		stack.services = await startDemoServices({ freePorts: options.freePorts, say, started });
		stack.mariadb = stack.services.mariadb;
		stack.userFolder = options.userFolder;
		for (const workflow of stack.workflows) DEMO_WORKFLOW_SETTINGS[workflow.id]?.prepare?.(stack, workflow);

		const encryptionKey = prepareUserFolder(options.userFolder, options.keep);
		stack.logFile = path.join(options.userFolder, 'n8n.log');
		const log = fs.createWriteStream(stack.logFile, { flags: 'a' });
		stack.n8n = await createN8nRuntime({
			userFolder: options.userFolder,
			encryptionKey,
			linkPackage: options.linkPackage,
			env: options.env,
			onLog: (chunk) => log.write(chunk),
		});
		if (stack.n8n.installed.missing.length) say(`not built, left out: ${stack.n8n.installed.missing.join(', ')}`);

		const { credentials, missing } = demoCredentials(stack.services, stack.workflows);
		stack.credentials = credentials;
		stack.workflows = stack.workflows.map((workflow) => withDemoCredentials(workflow, credentials));
		say(`importing ${credentials.length} demo credentials and ${stack.workflows.length} workflows`);
		await stack.n8n.importCredentials(credentials);
		if (stack.workflows.length) await stack.n8n.importWorkflow(stack.workflows);
		for (const why of missing) say(`credential not created: ${why}`);

		const publish = stack.workflows.filter((workflow) => DEMO_WORKFLOW_SETTINGS[workflow.id]?.publish);
		stack.publishedIds = publish.map((workflow) => workflow.id);
		stack.published = publish.map((workflow) => workflow.name);
		say(`publishing ${stack.published.join(' | ')}; starting n8n on 127.0.0.1:${options.port ?? 5678}…`);
		stack.server = await stack.n8n.startServer({ port: options.port ?? 5678, publish: stack.publishedIds });
		for (const part of PARTS) await part.afterStart?.(stack, say);
		writeState(stack, options.userFolder);
	} catch (error) {
		await stack.stop();
		throw error;
	}
	stack.summary = () => demoSummary(stack, options.userFolder);
	return stack;
}

module.exports = { DEMO_STATE_FILE, startDemoStack };
