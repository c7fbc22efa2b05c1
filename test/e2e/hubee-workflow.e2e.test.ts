/**
 * The bundled workflow workflows/hubee-attachments-to-folders.json in a real n8n 2.41 (server mode, package built
 * privately and installed as a community package), runs started through the server's REST API as the editor's button
 * does, against the HubEE fake in this process. Only Config values change (small batches, so the loop runs many
 * times); the end state is read from the fake (queue, statuses, events) and from the download folder (bytes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, loadFake, scaled } from './support/repo';

jest.setTimeout(scaled(900_000));

type Json = Record<string, any>;

const support = require('./support/hubee.cjs');
const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));

/** The package built privately (dist/ untouched), or the build in $N8N_E2E_DIST when set. */
function builtPackage(prefix: string): string {
	if (process.env.N8N_E2E_DIST) return process.env.N8N_E2E_DIST;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const build = privateBuild(dir);
	if (!build.ok) throw new Error(`private build failed:\n${build.errors}`);
	return dir;
}
const { createHubeeFake } = loadFake('hubee')!;

const PROCESS = 'EtatCivil';
const OTHER_PROCESS = 'recensementCitoyen';
const DEMARCHE = 'Etat civil';
const KB = 1024;

const file = (label: string, fileName: string, size: number, extra: Json = {}) => ({
	fileName,
	mimeType: fileName.endsWith('.jpg') ? 'image/jpeg' : 'application/pdf',
	type: 'EC_Piece',
	content: support.fileBytes(label, size),
	...extra,
});

/** Cases of the configured démarche, by role; and the ids the checks need. */
function seedScenario(fake: Json) {
	const add = (externalId: string, attachments: Json[], processCode = PROCESS) =>
		fake.addCase({ processCode, externalId, attachments }).case;
	const cases: Record<string, Json> = {
		twoFiles: add('EC-001', [file('1a', 'acte.pdf', 50 * KB), file('1b', 'photo.jpg', 300 * KB)]),
		noFile: add('EC-002', []),
		sameNames: add('EC-003', [file('3a', 'piece.pdf', 10 * KB), file('3b', 'piece.pdf', 11 * KB), file('3c', 'piece.pdf', 12 * KB)]),
		traversal: add('EC-004', [file('4a', '../../../../etc/evil.pdf', 5 * KB), file('4b', 'a/b\\..\\c.pdf', 6 * KB)]),
		unicode: add('EC-005', [file('5a', 'Acte de naissance – Inès.pdf', 20 * KB)]),
		large: add('EC-006', [file('6a', 'scan.pdf', 3 * KB * KB)]),
		digestMismatch: add('EC-007', [file('7a', 'falsifie.pdf', 8 * KB, { servedDigest: 'gzC8kNpW+cmI6AK1s6flSBbQROpJg0EWKQjpqt9XTbM=' })]),
		corrupted: add('EC-008', [file('8a', 'ok.pdf', 8 * KB), file('8b', 'virus.pdf', 8 * KB, { status: 'CORRUPTED' })]),
		prefixedDigest: add('EC-009', [file('9a', 'prefixed.pdf', 9 * KB, { digestFormat: 'prefixed' })]),
		noDigest: add('EC-010', [file('10a', 'nodigest.pdf', 9 * KB, { digestFormat: 'none' })]),
		plain1: add('EC-011', [file('11a', 'a.pdf', 4 * KB)]),
		plain2: add('EC-012', [file('12a', 'b.pdf', 4 * KB)]),
	};
	const events = {
		message: fake.addOslEvent(cases.twoFiles.id, { actionType: 'SENDING_MESSAGE', message: 'Copie intégrale demandée.' }).event,
		status: fake.addOslEvent(cases.unicode.id, { actionType: 'STATUS_UPDATE', message: 'Pièce complémentaire reçue.' }).event,
		deposit: fake.addOslEvent(cases.large.id, {
			actionType: 'ATTACH_DEPOSIT',
			attachments: [file('6d1', 'complement.pdf', 200 * KB), file('6d2', 'complement.pdf', 100 * KB)],
		}).event,
		other: fake.addOslEvent(cases.plain1.id, { actionType: 'COM_ADD', message: 'Commentaire.' }).event,
	};
	const foreign = [1, 2, 3].map((i) => add(`RC-00${i}`, [file(`rc${i}`, 'recensement.pdf', 4 * KB)], OTHER_PROCESS));
	fake.addOslEvent(foreign[0].id, { actionType: 'SENDING_MESSAGE', message: 'Autre démarche.' });
	return { cases, events, foreign, failing: [cases.digestMismatch.id, cases.corrupted.id] };
}

describe('workflow: HubEE attachments → per-démarche folders, in a real n8n', () => {
	let fake: Json;
	let distDir: string;
	let stack: Json;
	let scenario: ReturnType<typeof seedScenario>;
	let firstRun: Json;

	const ourCaseIds = () => Object.values(scenario.cases).map((theCase) => theCase.id);

	beforeAll(async () => {
		fake = createHubeeFake({ clients: [support.CLIENT] });
		await fake.start();
		scenario = seedScenario(fake);
		distDir = builtPackage('hubee-e2e-dist-');
		stack = await support.startHubeeN8n({
			fake,
			distDir,
			config: { demarcheName: DEMARCHE, processCode: PROCESS, minimalStatus: 'SI_RECEIVED', maximalStatus: 'DONE', batchSize: 4 },
		});
	}, scaled(900_000)); // it boots n8n: minutes on a loaded machine

	afterAll(async () => {
		await stack?.n8n.stop();
		await fake?.stop();
		if (distDir && distDir !== process.env.N8N_E2E_DIST) fs.rmSync(distDir, { recursive: true, force: true });
	});

	test('the shipped workflow: our node types, both triggers, a Config node, a sticky note, short Code nodes, no secrets', () => {
		const workflow = support.readWorkflow();
		const types = workflow.nodes.map((node: Json) => node.type);
		expect(types).toContain('n8n-nodes-sync-connectors.hubee');
		expect(types.filter((type: string) => type.startsWith('CUSTOM.'))).toEqual([]);
		expect(types).toEqual(expect.arrayContaining(['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger', 'n8n-nodes-base.stickyNote']));
		const schedule = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.scheduleTrigger');
		expect(schedule.parameters.rule.interval).toEqual([{ field: 'minutes', minutesInterval: 10 }]);
		for (const node of workflow.nodes.filter((entry: Json) => entry.type === 'n8n-nodes-base.code')) {
			expect(node.parameters.jsCode.split('\n').length).toBeLessThanOrEqual(30);
		}
		expect(types.filter((type: string) => /function|itemLists|executeWorkflow/i.test(type))).toEqual([]);
		expect(JSON.stringify(workflow)).not.toMatch(/clientSecret|secret-|\$getPairedItem/i);
		// `$('…')` only of nodes upstream of the node using it
		const parents = new Map<string, Set<string>>();
		for (const [from, { main }] of Object.entries(workflow.connections as Record<string, { main: Json[][] }>)) {
			for (const output of main) for (const { node } of output ?? []) parents.set(node, new Set([...(parents.get(node) ?? []), from]));
		}
		const upstream = (name: string, seen = new Set<string>()): Set<string> => {
			for (const parent of parents.get(name) ?? []) if (!seen.has(parent)) upstream(parent, seen.add(parent));
			return seen;
		};
		for (const node of workflow.nodes) {
			const referenced = [...JSON.stringify(node.parameters).matchAll(/\$\('([^']+)'\)/g)].map((match) => match[1]);
			const above = upstream(node.name);
			expect({ node: node.name, notUpstream: referenced.filter((name) => !above.has(name)) }).toEqual({ node: node.name, notUpstream: [] });
		}
	});

	test('one run: every file saved with its bytes, every case at DONE once, every event acknowledged, the queue empty', async () => {
		firstRun = await stack.run();
		expect(support.executionError(firstRun)).toBeUndefined();
		expect(firstRun.status).toBe('success');

		// the queue of the démarche is empty; the other démarche's notifications are all still there
		expect(support.queued(fake, PROCESS)).toEqual([]);
		expect(support.queued(fake, OTHER_PROCESS)).toHaveLength(4);
		for (const theCase of scenario.foreign) {
			expect(fake.getCase(theCase.id).status).toBe('HUBEE_NOTIFIED');
			expect(support.siStatusEvents(fake, theCase.id)).toEqual([]);
		}

		// files: all present, right bytes, nothing else written, nothing outside the démarche's folder
		const files = support.expectedFiles(fake, PROCESS, { skipCaseIds: scenario.failing });
		expect(files.length).toBe(15);
		expect(support.fileProblems(stack.downloadRoot, DEMARCHE, files)).toEqual([]);
		const written = support.listFiles(stack.downloadRoot);
		expect(written).toHaveLength(files.length);
		for (const relative of written) expect(relative.startsWith(`${DEMARCHE}${path.sep}EC-0`)).toBe(true);
		expect(fs.readdirSync(path.join(stack.downloadRoot, DEMARCHE, 'EC-003'))).toHaveLength(3);

		// statuses: each integrated case moved once to SI_RECEIVED then once to DONE; failures to SI_INTG_ERROR
		for (const caseId of ourCaseIds()) {
			const failing = scenario.failing.includes(caseId);
			expect({ caseId, status: fake.getCase(caseId).status }).toEqual({ caseId, status: failing ? 'SI_INTG_ERROR' : 'DONE' });
			expect(support.siStatusEvents(fake, caseId)).toEqual(failing ? ['SI_RECEIVED', 'SI_INTG_ERROR'] : ['SI_RECEIVED', 'DONE']);
		}
		expect(support.statusRegressions(fake, ourCaseIds())).toEqual([]);

		// every OSL event of the démarche acknowledged
		for (const event of Object.values(scenario.events)) expect(fake.getEvent(event.id).status).toBe('RECEIVED');

		// the report names the two cases that could not be integrated and the event of another type
		const reports = support.nodeRuns(firstRun, 'Pass report').flat();
		expect(reports.length).toBeGreaterThan(3);
		const notIntegrated = reports.flatMap((report: Json) => report.notIntegrated);
		expect(notIntegrated.map((entry: Json) => entry.caseId).sort()).toEqual([...scenario.failing].sort());
		expect(notIntegrated.every((entry: Json) => entry.reason)).toBe(true);
		const otherEvents = reports.flatMap((report: Json) => report.otherEvents);
		expect(otherEvents.map((entry: Json) => entry.eventId)).toEqual([scenario.events.other.id]);
		// the loop stopped on a short or empty batch, and fetched another batch after each full one
		const batches = support.nodeRuns(firstRun, 'Get notifications').map((items: Json[]) => items.length);
		expect(batches.slice(0, -1).every((size: number, pass: number) => reports[pass].another)).toBe(true);
		expect(batches[batches.length - 1] === 0 || reports[reports.length - 1].another === false).toBe(true);
		expect(batches.filter((size: number) => size === 4).length).toBeGreaterThanOrEqual(4);
	});

	test('a second run finds nothing to do: one GET of the queue, no write, no new event', async () => {
		const eventsBefore = Object.keys(fake.state.events).length;
		fake.clearLog();
		const run = await stack.run();
		expect(run.status).toBe('success');
		const calls = fake.log.filter((entry: Json) => entry.path.startsWith('/teledossiers/')).map((entry: Json) => `${entry.method} ${entry.path}`);
		expect(calls).toEqual(['GET /teledossiers/v1/notifications']);
		expect(Object.keys(fake.state.events)).toHaveLength(eventsBefore);
		expect(support.queued(fake, OTHER_PROCESS)).toHaveLength(4);
	});

	test('two overlapping runs on new cases: both succeed, no item fails, same end state after the next run, no status event twice', async () => {
		const more = [1, 2, 3, 4, 5, 6].map(
			(i) => fake.addCase({ processCode: PROCESS, externalId: `EC-1${i}`, attachments: [file(`o${i}a`, 'a.pdf', 200 * KB), file(`o${i}b`, 'b.pdf', 150 * KB)] }).case,
		);
		fake.addOslEvent(more[0].id, { actionType: 'SENDING_MESSAGE', message: 'Deux exécutions.' });
		const [first, second] = await Promise.all([stack.startRun(), stack.startRun()]);
		const runs = [await support.waitForExecution(stack.server, first), await support.waitForExecution(stack.server, second)];
		// Files are written in place (n8n's file helpers have no rename) without truncation, and each run checks the hash
		// of the bytes it wrote, not a read-back: the overlap cannot fail a run, and no run may stop on a checksum error.
		for (const error of runs.map((run) => support.executionError(run)).filter(Boolean)) {
			expect(error).toMatchObject({ node: 'Save case files', message: expect.stringContaining('do not match') });
		}
		expect(runs.some((run) => !support.executionError(run))).toBe(true);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
		expect(runs.map((run) => support.executionError(run))).toEqual([undefined, undefined]);
		// no item failed because of the other run: nothing reported as not integrated or to retry, no error item
		const ids = more.map((theCase) => theCase.id);
		const reports = runs.flatMap((run) => support.nodeRuns(run, 'Pass report').flat());
		expect(reports.flatMap((report: Json) => report.notIntegrated ?? []).filter((entry: Json) => ids.includes(entry.caseId))).toEqual([]);
		expect(reports.flatMap((report: Json) => report.retryLater ?? []).filter((entry: Json) => ids.includes(entry.caseId))).toEqual([]);
		for (const node of ['Download case files', 'Save case files', 'Move to minimal status', 'Move to maximal status', 'Delete case notification']) {
			expect({ node, errors: runs.flatMap((run) => support.nodeRuns(run, node).flat().filter((item: Json) => item.error)) }).toEqual({ node, errors: [] });
			// the error output of the status nodes (continueErrorOutput) stays empty too
			expect({ node, errorOutput: runs.flatMap((run) => support.nodeRuns(run, node, 1).flat()) }).toEqual({ node, errorOutput: [] });
		}
		// the next run finishes what a stopped run left, and deletes notifications acknowledged by a last batch
		if (support.queued(fake, PROCESS).length) expect((await stack.run()).status).toBe('success');
		expect(support.queued(fake, PROCESS)).toEqual([]);
		for (const caseId of ids) expect(fake.getCase(caseId).status).toBe('DONE');
		expect(support.duplicateStatusEvents(fake, ids)).toEqual([]);
		expect(support.statusRegressions(fake, ids)).toEqual([]);
		const files = support.expectedFiles(fake, PROCESS, { skipCaseIds: scenario.failing }).filter((entry: Json) => ids.includes(entry.caseId));
		expect(files).toHaveLength(12);
		expect(support.fileProblems(stack.downloadRoot, DEMARCHE, files)).toEqual([]);
	});
	test('a file that never arrives (PENDING) is retried on each scheduled-like run, then given up after 5: SI_INTG_ERROR, deleted', async () => {
		// Failed attempts live in the workflow's static data, which n8n saves for production and CLI runs, not for
		// manual ones: stop the server and run the workflow with `n8n execute` (mode cli), as a schedule would.
		const pending = fake.addCase({
			processCode: PROCESS,
			externalId: 'EC-PENDING',
			attachments: [{ fileName: 'jamais.pdf', status: 'PENDING', size: 1234 }],
		});
		await stack.server.stop();
		stack.server = undefined;
		const outcomes: string[] = [];
		for (let run = 1; run <= 6; run += 1) {
			const result = await stack.n8n.executeRaw(stack.workflow.id, { timeoutMs: 240_000 });
			expect({ run, status: result.status, error: result.error }).toEqual({ run, status: 'success', error: undefined });
			const outcome = support.nodeRuns(result.run, 'Outcome').flat().find((entry: Json) => entry.caseId === pending.case.id);
			outcomes.push(outcome?.outcome);
			if (run < 6) expect(support.queued(fake, PROCESS).map((entry: Json) => entry.id)).toEqual([pending.notification.id]);
		}
		expect(outcomes).toEqual(['retryLater', 'retryLater', 'retryLater', 'retryLater', 'retryLater', 'givenUp']);
		expect(support.queued(fake, PROCESS)).toEqual([]);
		expect(fake.getCase(pending.case.id).status).toBe('SI_INTG_ERROR');
		expect(support.siStatusEvents(fake, pending.case.id)).toEqual(['SI_RECEIVED', 'SI_INTG_ERROR']);
		expect(support.queued(fake, OTHER_PROCESS)).toHaveLength(4);
	});
});
