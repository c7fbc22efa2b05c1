/**
 * Crash test of the bundled HubEE workflow in a real n8n: five times, a run is started and the whole n8n process group
 * (main process and task runner) is SIGKILLed after a random number of HubEE API calls of that run, i.e. at a random
 * point: mid-download, between a write and a status, between a status and the delete, mid-ack… Then n8n is started
 * again and the workflow re-run until the queue is empty. End state: no file missing or corrupt, no stray file, no
 * status regression, no status event posted twice (none is re-posted: the node re-reads the case before a POST),
 * every event acknowledged, no notification left. The random seed is printed and can be replayed with
 * HUBEE_CRASH_SEED=<n>.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, loadFake, runtimeLib, scaled } from './support/repo';

jest.setTimeout(scaled(1_200_000));

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
const DEMARCHE = 'EtatCivil';
const CASES = 14;
const CRASHES = 5;

/** mulberry32: a small seeded generator, so a failing sequence of kill points can be replayed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('HubEE workflow survives n8n being killed at random points', () => {
	let fake: Json;
	let distDir: string;
	let stack: Json;
	let caseIds: string[] = [];
	let eventIds: string[] = [];
	const seed = Number(process.env.HUBEE_CRASH_SEED || Date.now() % 1_000_000);
	const next = random(seed);

	beforeAll(async () => {
		fake = createHubeeFake({ clients: [support.CLIENT] });
		await fake.start();
		({ caseIds, eventIds } = support.seedCrashQueue(fake, { processCode: PROCESS, label: 'crash', externalIdPrefix: 'CR', cases: CASES }));
		fake.addCase({ processCode: 'recensementCitoyen', externalId: 'RC-1', attachments: [{ fileName: 'x.pdf', content: 'x' }] });

		distDir = builtPackage('hubee-crash-dist-');
		stack = await support.startHubeeN8n({ fake, distDir, config: { demarcheName: DEMARCHE, processCode: PROCESS, batchSize: 5 } });
	}, scaled(900_000)); // it boots n8n: minutes on a loaded machine

	afterAll(async () => {
		await stack?.n8n.stop();
		await fake?.stop();
		if (distDir && distDir !== process.env.N8N_E2E_DIST) fs.rmSync(distDir, { recursive: true, force: true });
	});

	/** Starts a run and SIGKILLs n8n once `calls` HubEE API calls of it have reached the fake; restarts n8n. */
	async function runAndKill(calls: number): Promise<{ killedAfter: number | undefined }> {
		const apiCalls = () => fake.log.filter((entry: Json) => entry.path.startsWith('/teledossiers/')).length;
		fake.clearLog();
		const executionId = await stack.startRun();
		const deadline = Date.now() + scaled(300_000);
		for (;;) {
			if (apiCalls() >= calls) {
				await stack.kill();
				const killedAfter = apiCalls();
				await stack.start();
				return { killedAfter };
			}
			const response = await stack.server.request(`/api/v1/executions/${executionId}`);
			const execution = response.ok ? await response.json() : undefined;
			if (runtimeLib.isFinished(execution)) return { killedAfter: undefined };
			if (Date.now() > deadline) throw new Error(`run ${executionId} neither reached ${calls} calls nor finished`);
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
	}

	test(`${CRASHES} kills at random points, then runs until done: nothing lost, corrupted, regressed or posted twice`, async () => {
		const kills: Json[] = [];
		// A run makes about 6-8 calls per notification it handles, fewer when an earlier run already did part of a case's
		// work, so an aim can land past the end of a short run: that run then just finishes. Aim inside the first two
		// thirds of what is left and try again (a new random point) until CRASHES kills happened or the queue is empty.
		for (let attempt = 0; attempt < CRASHES * 3 && kills.filter((kill) => kill.killedAfter !== undefined).length < CRASHES; attempt += 1) {
			const left = support.queued(fake, PROCESS).length;
			if (left === 0) break;
			const calls = 1 + Math.floor(next() * Math.max(3, left * 4));
			kills.push({ aimedAt: calls, ...(await runAndKill(calls)), queueBefore: left });
		}
		process.stderr.write(`hubee crash test seed ${seed}: ${JSON.stringify(kills)}\n`);
		expect(kills.filter((kill) => kill.killedAfter !== undefined).length).toBeGreaterThanOrEqual(3);

		const statuses: string[] = [];
		for (let run = 0; run < 6 && support.queued(fake, PROCESS).length; run += 1) {
			const execution = await stack.run();
			statuses.push(execution.status);
			expect(support.executionError(execution)).toBeUndefined();
		}
		expect(support.queued(fake, 'recensementCitoyen')).toHaveLength(1);
		expect(support.expectedFiles(fake, PROCESS)).toHaveLength(CASES * 2 + 1);
		expect(support.crashEndState(fake, { downloadRoot: stack.downloadRoot, demarches: [{ name: DEMARCHE, processCode: PROCESS, caseIds, eventIds }] })).toEqual(support.CLEAN_END_STATE);
	});
});
