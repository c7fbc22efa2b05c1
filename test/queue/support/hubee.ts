/**
 * HubEE → per-démarche folders in queue mode, for test/queue/queue-mode.queue.test.ts: workflows/hubee-attachments-to-folders.json
 * copied once per démarche (two démarches, each with its own HubEE client restricted to its processCode, as HubEE
 * gives one client per démarche), Config values replaced, the Schedule Trigger every minute, all copies writing under
 * one download root in the cluster's shared files folder. Published at cluster start, the copies only read an empty
 * queue until the test seeds it: a worker is then SIGKILLed while it runs a HubEE execution, so the kill cannot hit
 * the other tests' executions.
 *
 *   const hubee = createHubeeQueueScenario();  await hubee.start();
 *   credentials: hubee.credentials(), workflows: hubee.workflows(cluster.sharedFilesDir), publish hubee.workflowIds
 *   const outcome = await hubee.killMidRunAndDrain(cluster);  hubee.expectInvariants(outcome);
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { bundledWorkflow, loadFake, scaled } from '../../e2e/support/repo';
import { FINISHED, type QueueCluster } from './cluster';

type Json = Record<string, any>;

const support = require('../../e2e/support/hubee.cjs');
const { createHubeeFake } = loadFake('hubee')!;

const CASES = 12;
/** Four cases a batch: a run makes several passes, so the kill lands after some cases are done and before others. */
const BATCH_SIZE = 4;
/** In its second batch: the first four cases' files saved, the cases moved to DONE and their notifications deleted. */
const KILL_AFTER_DOWNLOADS = 10;
/** HubEE's gateway answers each request after this long (the fake's added latency): a run lasts tens of seconds. */
const LATENCY_MS = 200;

const DEMARCHES = [
	{
		name: 'EtatCivil',
		processCode: 'EtatCivil',
		label: 'queue-ec',
		externalIdPrefix: 'QEC',
		client: { clientId: 'queue-hubee-etatcivil', clientSecret: 'queue-hubee-etatcivil-secret' },
		credential: { id: 'queueHubeeCredEC1', name: 'HubEE EtatCivil (queue test)' },
		workflowId: 'queueHubeeEtatCivil1',
	},
	{
		name: 'RecensementCitoyen',
		processCode: 'recensementCitoyen',
		label: 'queue-rc',
		externalIdPrefix: 'QRC',
		client: { clientId: 'queue-hubee-recensement', clientSecret: 'queue-hubee-recensement-secret' },
		credential: { id: 'queueHubeeCredRC1', name: 'HubEE recensementCitoyen (queue test)' },
		workflowId: 'queueHubeeRecensement1',
	},
];

/**
 * What the main stores for an execution whose job Bull failed as stalled (n8n 2.41 runs Bull with maxStalledCount 0,
 * so the job of a dead worker is failed, never handed to another worker, once its lock expires).
 */
const STALLED_JOB_ERROR = 'This execution failed to be processed too many times';

const STARTED = /Worker started execution (\d+) \(job/g;
const ENDED = /Worker finished execution (\d+) \(job/g;

/** Executions a worker's log shows started and not finished. */
function runningIn(log: string): string[] {
	const ended = new Set([...log.matchAll(ENDED)].map((match) => match[1]));
	return [...new Set([...log.matchAll(STARTED)].map((match) => match[1]))].filter((id) => !ended.has(id));
}

async function runningExecutions(cluster: QueueCluster, workflowId: string): Promise<Json[]> {
	return (await cluster.allExecutions(workflowId)).filter((execution: Json) => execution.status === 'running');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type HubeeKillOutcome = {
	demarches: Array<(typeof DEMARCHES)[number] & { caseIds: string[]; eventIds: string[] }>;
	downloadRoot: string;
	killedWorker: number;
	/** What the killed worker was running: HubEE executions, and any other workflow's. */
	killedHubee: string[];
	killedOther: string[];
	downloadsAtKill: number;
	/** Every execution of the HubEE copies once drained. */
	executions: Json[];
	/** Killed HubEE execution id → how many times a worker started it (a re-run by Bull would show 2). */
	starts: Map<string, number>;
	/** Killed HubEE execution id → the statuses the public API showed for it while draining, in order. */
	statusesSeen: Map<string, string[]>;
	/** Killed HubEE execution id → the error n8n stored for it. */
	errors: Map<string, string | undefined>;
	killedAt: number;
	seconds: { toKill: number; killToDrained: number };
};

export function createHubeeQueueScenario() {
	const fake = createHubeeFake({ clients: DEMARCHES.map((demarche) => ({ ...demarche.client, processCodes: [demarche.processCode] })) });
	let downloadRoot = '';

	/** One copy of the shipped workflow per démarche: its credential on every HubEE node, its Config, every minute. */
	function workflows(sharedFilesDir: string): Json[] {
		downloadRoot = path.join(sharedFilesDir, 'hubee');
		fs.mkdirSync(downloadRoot, { recursive: true });
		return DEMARCHES.map((demarche) => {
			const workflow = bundledWorkflow('hubee-attachments-to-folders.json', {
				downloadRoot,
				demarcheName: demarche.name,
				processCode: demarche.processCode,
				minimalStatus: 'SI_RECEIVED',
				maximalStatus: 'DONE',
				batchSize: BATCH_SIZE,
			});
			workflow.id = demarche.workflowId;
			workflow.name = `${workflow.name} (${demarche.name})`;
			for (const node of workflow.nodes) {
				if (node.credentials?.hubeeApi) node.credentials.hubeeApi = { ...demarche.credential };
			}
			const schedule = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.scheduleTrigger');
			schedule.parameters.rule.interval = [{ field: 'cronExpression', expression: '* * * * *' }];
			return workflow;
		});
	}

	function credentials(): Json[] {
		return DEMARCHES.map((demarche) => ({ ...demarche.credential, type: 'hubeeApi', data: support.credentialData(fake, demarche.client) }));
	}

	/**
	 * Seeds both démarches' queues, waits until a scheduled run of the first one has downloaded KILL_AFTER_DOWNLOADS
	 * files, SIGKILLs the worker running it (preferring a moment when that worker runs no other workflow's execution),
	 * starts the worker again, and waits until both queues are empty and every HubEE execution, the killed ones
	 * included, has ended.
	 */
	async function killMidRunAndDrain(cluster: QueueCluster): Promise<HubeeKillOutcome> {
		const began = Date.now();
		fake.setFaults({ latencyMs: LATENCY_MS });
		const seeded = DEMARCHES.map((demarche) => ({
			...demarche,
			...support.seedCrashQueue(fake, { processCode: demarche.processCode, label: demarche.label, externalIdPrefix: demarche.externalIdPrefix, cases: CASES }),
		}));
		const target = seeded[0];
		const targetCases = new Set(target.caseIds);
		const downloads = () =>
			fake.log.filter((entry: Json) => entry.at >= began && entry.method === 'GET' && targetCases.has(/\/cases\/([^/]+)\/(?:events\/[^/]+\/)?attachments\//.exec(entry.path)?.[1])).length;
		/** Every execution of the HubEE copies, the running ones included. */
		const hubeeExecutions = async () => (await Promise.all(DEMARCHES.map((demarche) => cluster.allExecutions(demarche.workflowId)))).flat();
		cluster.say(`hubee: ${CASES} cases and 3 events seeded per démarche; waiting for a scheduled run to download ${KILL_AFTER_DOWNLOADS} files`);

		// The run under way, and the worker running it.
		const deadline = Date.now() + scaled(600_000);
		let worker: number | undefined;
		while (worker === undefined) {
			if (Date.now() > deadline) throw new Error(`no run of ${target.name} reached ${KILL_AFTER_DOWNLOADS} downloads (${downloads()} so far)`);
			if (support.queued(fake, target.processCode).length === 0) throw new Error(`${target.name}'s queue drained before the kill: make its runs longer`);
			if (downloads() >= KILL_AFTER_DOWNLOADS) {
				const owners = cluster.workerOfExecutions();
				const running = await runningExecutions(cluster, target.workflowId);
				const oldest = running.map((execution: Json) => String(execution.id)).sort((a: string, b: string) => Number(a) - Number(b))[0];
				worker = oldest === undefined ? undefined : owners.get(oldest);
			}
			if (worker === undefined) await sleep(50);
		}
		// Another workflow's execution on that worker would die too: wait a little for it to end.
		const hubeeIds = new Set((await hubeeExecutions()).map((execution: Json) => String(execution.id)));
		const otherBy = Date.now() + scaled(20_000);
		while (runningIn(cluster.workers[worker].log).some((id) => !hubeeIds.has(id)) && Date.now() < otherBy && support.queued(fake, target.processCode).length > 0) {
			await sleep(200);
			for (const execution of await hubeeExecutions()) hubeeIds.add(String(execution.id));
		}
		const killedHandle = cluster.workers[worker];
		const downloadsAtKill = downloads();
		await cluster.killWorker(worker);
		const killedAt = Date.now();
		// What it was running, from its last words (an execution started just before the kill counts too).
		const running = runningIn(killedHandle.log);
		for (const execution of await hubeeExecutions()) hubeeIds.add(String(execution.id));
		cluster.say(`hubee: worker-${worker} killed (SIGKILL) after ${downloadsAtKill} downloads of ${target.name}, running ${running.join(', ') || 'nothing'}`);
		await cluster.startWorker(worker);
		cluster.say(`hubee: worker-${worker} started again`);

		const killedHubee = running.filter((id) => hubeeIds.has(id));
		const killedOther = running.filter((id) => !hubeeIds.has(id));
		// Drained: both queues empty, every HubEE execution ended, and the killed ones given their final state. A
		// restarted worker first amends its unfinished executions from its own event log (status crashed, "Workflow
		// did not finish"); the main then stores the stalled job's failure over it, 60-90 s after the kill.
		const drainedBy = Date.now() + scaled(900_000);
		const statusesSeen = new Map<string, string[]>(killedHubee.map((id) => [id, []]));
		const errors = new Map<string, string | undefined>();
		let executions: Json[] = [];
		const poll = async () => {
			executions = await hubeeExecutions();
			for (const id of killedHubee) {
				const execution = await cluster.main.json(`/api/v1/executions/${id}?includeData=true`);
				const seen = statusesSeen.get(id)!;
				if (seen.at(-1) !== execution?.status) seen.push(execution?.status);
				errors.set(id, execution?.data?.resultData?.error?.message);
			}
		};
		const drained = () =>
			seeded.every((demarche) => support.queued(fake, demarche.processCode).length === 0) &&
			executions.every((execution: Json) => FINISHED.includes(execution.status)) &&
			killedHubee.every((id) => String(errors.get(id) ?? '').includes(STALLED_JOB_ERROR));
		await poll();
		while (!drained() && Date.now() < drainedBy) {
			await sleep(2_000);
			await poll();
		}
		// The killed worker started each once (its old log); the workers' current logs show any start after the kill.
		const starts = new Map<string, number>();
		for (const id of killedHubee) {
			const pattern = new RegExp(`Worker started execution ${id} \\(job`, 'g');
			starts.set(id, 1 + cluster.workers.reduce((count, handle) => count + [...handle.log.matchAll(pattern)].length, 0));
		}
		return {
			demarches: seeded,
			downloadRoot,
			killedWorker: worker,
			killedHubee,
			killedOther,
			downloadsAtKill,
			executions,
			starts,
			statusesSeen,
			errors,
			killedAt,
			seconds: { toKill: Math.round((killedAt - began) / 1000), killToDrained: Math.round((Date.now() - killedAt) / 1000) },
		};
	}

	/**
	 * The crash invariants over both démarches (every notification processed, every case DONE, every event
	 * acknowledged, no file missing, corrupt or outside the démarche folders, no status regression), and what n8n did:
	 * the killed executions ended in `error` with the stalled-job failure, without being run again; every other HubEE
	 * execution succeeded.
	 */
	function expectInvariants(outcome: HubeeKillOutcome): void {
		for (const demarche of outcome.demarches) expect(support.expectedFiles(fake, demarche.processCode)).toHaveLength(CASES * 2 + 1);
		expect(support.crashEndState(fake, { downloadRoot: outcome.downloadRoot, demarches: outcome.demarches })).toEqual(support.CLEAN_END_STATE);
		expect(outcome.killedHubee.length).toBeGreaterThanOrEqual(1);
		const byId = new Map(outcome.executions.map((execution) => [String(execution.id), execution]));
		expect(outcome.killedHubee.map((id) => ({ id, status: byId.get(id)?.status, starts: outcome.starts.get(id), error: outcome.errors.get(id) }))).toEqual(
			outcome.killedHubee.map((id) => ({ id, status: 'error', starts: 1, error: expect.stringContaining(STALLED_JOB_ERROR) })),
		);
		const others = outcome.executions.filter((execution) => !outcome.killedHubee.includes(String(execution.id)));
		expect(others.filter((execution) => execution.status !== 'success').map((execution) => `${execution.id}: ${execution.status}`)).toEqual([]);
		expect(outcome.executions.every((execution) => execution.mode === 'trigger')).toBe(true);
		// A later scheduled run finished the killed démarche's work.
		const target = outcome.demarches[0];
		const after = outcome.executions.filter((execution) => execution.workflowId === target.workflowId && Date.parse(execution.startedAt) > outcome.killedAt);
		expect(after.filter((execution) => execution.status === 'success').length).toBeGreaterThanOrEqual(1);
	}

	return {
		fake,
		workflowIds: DEMARCHES.map((demarche) => demarche.workflowId),
		start: () => fake.start(),
		stop: () => fake.stop(),
		workflows,
		credentials,
		killMidRunAndDrain,
		expectInvariants,
	};
}
