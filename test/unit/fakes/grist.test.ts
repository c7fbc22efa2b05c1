/* The Grist fake must behave like grist-core where our nodes depend on it: PUT /records add-or-update (raw require
 * comparison, groups, flags, duplicate keys), id sanitising, the 1 MB body limit, SQL, the 429s, and the differences
 * a real grist-core 1.7.17 showed: CellValue checks, tied column ids, Text by default, manualSort, deletes of missing
 * rows, date-times read in the column's zone with microseconds, anonymous /orgs. */
const { createGristFake, pickTableIdent, pickColIdent } = require('../../fakes/grist.cjs');

export {};

const KEY = 'grist-test-key';

describe('grist fake', () => {
	let fake: any;

	async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
		const response = await fetch(`${fake.apiBaseUrl}${path}`, {
			method,
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	}

	const put = (query: string, records: unknown[]) => call('PUT', `/docs/doc1/tables/Projets/records${query}`, { records });
	const rows = () => fake.records('doc1', 'Projets');

	beforeEach(async () => {
		fake = await createGristFake({
			apiKey: KEY,
			seed: {
				docs: [
					{
						id: 'doc1',
						tables: [
							{
								id: 'Projets',
								columns: [
									{ id: 'object_id', fields: { label: 'ID', type: 'Int' } },
									{ id: 'code', fields: { label: 'Code', type: 'Text' } },
									{ id: 'name', fields: { label: 'Nom', type: 'Text' } },
									{ id: 'active', fields: { label: 'Actif', type: 'Bool' } },
								],
							},
						],
					},
				],
			},
		}).start();
	});
	afterEach(async () => {
		await fake.stop();
	});

	test('Bearer only: other schemes and wrong keys get 401 with Grist messages', async () => {
		expect(await call('GET', '/orgs', undefined, { authorization: `Basic ${KEY}` })).toEqual({
			status: 401,
			body: { error: "Bad request: unsupported Authorization scheme, expected 'Bearer'" },
		});
		expect(await call('GET', '/orgs', undefined, { authorization: 'Bearer nope' })).toEqual({
			status: 401,
			body: { error: 'Bad request: invalid API key' },
		});
		const orgs = await call('GET', '/orgs');
		expect(orgs.status).toBe(200);
		const workspaces = await call('GET', `/orgs/${orgs.body[0].id}/workspaces`);
		expect(workspaces.body[0].docs.map((doc: any) => doc.id)).toEqual(expect.arrayContaining(['demoDoc', 'doc1']));
		expect((await call('GET', '/docs/nope/tables')).body).toEqual({ error: 'document not found' });
		expect(await call('GET', '/docs/doc1/tables/Nope/records')).toEqual({ status: 404, body: { error: 'Table not found "Nope"' } });
	});

	test('POST /tables sanitises, capitalises and suffixes ids like identifiers.py', async () => {
		const created = await call('POST', '/docs/doc1/tables', {
			tables: [
				{ id: 'projets', columns: [{ id: 'Nom du projet', fields: { type: 'Text' } }, { id: 'id', fields: {} }] },
				{ id: '1 élan', columns: [] },
				{ id: '', columns: [] },
			],
		});
		expect(created).toEqual({ status: 200, body: { tables: [{ id: 'Projets2' }, { id: 'T1_elan' }, { id: 'Table1' }] } });
		expect(fake.columns('doc1', 'Projets2')).toEqual([
			{ id: 'Nom_du_projet', label: 'Nom_du_projet', type: 'Text' },
			// A column created without a type is Text (grist-core 1.7.17 answers Text, cells '').
			{ id: 'id2', label: 'id2', type: 'Text' },
		]);
		expect(pickTableIdent('projets', ['PROJETS', 'Projets2'])).toBe('Projets3');
		expect(pickTableIdent('t1', ['T1'])).toBe('T1_2');
		expect(pickTableIdent('None')).toBe('TNone');
		expect(pickColIdent('2024 données', [])).toBe('c2024_donnees');
		expect(pickColIdent('', ['A'])).toBe('B');
	});

	test('columns: POST suffixes a taken id, PUT with noupdate=1 only adds, bare flags do not count', async () => {
		const posted = await call('POST', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'name', fields: { type: 'Text' } }] });
		expect(posted.body).toEqual({ columns: [{ id: 'name2' }] });
		await call('PUT', '/docs/doc1/tables/Projets/columns?noupdate=1', {
			columns: [
				{ id: 'name', fields: { label: 'Renamed', type: 'Int' } },
				{ id: 'city', fields: { label: 'Commune', type: 'Text' } },
			],
		});
		expect(fake.columns('doc1', 'Projets').filter((c: any) => ['name', 'city'].includes(c.id))).toEqual([
			{ id: 'name', label: 'Nom', type: 'Text' },
			{ id: 'city', label: 'Commune', type: 'Text' },
		]);
		await call('PUT', '/docs/doc1/tables/Projets/columns?noupdate', { columns: [{ id: 'name', fields: { label: 'Renamed' } }] });
		// `name` is tied to its label (as every column AddColumn made), so the new label renames its id too.
		expect(fake.columns('doc1', 'Projets').find((c: any) => c.label === 'Renamed').id).toBe('Renamed');
		expect(await call('PATCH', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'ghost', fields: {} }] })).toEqual({
			status: 404,
			body: { error: 'Column not found "ghost"' },
		});
	});

	test('PUT /records adds, then updates the row matching require; returns record ids', async () => {
		const first = await put('', [
			{ require: { object_id: 1 }, fields: { name: 'Un' } },
			{ require: { object_id: 2 }, fields: { name: 'Deux' } },
		]);
		expect(first).toEqual({ status: 200, body: { recordIds: [[1], [2]], addRecordIds: [1, 2], updateRecordIds: [] } });
		const second = await put('?onmany=all', [{ require: { object_id: 2 }, fields: { name: 'Deux bis' } }]);
		expect(second.body).toEqual({ recordIds: [[2]], addRecordIds: [], updateRecordIds: [[2]] });
		expect(rows()).toEqual([
			{ id: 1, fields: { object_id: 1, code: '', name: 'Un', active: false } },
			{ id: 2, fields: { object_id: 2, code: '', name: 'Deux bis', active: false } },
		]);
	});

	test('require is compared raw: an Int never matches the Text cell Grist stored, so each PUT adds a row', async () => {
		await put('', [{ require: { code: 42218 }, fields: { name: 'A' } }]);
		await put('', [{ require: { code: 42218 }, fields: { name: 'B' } }]);
		expect(rows().map((row: any) => row.fields.code)).toEqual(['42218', '42218']);
		// A string matches the text cell; on an Int column a numeric string is parsed first unless noparse=1.
		expect((await put('', [{ require: { code: '42218' }, fields: { name: 'C' } }])).body.recordIds).toEqual([[1]]);
		await put('', [{ require: { object_id: 7 } }]);
		expect((await put('', [{ require: { object_id: '7' }, fields: { name: 'parsed' } }])).body.updateRecordIds).toEqual([[3]]);
		expect((await put('?noparse=1', [{ require: { object_id: '7' }, fields: { name: 'raw' } }])).body.addRecordIds).toEqual([4]);
	});

	test('onmany first|none|all and the noadd / noupdate / allow_empty_require flags (truthy values only)', async () => {
		await call('POST', '/docs/doc1/tables/Projets/records', {
			records: [{ fields: { code: 'x', name: 'one' } }, { fields: { code: 'x', name: 'two' } }],
		});
		expect((await put('', [{ require: { code: 'x' }, fields: { name: 'first' } }])).body.recordIds).toEqual([[1]]);
		expect((await put('?onmany=none', [{ require: { code: 'x' }, fields: { name: 'none' } }])).body.recordIds).toEqual([[]]);
		expect((await put('?onmany=all', [{ require: { code: 'x' }, fields: { name: 'all' } }])).body.recordIds).toEqual([[1, 2]]);
		expect(rows().map((row: any) => row.fields.name)).toEqual(['all', 'all']);
		expect((await put('?onmany=some', [{ require: { code: 'x' } }])).status).toBe(400);

		expect((await put('?noadd', [{ require: { code: 'y' } }])).body.addRecordIds).toHaveLength(1);
		expect((await put('?noadd=1', [{ require: { code: 'z' } }])).body).toEqual({ recordIds: [[]], addRecordIds: [], updateRecordIds: [] });
		await put('?noupdate=true', [{ require: { code: 'y' }, fields: { name: 'kept?' } }]);
		expect(rows().find((row: any) => row.fields.code === 'y').fields.name).toBe('');
		await put('?noupdate=0', [{ require: { code: 'y' }, fields: { name: 'updated' } }]);
		expect(rows().find((row: any) => row.fields.code === 'y').fields.name).toBe('updated');

		expect(await put('', [{ require: {}, fields: { name: 'everything' } }])).toEqual({
			status: 400,
			body: { error: "Error manipulating data: [Sandbox] ValueError require is empty but allow_empty_require isn't set" },
		});
		expect((await put('?allow_empty_require=on', [{ require: {}, fields: { active: true } }])).body.recordIds).toEqual([[1]]);
	});

	test('duplicate require keys within one group → 400 and nothing applied; across groups they are allowed', async () => {
		const duplicate = await put('', [
			{ require: { object_id: 1 }, fields: { name: 'a', code: 'c' } },
			{ require: { object_id: 5 }, fields: { name: 'x' } },
			{ require: { object_id: 5 }, fields: { name: 'y' } },
		]);
		expect(duplicate).toEqual({ status: 400, body: { error: 'Error manipulating data: [Sandbox] ValueError require values must be unique' } });
		expect(rows()).toEqual([]);
		// Same key, different field sets: two groups, two actions; the second group sees the first group's row.
		const split = await put('', [
			{ require: { object_id: 5 }, fields: { name: 'x' } },
			{ require: { object_id: 5 }, fields: { code: 'c' } },
		]);
		expect(split.status).toBe(200);
		expect(rows()).toEqual([{ id: 1, fields: { object_id: 5, code: 'c', name: 'x', active: false } }]);
		expect((await put('', [{ require: { object_id: 1 }, fields: { nope: 1 } }])).body).toEqual({ error: 'Invalid column "nope"' });
	});

	test('POST with uneven fields stores null for the missing ones; PATCH needs the same fields on every record', async () => {
		await call('POST', '/docs/doc1/tables/Projets/records', {
			records: [{ fields: { name: 'a', code: 'c1' } }, { fields: { name: 'b' } }, {}],
		});
		expect(rows().map((row: any) => row.fields)).toEqual([
			{ object_id: 0, code: 'c1', name: 'a', active: false },
			{ object_id: 0, code: null, name: 'b', active: false },
			{ object_id: 0, code: null, name: null, active: false },
		]);
		expect(
			await call('PATCH', '/docs/doc1/tables/Projets/records', {
				records: [
					{ id: 1, fields: { name: 'x' } },
					{ id: 2, fields: { code: 'y' } },
				],
			}),
		).toEqual({ status: 400, body: { error: 'PATCH requires all records to have same fields' } });
		expect((await call('PATCH', '/docs/doc1/tables/Projets/records', { records: [{ id: 9, fields: { name: 'x' } }] })).body).toEqual({
			error: 'Invalid row id 9',
		});
		expect(await call('POST', '/docs/doc1/tables/Projets/records/delete', [1, 2])).toEqual({ status: 200, body: null });
		expect(rows().map((row: any) => row.id)).toEqual([3]);
	});

	test('bodies over 1 MB get 413 like express.json({limit: "1mb"}); just under passes', async () => {
		const record = (size: number) => JSON.stringify({ records: [{ require: { object_id: 1 }, fields: { name: 'x'.repeat(size) } }] });
		const overhead = record(0).length;
		const over = await call('PUT', '/docs/doc1/tables/Projets/records', record(1024 * 1024 - overhead + 1));
		expect(over).toEqual({ status: 413, body: { error: 'request entity too large' } });
		expect(rows()).toEqual([]);
		const under = await call('PUT', '/docs/doc1/tables/Projets/records', record(1024 * 1024 - overhead));
		expect(under.status).toBe(200);
	});

	test('GET /records: filter (arrays only), sort and limit', async () => {
		await put('', [1, 2, 3, 4].map((n) => ({ require: { object_id: n }, fields: { code: n % 2 ? 'odd' : 'even' } })));
		const filtered = await call('GET', `/docs/doc1/tables/Projets/records?filter=${encodeURIComponent('{"code":["odd"]}')}&sort=-object_id`);
		expect(filtered.body.records.map((r: any) => r.fields.object_id)).toEqual([3, 1]);
		const limited = await call('GET', '/docs/doc1/tables/Projets/records?sort=code,-object_id&limit=3');
		expect(limited.body.records.map((r: any) => r.fields.object_id)).toEqual([4, 2, 3]);
		expect(await call('GET', `/docs/doc1/tables/Projets/records?filter=${encodeURIComponent('{"code":"odd"}')}`)).toEqual({
			status: 400,
			body: { error: 'Invalid query: filter values must be arrays' },
		});
	});

	test('SQL on SQLite: keyset pages on id and on (sort, id); only SELECT runs', async () => {
		await put(
			'',
			Array.from({ length: 7 }, (_, i) => ({ require: { object_id: i + 1 }, fields: { name: ['b', 'a', 'c'][i % 3], active: i === 0 } })),
		);
		const ids: number[] = [];
		let last = 0;
		for (;;) {
			const page = await call('POST', '/docs/doc1/sql', { sql: 'SELECT * FROM Projets WHERE id > ? ORDER BY id LIMIT ?', args: [last, 3] });
			if (!page.body.records.length) break;
			ids.push(...page.body.records.map((r: any) => r.fields.id));
			last = ids[ids.length - 1];
		}
		expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
		const first = await call('POST', '/docs/doc1/sql', { sql: 'SELECT * FROM Projets ORDER BY id LIMIT 1' });
		expect(first.body).toEqual({
			statement: 'SELECT * FROM Projets ORDER BY id LIMIT 1',
			records: [{ fields: { id: 1, manualSort: 1, object_id: 1, code: '', name: 'b', active: 1 } }],
		});

		const order: string[] = [];
		let cursor: [string, number] | undefined;
		for (;;) {
			const page = cursor
				? await call('POST', '/docs/doc1/sql', {
						sql: 'SELECT id, name FROM "Projets" WHERE (name > ? OR (name = ? AND id > ?)) ORDER BY name, id LIMIT 2',
						args: [cursor[0], cursor[0], cursor[1]],
					})
				: await call('POST', '/docs/doc1/sql', { sql: 'SELECT id, name FROM Projets ORDER BY name ASC, id LIMIT 2' });
			if (!page.body.records.length) break;
			for (const { fields } of page.body.records) order.push(`${fields.name}${fields.id}`);
			const tail = page.body.records[page.body.records.length - 1].fields;
			cursor = [tail.name, tail.id];
		}
		expect(order).toEqual(['a2', 'a5', 'b1', 'b4', 'b7', 'c3', 'c6']);
		const offset = await call('GET', `/docs/doc1/sql?q=${encodeURIComponent('select id from Projets order by name desc, id limit 2 offset 1')}`);
		expect(offset.body.records.map((r: any) => r.fields.id)).toEqual([6, 1]);

		expect((await call('POST', '/docs/doc1/sql', { sql: 'SELECT count(*) AS n FROM Projets' })).body.records).toEqual([{ fields: { n: 7 } }]);
		expect((await call('POST', '/docs/doc1/sql', { sql: 'DELETE FROM Projets' })).body).toEqual({ error: 'only select statements are supported' });
		expect((await call('POST', '/docs/doc1/sql', { sql: 'SELECT * FROM Projets WHERE nope = 1' })).body).toEqual({
			error: 'SQLITE_ERROR: no such column: nope',
		});
	});

	test('429s: backlog (retryable, for the next n calls) and the daily limit (until lifted)', async () => {
		fake.failNextWithBacklog(2);
		for (let i = 0; i < 2; i += 1) {
			expect(await call('GET', '/docs/doc1/tables')).toEqual({
				status: 429,
				body: { error: 'Too many backlogged requests for document doc1 - try again later?' },
			});
		}
		expect((await call('GET', '/docs/doc1/tables')).status).toBe(200);
		fake.exceedDailyLimit();
		expect(await put('', [{ require: { object_id: 1 } }])).toEqual({
			status: 429,
			body: { error: 'Exceeded daily limit for document doc1' },
		});
		fake.exceedDailyLimit(false);
		expect((await put('', [{ require: { object_id: 1 } }])).status).toBe(200);
	});

	test('cells are converted on store like usertypes.py, or kept as sent with typeConversion: false', async () => {
		await call('POST', '/docs/doc1/tables/Projets/records', {
			records: [{ fields: { object_id: '12', code: 3.5, name: true, active: 'yes' } }, { fields: { object_id: 'n/a', code: null, name: 'x', active: 0 } }],
		});
		expect(rows().map((row: any) => row.fields)).toEqual([
			{ object_id: 12, code: '3.5', name: 'True', active: true },
			{ object_id: 'n/a', code: null, name: 'x', active: false },
		]);
		const raw = await createGristFake({ apiKey: KEY, typeConversion: false, seed: { demo: true } }).start();
		try {
			await fetch(`${raw.apiBaseUrl}/docs/demoDoc/tables/Projets/records`, {
				method: 'POST',
				headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
				body: JSON.stringify({ records: [{ fields: { object_id: 'seven' } }] }),
			});
			expect(raw.records('demoDoc', 'Projets')).toEqual([{ id: 1, fields: { object_id: 'seven' } }]);
		} finally {
			await raw.stop();
		}
	});

	test('control endpoints: seed over HTTP and read the state as JSON', async () => {
		await fetch(`${fake.baseUrl}/__fake/seed`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ docs: [{ id: 'doc2', tables: [{ id: 'T', columns: [{ id: 'a', fields: { type: 'Int' } }], records: [{ fields: { a: 1 } }] }] }] }),
		});
		const state: any = await (await fetch(`${fake.baseUrl}/__fake/state`)).json();
		expect(state.docs.doc2.tables.T).toEqual({ id: 'T', columns: [{ id: 'a', label: 'a', type: 'Int' }], records: [{ id: 1, fields: { a: 1 } }] });
	});

	test('20,000 rows upsert in 20 requests stays fast (indexed require lookups)', async () => {
		const started = Date.now();
		for (let batch = 0; batch < 20; batch += 1) {
			const records = Array.from({ length: 1000 }, (_, i) => ({ require: { object_id: batch * 1000 + i }, fields: { name: `n${i}` } }));
			expect((await put('?onmany=all', records)).status).toBe(200);
		}
		const again = await put('', [{ require: { object_id: 19999 }, fields: { name: 'last' } }]);
		expect(again.body.updateRecordIds).toEqual([[20000]]);
		expect(Date.now() - started).toBeLessThan(10000);
	});
	test('a plain list or object in any written cell refuses the whole request, naming the field; ["L", …] is a CellValue', async () => {
		await call('POST', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'tags', fields: { label: 'Etiquettes', type: 'ChoiceList' } }] });
		const refused = {
			status: 400,
			body: { error: 'Invalid payload', details: { userError: 'Error: body.records[1].fields.tags is not a CellValue' } },
		};
		const records = [
			{ require: { object_id: 1 }, fields: { tags: ['L', 'a, b', '"guillemets"'] } },
			{ require: { object_id: 2 }, fields: { tags: ['a', 'b'] } },
		];
		expect(await put('', records)).toEqual(refused);
		expect(await call('POST', '/docs/doc1/tables/Projets/records', { records: records.map(({ fields }) => ({ fields })) })).toEqual(refused);
		expect(rows()).toEqual([]);
		expect(await put('', [{ require: { object_id: 1 }, fields: { tags: { a: 1 } } }])).toEqual({
			status: 400,
			body: { error: 'Invalid payload', details: { userError: 'Error: body.records[0].fields.tags is not a CellValue' } },
		});
		expect((await put('', [records[0]])).status).toBe(200);
		expect(rows()[0].fields.tags).toEqual(['L', 'a, b', '"guillemets"']);
		expect(
			await call('PATCH', '/docs/doc1/tables/Projets/records', { records: [{ id: 1, fields: { tags: ['x'] } }] }),
		).toEqual({ status: 400, body: { error: 'Invalid payload', details: { userError: 'Error: body.records[0].fields.tags is not a CellValue' } } });
	});

	test('created columns stay tied to their label: a label change renames the id, until a PATCH unties it', async () => {
		await call('POST', '/docs/doc1/tables/Projets/columns', {
			columns: [{ id: 'insee', fields: { label: 'Code Insee', type: 'Text', untieColIdFromLabel: true } }],
		});
		// AddColumn drops untieColIdFromLabel.
		expect(fake.tiedColumns('doc1', 'Projets')).toContain('insee');
		await call('PATCH', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'object_id', fields: { label: 'ID Recoco' } }] });
		expect(fake.columns('doc1', 'Projets')[0]).toEqual({ id: 'ID_Recoco', label: 'ID Recoco', type: 'Int' });
		await call('PATCH', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'insee', fields: { untieColIdFromLabel: true } }] });
		await call('PATCH', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'insee', fields: { label: 'INSEE de la commune' } }] });
		const insee = (await call('GET', '/docs/doc1/tables/Projets/columns')).body.columns.find((c: any) => c.fields.label === 'INSEE de la commune');
		expect(insee).toMatchObject({ id: 'insee', fields: { untieColIdFromLabel: true } });
		// Tying it again syncs the id to the label.
		await call('PATCH', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'insee', fields: { untieColIdFromLabel: false } }] });
		expect(fake.columns('doc1', 'Projets').map((c: any) => c.id)).toContain('INSEE_de_la_commune');
	});

	test('columns?hidden=true lists manualSort first; deleting a missing row id answers 200 null; anonymous /orgs is []', async () => {
		const hidden = (await call('GET', '/docs/doc1/tables/Projets/columns?hidden=true')).body.columns;
		expect(hidden[0]).toMatchObject({ id: 'manualSort', fields: { type: 'ManualSortPos', label: 'manualSort' } });
		expect((await call('GET', '/docs/doc1/tables/Projets/columns')).body.columns.map((c: any) => c.id)).not.toContain('manualSort');
		await put('', [{ require: { object_id: 1 } }]);
		expect(await call('POST', '/docs/doc1/tables/Projets/records/delete', [1, 99])).toEqual({ status: 200, body: null });
		expect(rows()).toEqual([]);
		const anonymous = await fetch(`${fake.apiBaseUrl}/orgs`);
		expect([anonymous.status, await anonymous.json()]).toEqual([200, []]);
	});

	test('a date-time without an offset is read in the column\'s time zone; fractional seconds keep microseconds', async () => {
		await call('POST', '/docs/doc1/tables/Projets/columns', {
			columns: [
				{ id: 'created', fields: { type: 'DateTime:Europe/Paris' } },
				{ id: 'day', fields: { type: 'Date' } },
			],
		});
		await put('', [
			{ require: { object_id: 1 }, fields: { created: '2024-07-01T10:00:00', day: '2024-07-01' } },
			{ require: { object_id: 2 }, fields: { created: '2024-01-15 10:00', day: '2024-01-15' } },
			{ require: { object_id: 3 }, fields: { created: '2023-10-10T09:50:32.182591+02:00' } },
		]);
		const byId = new Map<number, any>(rows().map((row: any) => [row.fields.object_id, row.fields]));
		const cells = [1, 2, 3].map((objectId) => [byId.get(objectId).created, byId.get(objectId).day]);
		expect(cells[0]).toEqual([Date.UTC(2024, 6, 1, 8) / 1000, Date.UTC(2024, 6, 1) / 1000]);
		expect(cells[1]).toEqual([Date.UTC(2024, 0, 15, 9) / 1000, Date.UTC(2024, 0, 15) / 1000]);
		expect(cells[2][0]).toBeCloseTo(Date.UTC(2023, 9, 10, 7, 50, 32) / 1000 + 0.182591, 6);
	});

	test('any read-only SELECT runs on SQLite: aggregates, joins, CTEs, functions; values as SQLite holds them', async () => {
		await call('POST', '/docs/doc1/tables/Projets/columns', { columns: [{ id: 'tags', fields: { type: 'ChoiceList' } }] });
		await put('', [
			{ require: { object_id: 1 }, fields: { code: 'A', tags: ['L', 'x', 'y'], active: true } },
			{ require: { object_id: 2 }, fields: { code: 'A', active: false } },
			{ require: { object_id: 3 }, fields: { code: 'B' } },
		]);
		const sql = async (text: string, args: unknown[] = []) => (await call('POST', '/docs/doc1/sql', { sql: text, args })).body;
		expect((await sql('SELECT code, count(*) AS n FROM Projets GROUP BY code ORDER BY code')).records).toEqual([
			{ fields: { code: 'A', n: 2 } },
			{ fields: { code: 'B', n: 1 } },
		]);
		expect((await sql('WITH a AS (SELECT * FROM Projets WHERE code = ?) SELECT upper(code) AS c, tags, active FROM a ORDER BY object_id', ['A'])).records).toEqual([
			{ fields: { c: 'A', tags: '["x","y"]', active: 1 } },
			{ fields: { c: 'A', tags: null, active: 0 } },
		]);
		expect((await sql('SELECT p.object_id FROM Projets p JOIN Projets q ON q.code = p.code AND q.id <> p.id ORDER BY 1;')).records).toEqual([
			{ fields: { object_id: 1 } },
			{ fields: { object_id: 2 } },
		]);
		expect(await sql('SELECT * FROM Projets; DELETE FROM Projets')).toMatchObject({ error: expect.stringMatching(/^SQLITE_ERROR/) });
		expect(rows()).toHaveLength(3);
	});

	test('the cost model: a records write waits a fixed time plus a time per row, by what the row did', async () => {
		fake.setCostModel({
			add: { fixedMs: 60, perRowMs: 2 },
			update: { fixedMs: 40, perRowMs: 1 },
			unchanged: { fixedMs: 20, perRowMs: 0.5 },
			otherMs: 0,
		});
		const timed = async (records: unknown[]) => {
			const started = Date.now();
			expect((await put('', records)).status).toBe(200);
			return Date.now() - started;
		};
		const fifty = Array.from({ length: 50 }, (_, i) => ({ require: { object_id: i }, fields: { name: 'a' } }));
		expect(await timed(fifty)).toBeGreaterThanOrEqual(60 + 100 - 5);
		const changed = fifty.map((record) => ({ ...record, fields: { name: 'b' } }));
		const updateMs = await timed(changed);
		expect(updateMs).toBeGreaterThanOrEqual(40 + 50 - 5);
		expect(await timed(changed)).toBeGreaterThanOrEqual(20 + 25 - 5);
		fake.setCostModel(undefined);
	});
});
