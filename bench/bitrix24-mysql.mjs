// The MySQL half of the Bitrix24 bench: `npm run bench -- bitrix24-mysql [--n=100000]`.
//
// Runs the bundled workflows/bitrix24-dictionaries-to-mysql.json, as shipped, in a real n8n 2.41.1 (the built
// package installed as a community package) against the Bitrix24 fake (own process, the fetch half's cost model:
// leaky bucket 2 req/s burst 50, 20 ms of server time per command) seeded with N cities, and a private MariaDB
// with workflows/bitrix24-dictionaries-schema.sql:
//   1. first load of the N rows. The figure is the n8n side: rows written per second of everything after the
//      Bitrix24 fetch (from the end of "Fetch from Bitrix24" to the execution's stop: read current rows, plan,
//      writes, summary and n8n's own work between nodes), target >= 15,000 rows/s and >= 3x the workflow as it
//      was before the Table Sync node (bench/fixtures/bitrix24-dictionaries-to-mysql.before.json: the planning
//      in Code nodes, run in n8n's task runner). Printed next to it: the whole run's rows/s (execution start to
//      stop, fetch included) and the write-only rows/s (the writing nodes' executionTime);
//   2. a re-run with nothing changed: target 0 rows written (the plan sends none, and no row's updated_at moves);
//   3. the same first load through the "before" workflow, on emptied tables, in the same n8n.
// Both runs go through one n8n server (POST /rest/workflows/:id/run from "Run by hand", run data read back from
// /api/v1/executions): `n8n execute` prints the whole run on stdout and n8n exits before a pipe has taken tens of
// megabytes, so big runs come back cut. Wall time, fetch and planning are printed, not timed against the target.
//
// As a module:  const { ok, lines } = await benchBitrix24Mysql({ n: 100_000 });  it prints as it goes (pass `log`).
// The package is built with scripts/lib/private-build.cjs into a temp folder (dist/ is never touched), unless
// N8N_E2E_DIST points at a build. BENCH_VERBOSE=1 also prints every node's executionTime.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { createN8nRuntime } = require('../scripts/lib/n8n-runtime.cjs');
const { startMariaDb } = require('../scripts/lib/mariadb.cjs');
const { privateBuild } = require('../scripts/lib/private-build.cjs');
const { startFakeProcess } = require('./lib/fakeProcess.cjs');
const mysql = require('mysql2/promise');

const REPO = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOW_FILE = join(REPO, 'workflows/bitrix24-dictionaries-to-mysql.json');
const BEFORE_FILE = join(REPO, 'bench/fixtures/bitrix24-dictionaries-to-mysql.before.json');
const FETCH = 'Fetch from Bitrix24';
const SCHEMA_FILE = join(REPO, 'workflows/bitrix24-dictionaries-schema.sql');
const WRITERS = ['Write chunks', 'Write rows one by one'];
const TARGET_ROWS_PER_SECOND = 15_000;
const TARGET_SPEEDUP = 3;

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function nodeMs(run, name) {
	return (run.data.resultData.runData[name] ?? []).reduce((sum, task) => sum + (task.executionTime ?? 0), 0);
}

function items(run, name) {
	return (run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** Rows the plan sent to MySQL: upsert rows and deletion marks. */
function rowsWritten(run) {
	return items(run, 'Plan changes')
		.filter((item) => item.kind === 'upsert' || item.kind === 'markDeleted')
		.reduce((sum, item) => sum + item.rows.length, 0);
}

/** A manual run from the editor's "Execute workflow", waited for; resolves the execution with its run data. */
async function runManually(server, workflowId, trigger, timeoutMs = 240000) {
	const started = await server.json(`/rest/workflows/${workflowId}/run`, { method: 'POST', body: { triggerToStartFrom: { name: trigger } } });
	const executionId = started?.data?.executionId;
	if (!executionId) throw new Error(`n8n did not start the run: ${JSON.stringify(started)}`);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await server.request(`/api/v1/executions/${executionId}?includeData=true`);
		if (response.ok) {
			const execution = await response.json();
			if (execution.finished || !['new', 'running', 'waiting'].includes(execution.status)) {
				if (execution.status !== 'success') throw new Error(`run ${executionId} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? {}).slice(0, 1000)}`);
				return execution;
			}
		} else {
			await response.arrayBuffer();
		}
		if (Date.now() > deadline) throw new Error(`run ${executionId} not finished after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

export async function benchBitrix24Mysql({ n = 100_000, latencyMs = 0, rate = 2, burst = 50, commandMs = 20, log = console.log } = {}) {
	const lines = [];
	const say = (line) => {
		lines.push(line);
		log(line);
	};
	const cleanups = [];
	try {
		let distDir = process.env.N8N_E2E_DIST;
		if (!distDir) {
			const started = performance.now();
			const buildDir = mkdtempSync(join(tmpdir(), 'bench-bitrix24-build-'));
			cleanups.push(() => rmSync(buildDir, { recursive: true, force: true }));
			const build = privateBuild(buildDir);
			if (!build.ok) log(`(the build reported type errors; running what tsc emitted)\n${build.errors.slice(0, 2000)}`);
			distDir = buildDir;
			log(`built the package in ${seconds(performance.now() - started)} (not timed)`);
		}

		const workflow = JSON.parse(readFileSync(WORKFLOW_FILE, 'utf8'));
		const fake = await startFakeProcess('bitrix24', 'createBitrix24Fake', {
			rateLimit: { rate, burst },
			latencyMs,
			commandMs,
			seed: {
				lists: [
					{ iblockTypeId: 'lists', iblockId: 31, iblockCode: 'cities', elements: { count: n } },
					{ iblockTypeId: 'lists', iblockId: 32, iblockCode: 'violations', elements: [] },
				],
			},
		});
		cleanups.push(() => fake.stop());
		const db = await startMariaDb({ database: 'dictionaries' });
		cleanups.push(() => db.stop());
		const sql = await mysql.createConnection({
			host: db.host,
			port: db.port,
			user: db.user,
			password: db.password,
			database: db.database,
			multipleStatements: true,
		});
		cleanups.push(() => sql.end());
		await sql.query(readFileSync(SCHEMA_FILE, 'utf8'));

		const n8n = await createN8nRuntime({ distDir });
		cleanups.push(() => n8n.stop());
		const data = {
			bitrix24InboundWebhookApi: { webhookSecretUrl: fake.info.webhookUrl, rateLimit: 'custom', requestsPerSecond: rate, burst },
			mySql: { host: db.host, port: db.port, database: db.database, user: db.user, password: db.password },
		};
		const credentials = new Map();
		for (const node of workflow.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) credentials.set(ref.id, { ...ref, type, data: data[type] });
		}
		await n8n.importCredentials([...credentials.values()]);
		await n8n.importWorkflow(WORKFLOW_FILE);
		// The "before" workflow under its own id and name, so both live in the one n8n.
		const beforeDir = mkdtempSync(join(tmpdir(), 'bench-bitrix24-before-'));
		cleanups.push(() => rmSync(beforeDir, { recursive: true, force: true }));
		const before = { ...JSON.parse(readFileSync(BEFORE_FILE, 'utf8')), id: 'bitrix24DictSyncBefore', name: 'Bitrix24 dictionaries → MySQL (before)' };
		writeFileSync(join(beforeDir, 'before.json'), JSON.stringify(before));
		await n8n.importWorkflow(join(beforeDir, 'before.json'));
		const server = await n8n.startServer();
		await server.login();
		const manualTrigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger').name;

		say(
			`bitrix24 → MySQL bench: N=${n} cities, the bundled workflow in n8n 2.41.1, MariaDB; fake: leaky bucket ${rate} req/s burst ${burst}, ` +
				`${commandMs} ms per command, ${latencyMs} ms latency per request; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`,
		);

		async function runOnce(label, workflowId = workflow.id) {
			const started = performance.now();
			const run = await runManually(server, workflowId, manualTrigger);
			const wallMs = performance.now() - started;
			const city = items(run, 'Summary').find((entry) => entry.dictionary === 'city');
			const writeMs = WRITERS.reduce((sum, name) => sum + nodeMs(run, name), 0);
			const written = rowsWritten(run);
			log(
				`${label}: ${run.status}, wall ${seconds(wallMs)}; fetch ${seconds(nodeMs(run, 'Fetch from Bitrix24'))}, ` +
					`read current rows ${seconds(nodeMs(run, 'Read current rows'))}, plan ${seconds(nodeMs(run, 'Plan changes'))}, ` +
					`summary ${seconds(nodeMs(run, 'Summary'))}, ` +
					`write ${seconds(writeMs)}; summary city ${JSON.stringify({ ...city, errorDetails: city?.errorDetails.length, deletedBtxids: undefined })}`,
			);
			if (process.env.BENCH_VERBOSE) {
				const nodes = Object.entries(run.data.resultData.runData).map(([name, tasks]) => `${name} ${tasks[0].executionTime} ms @${tasks[0].startTime - Date.parse(run.startedAt)}`);
				log(`  ${run.startedAt} → ${run.stoppedAt}: ${nodes.join('; ')}`);
			}
			const runMs = Date.parse(run.stoppedAt) - Date.parse(run.startedAt);
			const fetchTask = run.data.resultData.runData[FETCH]?.[0];
			const afterFetchMs = Date.parse(run.stoppedAt) - (fetchTask.startTime + fetchTask.executionTime);
			return { run, city, writeMs, written, runMs, afterFetchMs };
		}

		const first = await runOnce('first load');
		const [[{ rows: loaded }]] = await sql.query('SELECT COUNT(*) AS `rows` FROM city');
		const rowsPerSecond = first.written / (first.afterFetchMs / 1000);
		const writeOnlyRowsPerSecond = first.written / (first.writeMs / 1000);
		const wholeRunRowsPerSecond = first.written / (first.runMs / 1000);
		const loadedOk = first.city?.created === n && first.city?.errors === 0 && Number(loaded) === n;
		say(
			`mysql first load: ${first.written} rows; after the fetch ${Math.round(rowsPerSecond)} rows/s (${seconds(first.afterFetchMs)}), ` +
				`whole run ${Math.round(wholeRunRowsPerSecond)} rows/s (${seconds(first.runMs)}, execution start to stop), ` +
				`write-only ${Math.round(writeOnlyRowsPerSecond)} rows/s (${seconds(first.writeMs)}, writing nodes' executionTime); ${loaded} rows in the table`,
		);

		const [[{ stamp }]] = await sql.query("SELECT DATE_FORMAT(MAX(updated_at), '%Y-%m-%d %H:%i:%s.%f') AS stamp FROM city");
		const again = await runOnce('re-run, nothing changed');
		const [[{ touched }]] = await sql.query('SELECT COUNT(*) AS touched FROM city WHERE updated_at > ?', [stamp]);
		const rerunOk = again.written === 0 && Number(touched) === 0 && again.city?.unchanged === n;
		say(
			`mysql re-run, nothing changed: ${again.written} rows written, ${touched} rows with a newer updated_at, ` +
				`${again.city?.unchanged} unchanged, after the fetch ${seconds(again.afterFetchMs)}; target 0 rows written: ${rerunOk ? 'met' : 'MISSED'}`,
		);

		// The same first load through the workflow as it was: the tables emptied first.
		await sql.query('SET FOREIGN_KEY_CHECKS = 0; TRUNCATE TABLE object; TRUNCATE TABLE city; SET FOREIGN_KEY_CHECKS = 1');
		const old = await runOnce('before (Code nodes) first load', before.id);
		const beforeRowsPerSecond = old.written / (old.afterFetchMs / 1000);
		say(
			`before (Code nodes) first load: ${old.written} rows; after the fetch ${Math.round(beforeRowsPerSecond)} rows/s (${seconds(old.afterFetchMs)}), ` +
				`whole run ${Math.round(old.written / (old.runMs / 1000))} rows/s (${seconds(old.runMs)}), ` +
				`write-only ${Math.round(old.written / (old.writeMs / 1000))} rows/s (${seconds(old.writeMs)})`,
		);
		const speedup = rowsPerSecond / beforeRowsPerSecond;
		const firstOk = loadedOk && rowsPerSecond >= TARGET_ROWS_PER_SECOND && speedup >= TARGET_SPEEDUP;
		say(
			`target after the fetch >= ${TARGET_ROWS_PER_SECOND} rows/s and >= ${TARGET_SPEEDUP}x before: ${Math.round(rowsPerSecond)} rows/s, ` +
				`${speedup.toFixed(1)}x: ${firstOk ? 'met' : 'MISSED'}`,
		);
		say(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end`);
		return {
			ok: firstOk && rerunOk,
			lines,
			rowsPerSecond,
			beforeRowsPerSecond,
			wholeRunRowsPerSecond,
			writeOnlyRowsPerSecond,
			firstLoadWriteMs: first.writeMs,
			rerunWritten: again.written,
		};
	} finally {
		for (const cleanup of cleanups.reverse()) await cleanup();
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const args = Object.fromEntries(
		process.argv.slice(2).map((arg) => {
			const [key, value] = arg.replace(/^--/, '').split('=');
			return [key, Number(value)];
		}),
	);
	const started = performance.now();
	const result = await benchBitrix24Mysql({ n: args.n || 100_000 });
	console.log(`bitrix24 mysql bench took ${seconds(performance.now() - started)} in all`);
	console.log(
		`bitrix24-mysql rows/s: whole run ${Math.round(result.wholeRunRowsPerSecond)} write-only ${Math.round(result.writeOnlyRowsPerSecond)}`,
	);
	console.log(
		`bitrix24-mysql rows_s: ${Math.round(result.rowsPerSecond)} before: ${Math.round(result.beforeRowsPerSecond)} rerun_writes: ${result.rerunWritten}`,
	);
	process.exitCode = result.ok ? 0 : 1;
}
