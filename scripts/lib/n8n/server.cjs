'use strict';
/**
 * `n8n start` as a handle: REST with the owner's login cookie, webhooks, executions, stop. Resolved once n8n is fully
 * ready. Servers still running when this process exits (a crashed test, an uncaught error) are killed with it.
 */
const { spawn } = require('node:child_process');
const { freePort } = require('../ports.cjs');
const { scaled } = require('../time-scale.cjs');
const { tail } = require('./log-tail.cjs');

const { trackProcessGroup } = require('../shutdown.cjs');

const { FINISHED, isFinished } = require('./run-result.cjs');

/**
 * @param {object} setup
 * @param {string} setup.nodeBin, setup.n8nBin, setup.userFolder
 * @param {Record<string,string>} setup.env   the n8n environment; `env` of the call adds to it
 * @param {{email: string, password: string}} setup.owner
 * @param {(chunk: string) => void} [setup.onLog]
 * @param {() => void} [setup.onStopped]    called once the server is stopped
 */
async function startServerProcess(setup, { port, env = {}, healthTimeoutMs = scaled(300000) } = {}) {
	const { nodeBin, n8nBin, userFolder, owner, onLog } = setup;
	const listenPort = port ?? (await freePort());
	const baseUrl = `http://127.0.0.1:${listenPort}`;
	let output = '';
	const child = spawn(nodeBin, [n8nBin, 'start'], {
		cwd: userFolder,
		env: { ...setup.env, N8N_PORT: String(listenPort), N8N_EDITOR_BASE_URL: baseUrl, N8N_WEBHOOK_URL: `${baseUrl}/`, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const onData = (chunk) => {
		output += chunk;
		if (output.length > 2_000_000) output = output.slice(-1_000_000);
		onLog?.(String(chunk));
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = false;
	const exitPromise = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = true;
			resolve({ code, signal });
		}),
	);
	const stopGroup = trackProcessGroup(child.pid, exitPromise);

	let cookie = '';
	const handle = {
		baseUrl,
		port: listenPort,
		owner,
		pid: child.pid,
		get log() {
			return output;
		},
		/** resolves {code, signal} when the server process ends, whoever ended it */
		exited: exitPromise,
		logTail: (lines) => tail(output, lines),

		/** fetch relative to the server, with the login cookie when there is one. */
		async request(urlPath, init = {}) {
			const headers = { ...(init.headers ?? {}) };
			if (cookie) headers.cookie = cookie;
			let body = init.body;
			if (body !== undefined && typeof body !== 'string') {
				body = JSON.stringify(body);
				headers['content-type'] ??= 'application/json';
			}
			return fetch(new URL(urlPath, baseUrl), { ...init, headers, body });
		},

		async json(urlPath, init) {
			const response = await handle.request(urlPath, init);
			const text = await response.text();
			let parsed;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				parsed = undefined;
			}
			if (!response.ok) {
				throw new Error(`${init?.method ?? 'GET'} ${urlPath} → ${response.status}: ${text.slice(0, 500)}`);
			}
			return parsed;
		},

		async login() {
			const response = await fetch(`${baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
			});
			if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
			const setCookie = response.headers.getSetCookie?.() ?? [response.headers.get('set-cookie') ?? ''];
			const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
			if (!auth) throw new Error('login answered without an n8n-auth cookie');
			cookie = auth;
			return cookie;
		},

		/**
		 * Published webhooks register a few seconds after n8n is ready: poll until the path is registered for
		 * `method`. The probe is a CORS preflight (OPTIONS with an Origin), which n8n answers with the path's
		 * registered methods in Access-Control-Allow-Methods ("OPTIONS" alone while unknown) and which never
		 * runs the workflow. Resolves the registered methods.
		 */
		async waitForWebhook(url, { method = 'POST', timeoutMs = scaled(120000) } = {}) {
			const deadline = Date.now() + timeoutMs;
			let last;
			while (Date.now() < deadline) {
				if (exited) throw new Error(`n8n exited while waiting for ${url}\n${tail(output)}`);
				try {
					const response = await fetch(new URL(url, baseUrl), { method: 'OPTIONS', headers: { origin: baseUrl } });
					await response.arrayBuffer();
					const methods = (response.headers.get('access-control-allow-methods') ?? '')
						.split(',')
						.map((entry) => entry.trim().toUpperCase())
						.filter(Boolean);
					last = `${response.status} [${methods.join(', ')}]`;
					if (response.status < 400 && methods.includes(method.toUpperCase())) return methods;
				} catch (error) {
					last = error.message;
				}
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			throw new Error(`webhook ${method} ${url} still not registered after ${timeoutMs} ms (last: ${last}; E2E_TIME_SCALE scales the limit)\n${tail(output)}`);
		},

		/** Executions of a workflow, newest first, with their run data (public API, login cookie). */
		async listExecutions(workflowId, { includeData = true, status, limit = 100 } = {}) {
			const qs = new URLSearchParams({ workflowId: String(workflowId), includeData: String(includeData), limit: String(limit) });
			if (status) qs.set('status', status);
			const body = await handle.json(`/api/v1/executions?${qs}`);
			return body.data;
		},

		/**
		 * n8n's own credential test (the editor's "Retry"/"Save" check), POST /rest/credentials/test.
		 * `credential` = {id, name, type, data}; data given here replaces the stored data, so a wrong secret
		 * can be tested against a stored credential. Resolves {status: 'OK'|'Error', message}.
		 */
		async testCredential(credential) {
			const body = await handle.json('/rest/credentials/test', {
				method: 'POST',
				body: { credentials: { name: credential.name ?? credential.id, ...credential } },
			});
			return body.data;
		},

		/**
		 * Starts a manual run from the trigger named `triggerName`, as the editor's "Execute workflow" does, and
		 * resolves its execution id. The run's data stays in the server: read it with waitForExecution, never from
		 * `n8n execute` stdout, which a large run floods.
		 */
		async runManually(workflowId, triggerName) {
			const body = await handle.json(`/rest/workflows/${workflowId}/run`, { method: 'POST', body: { triggerToStartFrom: { name: triggerName } } });
			const executionId = body?.data?.executionId;
			if (!executionId) throw new Error(`POST /rest/workflows/${workflowId}/run started no execution: ${JSON.stringify(body).slice(0, 300)}`);
			return String(executionId);
		},

		/** Polls an execution until it finished (success, error, crashed, canceled), then resolves it with its run data. */
		async waitForExecution(executionId, { timeoutMs = scaled(600000), intervalMs = 500 } = {}) {
			const deadline = Date.now() + timeoutMs;
			let last;
			for (;;) {
				if (exited) throw new Error(`n8n exited while waiting for execution ${executionId}\n${tail(output)}`);
				last = await handle.json(`/api/v1/executions/${executionId}?includeData=false`).catch((error) => ({ error: error.message }));
				if (isFinished(last)) return await handle.json(`/api/v1/executions/${executionId}?includeData=true`);
				if (Date.now() > deadline) {
					throw new Error(`execution ${executionId} not finished after ${timeoutMs} ms (last: ${JSON.stringify(last).slice(0, 200)}; E2E_TIME_SCALE scales the limit)\n${tail(output)}`);
				}
				await new Promise((resolve) => setTimeout(resolve, intervalMs));
			}
		},

		/** Node types the server knows (the editor's list): [{name, displayName, version, …}]. */
		async nodeTypes() {
			const body = await handle.json('/types/nodes.json');
			return Array.isArray(body) ? body : body.data;
		},

		async credentialTypes() {
			const body = await handle.json('/types/credentials.json');
			return Array.isArray(body) ? body : body.data;
		},

		async stop() {
			await stopGroup('SIGTERM', 20000);
			setup.onStopped?.();
		},
	};

	const deadline = Date.now() + healthTimeoutMs;
	for (;;) {
		if (exited) {
			setup.onStopped?.();
			throw new Error(`n8n start exited before /healthz answered\n${tail(output)}`);
		}
		try {
			// /healthz turns ok long before the REST routes and the type files exist. Ready = /healthz/readiness
			// ok (DB migrated, server marked ready) and the "Editor is now accessible" line, which start.js prints
			// after activating workflows and writing types/nodes.json.
			if (output.includes('Editor is now accessible via')) {
				const readiness = await fetch(`${baseUrl}/healthz/readiness`);
				await readiness.arrayBuffer();
				if (readiness.ok) break;
			}
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await handle.stop();
			throw new Error(`n8n /healthz not ok after ${healthTimeoutMs} ms (E2E_TIME_SCALE scales the limit)\n${tail(output)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	return handle;
}

module.exports = { startServerProcess, FINISHED };
