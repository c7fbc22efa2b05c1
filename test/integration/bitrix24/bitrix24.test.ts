/* The Bitrix24 node on n8n-core's WorkflowExecute (test/harness) against the Bitrix24 fake seeded with
 * 10,000 records in each of 4 lists: fast Return All, limit recovery, per-command errors and CRUD. */
import { NodeConnectionTypes, type ICredentialDataDecryptedObject, type IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow } from '../../harness/runWorkflow';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

const N = 10_000;
const CITY = 1030;
const OBJECT = 1034;
const maxRequests = Math.ceil(N / 2500) + 2;

let fake: any;
const realSleep = transportClock.sleep;
const sleeps: number[] = [];

beforeAll(async () => {
	fake = createBitrix24Fake({
		seed: {
			crmItems: { [CITY]: { count: N }, [OBJECT]: { count: N } },
			lists: [{ iblockTypeId: 'lists', iblockId: 25, iblockCode: 'violation_categories', elements: { count: N } }],
			users: { count: N },
			departments: { count: 120 },
		},
	});
	await fake.start();
	// Retries wait for real only a little: enough for the fake's leaky bucket to drain a slot.
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
		await realSleep(Math.min(ms, 600));
	};
});

afterAll(async () => {
	transportClock.sleep = realSleep;
	await fake.stop();
});

beforeEach(() => {
	fake.clearLog();
	fake.setFaults({ rateLimit: null, failNext: 0 });
	sleeps.length = 0;
});

async function runBitrix24(parameters: IDataObject, input: IDataObject[] = [{}]) {
	return await runWorkflow({
		nodes: [
			{
				name: 'Bitrix24',
				type: 'bitrix24',
				parameters,
				credentials: { bitrix24InboundWebhookApi: 'portal' },
			},
		],
		connections: ['Bitrix24'],
		input,
		credentials: { portal: { type: 'bitrix24InboundWebhookApi', data: fastCredential(fake) } },
	});
}

// A custom plan far above the fake's, so that the fake's own bucket is what the tests exercise.
function fastCredential(portal: any): ICredentialDataDecryptedObject {
	return { webhookSecretUrl: portal.webhookUrl, rateLimit: 'custom', requestsPerSecond: 1000, burst: 1000 };
}

/** A portal of its own (its own origin, so its own bucket in this process) with a strict leaky bucket. */
async function strictPortal(rate: number, burst: number): Promise<any> {
	const portal = createBitrix24Fake({
		rateLimit: { rate, burst },
		seed: { crmItems: { [CITY]: { count: N } }, users: { count: N } },
	});
	await portal.start();
	strictPortals.push(portal);
	return portal;
}
const strictPortals: any[] = [];
afterAll(async () => {
	for (const portal of strictPortals) await portal.stop();
});

function getManyNode(name: string, credential: string, parameters: IDataObject = {}) {
	return {
		name,
		type: 'bitrix24',
		parameters: { resource: 'record', operation: 'getMany', returnAll: true, listMethod: 'crm.item.list', entityTypeId: CITY, ...parameters },
		credentials: { bitrix24InboundWebhookApi: credential },
	};
}

const getAll = (parameters: IDataObject) => runBitrix24({ resource: 'record', operation: 'getMany', returnAll: true, ...parameters });

describe('Bitrix24 Get Many, Return All over 10,000 records', () => {
	const cases: Array<[string, IDataObject, string]> = [
		['crm.item.list (smart process City)', { listMethod: 'crm.item.list', entityTypeId: CITY }, 'id'],
		['crm.item.list (smart process Object)', { listMethod: 'crm.item.list', entityTypeId: OBJECT }, 'id'],
		['lists.element.get', { listMethod: 'lists.element.get', iblockTypeId: 'lists', iblock: '25' }, 'ID'],
		['user.get', { listMethod: 'user.get' }, 'ID'],
	];

	it.each(cases)('%s returns every record once in ≤ ceil(N/2500)+2 requests', async (_name, parameters, idField) => {
		const run = await getAll(parameters);
		expect(run.error).toBeUndefined();
		const records = run.output('Bitrix24');
		expect(records).toHaveLength(N);
		expect(new Set(records.map((record) => String(record[idField]))).size).toBe(N);
		expect(fake.log.length).toBeLessThanOrEqual(maxRequests);
		expect(fake.log.every((entry: IDataObject) => String(entry.path).endsWith('/batch.json'))).toBe(true);
		const items = run.items('Bitrix24');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('reads a list by IBLOCK_CODE and normalises property values', async () => {
		const run = await runBitrix24({
			resource: 'record',
			operation: 'getMany',
			listMethod: 'lists.element.get',
			iblock: 'violation_categories',
			returnAll: false,
			limit: 3,
			options: { select: 'ID, NAME, PROPERTY_101' },
		});
		expect(run.error).toBeUndefined();
		expect(run.output('Bitrix24')).toEqual([
			{ ID: '1', NAME: 'Element 1 "Lyon"', PROPERTY_101: '1' },
			{ ID: '2', NAME: 'Element 2 "Nantes"', PROPERTY_101: '2' },
			{ ID: '3', NAME: 'Element 3 "Lille"', PROPERTY_101: '3' },
		]);
		expect(fake.log[0].body.cmd.p0).toContain('IBLOCK_CODE=violation_categories');
	});

	it('applies filter and select in the method\'s own names', async () => {
		const run = await getAll({
			listMethod: 'crm.item.list',
			entityTypeId: CITY,
			options: { filter: '{"%title": "Paris"}', select: 'title' },
		});
		expect(run.error).toBeUndefined();
		const records = run.output('Bitrix24');
		expect(records).toHaveLength(N / 8);
		expect(Object.keys(records[0])).toEqual(['id', 'title']);
	});

	it('pages department.get by start/next packed into batch', async () => {
		const run = await getAll({ listMethod: 'department.get' });
		expect(run.output('Bitrix24')).toHaveLength(120);
		expect(fake.log).toHaveLength(2);
	});
});

describe('Bitrix24 limits', () => {
	it('recovers from a burst of 503 QUERY_LIMIT_EXCEEDED with backoff', async () => {
		fake.setFaults({
			failNext: 3,
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		});
		const run = await getAll({ listMethod: 'crm.item.list', entityTypeId: CITY });
		expect(run.error).toBeUndefined();
		expect(run.output('Bitrix24')).toHaveLength(N);
		expect(sleeps).toHaveLength(3);
		expect(sleeps[2]).toBeGreaterThan(sleeps[0]);
	});

	it('stays under the portal\'s leaky bucket when the credential\'s plan is the portal\'s', async () => {
		const portal = await strictPortal(2, 2);
		const run = await runWorkflow({
			nodes: [getManyNode('Bitrix24', 'strict', { listMethod: 'user.get' })],
			connections: ['Bitrix24'],
			input: [{}],
			credentials: {
				strict: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: portal.webhookUrl, rateLimit: 'custom', requestsPerSecond: 2, burst: 2 } },
			},
		});
		expect(run.error).toBeUndefined();
		expect(run.output('Bitrix24')).toHaveLength(N);
		expect(portal.log.length).toBeLessThanOrEqual(maxRequests + 1);
		expect(portal.limitExceeded).toBe(0);
	});

	it('two credentials of one portal with different plans share one bucket under the stricter plan: 0 × 503', async () => {
		const portal = await strictPortal(2, 5);
		const run = await runWorkflow({
			nodes: [getManyNode('Standard', 'standard'), getManyNode('Enterprise', 'enterprise')],
			// Both read from the input, one after the other (n8n's v1 order), each with its own credential.
			connections: {
				Input: {
					main: [
						[
							{ node: 'Standard', type: NodeConnectionTypes.Main, index: 0 },
							{ node: 'Enterprise', type: NodeConnectionTypes.Main, index: 0 },
						],
					],
				},
			},
			input: [{}],
			credentials: {
				standard: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: portal.webhookUrl, rateLimit: 'custom', requestsPerSecond: 2, burst: 5 } },
				enterprise: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: portal.webhookUrl, rateLimit: 'enterprise' } },
			},
		});
		expect(run.error).toBeUndefined();
		expect(run.output('Standard')).toHaveLength(N);
		expect(run.output('Enterprise')).toHaveLength(N);
		expect(portal.limitExceeded).toBe(0);
		expect(sleeps).toEqual([]);
	});

	it('5 parallel reads of one portal stay inside its bucket: 0 × 503', async () => {
		const portal = await strictPortal(2, 5);
		const credentials = {
			shared: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: portal.webhookUrl, rateLimit: 'custom', requestsPerSecond: 2, burst: 5 } },
		};
		const runs = await Promise.all(
			Array.from({ length: 5 }, () => runWorkflow({ nodes: [getManyNode('Bitrix24', 'shared')], connections: ['Bitrix24'], input: [{}], credentials })),
		);
		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.output('Bitrix24')).toHaveLength(N);
		}
		expect(portal.log).toHaveLength(5 * (N / 2500 + 1));
		expect(portal.limitExceeded).toBe(0);
	});

	it('recovers when the node goes faster than the portal allows', async () => {
		fake.setFaults({ rateLimit: { rate: 2, burst: 2 } });
		const run = await getAll({ listMethod: 'crm.item.list', entityTypeId: OBJECT });
		expect(run.error).toBeUndefined();
		expect(run.output('Bitrix24')).toHaveLength(N);
		const limited = fake.log.length - Math.ceil(N / 2500) - 1;
		expect(limited).toBeGreaterThan(0);
		expect(sleeps.length).toBe(limited);
	});

	it('waits until operating_reset_at on 429 OPERATION_TIME_LIMIT', async () => {
		const call = (params: IDataObject) => runBitrix24({ resource: 'method', operation: 'call', methodName: 'user.get', params: JSON.stringify(params) });
		expect((await call({ ID: 1 })).error).toBeUndefined();
		fake.blockMethod('user.get', { calls: 1 });
		transportClock.sleep = async (ms: number) => {
			sleeps.push(ms);
		};
		try {
			const run = await call({ ID: 2 });
			expect(run.error).toBeUndefined();
			expect(run.output('Bitrix24')[0].result).toEqual([expect.objectContaining({ ID: '2' })]);
		} finally {
			transportClock.sleep = async (ms: number) => {
				sleeps.push(ms);
				await realSleep(Math.min(ms, 600));
			};
		}
		// The fake reports operating_reset_at = start + 600 s, as the documentation's example does.
		expect(sleeps).toHaveLength(1);
		expect(sleeps[0]).toBeGreaterThan(590_000);
		expect(sleeps[0]).toBeLessThanOrEqual(602_000);
	});
});

describe('Bitrix24 errors', () => {
	it('a result_error inside a batch fails with the command and method named', async () => {
		fake.failCommand({ key: 'p2', error: 'ACCESS_DENIED', error_description: 'Access denied!' });
		const run = await getAll({ listMethod: 'crm.item.list', entityTypeId: CITY });
		expect(run.error?.message).toBe('Bitrix24 batch command "p2" (crm.item.list) failed: ACCESS_DENIED: Access denied! (item 0)');
	});

	it('a batch answer lacking a keyset command\'s result fails the read instead of ending it short', async () => {
		fake.dropCommandResult({ key: 'p2' });
		const run = await getAll({ listMethod: 'crm.item.list', entityTypeId: CITY });
		expect(run.error?.message).toBe(
			'Bitrix24 batch command "p2" (crm.item.list) failed: RESULT_MISSING: the batch answer holds neither a result nor an error for it (item 0)',
		);
	});

	it('a batch answer lacking a start/next command\'s result fails the read too', async () => {
		fake.dropCommandResult({ key: 's1', method: 'department.get' });
		const run = await getAll({ listMethod: 'department.get' });
		expect(run.error?.message).toMatch(/^Bitrix24 batch command "s1" \(department\.get\) failed: RESULT_MISSING: .* \(item 0\)$/);
	});

	it('a wrong webhook code fails with 401 and no secret in the message', async () => {
		const run = await runWorkflow({
			nodes: [{ name: 'Bitrix24', type: 'bitrix24', parameters: { resource: 'record', operation: 'getMany', listMethod: 'user.get' }, credentials: { bitrix24InboundWebhookApi: 'bad' } }],
			connections: ['Bitrix24'],
			input: [{}],
			credentials: { bad: { type: 'bitrix24InboundWebhookApi', data: { ...fastCredential(fake), webhookSecretUrl: `${fake.baseUrl}/rest/1/wrongcode123/` } } },
		});
		expect(run.error?.message).toBe('Bitrix24 answered 401: NO_AUTH_FOUND: Wrong authorization data (item 0)');
		expect(JSON.stringify(run.run.data.resultData)).not.toContain('wrongcode123');
	});

	it('with Continue On Fail, one bad item yields an error item and the others go on', async () => {
		const run = await runWorkflow({
			nodes: [
				{
					name: 'Bitrix24',
					type: 'bitrix24',
					continueOnFail: true,
					parameters: { resource: 'record', operation: 'update', entity: 'crmItem', entityTypeId: CITY, itemId: '={{$json.id}}', fields: '{"title": "x"}' },
					credentials: { bitrix24InboundWebhookApi: 'portal' },
				},
			],
			connections: ['Bitrix24'],
			input: [{ id: 5 }, { id: 999999 }, { id: 6 }],
			credentials: { portal: { type: 'bitrix24InboundWebhookApi', data: fastCredential(fake) } },
		});
		const output = run.output('Bitrix24');
		expect(output[0]).toMatchObject({ id: 5, title: 'x' });
		expect(output[1].error).toMatch(/NOT_FOUND/);
		expect(output[2]).toMatchObject({ id: 6, title: 'x' });
	});
});

describe('Bitrix24 create, update, delete', () => {
	it('creates, updates and deletes a CRM item', async () => {
		const created = await runBitrix24({ resource: 'record', operation: 'create', entity: 'crmItem', entityTypeId: CITY, fields: '{"title": "Lyon 2"}' });
		expect(created.error).toBeUndefined();
		const item = created.output('Bitrix24')[0];
		expect(item).toMatchObject({ id: N + 1, title: 'Lyon 2' });

		const updated = await runBitrix24({ resource: 'record', operation: 'update', entity: 'crmItem', entityTypeId: CITY, itemId: String(item.id), fields: { title: 'Lyon 3' } });
		expect(updated.output('Bitrix24')[0]).toMatchObject({ id: N + 1, title: 'Lyon 3' });

		const deleted = await runBitrix24({ resource: 'record', operation: 'delete', entity: 'crmItem', entityTypeId: CITY, itemId: String(item.id) });
		expect(deleted.output('Bitrix24')).toEqual([{ id: String(N + 1), entityTypeId: CITY, deleted: true }]);
		expect(fake.crmItems(CITY)).toHaveLength(N);
	});

	it('creates, updates and deletes a list element', async () => {
		const address = { entity: 'listElement', iblockTypeId: 'lists', iblock: '25' };
		const created = await runBitrix24({ resource: 'record', operation: 'create', ...address, elementCode: 'new-cat', elementFields: '{"NAME": "New", "PROPERTY_101": ["a", "b"]}' });
		expect(created.output('Bitrix24')).toEqual([{ ID: String(N + 1), CODE: 'new-cat' }]);
		const again = await runBitrix24({ resource: 'record', operation: 'create', ...address, elementCode: 'new-cat', elementFields: '{"NAME": "New"}' });
		expect(again.error?.message).toMatch(/ERROR_ELEMENT_ALREADY_EXISTS/);

		const updated = await runBitrix24({ resource: 'record', operation: 'update', ...address, elementId: String(N + 1), elementFields: '{"NAME": "Renamed"}' });
		expect(updated.output('Bitrix24')).toEqual([{ ID: String(N + 1), updated: true }]);
		expect(fake.listElements('lists', 25).at(-1)).toMatchObject({ NAME: 'Renamed' });

		const deleted = await runBitrix24({ resource: 'record', operation: 'delete', ...address, elementId: String(N + 1) });
		expect(deleted.output('Bitrix24')).toEqual([{ ID: String(N + 1), deleted: true }]);
		expect(fake.listElements('lists', 25)).toHaveLength(N);
	});

	it('a delete whose first answer was lost and whose retry gets NOT_FOUND is a success', async () => {
		const id = fake.crmItems(CITY).at(-1).id;
		const address = { resource: 'record', operation: 'delete', entity: 'crmItem', entityTypeId: CITY };
		// The portal deletes the item, then the answer is cut off: the client cannot know it was applied.
		fake.setFaults({ truncateNext: 1, match: 'crm.item.delete' });
		try {
			const run = await runBitrix24({ ...address, itemId: String(id) });
			expect(run.error).toBeUndefined();
			expect(run.output('Bitrix24')).toEqual([{ id: String(id), entityTypeId: CITY, deleted: true }]);
			expect(fake.callsTo('crm.item.delete')).toHaveLength(2);
		} finally {
			fake.setFaults({ truncateNext: 0, match: undefined });
			fake.seed({ crmItems: { [CITY]: [{ id, title: `Item ${id}` }] } });
		}
		// Without a lost answer, NOT_FOUND still fails the item.
		const missing = await runBitrix24({ ...address, itemId: '999999' });
		expect(missing.error?.message).toBe('Bitrix24 answered 400: NOT_FOUND: Element not found (item 0)');
	});

	it('a list element delete whose answer was lost is a success too', async () => {
		const address = { resource: 'record', operation: 'delete', entity: 'listElement', iblockTypeId: 'lists', iblock: '25' };
		const created = await runBitrix24({ resource: 'record', operation: 'create', entity: 'listElement', iblockTypeId: 'lists', iblock: '25', elementCode: 'lost-answer', elementFields: '{"NAME": "Lost"}' });
		const elementId = created.output('Bitrix24')[0].ID;
		fake.setFaults({ truncateNext: 1, match: 'lists.element.delete' });
		try {
			const run = await runBitrix24({ ...address, elementId });
			expect(run.error).toBeUndefined();
			expect(run.output('Bitrix24')).toEqual([{ ID: elementId, deleted: true }]);
			expect(fake.callsTo('lists.element.delete')).toHaveLength(2);
		} finally {
			fake.setFaults({ truncateNext: 0, match: undefined });
		}
	});

	it('never retries an add, even on QUERY_LIMIT_EXCEEDED', async () => {
		fake.setFaults({ failNext: 1, status: 503, body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } });
		const run = await runBitrix24({ resource: 'record', operation: 'create', entity: 'crmItem', entityTypeId: CITY, fields: '{"title": "Once"}' });
		expect(run.error?.message).toBe('Bitrix24 answered 503: QUERY_LIMIT_EXCEEDED: Too many requests (item 0)');
		expect(fake.callsTo('crm.item.add')).toHaveLength(1);
		expect(sleeps).toHaveLength(0);
	});

	it('Call Method passes any method through and normalises a batch answer', async () => {
		const run = await runBitrix24({
			resource: 'method',
			operation: 'call',
			methodName: 'batch',
			params: JSON.stringify({ halt: 0, cmd: { a: 'user.get?ID=1' } }),
		});
		expect(run.output('Bitrix24')[0]).toMatchObject({ result: { a: [expect.objectContaining({ ID: '1' })] }, result_error: {}, result_next: {} });
		const split = await runBitrix24({
			resource: 'method',
			operation: 'call',
			methodName: 'crm.item.list',
			params: JSON.stringify({ entityTypeId: CITY }),
			options: { splitResult: true },
		});
		expect(split.output('Bitrix24')).toHaveLength(50);
	});
});
