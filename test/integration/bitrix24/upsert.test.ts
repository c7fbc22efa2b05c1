/* Bitrix24 Create or Update on an external key, on n8n-core's WorkflowExecute against the Bitrix24 fake,
 * counting the HTTP requests the fake receives. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow } from '../../harness/runWorkflow';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

const CITY = 1030;
const EXISTING = 600;
const NEW = 400;

let fake: any;

beforeAll(async () => {
	fake = createBitrix24Fake({ rateLimit: null });
	await fake.start();
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => {
	fake.reset();
	fake.setFaults({ rateLimit: null });
	// Items 1…600 carry ufCrm5Code C1…C600.
	fake.seed({ crmItems: { [CITY]: { count: EXISTING } } });
	fake.clearLog();
});

function credential(): ICredentialDataDecryptedObject {
	return { webhookSecretUrl: fake.webhookUrl, rateLimit: 'custom', requestsPerSecond: 1000, burst: 1000 };
}

async function upsert(input: IDataObject[], continueOnFail = false) {
	return await runWorkflow({
		nodes: [
			{
				name: 'Upsert',
				type: 'bitrix24',
				continueOnFail,
				parameters: { resource: 'record', operation: 'upsert', entityTypeId: CITY, matchField: 'ufCrm5Code', fields: '={{ $json.fields }}' },
				credentials: { bitrix24InboundWebhookApi: 'portal' },
			},
		],
		connections: ['Upsert'],
		input,
		credentials: { portal: { type: 'bitrix24InboundWebhookApi', data: credential() } },
	});
}

/** Commands of one method sent inside the batches the fake received. */
function commandsTo(method: string): number {
	return fake.log
		.filter((entry: IDataObject) => String(entry.path).endsWith('/batch.json'))
		.flatMap((entry: any) => Object.values((entry.body?.cmd ?? {}) as Record<string, string>))
		.filter((command: string) => command.startsWith(`${method}?`)).length;
}

describe('Bitrix24 Create or Update by external key', () => {
	const input = [
		...Array.from({ length: EXISTING }, (_, i) => ({ fields: { ufCrm5Code: `C${i + 1}`, title: `Updated ${i + 1}` } })),
		...Array.from({ length: NEW }, (_, i) => ({ fields: { ufCrm5Code: `N${i + 1}`, title: `New ${i + 1}` } })),
	];

	it(`1,000 items of which 400 new: ≤ ceil(1000/50) × 2 + 2 requests, outputs paired, then a second run creates nothing`, async () => {
		const first = await upsert(input);
		expect(first.error).toBeUndefined();
		expect(fake.log.length).toBeLessThanOrEqual(Math.ceil(1000 / 50) * 2 + 2);
		expect(fake.log.every((entry: IDataObject) => String(entry.path).endsWith('/batch.json'))).toBe(true);
		const out = first.items('Upsert');
		expect(out).toHaveLength(1000);
		out.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		const actions = out.map((item) => item.json.action);
		expect(actions.filter((action) => action === 'created')).toHaveLength(NEW);
		expect(actions.slice(0, EXISTING).every((action) => action === 'updated')).toBe(true);
		// An existing key updates the record that holds it.
		expect(out[4].json).toEqual({ action: 'updated', id: '5' });
		expect(commandsTo('crm.item.add')).toBe(NEW);
		const stored = fake.crmItems(CITY);
		expect(stored).toHaveLength(EXISTING + NEW);
		expect(stored.find((record: IDataObject) => record.id === 5).title).toBe('Updated 5');
		const createdId = Number(out[EXISTING].json.id);
		expect(stored.find((record: IDataObject) => record.id === createdId)).toMatchObject({ ufCrm5Code: 'N1', title: 'New 1' });

		fake.clearLog();
		const second = await upsert(input);
		expect(second.error).toBeUndefined();
		expect(commandsTo('crm.item.add')).toBe(0);
		expect(second.output('Upsert').every((json) => json.action === 'updated')).toBe(true);
		expect(second.output('Upsert')[EXISTING].id).toBe(String(createdId));
		expect(fake.crmItems(CITY)).toHaveLength(EXISTING + NEW);
	}, 240_000);

	it('a key repeated in the input is created once, then its later items update it in order', async () => {
		const run = await upsert([
			{ fields: { ufCrm5Code: 'X1', title: 'first' } },
			{ fields: { ufCrm5Code: 'C7', title: 'seven' } },
			{ fields: { ufCrm5Code: 'X1', title: 'second' } },
			{ fields: { ufCrm5Code: 'X1', title: 'third' } },
		]);
		expect(run.error).toBeUndefined();
		const out = run.output('Upsert');
		expect(out.map((json) => json.action)).toEqual(['created', 'updated', 'updated', 'updated']);
		expect(out[2].id).toBe(out[0].id);
		expect(out[3].id).toBe(out[0].id);
		expect(commandsTo('crm.item.add')).toBe(1);
		const matching = fake.crmItems(CITY).filter((record: IDataObject) => record.ufCrm5Code === 'X1');
		expect(matching).toHaveLength(1);
		expect(matching[0].title).toBe('third');
		// Lookups, first phase, second phase.
		expect(fake.log).toHaveLength(3);
	});

	it('a key held by two records fails its items and writes nothing for them; the others go on', async () => {
		fake.crmItems(CITY).find((record: IDataObject) => record.id === 9).ufCrm5Code = 'C8';
		fake.changed();
		const run = await upsert(
			[{ fields: { ufCrm5Code: 'C8', title: 'ambiguous' } }, { fields: { ufCrm5Code: 'C3', title: 'three' } }, { fields: { title: 'no key' } }],
			true,
		);
		const out = run.output('Upsert');
		expect(out[0].error).toBe(
			'2 records of entity type 1030 have ufCrm5Code = "C8" (ids 8, 9): remove the duplicates; Create or Update does not pick one (item 0)',
		);
		expect(out[1]).toEqual({ action: 'updated', id: '3' });
		expect(out[2].error).toBe('Fields hold no value for the match field "ufCrm5Code" (item 2)');
		expect(fake.crmItems(CITY).filter((record: IDataObject) => record.title === 'ambiguous')).toHaveLength(0);
	});

	it('without Continue On Fail an ambiguous key stops the run naming the item', async () => {
		fake.crmItems(CITY).find((record: IDataObject) => record.id === 9).ufCrm5Code = 'C8';
		fake.changed();
		const run = await upsert([{ fields: { ufCrm5Code: 'C3', title: 'three' } }, { fields: { ufCrm5Code: 'C8', title: 'x' } }]);
		expect(run.error?.message).toMatch(/^2 records of entity type 1030 have ufCrm5Code = "C8" .* \(item 1\)$/);
	});

	it('a command refused by OPERATION_TIME_LIMIT inside a batch is sent again, and an add failing alone fails its item only', async () => {
		fake.failCommand({ method: 'crm.item.add', error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' });
		fake.failCommand({ key: 'c1', error: 'ACCESS_DENIED', error_description: 'Access denied!' });
		const realSleep = transportClock.sleep;
		const sleeps: number[] = [];
		transportClock.sleep = async (ms: number) => {
			sleeps.push(ms);
		};
		let run;
		try {
			run = await upsert([{ fields: { ufCrm5Code: 'Y0', title: 'a' } }, { fields: { ufCrm5Code: 'Y1', title: 'b' } }, { fields: { ufCrm5Code: 'Y1', title: 'c' } }], true);
		} finally {
			transportClock.sleep = realSleep;
		}
		// One wait for the method's limit, then the refused add alone is sent again.
		expect(sleeps).toHaveLength(1);
		const out = run.output('Upsert');
		expect(out[0].action).toBe('created');
		expect(out[1].error).toMatch(/^Bitrix24 batch command "c1" \(crm\.item\.add\) failed: ACCESS_DENIED: Access denied! \(item 1\)$/);
		expect(out[2].error).toMatch(/could not be created.*\(item 2\)$/);
		expect(fake.crmItems(CITY).filter((record: IDataObject) => String(record.ufCrm5Code).startsWith('Y'))).toHaveLength(1);
	});
});
