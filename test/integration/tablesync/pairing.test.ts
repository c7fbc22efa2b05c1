/**
 * Table Sync's Plan Writes after the real Bitrix24 node: the records reach input 1 paired to the Prepare Tables
 * item (table) they were fetched for, so the plan counts each table's records (n8n-core WorkflowExecute, v1 order).
 */
import { runWorkflow } from '../../harness/runWorkflow';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

test('records from the Bitrix24 node are matched to their tables by pairing', async () => {
	const fake = createBitrix24Fake({
		rateLimit: null,
		seed: {
			lists: [{ iblockTypeId: 'lists', iblockId: 31, iblockCode: 'cities', elements: { count: 10 } }],
			users: { count: 3 },
		},
	});
	await fake.start();
	try {
		const config = {
			sourceName: 'Bitrix24',
			dictionaries: {
				city: { table: 'city', source: { listMethod: 'lists.element.get', iblockTypeId: 'lists', iblock: 'cities' }, fields: { NAME: 'name' } },
				user: { table: 'user', source: { listMethod: 'user.get' }, fields: { NAME: 'first_name' } },
			},
		};
		const run = await runWorkflow({
			nodes: [
				{ name: 'Prepare', type: 'tableSync', parameters: { resource: 'table', operation: 'prepare', config: '={{ $json }}' } },
				{
					name: 'Fetch',
					type: 'bitrix24',
					parameters: {
						resource: 'record',
						operation: 'getMany',
						listMethod: '={{ $json.source.listMethod }}',
						iblockTypeId: "={{ $json.source.iblockTypeId ?? 'lists' }}",
						iblock: "={{ $json.source.iblock ?? '' }}",
						returnAll: true,
					},
					credentials: { bitrix24InboundWebhookApi: 'portal' },
				},
				{ name: 'Plan', type: 'tableSync', parameters: { resource: 'table', operation: 'plan', config: JSON.stringify(config) } },
			],
			connections: {
				Input: { main: [[{ node: 'Prepare', type: 'main', index: 0 }]] },
				Prepare: { main: [[{ node: 'Fetch', type: 'main', index: 0 }, { node: 'Plan', type: 'main', index: 1 }]] },
				Fetch: { main: [[{ node: 'Plan', type: 'main', index: 0 }]] },
			} as any,
			input: [{ json: config }],
			credentials: { portal: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: fake.webhookUrl, rateLimit: 'custom', requestsPerSecond: 1000, burst: 1000 } } },
		});
		const fetched = run.items('Fetch');
		if (run.error) throw new Error(`${run.error.message}; fetch pairing: ${JSON.stringify(fetched.map((i: any) => i.pairedItem))}`);
		const reports = run.output('Plan').filter((item: any) => item.kind === 'dictionary');
		expect(reports.map((r: any) => [r.dictionary, r.fetched, r.created])).toEqual([
			['city', 10, 10],
			['user', 3, 3],
		]);
	} finally {
		await fake.stop();
	}
});
