const { createBitrix24Fake, parsePhpQuery } = require('../../fakes/bitrix24.cjs');

type Fake = ReturnType<typeof createBitrix24Fake>;

async function call(fake: Fake, method: string, params: object, init: { form?: string } = {}) {
	const response = await fetch(`${fake.webhookUrl}${method}.json`, {
		method: 'POST',
		headers: { 'content-type': init.form ? 'application/x-www-form-urlencoded' : 'application/json' },
		body: init.form ?? JSON.stringify(params),
	});
	return { status: response.status, body: (await response.json()) as any };
}

describe('Bitrix24 fake', () => {
	let fake: Fake;

	beforeEach(async () => {
		fake = createBitrix24Fake({
			rateLimit: null,
			seed: {
				crmItems: { 1030: { count: 120 } },
				lists: [{ iblockTypeId: 'lists', iblockId: 25, iblockCode: 'cities', elements: { count: 70 } }],
				users: { count: 60 },
				departments: { count: 3 },
				statuses: [{ ID: '1', ENTITY_ID: 'SOURCE', STATUS_ID: 'CALL', NAME: 'Call' }, { ID: '2', ENTITY_ID: 'STATUS', STATUS_ID: 'NEW', NAME: 'New' }],
				types: [{ id: 1, entityTypeId: 1030, title: 'Objects' }],
				categories: { 2: [{ id: 0, name: 'General', isDefault: 'Y' }] },
			},
		});
		await fake.start();
	});

	afterEach(async () => fake.stop());

	it('parses PHP bracket query strings, refusing prototype keys', () => {
		expect(parsePhpQuery('filter%5B%3Eid%5D=5&select[]=id&select[]=title&__proto__[x]=1&a=b+c')).toEqual({
			filter: { '>id': '5' },
			select: { 0: 'id', 1: 'title' },
			a: 'b c',
		});
		expect(({} as any).x).toBeUndefined();
	});

	it('refuses a wrong webhook code with 401 NO_AUTH_FOUND', async () => {
		const response = await fetch(`${fake.baseUrl}/rest/1/not-the-code/user.get.json`);
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
	});

	it('pages crm.item.list by start/next with a total, and skips the count with start=-1', async () => {
		const first = await call(fake, 'crm.item.list', { entityTypeId: 1030 });
		expect(first.body.result.items).toHaveLength(50);
		expect(first.body).toMatchObject({ total: 120, next: 50 });
		const last = await call(fake, 'crm.item.list', { entityTypeId: 1030, start: 100 });
		expect(last.body.result.items).toHaveLength(20);
		expect(last.body.next).toBeUndefined();
		const keyset = await call(fake, 'crm.item.list', {
			entityTypeId: 1030,
			start: -1,
			order: { id: 'ASC' },
			filter: { '>id': 110 },
			select: ['id', 'title'],
		});
		expect(keyset.body.result.items.map((item: any) => item.id)).toEqual([111, 112, 113, 114, 115, 116, 117, 118, 119, 120]);
		expect(Object.keys(keyset.body.result.items[0])).toEqual(['id', 'title']);
		expect(keyset.body.total).toBeUndefined();
		expect(keyset.body.time.operating_reset_at).toBeGreaterThan(Date.now() / 1000);
	});

	it('ignores a misnamed filter as Bitrix24 does (uppercase ID on crm.item.list)', async () => {
		const misnamed = await call(fake, 'crm.item.list', { entityTypeId: 1030, start: -1, filter: { '>ID': 110 } });
		expect(misnamed.body.result.items[0].id).toBe(1);
	});

	it('reads list elements with FILTER/ELEMENT_ORDER, by IBLOCK_ID or IBLOCK_CODE, properties as {valueId: value}', async () => {
		const byCode = await call(fake, 'lists.element.get', {
			IBLOCK_TYPE_ID: 'lists',
			IBLOCK_CODE: 'cities',
			start: -1,
			ELEMENT_ORDER: { ID: 'DESC' },
		});
		expect(byCode.body.result[0].ID).toBe('70');
		const keyset = await call(fake, 'lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25, start: -1, FILTER: { '>ID': '65' } });
		expect(keyset.body.result.map((e: any) => e.ID)).toEqual(['66', '67', '68', '69', '70']);
		expect(keyset.body.result[0].PROPERTY_101).toEqual({ '5066': String(66 % 97) });
	});

	it('adds, updates and deletes crm items and list elements, also from a urlencoded body', async () => {
		const added = await call(fake, 'crm.item.add', {}, { form: 'entityTypeId=1030&fields[title]=New+one' });
		expect(added.body.result.item).toMatchObject({ id: 121, title: 'New one' });
		await call(fake, 'crm.item.update', { entityTypeId: 1030, id: 121, fields: { title: 'Renamed' } });
		expect((await call(fake, 'crm.item.get', { entityTypeId: 1030, id: 121 })).body.result.item.title).toBe('Renamed');
		expect((await call(fake, 'crm.item.delete', { entityTypeId: 1030, id: 121 })).body.result).toEqual([]);
		expect((await call(fake, 'crm.item.get', { entityTypeId: 1030, id: 121 })).status).toBe(400);

		const element = await call(fake, 'lists.element.add', {
			IBLOCK_TYPE_ID: 'lists',
			IBLOCK_ID: 25,
			ELEMENT_CODE: 'new',
			FIELDS: { NAME: 'New', PROPERTY_101: ['a', 'b'] },
		});
		expect(element.body.result).toBe(71);
		const stored = fake.listElements('lists', 25).at(-1);
		expect(Object.values(stored.PROPERTY_101)).toEqual(['a', 'b']);
		const duplicate = await call(fake, 'lists.element.add', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25, ELEMENT_CODE: 'new', FIELDS: { NAME: 'x' } });
		expect(duplicate.body.error).toBe('ERROR_ELEMENT_ALREADY_EXISTS');
		await call(fake, 'lists.element.update', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25, ELEMENT_ID: 71, FIELDS: { NAME: 'Renamed' } });
		expect(fake.listElements('lists', 25).at(-1)).toMatchObject({ ID: '71', NAME: 'Renamed' });
		await call(fake, 'lists.element.delete', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25, ELEMENT_ID: 71 });
		expect(fake.listElements('lists', 25)).toHaveLength(70);
	});

	it('answers user.get (sort/order/FILTER), department.get, crm.type/status/category lists', async () => {
		const users = await call(fake, 'user.get', { sort: 'ID', order: 'DESC', FILTER: { '<ID': 10 } });
		expect(users.body.result.map((u: any) => u.ID)).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1']);
		expect((await call(fake, 'department.get', {})).body.result).toHaveLength(3);
		expect((await call(fake, 'crm.type.list', {})).body.result.types[0].entityTypeId).toBe(1030);
		expect((await call(fake, 'crm.status.list', { filter: { ENTITY_ID: 'SOURCE' } })).body.result).toHaveLength(1);
		expect((await call(fake, 'crm.category.list', { entityTypeId: 2 })).body.result.categories[0].name).toBe('General');
	});

	it('runs a batch with $result references; unresolved references drop their condition', async () => {
		const keyset = (ref?: string) =>
			`crm.item.list?entityTypeId=1030&start=-1&order[id]=ASC&select[0]=id${ref ? `&filter[>id]=${ref}` : ''}`;
		const { body } = await call(fake, 'batch', {
			halt: 0,
			cmd: {
				p0: keyset(),
				p1: keyset('$result[p0][items][49][id]'),
				p2: keyset('%24result%5Bp1%5D%5Bitems%5D%5B49%5D%5Bid%5D'),
				p3: keyset('$result[p2][items][49][id]'),
			},
		});
		const firstIds = ['p0', 'p1', 'p2', 'p3'].map((key) => body.result.result[key].items[0].id);
		expect(firstIds).toEqual([1, 51, 101, 1]);
		expect(body.result.result_error).toEqual([]);
		expect(body.result.result_next).toEqual([]);
		expect(Object.keys(body.result.result_time)).toEqual(['p0', 'p1', 'p2', 'p3']);
	});

	it('reports result_error per command, honours halt, refuses more than 50 commands and nested batch', async () => {
		fake.failCommand({ key: 'b', error: 'ACCESS_DENIED', error_description: 'Access denied' });
		const { body } = await call(fake, 'batch', { halt: 1, cmd: { a: 'user.get?ID=1', b: 'user.get?ID=2', c: 'user.get?ID=3' } });
		expect(body.result.result_error).toEqual({ b: { error: 'ACCESS_DENIED', error_description: 'Access denied' } });
		expect(Object.keys(body.result.result)).toEqual(['a']);
		expect(body.result.result_total).toEqual({ a: 1 });

		const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'user.get']));
		expect((await call(fake, 'batch', { cmd })).body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
		const nested = await call(fake, 'batch', { cmd: { a: 'batch?cmd[x]=user.get' } });
		expect(nested.body.result.result_error.a.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
	});

	it('blocks a method with 429 OPERATION_TIME_LIMIT, reporting operating_reset_at', async () => {
		fake.blockMethod('user.get', { calls: 1, resetAt: 1_900_000_000 });
		const blocked = await call(fake, 'user.get', {});
		expect(blocked).toEqual({
			status: 429,
			body: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' },
		});
		const after = await call(fake, 'user.get', {});
		expect(after.status).toBe(200);
	});

	it('enforces the leaky bucket with 503 QUERY_LIMIT_EXCEEDED', async () => {
		fake.setFaults({ rateLimit: { rate: 1, burst: 3 } });
		const statuses = [];
		for (let i = 0; i < 5; i++) statuses.push((await call(fake, 'user.get', {})).status);
		expect(statuses).toEqual([200, 200, 200, 503, 503]);
		expect((await call(fake, 'user.get', {})).body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
		expect(fake.limitExceeded).toBe(3);
	});

	it('can answer a batch without one command\'s result, in neither result nor result_error', async () => {
		fake.dropCommandResult({ key: 'b' });
		const { body } = await call(fake, 'batch', { halt: 0, cmd: { a: 'user.get?ID=1', b: 'user.get?ID=2', c: 'user.get?ID=3' } });
		expect(Object.keys(body.result.result)).toEqual(['a', 'c']);
		expect(body.result.result_error).toEqual([]);
	});

	it('charges server time per command: a batch of 10 costs 10 single calls', async () => {
		const timed = createBitrix24Fake({ rateLimit: null, commandMs: 40, seed: { users: { count: 3 } } });
		await timed.start();
		try {
			let started = Date.now();
			await call(timed, 'user.get', {});
			const single = Date.now() - started;
			started = Date.now();
			await call(timed, 'batch', { halt: 0, cmd: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}`, 'user.get?ID=1'])) });
			const batch = Date.now() - started;
			expect(single).toBeGreaterThanOrEqual(40);
			expect(batch).toBeGreaterThanOrEqual(400);
		} finally {
			await timed.stop();
		}
	});

	it('runs a change after a call is answered, for a list that changes during a scan', async () => {
		fake.afterCall('user.get', (state: any) => state.users.remove('1'));
		expect((await call(fake, 'user.get', { ID: 1 })).body.result).toHaveLength(1);
		expect((await call(fake, 'user.get', { ID: 1 })).body.result).toHaveLength(0);
	});

	it('answers keyset pages of a 100,000-record list in O(page)', async () => {
		fake.seed({ crmItems: { 7: { count: 100_000 } } });
		const started = Date.now();
		for (let after = 0; after < 100_000; after += 5000) {
			const { body } = await call(fake, 'crm.item.list', { entityTypeId: 7, start: -1, order: { id: 'ASC' }, filter: { '>id': after } });
			expect(body.result.items[0].id).toBe(after + 1);
		}
		expect(Date.now() - started).toBeLessThan(2000);
	});
	it('keeps updatedTime as a portal does: to the second in its zone, moved by updates, compared as instants', async () => {
		let clock = Date.UTC(2026, 11, 3, 9, 0, 0, 999);
		const timed = createBitrix24Fake({ rateLimit: null, now: () => clock, timeZone: '+01:00' });
		await timed.start();
		try {
			expect((await call(timed, 'server.time', {})).body.result).toBe('2026-12-03T10:00:00+01:00');
			const added = (await call(timed, 'crm.item.add', { entityTypeId: 2, fields: { title: 'a' } })).body.result.item;
			expect(added).toMatchObject({ createdTime: '2026-12-03T10:00:00+01:00', updatedTime: '2026-12-03T10:00:00+01:00' });
			clock += 1500;
			await call(timed, 'crm.item.add', { entityTypeId: 2, fields: { title: 'b' } });
			clock += 60_000;
			const updated = (await call(timed, 'crm.item.update', { entityTypeId: 2, id: 1, fields: { title: 'a2' } })).body.result.item;
			expect(updated).toMatchObject({ createdTime: '2026-12-03T10:00:00+01:00', updatedTime: '2026-12-03T10:01:02+01:00' });
			// The same instant written in another zone, or without one (the portal's), filters the same.
			for (const from of ['2026-12-03T09:00:01Z', '2026-12-03T12:00:01+03:00', '2026-12-03T10:00:01']) {
				const { body } = await call(timed, 'crm.item.list', { entityTypeId: 2, filter: { '>=updatedTime': from }, order: { updatedTime: 'ASC' } });
				expect(body.result.items.map((item: any) => item.title)).toEqual(['b', 'a2']);
			}
			// Equal on every ordered field: no order promised (the fake gives the newest id first).
			await call(timed, 'crm.item.update', { entityTypeId: 2, id: 2, fields: {} });
			const tied = (await call(timed, 'crm.item.list', { entityTypeId: 2, order: { updatedTime: 'ASC' } })).body.result.items;
			expect(tied.map((item: any) => item.id)).toEqual([2, 1]);
		} finally {
			await timed.stop();
		}
	});
});
