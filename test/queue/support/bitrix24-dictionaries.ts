/**
 * workflows/bitrix24-dictionaries-to-mysql.json in queue mode, started by its own Schedule Trigger (every minute here)
 * on the workers of the shared cluster: a Bitrix24 fake of its own (the portal's standard plan, 2 requests/s burst 50)
 * seeded as the regular-mode e2e test's first load, and a private MariaDB holding
 * workflows/bitrix24-dictionaries-schema.sql.
 *
 * Overlap: n8n starts a scheduled run whether or not the previous one is still running, and in queue mode the two
 * land on any worker. Here they also write at the same time: the portal is reached through a gate that holds the
 * first run's user.get (the last dictionary fetched) until the next minute's run asks for it too, as a portal slow
 * to answer one list stretches a nightly sync past its interval. Both runs then read the (empty) tables and write the
 * whole first load together, and the upserts on btxid must leave the same rows as one first load. The gate opens
 * once; later runs pass freely.
 *
 *   const dictionaries = await startDictionaries();      // before the cluster: fake, gate, MariaDB, schema
 *   dictionaries.workflow / dictionaries.credentials     // to import and publish with the others
 *   await dictionaries.check(cluster)                    // the test's checks
 *   await dictionaries.stop()
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import * as mysql from 'mysql2/promise';

import { CATEGORY_PROPERTY, CATEGORY_STATUS, CITIES, OBJECT_TYPE, VIOLATIONS, firstLoadSeed } from '../../e2e/support/bitrix24-dictionaries';
import { REPO_ROOT, bundledWorkflow, loadFake, mariadbLib, runtimeLib, scaled } from '../../e2e/support/repo';
import { FINISHED, type QueueCluster } from './cluster';

type Json = Record<string, any>;

const SCHEMA_FILE = path.join(REPO_ROOT, 'workflows/bitrix24-dictionaries-schema.sql');
const WORKFLOW_FILE = 'bitrix24-dictionaries-to-mysql.json';

/**
 * The request the gate holds: the one reading users (user.get, sent alone or as a command of a batch, which is how the
 * node pages lists). Users are the last dictionary the workflow fetches, so a held run has read everything else.
 */
const gated = (pathname: string, body: string) => /\/user\.get(\.json)?$/.test(pathname) || (/\/batch(\.json)?$/.test(pathname) && body.includes('user.get'));
const TABLES = ['city', 'violation_category', 'object', 'violation', 'user'];

type Summary = { dictionary: string; fetched: number; created: number; updated: number; unchanged: number; errors: number; deleted: number; errorDetails: unknown[] };

/** Two executions ran at the same time (public API startedAt/stoppedAt). */
function overlapping(a: Json, b: Json): boolean {
	const start = (execution: Json) => Date.parse(execution.startedAt);
	const stop = (execution: Json) => (execution.stoppedAt ? Date.parse(execution.stoppedAt) : Infinity);
	return start(a) < stop(b) && start(b) < stop(a);
}

/**
 * A pass-through to the portal that holds the `gated` requests until two are waiting (two runs at the same point),
 * or until `timeoutMs` after the first, then lets both go at once, once.
 */
async function startGate(target: string, timeoutMs: number) {
	const held: Array<() => void> = [];
	let open = false;
	let released = 0;
	let timer: NodeJS.Timeout | undefined;
	const release = () => {
		open = true;
		released = held.length;
		if (timer) clearTimeout(timer);
		for (const resume of held.splice(0)) resume();
	};
	const server = http.createServer(async (req, res) => {
		try {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			if (!open && gated(new URL(req.url ?? '/', 'http://gate').pathname, Buffer.concat(chunks).toString('utf8'))) {
				await new Promise<void>((resume) => {
					held.push(resume);
					if (held.length >= 2) release();
					else timer ??= setTimeout(release, timeoutMs);
				});
			}
			const headers = Object.fromEntries(
				Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)),
			) as Record<string, string>;
			const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
			const body = Buffer.from(await answer.arrayBuffer());
			res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
			res.end(body);
		} catch (error) {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`gate: ${(error as Error).message}`);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		/** How many requests the gate let go together (2: two runs overlapped), or undefined while it still holds. */
		get released(): number | undefined {
			return open ? released : undefined;
		},
		async stop(): Promise<void> {
			release();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

export async function startDictionaries() {
	const { createBitrix24Fake } = loadFake('bitrix24')!;
	const fake = createBitrix24Fake({ userId: 3, code: 'queuedictionaries01' });
	await fake.start();
	fake.seed(firstLoadSeed());
	// Long enough for the next minute's run to reach the gate, on a loaded machine and behind the other tests' queue.
	const gate = await startGate(fake.baseUrl, scaled(10 * 60_000));

	const db = await mariadbLib.startMariaDb({ database: 'dictionaries' });
	const sql = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database, multipleStatements: true });
	await sql.query(fs.readFileSync(SCHEMA_FILE, 'utf8'));

	// The shipped workflow, its Schedule Trigger every minute; its Config (a JSON Set node) is left as shipped.
	const workflow = bundledWorkflow(WORKFLOW_FILE);
	const schedule = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.scheduleTrigger');
	schedule.parameters.rule.interval = [{ field: 'cronExpression', expression: '* * * * *' }];

	// The workflow's own placeholder credentials, created under the ids it references.
	const data: Json = {
		// The standard plan split between the two workers, as the README tells queue-mode users to set it.
		bitrix24InboundWebhookApi: { webhookSecretUrl: fake.webhookUrl.replace(fake.baseUrl, gate.baseUrl), rateLimit: 'standard', processesSharingPortal: 2 },
		mySql: { host: db.host, port: db.port, database: db.database, user: db.user, password: db.password },
	};
	const placeholders = new Map<string, Json>();
	for (const node of workflow.nodes) for (const [type, ref] of Object.entries<Json>(node.credentials ?? {})) placeholders.set(type, ref);
	if ([...placeholders.keys()].sort().join() !== Object.keys(data).sort().join()) throw new Error(`unexpected credential types: ${[...placeholders.keys()]}`);
	const credentials = [...placeholders].map(([type, ref]) => ({ id: ref.id, name: ref.name, type, data: data[type] }));

	async function rows(query: string): Promise<Json[]> {
		const [result] = await sql.query(query);
		return result as Json[];
	}

	/** Every row of every table, as the checks compare them (ids and timestamps aside). */
	async function tableState(): Promise<Json> {
		return {
			city: await rows('SELECT btxid, name, deleted_at FROM city ORDER BY btxid'),
			violation_category: await rows('SELECT btxid, name, sort, deleted_at FROM violation_category ORDER BY btxid'),
			object: await rows(
				'SELECT o.btxid, o.name, o.address, o.city_btxid, c.btxid AS linked, o.deleted_at FROM object o LEFT JOIN city c ON c.id = o.city_id ORDER BY o.btxid',
			),
			violation: await rows(
				'SELECT v.btxid, v.name, v.category_btxid, c.btxid AS linked, v.deleted_at FROM violation v LEFT JOIN violation_category c ON c.id = v.category_id ORDER BY v.btxid',
			),
			user: await rows('SELECT btxid, first_name, last_name, email, active, tg_id, secret_key, deleted_at FROM user ORDER BY btxid'),
		};
	}

	/** The first-load end state, computed from what the portal holds: one row per record, parents linked, nothing deleted. */
	function expectedState(): Json {
		const byId = (a: Json, b: Json) => a.btxid - b.btxid;
		return {
			city: fake.listElements(CITIES.iblockTypeId, CITIES.iblockId).map((r: Json) => ({ btxid: Number(r.ID), name: r.NAME, deleted_at: null })).sort(byId),
			violation_category: fake.state.statuses.records
				.filter((r: Json) => r.ENTITY_ID === CATEGORY_STATUS)
				.map((r: Json) => ({ btxid: Number(r.ID), name: r.NAME, sort: Number(r.SORT), deleted_at: null }))
				.sort(byId),
			object: fake
				.crmItems(OBJECT_TYPE)
				.map((r: Json) => ({ btxid: r.id, name: r.title, address: r.ufCrm5Address, city_btxid: r.ufCrm5CityId, linked: r.ufCrm5CityId, deleted_at: null }))
				.sort(byId),
			violation: fake
				.listElements(VIOLATIONS.iblockTypeId, VIOLATIONS.iblockId)
				.map((r: Json) => {
					const categoryId = Number(Object.values(r[CATEGORY_PROPERTY])[0]);
					return { btxid: Number(r.ID), name: r.NAME, category_btxid: categoryId, linked: categoryId, deleted_at: null };
				})
				.sort(byId),
			user: fake
				.users()
				.map((r: Json) => ({
					btxid: Number(r.ID),
					first_name: r.NAME,
					last_name: r.LAST_NAME,
					email: r.EMAIL,
					active: r.ACTIVE ? 1 : 0,
					tg_id: null,
					secret_key: null,
					deleted_at: null,
				}))
				.sort(byId),
		};
	}

	/** btxid → updated_at with microseconds, per table: changes only when a row is really written. */
	async function stamps(): Promise<string> {
		const all: Json = {};
		for (const table of TABLES) all[table] = await rows(`SELECT btxid, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS stamp FROM \`${table}\` ORDER BY btxid`);
		return JSON.stringify(all);
	}

	async function executionWithData(cluster: QueueCluster, id: string): Promise<Json> {
		return await cluster.main.json(`/api/v1/executions/${id}?includeData=true`);
	}

	function summaryOf(run: Json): Summary[] {
		return runtimeLib.nodeOutput(run, 'Summary') as Summary[];
	}

	const writesOf = (summary: Summary[]) => summary.reduce((sum, entry) => sum + entry.created + entry.updated + entry.deleted, 0);

	/**
	 * The test: runs converge to the regular-mode first-load end state, no run fails or reports a record error, and a
	 * run that starts after convergence writes nothing. Returns the line the test prints.
	 */
	async function check(cluster: QueueCluster): Promise<string> {
		const deadline = Date.now() + scaled(20 * 60_000);
		const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
		while (gate.released === undefined && Date.now() < deadline) await sleep(2_000);
		// Two runs were held at the gate together: they overlapped, and both wrote the first load at once.
		expect(gate.released).toBe(2);

		// Converged: at least one success and nothing running or queued (allExecutions lists the running ones too).
		let executions = await cluster.allExecutions(workflow.id);
		const settled = () => executions.some((e) => e.status === 'success') && executions.every((e) => FINISHED.includes(e.status));
		while (!settled() && Date.now() < deadline) {
			await sleep(2_000);
			executions = await cluster.allExecutions(workflow.id);
		}
		const atConvergence = new Set(executions.map((e) => String(e.id)));
		const stampsAtConvergence = await stamps();

		// One more run, started after convergence, finished.
		let after: Json | undefined;
		while (!after && Date.now() < deadline) {
			await sleep(2_000);
			executions = await cluster.allExecutions(workflow.id);
			after = executions.find((e) => !atConvergence.has(String(e.id)) && FINISHED.includes(e.status));
		}
		if (!after) throw new Error(`no run of ${workflow.id} after convergence; executions: ${JSON.stringify(executions.map((e) => [e.id, e.status]))}`);
		executions = await cluster.allExecutions(workflow.id);
		const finished = executions.filter((e) => FINISHED.includes(e.status));

		expect(finished.filter((e) => e.status !== 'success').map((e) => `${e.id}: ${e.status}`)).toEqual([]);
		expect(executions.every((e) => e.mode === 'trigger')).toBe(true);
		// Every run, the overlapping ones included, synced every record (a refused upsert would be an error here).
		const runs = new Map<string, Summary[]>();
		for (const execution of finished) runs.set(String(execution.id), summaryOf(await executionWithData(cluster, String(execution.id))));
		for (const [id, summary] of runs) {
			expect({ id, dictionaries: summary.map((entry) => entry.dictionary) }).toEqual({ id, dictionaries: ['city', 'violationCategory', 'object', 'violation', 'user'] });
			expect({ id, errors: summary.filter((entry) => entry.errors > 0 || entry.errorDetails.length > 0) }).toEqual({ id, errors: [] });
		}

		// The regular-mode first load's end state, and nothing written by the run after it.
		expect(await tableState()).toEqual(expectedState());
		expect(writesOf(runs.get(String(after.id))!)).toBe(0);
		expect(await stamps()).toBe(stampsAtConvergence);

		// What overlapped, on which workers, and what each run wrote.
		const owners = cluster.workerOfExecutions();
		const pairs: string[] = [];
		for (let i = 0; i < finished.length; i++) {
			for (let j = i + 1; j < finished.length; j++) if (overlapping(finished[i], finished[j])) pairs.push(`${finished[i].id}+${finished[j].id}`);
		}
		const described = [...finished]
			.sort((a, b) => Number(a.id) - Number(b.id))
			.map((e) => `${e.id}@w${owners.get(String(e.id)) ?? '?'}:${writesOf(runs.get(String(e.id))!)}`);
		return (
			`[queue] bitrix24 dictionaries→mysql: ${finished.length} scheduled runs (id@worker:rows written ${described.join(' ')}), ` +
			`overlapping: ${pairs.length ? pairs.join(' ') : 'none'}\n`
		);
	}

	async function stop(): Promise<void> {
		await gate.stop();
		await sql.end();
		await db.stop();
		await fake.stop();
	}

	return { workflow, credentials, check, stop };
}

export type Dictionaries = Awaited<ReturnType<typeof startDictionaries>>;
