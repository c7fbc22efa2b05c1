/**
 * The bundled workflow workflows/bitrix24-dictionaries-to-mysql.json, imported as shipped (only its placeholder
 * credentials are created, under the ids it references), run headless in a real n8n 2.41 against the Bitrix24
 * fake (in this process) and a private MariaDB holding workflows/bitrix24-dictionaries-schema.sql.
 * The runs build on each other, like nightly syncs of one portal: first load, a few edits, a bad record,
 * deletions. Every run is checked in the workflow's Summary AND in the database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as mysql from 'mysql2/promise';

import { CITIES, OBJECT_TYPE, QUOTED_CITY, VIOLATIONS, category, city, firstLoadSeed, object, objectCity, user, violation, violationCategory } from './support/bitrix24-dictionaries';
import { REPO_ROOT, loadFake, mariadbLib, runtimeLib, type N8nRuntime, scaled } from './support/repo';

const WORKFLOW_FILE = path.join(REPO_ROOT, 'workflows/bitrix24-dictionaries-to-mysql.json');
const SCHEMA_FILE = path.join(REPO_ROOT, 'workflows/bitrix24-dictionaries-schema.sql');
const workflow = JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')) as {
	id: string;
	nodes: Array<{ name: string; type: string; credentials?: Record<string, { id: string; name: string }> }>;
};

type Row = Record<string, any>;
type Summary = {
	dictionary: string;
	fetched: number;
	created: number;
	updated: number;
	unchanged: number;
	errors: number;
	deleted: number;
	sweep: string;
	errorDetails: Array<{ btxid: number | null; message: string }>;
	deletedBtxids: number[];
};

describe('workflow: Bitrix24 dictionaries → MySQL in a real n8n with MariaDB', () => {
	let n8n: N8nRuntime;
	let db: Awaited<ReturnType<typeof mariadbLib.startMariaDb>>;
	let sql: mysql.Connection;
	let fake: Record<string, any>;
	const runTimes: Array<[string, number]> = [];

	async function rows(query: string, params: unknown[] = []): Promise<Row[]> {
		const [result] = await sql.query(query, params);
		return result as Row[];
	}

	/** btxid → updated_at with microseconds (a JS Date would drop them). */
	async function stamps(table: string): Promise<Map<number, string>> {
		const list = await rows(`SELECT btxid, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS stamp FROM \`${table}\``);
		return new Map(list.map((row) => [Number(row.btxid), String(row.stamp)]));
	}

	function changedSince(before: Map<number, string>, after: Map<number, string>): number[] {
		return [...after].filter(([btxid, stamp]) => before.get(btxid) !== stamp).map(([btxid]) => btxid).sort((a, b) => a - b);
	}

	async function sync(label: string): Promise<{ run: any; summary: Record<string, Summary> }> {
		const started = Date.now();
		const run = await n8n.execute(workflow.id);
		runTimes.push([label, Date.now() - started]);
		const output = runtimeLib.nodeOutput(run, 'Summary') as Summary[];
		// every fetched record lands in exactly one count
		for (const entry of output) {
			const fetchFailures = entry.errorDetails.filter((detail) => detail.message.startsWith('Bitrix24 fetch failed')).length;
			expect(entry.created + entry.updated + entry.unchanged + entry.errors - fetchFailures).toBe(entry.fetched);
		}
		return { run, summary: Object.fromEntries(output.map((entry) => [entry.dictionary, entry])) };
	}

	const counts = (entry: Summary) => ({
		fetched: entry.fetched,
		created: entry.created,
		updated: entry.updated,
		unchanged: entry.unchanged,
		errors: entry.errors,
	});

	const ran = (run: any, node: string) => Boolean(run.data.resultData.runData[node]);

	beforeAll(async () => {
		const { createBitrix24Fake } = loadFake('bitrix24')!;
		fake = createBitrix24Fake({ userId: 3, code: 'e2edictionaries01', rateLimit: null });
		await fake.start();
		fake.seed(firstLoadSeed());

		db = await mariadbLib.startMariaDb({ database: 'dictionaries' });
		sql = await mysql.createConnection({
			host: db.host,
			port: db.port,
			user: db.user,
			password: db.password,
			database: db.database,
			multipleStatements: true,
		});
		await sql.query(fs.readFileSync(SCHEMA_FILE, 'utf8'));

		n8n = await runtimeLib.createN8nRuntime();
		// The workflow's own placeholder credentials, created under the ids it references: the JSON stays as shipped.
		const placeholders = new Map<string, { id: string; name: string }>();
		for (const node of workflow.nodes) for (const [type, ref] of Object.entries(node.credentials ?? {})) placeholders.set(type, ref);
		const data: Record<string, Row> = {
			bitrix24InboundWebhookApi: { webhookSecretUrl: fake.webhookUrl },
			mySql: { host: db.host, port: db.port, database: db.database, user: db.user, password: db.password },
		};
		expect([...placeholders.keys()].sort()).toEqual(Object.keys(data).sort());
		await n8n.importCredentials([...placeholders].map(([type, ref]) => ({ ...ref, type, data: data[type] })));
		expect(await n8n.importWorkflow(WORKFLOW_FILE)).toEqual([workflow.id]);
	}); // booting n8n takes minutes on a loaded machine: the scaled default limit of support/timeouts.ts

	afterAll(async () => {
		if (runTimes.length) process.stderr.write(`bitrix24 dictionaries e2e, n8n execute wall times: ${runTimes.map(([l, ms]) => `${l} ${(ms / 1000).toFixed(1)} s`).join(', ')}\n`);
		await sql?.end();
		await n8n?.stop();
		await db?.stop();
		await fake?.stop();
	});

	test('the shipped workflow uses our node types, the built-in MySQL node, a cron of 0 0 * * * and no secrets', () => {
		const types = workflow.nodes.map((node) => node.type);
		expect(types).toContain('n8n-nodes-sync-connectors.bitrix24');
		expect(types.filter((type) => type.startsWith('CUSTOM.'))).toEqual([]);
		const schedule = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger') as Row | undefined;
		expect(schedule?.parameters.rule.interval).toEqual([{ field: 'cronExpression', expression: '0 0 * * *' }]);
		expect(types).toContain('n8n-nodes-base.manualTrigger');
		expect(types.filter((type) => type === 'n8n-nodes-base.mySql')).toHaveLength(3);
		expect(JSON.stringify(workflow)).not.toMatch(/webhookSecretUrl|password/i);
		expect(workflow.nodes[0].type).toBe('n8n-nodes-base.stickyNote');
	});

	test('(a) a first run creates every row, with foreign keys resolved from the parent btxid', async () => {
		const { run, summary } = await sync('first load');
		expect(Object.keys(summary)).toEqual(['city', 'violationCategory', 'object', 'violation', 'user']);
		expect(counts(summary.city)).toEqual({ fetched: 10, created: 10, updated: 0, unchanged: 0, errors: 0 });
		expect(counts(summary.violationCategory)).toEqual({ fetched: 4, created: 4, updated: 0, unchanged: 0, errors: 0 });
		expect(counts(summary.object)).toEqual({ fetched: 12, created: 12, updated: 0, unchanged: 0, errors: 0 });
		expect(counts(summary.violation)).toEqual({ fetched: 8, created: 8, updated: 0, unchanged: 0, errors: 0 });
		expect(counts(summary.user)).toEqual({ fetched: 6, created: 6, updated: 0, unchanged: 0, errors: 0 });
		for (const entry of Object.values(summary)) expect(entry).toMatchObject({ deleted: 0, errorDetails: [] });
		expect(ran(run, 'Write rows one by one')).toBe(false);

		const cities = await rows('SELECT btxid, name, deleted_at FROM city ORDER BY btxid');
		expect(cities.map((row) => [row.btxid, row.name, row.deleted_at])).toEqual(
			Array.from({ length: 10 }, (_, i) => [i + 1, i === 5 ? QUOTED_CITY : `City ${i + 1}`, null]),
		);
		expect(await rows('SELECT btxid, name, sort FROM violation_category ORDER BY btxid')).toEqual(
			[1, 2, 3, 4].map((id) => ({ btxid: id, name: `Category ${id}`, sort: 10 * id })),
		);
		const objects = await rows(
			'SELECT o.btxid, o.name, o.address, o.city_btxid, c.btxid AS linked FROM object o LEFT JOIN city c ON c.id = o.city_id ORDER BY o.btxid',
		);
		expect(objects).toEqual(
			Array.from({ length: 12 }, (_, i) => {
				const id = 501 + i;
				return { btxid: id, name: `Object ${id}`, address: `${id} rue de la Paix`, city_btxid: objectCity(id), linked: objectCity(id) };
			}),
		);
		const violations = await rows(
			'SELECT v.btxid, v.category_btxid, c.btxid AS linked FROM violation v LEFT JOIN violation_category c ON c.id = v.category_id ORDER BY v.btxid',
		);
		expect(violations).toEqual(
			Array.from({ length: 8 }, (_, i) => ({ btxid: 101 + i, category_btxid: violationCategory(101 + i), linked: violationCategory(101 + i) })),
		);
		expect(await rows('SELECT btxid, first_name, last_name, email, active, tg_id, secret_key FROM user WHERE btxid = 2')).toEqual([
			{ btxid: 2, first_name: 'User2', last_name: 'Last2', email: 'user2@example.test', active: 1, tg_id: null, secret_key: null },
		]);
	});

	test('(b, d) 3 records changed and 1 added in Bitrix24: exactly those rows are written; tg_id and secret_key survive', async () => {
		// Values only the local application knows.
		await sql.query("UPDATE user SET tg_id = CONCAT('tg-', btxid), secret_key = CONCAT('secret-', btxid)");
		const before = {
			city: await stamps('city'),
			object: await stamps('object'),
			violation: await stamps('violation'),
			user: await stamps('user'),
			category: await stamps('violation_category'),
		};
		fake.seed({
			lists: [
				{ ...CITIES, elements: [city(3, 'City 3 renamed')] },
				{ ...VIOLATIONS, elements: [violation(109, 3)] },
			],
			crmItems: { [OBJECT_TYPE]: [object(505, 7)] },
			users: [user(2, 'Married-Name')],
		});

		const { run, summary } = await sync('3 changed + 1 added');
		expect(counts(summary.city)).toEqual({ fetched: 10, created: 0, updated: 1, unchanged: 9, errors: 0 });
		expect(counts(summary.violationCategory)).toEqual({ fetched: 4, created: 0, updated: 0, unchanged: 4, errors: 0 });
		expect(counts(summary.object)).toEqual({ fetched: 12, created: 0, updated: 1, unchanged: 11, errors: 0 });
		expect(counts(summary.violation)).toEqual({ fetched: 9, created: 1, updated: 0, unchanged: 8, errors: 0 });
		expect(counts(summary.user)).toEqual({ fetched: 6, created: 0, updated: 1, unchanged: 5, errors: 0 });
		// only the 4 rows were sent to MySQL
		const written = runtimeLib
			.nodeOutput(run, 'Plan changes')
			.filter((item: Row) => item.kind === 'upsert')
			.flatMap((item: Row) => item.rows.map((row: unknown[]) => row[0]));
		expect(written.sort()).toEqual([109, 2, 3, 505].sort());

		expect(changedSince(before.city, await stamps('city'))).toEqual([3]);
		expect(changedSince(before.object, await stamps('object'))).toEqual([505]);
		expect(changedSince(before.violation, await stamps('violation'))).toEqual([109]);
		expect(changedSince(before.user, await stamps('user'))).toEqual([2]);
		expect(changedSince(before.category, await stamps('violation_category'))).toEqual([]);

		expect(await rows('SELECT name FROM city WHERE btxid = 3')).toEqual([{ name: 'City 3 renamed' }]);
		expect(await rows('SELECT o.city_btxid, c.btxid AS linked FROM object o JOIN city c ON c.id = o.city_id WHERE o.btxid = 505')).toEqual([
			{ city_btxid: 7, linked: 7 },
		]);
		expect(await rows('SELECT v.category_btxid, c.btxid AS linked FROM violation v JOIN violation_category c ON c.id = v.category_id WHERE v.btxid = 109')).toEqual([
			{ category_btxid: 3, linked: 3 },
		]);
		const users = await rows('SELECT btxid, last_name, tg_id, secret_key FROM user ORDER BY btxid');
		expect(users).toEqual(
			Array.from({ length: 6 }, (_, i) => ({
				btxid: i + 1,
				last_name: i === 1 ? 'Married-Name' : `Last${i + 1}`,
				tg_id: `tg-${i + 1}`,
				secret_key: `secret-${i + 1}`,
			})),
		);
	});

	test('(c) a record MySQL refuses (name too long) fails alone: every other record is synced and 1 error names it', async () => {
		fake.seed({
			lists: [{ ...CITIES, elements: [city(11, 'X'.repeat(300)), city(12)] }],
			// 514's city exists nowhere: refused before writing, naming both ids
			crmItems: { [OBJECT_TYPE]: [object(513, 12), object(514, 999)] },
		});
		const { run, summary } = await sync('one bad record');
		expect(run.status).toBe('success');
		expect(counts(summary.city)).toEqual({ fetched: 12, created: 1, updated: 0, unchanged: 10, errors: 1 });
		expect(summary.city.errorDetails).toEqual([{ btxid: 11, message: expect.stringMatching(/^city 11: Data too long for column 'name'/) }]);
		expect(counts(summary.object)).toEqual({ fetched: 14, created: 1, updated: 0, unchanged: 12, errors: 1 });
		expect(summary.object.errorDetails).toEqual([{ btxid: 514, message: 'object 514: city 999 exists neither in Bitrix24 nor in table city' }]);
		for (const name of ['violationCategory', 'violation', 'user']) expect(summary[name].errors).toBe(0);
		// the failed chunk went through the per-row path, where exactly one row failed
		const perRow = runtimeLib.nodeOutput(run, 'Write rows one by one');
		expect(perRow.filter((item: Row) => item.error !== undefined)).toHaveLength(1);

		expect((await rows('SELECT btxid FROM city WHERE btxid IN (11, 12)')).map((row) => row.btxid)).toEqual([12]);
		expect(await rows('SELECT btxid FROM object WHERE btxid = 514')).toEqual([]);
		// the object's parent arrived through the per-row path: its foreign key was looked up again after it
		expect(await rows('SELECT o.city_btxid, c.btxid AS linked FROM object o JOIN city c ON c.id = o.city_id WHERE o.btxid = 513')).toEqual([
			{ city_btxid: 12, linked: 12 },
		]);
	});

	test('(e) a record deleted in Bitrix24 is reported and marked deleted_at, and comes back cleanly', async () => {
		fake.seed({ lists: [{ ...CITIES, elements: [city(11, 'City 11')] }] });
		const cities = fake.listElements(CITIES.iblockTypeId, CITIES.iblockId) as Row[];
		const removed = cities.splice(cities.findIndex((record) => record.ID === '4'), 1);

		const first = await sync('1 city deleted');
		expect(counts(first.summary.city)).toEqual({ fetched: 11, created: 1, updated: 0, unchanged: 10, errors: 0 });
		expect(first.summary.city).toMatchObject({ deleted: 1, deletedBtxids: [4], sweep: 'marked 1 rows deleted' });
		const marked = await rows('SELECT btxid FROM city WHERE deleted_at IS NOT NULL');
		expect(marked).toEqual([{ btxid: 4 }]);
		// soft delete: the children keep their link
		expect(await rows('SELECT COUNT(*) AS n FROM object o JOIN city c ON c.id = o.city_id WHERE c.btxid = 4')).toEqual([{ n: 1 }]);

		cities.splice(3, 0, ...removed);
		const second = await sync('city back');
		expect(counts(second.summary.city)).toEqual({ fetched: 12, created: 0, updated: 1, unchanged: 11, errors: 0 });
		expect(second.summary.city).toMatchObject({ deleted: 0 });
		expect(await rows('SELECT COUNT(*) AS n FROM city WHERE deleted_at IS NOT NULL')).toEqual([{ n: 0 }]);
	});

	test('(e) the sweep is skipped, and says why, above the 20% share or after a fetch error', async () => {
		const users = fake.users() as Row[];
		const gone = users.splice(0, 3);
		const { summary } = await sync('half the users gone');
		expect(counts(summary.user)).toEqual({ fetched: 3, created: 0, updated: 0, unchanged: 3, errors: 0 });
		expect(summary.user.deleted).toBe(3);
		expect(summary.user.deletedBtxids).toEqual([1, 2, 3]);
		expect(summary.user.sweep).toMatch(/^skipped: 3 of 6 rows \(50%\) are gone from Bitrix24, more than the 20% limit/);
		expect(await rows('SELECT COUNT(*) AS n FROM user WHERE deleted_at IS NOT NULL')).toEqual([{ n: 0 }]);
		users.splice(0, 0, ...gone);

		// A failed fetch must not look like "everything was deleted".
		fake.failCommand({ method: 'user.get', error: 'ACCESS_DENIED', error_description: 'Access denied', times: 100 });
		try {
			const failed = await sync('user fetch fails');
			expect(failed.run.status).toBe('success');
			expect(failed.summary.user).toMatchObject({ fetched: 0, created: 0, updated: 0, unchanged: 0, errors: 1, deleted: 0 });
			expect(failed.summary.user.errorDetails[0].message).toMatch(/^Bitrix24 fetch failed: .*Access denied/);
			expect(failed.summary.user.sweep).toMatch(/^skipped: the Bitrix24 fetch had errors/);
			expect(failed.summary.city.errors).toBe(0);
			expect(await rows('SELECT COUNT(*) AS n FROM user WHERE deleted_at IS NOT NULL')).toEqual([{ n: 0 }]);
		} finally {
			fake.state.commandErrors.length = 0;
		}
	});

	test('(f) a record shifted during a start/next scan is not marked deleted; a record gone from both reads is, next run', async () => {
		// 64 categories: crm.status.list is paged by start/next (50 per page, no keyset).
		fake.seed({ statuses: Array.from({ length: 60 }, (_, i) => category(201 + i)) });
		const loaded = await sync('60 categories added');
		expect(loaded.summary.violationCategory).toMatchObject({ fetched: 64, errors: 0, deleted: 0 });

		// After the first page (categories 1-4 and 201-246) is answered, category 201 is deleted: 247 moves into
		// the first page's range and the next page, from start=50, begins at 248. The first read misses 247, the
		// second (made after it) misses 201: neither is missing from both, so nothing is marked.
		fake.afterCall('crm.status.list', (state: any) => state.statuses.remove('201'));
		const shifted = await sync('a category deleted during the scan');
		expect(shifted.summary.violationCategory).toMatchObject({ deleted: 0, deletedBtxids: [], sweep: 'nothing deleted in Bitrix24' });
		expect(counts(shifted.summary.violationCategory)).toEqual({ fetched: 64, created: 0, updated: 0, unchanged: 64, errors: 0 });
		expect(await rows('SELECT btxid FROM violation_category WHERE deleted_at IS NOT NULL')).toEqual([]);

		// The next run reads 201 in neither read: now it is marked, and only it.
		const next = await sync('the next run');
		expect(next.summary.violationCategory).toMatchObject({ deleted: 1, deletedBtxids: [201], sweep: 'marked 1 rows deleted' });
		expect(await rows('SELECT btxid FROM violation_category WHERE deleted_at IS NOT NULL')).toEqual([{ btxid: 201 }]);
	}, scaled(600000));
});
