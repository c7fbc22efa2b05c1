/* Bitrix24's operating-time limit: the fake sums each method's server time over a 10-minute window and blocks it
 * past 480 s. A virtual clock, shared by the fake and the transport, lets 10 minutes pass instantly. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { operatingClock } from '../../../nodes/Bitrix24/transport/operating';
import { runWorkflow } from '../../harness/runWorkflow';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

const CITY = 1030;
const N = 10_000;
let virtualNow = Date.now();
const realSleep = transportClock.sleep;
const realNow = operatingClock.now;
const sleeps: number[] = [];
const fakes: any[] = [];

beforeAll(() => {
	operatingClock.now = () => virtualNow;
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
		virtualNow += ms;
	};
});

afterAll(async () => {
	transportClock.sleep = realSleep;
	operatingClock.now = realNow;
	for (const fake of fakes) await fake.stop();
});

/** A portal whose crm.item.list costs 3 s of server time per command: 200 pages = 600 s, past the 480 s budget. */
async function portal(): Promise<any> {
	const fake = createBitrix24Fake({
		rateLimit: null,
		operating: { budgetSeconds: 480, windowSeconds: 600, costSeconds: 3, now: () => virtualNow },
		seed: { crmItems: { [CITY]: { count: N } } },
	});
	await fake.start();
	fakes.push(fake);
	return fake;
}

async function readAll(fake: any, credential: ICredentialDataDecryptedObject) {
	return await runWorkflow({
		nodes: [
			{
				name: 'Read',
				type: 'bitrix24',
				parameters: { resource: 'record', operation: 'getMany', returnAll: true, listMethod: 'crm.item.list', entityTypeId: CITY },
				credentials: { bitrix24InboundWebhookApi: 'portal' },
			},
		],
		connections: ['Read'],
		input: [{}],
		credentials: {
			portal: {
				type: 'bitrix24InboundWebhookApi',
				data: { webhookSecretUrl: fake.webhookUrl, rateLimit: 'custom', requestsPerSecond: 1000, burst: 1000, ...credential },
			},
		},
	});
}

describe('Bitrix24 operating-time budget', () => {
	it('without tracking, the same long read trips the block (the fake models it)', async () => {
		const fake = await portal();
		const run = await readAll(fake, { operatingBudget: 0 });
		expect(run.error).toBeUndefined();
		expect(run.output('Read')).toHaveLength(N);
		expect(fake.operatingBlocks).toBeGreaterThan(0);
	}, 180_000);

	it('a read worth 600 s of server time slows down before the 480 s budget and is never blocked', async () => {
		const fake = await portal();
		sleeps.length = 0;
		const run = await readAll(fake, { operatingBudget: 480 });
		expect(run.error).toBeUndefined();
		const records = run.output('Read');
		expect(records).toHaveLength(N);
		expect(new Set(records.map((record) => record.id)).size).toBe(N);
		expect(fake.operatingBlocks).toBe(0);
		// It waited for part of the window to expire rather than for a block's reset.
		expect(sleeps.some((ms) => ms > 60_000)).toBe(true);
		expect(fake.log.length).toBeLessThanOrEqual(Math.ceil(N / 2500) + 2);
	}, 180_000);
});
