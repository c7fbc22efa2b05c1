'use strict';
/**
 * n8n's CLI on one user folder: import credentials and workflows, publish, execute. Every command boots n8n and runs
 * migrations (~5 s, far more on a loaded machine), and none may run while a server uses the same SQLite file, so
 * callers batch imports and start the server once.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { scaled } = require('../time-scale.cjs');
const { tail } = require('./log-tail.cjs');
const { parseRunOutput, runError } = require('./run-result.cjs');

/**
 * @param {object} setup
 * @param {string} setup.nodeBin, setup.n8nBin, setup.userFolder
 * @param {Record<string,string>} setup.env     the n8n environment
 * @param {() => boolean} setup.serverRunning
 * @param {(chunk: string) => void} [setup.onLog]
 */
function createCli({ nodeBin, n8nBin, userFolder, env: baseEnv, serverRunning, onLog }) {
	let tempCounter = 0;

	/** Runs one n8n CLI command to completion. Resolves {code, stdout, stderr}; never throws on exit code. */
	function cli(args, { env = {}, timeoutMs = scaled(600000) } = {}) {
		if (serverRunning()) throw new Error(`stop the n8n server before running \`n8n ${args[0]}\` (same SQLite file)`);
		return new Promise((resolve, reject) => {
			const child = spawn(nodeBin, [n8nBin, ...args], {
				cwd: userFolder,
				env: { ...baseEnv, N8N_PORT: '0', ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => {
				stdout += chunk;
				onLog?.(String(chunk));
			});
			child.stderr.on('data', (chunk) => {
				stderr += chunk;
				onLog?.(String(chunk));
			});
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms (E2E_TIME_SCALE scales it)\n${tail(stdout + stderr)}`));
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async function cliOrThrow(args, opts) {
		const result = await cli(args, opts);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited ${result.code}\n${tail(result.stdout + result.stderr)}`);
		}
		return result;
	}

	function tempJson(prefix, value) {
		tempCounter += 1;
		const file = path.join(userFolder, `${prefix}-${tempCounter}.json`);
		fs.writeFileSync(file, JSON.stringify(value));
		return file;
	}

	/** Array of {id, name, type, data:{plaintext}}; n8n encrypts it on import. Fixed ids keep workflows' references valid. */
	async function importCredentials(credentials) {
		const list = Array.isArray(credentials) ? credentials : [credentials];
		if (list.length === 0) return;
		await cliOrThrow(['import:credentials', `--input=${tempJson('credentials', list)}`]);
	}

	/** A workflow object, an array of them, or a path to a JSON file; imported as is (inactive). Returns the ids. */
	async function importWorkflow(workflowOrPath) {
		const file = typeof workflowOrPath === 'string' ? path.resolve(workflowOrPath) : tempJson('workflow', workflowOrPath);
		const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
		const list = Array.isArray(parsed) ? parsed : [parsed];
		for (const workflow of list) {
			if (!workflow.id) throw new Error(`workflow "${workflow.name}" in ${file} has no fixed id`);
		}
		await cliOrThrow(['import:workflow', `--input=${file}`]);
		return list.map((workflow) => workflow.id);
	}

	async function publishWorkflow(id) {
		await cliOrThrow(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * Runs a workflow once (it must start with a Manual Trigger) and returns {ok, code, status, run, error, log}.
	 * `n8n execute --file` exits 0 without running anything, so only --id is used, and a run only counts when its JSON
	 * says so. For small runs only: a large run's JSON on stdout can be cut by other output (use server.runManually).
	 */
	async function executeRaw(id, { timeoutMs } = {}) {
		const result = await cli(['execute', `--id=${id}`], { timeoutMs });
		const log = result.stdout + result.stderr;
		const run = parseRunOutput(result.stdout);
		const status = run?.status;
		return { ok: result.code === 0 && status === 'success', code: result.code, status, run, error: runError(run), log };
	}

	async function execute(id, opts) {
		const result = await executeRaw(id, opts);
		if (!result.ok) {
			const cause = result.error ? `${result.error.node}: ${result.error.message}` : 'no run result printed';
			throw new Error(`n8n execute --id=${id}: exit ${result.code}, status ${result.status ?? 'none'} (${cause})\n${tail(result.log)}`);
		}
		return result.run;
	}

	return { cli, importCredentials, importWorkflow, publishWorkflow, executeRaw, execute };
}

module.exports = { createCli };
