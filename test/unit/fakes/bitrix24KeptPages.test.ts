// A module of its own, so its names do not clash with the other fake tests in the type check.
export {};

const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

type Fake = ReturnType<typeof createBitrix24Fake>;

const LIST = { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25 };

async function post(fake: Fake, method: string, params: object) {
	const response = await fetch(`${fake.webhookUrl}${method}.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(params),
	});
	const bytes = Buffer.from(await response.arrayBuffer());
	return { status: response.status, type: response.headers.get('content-type'), bytes, body: JSON.parse(bytes.toString('utf8')) };
}

/** Two keyset pages in one batch, the second chained on the first's last ID, as the node asks for them. */
const batch = (fake: Fake, after = 0) =>
	post(fake, 'batch', {
		halt: 0,
		cmd: {
			p0: `lists.element.get?IBLOCK_TYPE_ID=lists&IBLOCK_ID=25&ELEMENT_ORDER%5BID%5D=ASC&FILTER%5B%3EID%5D=${after}&start=-1`,
			p1: 'lists.element.get?IBLOCK_TYPE_ID=lists&IBLOCK_ID=25&ELEMENT_ORDER%5BID%5D=ASC&FILTER%5B%3EID%5D=$result[p0][49][ID]&start=-1',
		},
	});

const ids = (rows: Array<{ ID: string }>) => rows.map((row) => Number(row.ID));

describe('Bitrix24 fake: kept page bytes', () => {
	let fake: Fake;

	beforeEach(async () => {
		fake = createBitrix24Fake({ rateLimit: null, seed: { lists: [{ iblockTypeId: 'lists', iblockId: 25, elements: { count: 120 } }] } });
		await fake.start();
	});

	afterEach(async () => fake.stop());

	it('answers exactly the JSON a plain stringify would, names with quotes and accents included', async () => {
		for (let round = 0; round < 2; round++) {
			const answer = await batch(fake);
			expect(answer.type).toBe('application/json');
			expect(answer.bytes.equals(Buffer.from(JSON.stringify(answer.body), 'utf8'))).toBe(true);
			expect(ids(answer.body.result.result.p1)).toEqual(Array.from({ length: 50 }, (_, i) => 51 + i));
			expect(answer.body.result.result.p0.map((row: { NAME: string }) => row.NAME)).toContain("Element 6 \"L'Haÿ-les-Roses\"");
		}
	});

	it('shows an update made through the API, and a record spliced out of or back into the store', async () => {
		await batch(fake);
		expect((await post(fake, 'lists.element.update', { ...LIST, ELEMENT_ID: 3, FIELDS: { NAME: 'Renamed' } })).status).toBe(200);
		expect((await batch(fake)).body.result.result.p0[2]).toMatchObject({ ID: '3', NAME: 'Renamed' });

		const elements = fake.listElements('lists', 25);
		const [removed] = elements.splice(4, 1);
		const without = (await batch(fake)).body.result.result;
		expect(ids(without.p0)).not.toContain(5);
		expect(ids(without.p0)).toHaveLength(50);
		elements.splice(4, 0, removed);
		expect(ids((await batch(fake)).body.result.result.p0)).toContain(5);
	});

	it('shows an in-place edit once the caller says so with changed()', async () => {
		await batch(fake, 50);
		fake.listElements('lists', 25)[60].NAME = 'Edited in place';
		fake.changed();
		expect((await batch(fake, 50)).body.result.result.p0[10]).toMatchObject({ ID: '61', NAME: 'Edited in place' });
	});
});
