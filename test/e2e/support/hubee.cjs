'use strict';
/**
 * What the HubEE e2e files, the crash test and `npm run bench -- hubee` share: the bundled workflow with Config values
 * set in memory (never its logic), its credential pointed at the HubEE fake, a real n8n in server mode, runs started
 * through the server's REST API exactly as the editor's "Execute workflow" does, and the end-state checks read from
 * the fake and the download folder. Plain CommonJS so that the bench (a .cjs script) uses the same code.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const WORKFLOW_FILE = path.join(REPO_ROOT, 'workflows', 'hubee-attachments-to-folders.json');
const runtimeLib = require(path.join(REPO_ROOT, 'scripts', 'lib', 'n8n-runtime.cjs'));
const { STATUS_RANK } = require(path.join(REPO_ROOT, 'test', 'fakes', 'hubee.cjs'));
const { bundledWorkflow } = require(path.join(REPO_ROOT, 'scripts', 'lib', 'demo', 'workflows.cjs'));

const CLIENT = { clientId: 'e2e-hubee-client', clientSecret: 'e2e-hubee-secret' };
const MANUAL_TRIGGER = 'Run now';

function readWorkflow() {
	return JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8'));
}

/** The credential references of the workflow: exactly one HubEE credential, used by every HubEE node. */
function credentialRef(workflow) {
	const refs = new Map();
	for (const node of workflow.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) refs.set(`${type} ${ref.id}`, { type, ...ref });
	}
	if (refs.size !== 1) throw new Error(`expected one credential in the workflow, found ${[...refs.keys()].join(', ')}`);
	return [...refs.values()][0];
}

function credentialData(fake, client = CLIENT) {
	return {
		environment: 'custom',
		apiUrl: fake.apiBaseUrl,
		tokenUrl: fake.tokenUrl,
		clientId: client.clientId,
		clientSecret: client.clientSecret,
		scope: 'SI',
		editorName: 'Commune de Test',
		applicationName: 'n8n-nodes-sync-connectors',
		softwareVersion: '0.1.0',
		accessToken: '',
	};
}

/**
 * A real n8n with the package from `distDir`, the workflow (Config values applied) and its credential imported, and
 * the server started and logged in. `config.downloadRoot` defaults to a folder inside the allowed files folder.
 */
async function startHubeeN8n({ fake, distDir, config = {}, env = {}, onLog, extraWorkflows = [] }) {
	const n8n = await runtimeLib.createN8nRuntime({ distDir, env, onLog });
	const downloadRoot = config.downloadRoot ?? path.join(n8n.filesFolder, 'hubee');
	fs.mkdirSync(downloadRoot, { recursive: true });
	const workflow = bundledWorkflow('hubee-attachments-to-folders.json', { ...config, downloadRoot });
	const ref = credentialRef(workflow);
	await n8n.importCredentials([{ id: ref.id, name: ref.name, type: ref.type, data: credentialData(fake) }]);
	await n8n.importWorkflow([workflow, ...extraWorkflows]);
	const stack = {
		n8n,
		workflow,
		downloadRoot,
		server: undefined,
		async start(options = {}) {
			stack.server = await n8n.startServer(options);
			await stack.server.login();
			return stack.server;
		},
		/** Kills n8n and its task runner at once (SIGKILL to the process group), as a power cut would. */
		async kill() {
			const server = stack.server;
			if (!server) return;
			try {
				process.kill(-server.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await server.exited;
			await server.stop();
			stack.server = undefined;
		},
		startRun: () => startManualRun(stack.server, workflow),
		run: async (options) => await waitForExecution(stack.server, await startManualRun(stack.server, workflow), options),
	};
	await stack.start();
	return stack;
}

/** Starts the workflow from its Manual Trigger through the server (what the editor's button does); resolves the execution id. */
async function startManualRun(server, workflow) {
	const answer = await server.json(`/rest/workflows/${workflow.id}/run`, {
		method: 'POST',
		body: { triggerToStartFrom: { name: MANUAL_TRIGGER } },
	});
	const executionId = answer?.data?.executionId;
	if (!executionId) throw new Error(`the run was not started: ${JSON.stringify(answer).slice(0, 300)}`);
	return String(executionId);
}

/**
 * The execution once it has finished (any final status). Polled without its data (reading a large run's data would
 * weigh on the server being measured), then read once with it unless `withData` is false.
 */
async function waitForExecution(server, executionId, { timeoutMs = 600000, pollMs = 500, withData = true } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	let socketErrors = 0;
	while (Date.now() < deadline) {
		let response;
		try {
			response = await server.request(`/api/v1/executions/${executionId}?includeData=false`);
			socketErrors = 0;
		} catch (error) {
			// n8n closes an idle keep-alive socket after 5 s; on a loaded machine a poll can meet that close ("other
			// side closed"). A poll lost that way is polled again; n8n down for good fails after 20 polls in a row.
			socketErrors += 1;
			if (socketErrors >= 20) throw error;
			await new Promise((resolve) => setTimeout(resolve, pollMs));
			continue;
		}
		if (response.ok) {
			last = await response.json();
			if (runtimeLib.isFinished(last)) {
				return withData ? await server.json(`/api/v1/executions/${executionId}?includeData=true`) : last;
			}
		} else {
			await response.arrayBuffer();
		}
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
	throw new Error(`execution ${executionId} still ${last?.status ?? 'unknown'} after ${timeoutMs} ms\n${server.logTail(40)}`);
}

/** Every run of a node in an execution: [[items of run 0], [items of run 1], …] (main output `output`). */
function nodeRuns(execution, nodeName, output = 0) {
	const tasks = execution?.data?.resultData?.runData?.[nodeName] ?? [];
	return tasks.map((task) => (task.data?.main?.[output] ?? []).map((item) => item.json));
}

function executionError(execution) {
	return runtimeLib.runError({ data: execution?.data });
}

function sha256(buffer) {
	return crypto.createHash('sha256').update(buffer).digest('hex');
}

/** Deterministic pseudo-random bytes, so a file's content says which file it is. */
function fileBytes(label, size) {
	const out = Buffer.alloc(size);
	let block = crypto.createHash('sha256').update(label).digest();
	for (let offset = 0; offset < size; offset += block.length) {
		block.copy(out, offset, 0, Math.min(block.length, size - offset));
		block = crypto.createHash('sha256').update(block).digest();
	}
	return out;
}

/** Every file under a folder, relative paths. */
function listFiles(root) {
	const found = [];
	const walk = (dir) => {
		if (!fs.existsSync(dir)) return;
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else found.push(path.relative(root, full));
		}
	};
	walk(root);
	return found.sort();
}

/**
 * The files the workflow must have written: every RECEIVED attachment (case or event) of the configured processCode,
 * except those of `skipCaseIds`. [{caseId, externalId, attachmentId, fileName, bytes}]
 */
function expectedFiles(fake, processCode, { skipCaseIds = [] } = {}) {
	const { state } = fake;
	const files = [];
	for (const attachment of Object.values(state.attachments)) {
		const theCase = state.cases[attachment.caseId];
		if (!theCase || theCase.processCode !== processCode || skipCaseIds.includes(theCase.id)) continue;
		if (attachment.status !== 'RECEIVED') continue;
		const event = attachment.eventId ? state.events[attachment.eventId] : undefined;
		if (event && event.origin === 'SI') continue;
		files.push({
			caseId: theCase.id,
			externalId: theCase.externalId,
			attachmentId: attachment.id,
			fileName: attachment.fileName,
			bytes: fake.attachmentContent(attachment.id),
		});
	}
	return files;
}

/** The one saved file of an attachment: `<root>/<démarche>/<externalId>/<attachmentId>__…`; undefined when absent. */
function savedFile(root, demarche, file) {
	const dir = path.join(root, demarche, file.externalId);
	if (!fs.existsSync(dir)) return undefined;
	const matches = fs.readdirSync(dir).filter((name) => name.startsWith(`${file.attachmentId}__`));
	if (matches.length > 1) throw new Error(`${matches.length} files for attachment ${file.attachmentId} in ${dir}`);
	return matches.length ? path.join(dir, matches[0]) : undefined;
}

/** Files that are missing or whose bytes differ: [{attachmentId, problem}]. */
function fileProblems(root, demarche, files) {
	const problems = [];
	for (const file of files) {
		const saved = savedFile(root, demarche, file);
		if (!saved) problems.push({ attachmentId: file.attachmentId, fileName: file.fileName, problem: 'missing' });
		else if (sha256(fs.readFileSync(saved)) !== sha256(file.bytes)) {
			problems.push({ attachmentId: file.attachmentId, fileName: file.fileName, problem: 'bytes differ' });
		}
	}
	return problems;
}

/** STATUS_UPDATE events the SI posted on a case: [caseNewStatus…] in order. */
function siStatusEvents(fake, caseId) {
	const theCase = fake.state.cases[caseId];
	return theCase.eventIds
		.map((id) => fake.state.events[id])
		.filter((event) => event.origin === 'SI' && event.actionType === 'STATUS_UPDATE')
		.map((event) => event.caseNewStatus);
}

/** Status history steps that went backwards (rank decreased): [{caseId, from, to}]. */
function statusRegressions(fake, caseIds) {
	const regressions = [];
	for (const caseId of caseIds) {
		const history = fake.state.cases[caseId].statusHistory.map((entry) => entry.status);
		for (let i = 1; i < history.length; i += 1) {
			if (STATUS_RANK[history[i]] < STATUS_RANK[history[i - 1]]) regressions.push({ caseId, from: history[i - 1], to: history[i] });
		}
	}
	return regressions;
}

/** Status events posted more than once for the same target on the same case: [{caseId, status, times}]. */
function duplicateStatusEvents(fake, caseIds) {
	const duplicates = [];
	for (const caseId of caseIds) {
		const counts = {};
		for (const status of siStatusEvents(fake, caseId)) counts[status] = (counts[status] ?? 0) + 1;
		for (const [status, times] of Object.entries(counts)) if (times > 1) duplicates.push({ caseId, status, times });
	}
	return duplicates;
}

const KB = 1024;

/**
 * A démarche's queue as the crash tests seed it: `cases` new cases of two files each (from 137 kB, growing with the
 * case), then three OSL events: a message on the 2nd case, a deposit of one 400 kB file on the 3rd, a status update on
 * the 4th. File contents derive from `label`, so no two files of the seeded démarches are alike.
 * Returns { caseIds, eventIds }.
 */
function seedCrashQueue(fake, { processCode, label, externalIdPrefix, cases }) {
	const caseIds = [];
	const eventIds = [];
	for (let i = 1; i <= cases; i += 1) {
		const attachments = [1, 2].map((j) => ({ fileName: `piece-${j}.pdf`, content: fileBytes(`${label}-${i}-${j}`, (100 + 37 * i * j) * KB) }));
		caseIds.push(fake.addCase({ processCode, externalId: `${externalIdPrefix}-${String(i).padStart(3, '0')}`, attachments }).case.id);
	}
	eventIds.push(fake.addOslEvent(caseIds[1], { actionType: 'SENDING_MESSAGE', message: 'Précision.' }).event.id);
	eventIds.push(
		fake.addOslEvent(caseIds[2], {
			actionType: 'ATTACH_DEPOSIT',
			attachments: [{ fileName: 'complement.pdf', content: fileBytes(`${label}-deposit`, 400 * KB) }],
		}).event.id,
	);
	eventIds.push(fake.addOslEvent(caseIds[3], { actionType: 'STATUS_UPDATE', message: 'Mise à jour.' }).event.id);
	return { caseIds, eventIds };
}

/** crashEndState when every invariant holds. */
const CLEAN_END_STATE = Object.freeze({ queued: [], notAtFinalStatus: [], unacknowledgedEvents: [], fileProblems: [], statusRegressions: [], duplicateStatusEvents: [], strayFiles: [] });

/**
 * What a crash must not leave behind, over démarches [{name, processCode, caseIds, eventIds}] sharing `downloadRoot`:
 * notifications still queued, cases not at `finalStatus`, events not acknowledged, files missing or whose bytes differ
 * (SHA-256), status regressions, status events posted twice, and files under the root that are no expected
 * attachment's file in its démarche's folder. Every list is empty when the invariants hold.
 */
function crashEndState(fake, { downloadRoot, demarches, finalStatus = 'DONE' }) {
	const end = structuredClone(CLEAN_END_STATE);
	const expectedPaths = new Set();
	for (const demarche of demarches) {
		end.queued.push(...queued(fake, demarche.processCode).map((notification) => `${demarche.name}: ${notification.id}`));
		for (const caseId of demarche.caseIds) {
			const status = fake.getCase(caseId).status;
			if (status !== finalStatus) end.notAtFinalStatus.push({ demarche: demarche.name, caseId, status });
		}
		for (const eventId of demarche.eventIds) {
			const status = fake.getEvent(eventId).status;
			if (status !== 'RECEIVED') end.unacknowledgedEvents.push({ demarche: demarche.name, eventId, status });
		}
		const files = expectedFiles(fake, demarche.processCode);
		end.fileProblems.push(...fileProblems(downloadRoot, demarche.name, files).map((problem) => ({ demarche: demarche.name, ...problem })));
		for (const file of files) {
			const saved = savedFile(downloadRoot, demarche.name, file);
			if (saved) expectedPaths.add(path.relative(downloadRoot, saved));
		}
		end.statusRegressions.push(...statusRegressions(fake, demarche.caseIds));
		end.duplicateStatusEvents.push(...duplicateStatusEvents(fake, demarche.caseIds));
	}
	end.strayFiles = listFiles(downloadRoot).filter((file) => !expectedPaths.has(file));
	return end;
}

/** The SI notification queue for one processCode. */
function queued(fake, processCode) {
	return fake.notifications().filter((notification) => notification.processCode === processCode);
}

/** Sum of VmRSS (kB) of a process and all its descendants (n8n main + its task runner), from /proc. */
function treeRssKb(pid) {
	let total = 0;
	const visit = (id) => {
		try {
			const status = fs.readFileSync(`/proc/${id}/status`, 'utf8');
			const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
			if (match) total += Number(match[1]);
			for (const task of fs.readdirSync(`/proc/${id}/task`)) {
				const children = fs.readFileSync(`/proc/${id}/task/${task}/children`, 'utf8').trim();
				for (const child of children ? children.split(/\s+/) : []) visit(Number(child));
			}
		} catch {
			// the process ended between two reads
		}
	};
	visit(pid);
	return total;
}

/** The n8n main process under the launched process group (the group leader is node running n8n's bin). */
function rssKb(pid) {
	try {
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

module.exports = {
	CLIENT,
	MANUAL_TRIGGER,
	WORKFLOW_FILE,
	readWorkflow,
	credentialRef,
	credentialData,
	startHubeeN8n,
	startManualRun,
	waitForExecution,
	nodeRuns,
	executionError,
	sha256,
	fileBytes,
	listFiles,
	expectedFiles,
	savedFile,
	fileProblems,
	siStatusEvents,
	statusRegressions,
	duplicateStatusEvents,
	queued,
	seedCrashQueue,
	crashEndState,
	CLEAN_END_STATE,
	treeRssKb,
	rssKb,
};
