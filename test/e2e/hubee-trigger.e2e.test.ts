/**
 * The HubEE Trigger (polling) in a real n8n 2.41 in server mode, with a small published workflow: emit → download,
 * save, status, delete; a notification whose run "dies" (the workflow leaves it, as a crashed execution would) must not
 * be emitted again while its lease (1 minute) runs, and is emitted again after it; a notification whose lease already
 * expired 5 times is emitted flagged `poisoned`, and the workflow integrates it as an error and deletes it.
 * Reaching 5 real expiries takes over 10 minutes of one-minute polls, so the ledger of that one notification is set
 * in the imported workflow's static data, as the trigger itself stores it after five expiries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, loadFake, runtimeLib, scaled } from './support/repo';

jest.setTimeout(scaled(900_000));

type Json = Record<string, any>;

const support = require('./support/hubee.cjs');
const { privateBuild } = require(path.join(REPO_ROOT, 'scripts/lib/private-build.cjs'));
const { createHubeeFake } = loadFake('hubee')!;

const PROCESS = 'EtatCivil';
const TRIGGER = 'HubEE notifications';
const CREDENTIAL = { id: 'e2eHubeeTrig01', name: 'HubEE (trigger e2e)' };
const WORKFLOW_ID = 'hubeeTriggerE2e01';

function builtPackage(prefix: string): string {
	if (process.env.N8N_E2E_DIST) return process.env.N8N_E2E_DIST;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const build = privateBuild(dir);
	if (!build.ok) throw new Error(`private build failed:\n${build.errors}`);
	return dir;
}

/** The small workflow: trigger → poisoned? → integrate as an error; stalled? → nothing; else files, statuses, delete. */
function triggerWorkflow(downloadRoot: string, staticData: Json): Json {
	const credentials = { hubeeApi: CREDENTIAL };
	const hubee = (name: string, x: number, y: number, parameters: Json) => ({
		id: `hubee-trigger-e2e-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: 'n8n-nodes-sync-connectors.hubee',
		typeVersion: 1,
		position: [x, y],
		parameters,
		credentials,
	});
	const condition = (leftValue: string, operator: Json, rightValue = '') => ({ id: leftValue, leftValue, rightValue, operator });
	const rule = (outputKey: string, conditions: Json[]) => ({
		conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 }, conditions, combinator: 'and' },
		renameOutput: true,
		outputKey,
	});
	const to = (node: string) => [{ node, type: 'main', index: 0 }];
	return {
		id: WORKFLOW_ID,
		name: 'HubEE Trigger e2e',
		active: false,
		settings: { executionOrder: 'v1' },
		staticData,
		nodes: [
			{
				id: 'hubee-trigger-e2e-trigger',
				name: TRIGGER,
				type: 'n8n-nodes-sync-connectors.hubeeTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					processCode: PROCESS,
					maxResult: 25,
					leaseTimeoutMinutes: 1,
					retryBackoffMinutes: 0,
					options: {},
				},
				credentials,
			},
			{
				id: 'hubee-trigger-e2e-route',
				name: 'Route',
				type: 'n8n-nodes-base.switch',
				typeVersion: 3.2,
				position: [220, 0],
				parameters: {
					rules: {
						values: [
							rule('Poisoned', [condition('={{ $json.poisoned }}', { type: 'boolean', operation: 'true', singleValue: true })]),
							rule('Stalled', [condition('={{ $json.externalId }}', { type: 'string', operation: 'startsWith' }, 'STALL')]),
						],
					},
					options: { fallbackOutput: 'extra', renameFallbackOutput: 'Integrate' },
				},
			},
			hubee('Move poisoned case to SI_RECEIVED', 440, -200, { resource: 'case', operation: 'updateStatus', caseId: '={{ $json.caseId }}', status: 'SI_RECEIVED', options: {} }),
			hubee('Mark integration error', 660, -200, { resource: 'case', operation: 'updateStatus', caseId: '={{ $json.caseId }}', status: 'SI_INTG_ERROR', options: {} }),
			hubee('Delete poisoned notification', 880, -200, {
				resource: 'notification',
				operation: 'delete',
				notificationId: `={{ $('${TRIGGER}').item.json.id }}`,
				options: {},
			}),
			{ id: 'hubee-trigger-e2e-stall', name: 'A run that died', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
			hubee('Download case files', 440, 200, { resource: 'case', operation: 'downloadAttachment', caseId: '={{ $json.caseId }}', attachments: 'all', options: {} }),
			hubee('Save case files', 660, 200, {
				resource: 'attachment',
				operation: 'saveToFolder',
				folder: downloadRoot,
				processFolder: PROCESS,
				caseFolder: '={{ $json.externalId }}',
				options: {},
			}),
			hubee('Move to SI_RECEIVED', 880, 200, { resource: 'case', operation: 'updateStatus', caseId: '={{ $json.caseId }}', status: 'SI_RECEIVED', options: {} }),
			hubee('Move to DONE', 1100, 200, { resource: 'case', operation: 'updateStatus', caseId: '={{ $json.caseId }}', status: 'DONE', options: {} }),
			hubee('Delete notification', 1320, 200, {
				resource: 'notification',
				operation: 'delete',
				notificationId: `={{ $('${TRIGGER}').item.json.id }}`,
				options: {},
			}),
		],
		connections: {
			[TRIGGER]: { main: [to('Route')] },
			Route: { main: [to('Move poisoned case to SI_RECEIVED'), to('A run that died'), to('Download case files')] },
			'Move poisoned case to SI_RECEIVED': { main: [to('Mark integration error')] },
			'Mark integration error': { main: [to('Delete poisoned notification')] },
			'Download case files': { main: [to('Save case files')] },
			'Save case files': { main: [to('Move to SI_RECEIVED')] },
			'Move to SI_RECEIVED': { main: [to('Move to DONE')] },
			'Move to DONE': { main: [to('Delete notification')] },
		},
	};
}

describe('HubEE Trigger in a real n8n: emit, lease, poisoned', () => {
	let fake: Json;
	let distDir: string;
	let n8n: Json;
	let server: Json;
	let downloadRoot: string;
	const cases: Record<string, Json> = {};
	const notifications: Record<string, Json> = {};

	const add = (key: string, externalId: string, processCode = PROCESS) => {
		const added = fake.addCase({
			processCode,
			externalId,
			attachments: [{ fileName: `${externalId}.pdf`, content: support.fileBytes(externalId, 20_000) }],
		});
		cases[key] = added.case;
		notifications[key] = added.notification;
	};

	/** Trigger executions, oldest first, once at least `count` have finished. */
	async function executions(count: number, timeoutMs = scaled(240_000)): Promise<Json[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await server.listExecutions(WORKFLOW_ID, { includeData: true });
			const finished = list.filter(runtimeLib.isFinished);
			if (finished.length >= count) return [...finished].reverse();
			if (Date.now() > deadline) throw new Error(`${finished.length}/${count} trigger executions after ${timeoutMs} ms\n${server.logTail(40)}`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	const emitted = (execution: Json): Json[] => support.nodeRuns(execution, TRIGGER)[0] ?? [];

	beforeAll(async () => {
		fake = createHubeeFake({ clients: [support.CLIENT] });
		await fake.start();
		add('first', 'EC-T1');
		add('second', 'EC-T2');
		add('stalled', 'STALL-1');
		add('poisoned', 'EC-POISON');
		add('foreign', 'RC-T1', 'recensementCitoyen');

		distDir = builtPackage('hubee-trigger-dist-');
		n8n = await runtimeLib.createN8nRuntime({ distDir });
		downloadRoot = path.join(n8n.filesFolder, 'hubee');
		fs.mkdirSync(downloadRoot, { recursive: true });
		const now = Date.now();
		// Five emissions whose leases all expired: the next emission is the sixth, flagged poisoned.
		const ledger = { [notifications.poisoned.id]: { emits: 5, lastEmittedAt: now - 10 * 60_000, leaseUntil: now - 9 * 60_000 } };
		await n8n.importCredentials([{ ...CREDENTIAL, type: 'hubeeApi', data: support.credentialData(fake) }]);
		await n8n.importWorkflow([triggerWorkflow(downloadRoot, { [`node:${TRIGGER}`]: { ledger } })]);
		await n8n.publishWorkflow(WORKFLOW_ID);
		server = await n8n.startServer();
		await server.login();
	}, scaled(900_000)); // it boots n8n: minutes on a loaded machine

	afterAll(async () => {
		await n8n?.stop();
		await fake?.stop();
		if (distDir && distDir !== process.env.N8N_E2E_DIST) fs.rmSync(distDir, { recursive: true, force: true });
	});

	test('the activation poll emits each notification once, enriched; the workflow integrates, or marks the poisoned one', async () => {
		const [first] = await executions(1);
		expect(first.status).toBe('success');
		const items = emitted(first);
		const byId = Object.fromEntries(items.map((item: Json) => [item.id, item]));
		expect(Object.keys(byId).sort()).toEqual(['first', 'second', 'stalled', 'poisoned'].map((key) => notifications[key].id).sort());
		expect(byId[notifications.first.id]).toMatchObject({ caseId: cases.first.id, externalId: 'EC-T1', poisoned: false, delivery: { attempt: 1, expiries: 0 } });
		expect(byId[notifications.poisoned.id]).toMatchObject({ poisoned: true, delivery: { expiries: 5 } });

		for (const key of ['first', 'second']) {
			expect(fake.getCase(cases[key].id).status).toBe('DONE');
			const files = support.expectedFiles(fake, PROCESS).filter((file: Json) => file.caseId === cases[key].id);
			expect(support.fileProblems(downloadRoot, PROCESS, files)).toEqual([]);
		}
		expect(fake.getCase(cases.poisoned.id).status).toBe('SI_INTG_ERROR');
		expect(support.siStatusEvents(fake, cases.poisoned.id)).toEqual(['SI_RECEIVED', 'SI_INTG_ERROR']);
		expect(support.queued(fake, PROCESS).map((notification: Json) => notification.id)).toEqual([notifications.stalled.id]);
		expect(support.queued(fake, 'recensementCitoyen')).toHaveLength(1);
	});

	test('a notification left by a run that died is held during its lease, then emitted again; new ones come meanwhile', async () => {
		add('later', 'EC-T3');
		const deadline = Date.now() + scaled(300_000);
		let list: Json[] = [];
		// until the stalled notification has been emitted a second time
		while (Date.now() < deadline) {
			list = await executions(1);
			if (list.filter((execution) => emitted(execution).some((item: Json) => item.id === notifications.stalled.id)).length >= 2) break;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
		const stalledEmissions = list
			.map((execution) => ({ at: new Date(execution.startedAt).getTime(), item: emitted(execution).find((item: Json) => item.id === notifications.stalled.id) }))
			.filter((entry) => entry.item);
		expect(stalledEmissions.length).toBeGreaterThanOrEqual(2);
		expect(stalledEmissions[1].at - stalledEmissions[0].at).toBeGreaterThanOrEqual(59_000);
		expect(stalledEmissions[1].item).toMatchObject({ poisoned: false, delivery: { attempt: 2, expiries: 1 } });

		// every other notification was emitted exactly once over all executions
		const counts: Record<string, number> = {};
		for (const execution of list) for (const item of emitted(execution)) counts[item.id] = (counts[item.id] ?? 0) + 1;
		for (const key of ['first', 'second', 'poisoned', 'later']) expect({ key, times: counts[notifications[key].id] }).toEqual({ key, times: 1 });
		expect(fake.getCase(cases.later.id).status).toBe('DONE');
		expect(support.queued(fake, PROCESS).map((notification: Json) => notification.id)).toEqual([notifications.stalled.id]);
		expect(list.every((execution) => execution.mode === 'trigger' && execution.status === 'success')).toBe(true);
	});
});
