/** The Bitrix24 entity type and list pickers against the fake portal: crm.type.list and lists.get paging and search. */
import { Bitrix24InboundWebhookApi } from '../../../credentials/Bitrix24InboundWebhookApi.credentials';
import { searchEntityTypes, searchLists } from '../../../nodes/Bitrix24/methods/listSearch';
import { loadOptionsContext } from '../../harness/loadOptions';

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

let fake: any;

beforeAll(async () => {
	fake = createBitrix24Fake({ rateLimit: null });
	await fake.start();
	const types = [];
	for (let n = 0; n < 60; n++) types.push({ id: n + 1, entityTypeId: 1030 + 2 * n, title: `Process ${n + 1}` });
	types.push({ id: 61, entityTypeId: 1300, title: 'Objets de voirie' });
	const lists = [];
	for (let n = 1; n <= 55; n++) lists.push({ iblockTypeId: 'lists', iblockId: n, iblockCode: `list${n}`, name: `Liste ${n}` });
	lists.push({ iblockTypeId: 'lists', iblockId: 90, iblockCode: 'cities', name: 'Villes' });
	lists.push({ iblockTypeId: 'bitrix_processes', iblockId: 91, iblockCode: 'leave', name: 'Congés' });
	fake.seed({ types, lists });
});

afterAll(async () => {
	await fake.stop();
});

const context = (parameters = {}) => loadOptionsContext(new Bitrix24InboundWebhookApi(), { webhookSecretUrl: fake.webhookUrl }, parameters);

describe('entity type picker', () => {
	test('the built-in types first, then the smart processes page by page', async () => {
		const first = await searchEntityTypes.call(context());
		expect(first.results.slice(0, 6).map((entry) => entry.value)).toEqual(['1', '2', '3', '4', '7', '31']);
		expect(first.results.slice(6)).toHaveLength(50);
		expect(first.results[6]).toEqual({ name: 'Process 1 (1030)', value: '1030', url: `${new URL(fake.webhookUrl).origin}/crm/type/1030/list/` });
		expect(first.paginationToken).toBe('50');
		const second = await searchEntityTypes.call(context(), undefined, first.paginationToken as string);
		expect(second.results.map((entry) => entry.value)).not.toContain('2');
		expect(second.results).toHaveLength(11);
		expect(second.paginationToken).toBeUndefined();
	});

	test("searches the portal's titles (%title) and the built-in names", async () => {
		fake.clearLog();
		const found = await searchEntityTypes.call(context(), 'voirie');
		expect(found.results).toEqual([expect.objectContaining({ value: '1300', name: 'Objets de voirie (1300)' })]);
		expect(fake.callsTo('crm.type.list').map((entry: any) => entry.body.filter)).toEqual([{ '%title': 'voirie' }]);
		const deal = await searchEntityTypes.call(context(), 'deal');
		expect(deal.results).toEqual([{ name: 'Deal (2)', value: '2' }]);
	});
});

describe('list picker', () => {
	test('pages the lists of the chosen list type', async () => {
		const first = await searchLists.call(context({ iblockTypeId: 'lists' }));
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const second = await searchLists.call(context({ iblockTypeId: 'lists' }), undefined, first.paginationToken as string);
		expect(second.results.map((entry) => entry.value)).toEqual(['51', '52', '53', '54', '55', '90']);
		expect(second.paginationToken).toBeUndefined();
		const processes = await searchLists.call(context({ iblockTypeId: 'bitrix_processes' }));
		expect(processes.results).toEqual([{ name: 'Congés (leave)', value: '91', url: `${new URL(fake.webhookUrl).origin}/company/lists/91/view/0/` }]);
	});

	test('a name search reads the pages until it finds the list (lists.get has no name filter)', async () => {
		fake.clearLog();
		const found = await searchLists.call(context({ iblockTypeId: 'lists' }), 'villes');
		expect(found.results.map((entry) => entry.value)).toEqual(['90']);
		expect(found.paginationToken).toBeUndefined();
		expect(fake.callsTo('lists.get').map((entry: any) => entry.body.start)).toEqual([0, 50]);
		const byCode = await searchLists.call(context({ iblockTypeId: 'lists' }), 'cities');
		expect(byCode.results.map((entry) => entry.value)).toEqual(['90']);
	});
});
