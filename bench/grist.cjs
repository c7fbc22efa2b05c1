'use strict';
/**
 * `npm run bench -- grist`: upsert 20,000 rows × 20 columns into the Grist fake, which adds 5 ms to every request
 * (Grist's per-action cost), in two ways in the same run:
 *   - baseline: one row per PUT /records?onmany=all, one after the other, as Recoco-sync's resync does;
 *   - ours: the Grist Sync node's Create or Update operation, run on n8n-core's WorkflowExecute through the test
 *     harness, from the TypeScript sources (transpiled on load by bench/lib/registerTs.cjs: no build needed).
 * The fake runs in a process of its own, as Grist would. Both paths get an untimed 50-row warm-up first.
 * Only the upserts are timed: for ours, the node's own execution time as n8n records it; for the baseline, the loop.
 * Both start from the same empty table, and both must leave the same 20,000 rows.
 * Env: GRIST_BENCH_ROWS (default 20000), GRIST_BENCH_LATENCY_MS (default 5).
 */
require('./lib/registerTs.cjs');

const { runWorkflow } = require('../test/harness/runWorkflow.ts');
const { startGristFakeProcess } = require('./lib/gristFakeProcess.cjs');

const ROWS = Number(process.env.GRIST_BENCH_ROWS || 20000);
const LATENCY_MS = Number(process.env.GRIST_BENCH_LATENCY_MS || 5);
const DOC = 'demoDoc';
const TABLE = 'Projets';
const MB = 1_048_576;

/** 20 columns shaped like Recoco-sync's project spec (constants.project_columns_spec). */
const COLUMNS = [
	['object_id', 'ID', 'Int'],
	['name', 'Nom du projet', 'Text'],
	['description', 'Description du projet', 'Text'],
	['tags', 'Etiquettes', 'Text'],
	['city', 'Commune', 'Text'],
	['postal_code', 'Code postal', 'Text'],
	['insee', 'Code Insee', 'Text'],
	['department', 'Département', 'Text'],
	['department_code', 'Code département', 'Text'],
	['region', 'Région', 'Text'],
	['region_code', 'Code région', 'Text'],
	['location', 'Lieu', 'Text'],
	['latitude', 'Latitude', 'Numeric'],
	['longitude', 'Longitude', 'Numeric'],
	['organization', 'Organisation', 'Text'],
	['created', 'Créé le', 'Numeric'],
	['modified', 'Modifié le', 'Numeric'],
	['active', 'Actif', 'Bool'],
	['status', 'Statut', 'Text'],
	['advisors_note', 'Note des conseillers', 'Text'],
];

const CITIES = [
	['Lyon', '69001', '69123', 'Rhône', '69', 'Auvergne-Rhône-Alpes', '84'],
	['Paris', '75001', '75056', 'Paris', '75', 'Île-de-France', '11'],
	['Marseille', '13001', '13055', 'Bouches-du-Rhône', '13', "Provence-Alpes-Côte d'Azur", '93'],
	['Rennes', '35000', '35238', 'Ille-et-Vilaine', '35', 'Bretagne', '53'],
];
const STATUSES = ['TO_PROCESS', 'READY', 'IN_PROGRESS', 'DONE'];

function makeRow(n) {
	const [city, postal, insee, department, departmentCode, region, regionCode] = CITIES[n % CITIES.length];
	return {
		object_id: n + 1,
		name: `Projet ${n + 1} — rénovation énergétique`,
		description: `Réhabilitation du bâtiment communal n°${n + 1}, études préalables et concertation des habitants.`,
		tags: n % 2 ? 'énergie,bâtiment' : 'mobilité',
		city,
		postal_code: postal,
		insee,
		department,
		department_code: departmentCode,
		region,
		region_code: regionCode,
		location: `${n % 300} rue de la République`,
		latitude: 45 + (n % 1000) / 1000,
		longitude: 4 + (n % 777) / 1000,
		organization: `Commune de ${city}`,
		created: 1700000000 + n * 60,
		modified: 1710000000 + n * 60,
		active: n % 5 !== 0,
		status: STATUSES[n % STATUSES.length],
		advisors_note: n % 3 ? '' : 'À relancer après le conseil municipal.',
	};
}

async function freshTable(fake) {
	await fake.call('freshTable', {
		docId: DOC,
		tableId: TABLE,
		columns: COLUMNS.map(([id, label, type]) => ({ id, fields: { label, type } })),
		latencyMs: LATENCY_MS,
	});
}

async function tableSignature(fake) {
	const rows = await fake.call('records', { docId: DOC, tableId: TABLE });
	const byKey = new Map(rows.map((row) => [row.fields.object_id, row.fields]));
	const sample = [1, Math.ceil(rows.length / 2), rows.length].map((key) => byKey.get(key));
	return { count: rows.length, distinctKeys: byKey.size, sample: JSON.stringify(sample) };
}

async function runOurs(fake, rows) {
	await freshTable(fake);
	const started = process.hrtime.bigint();
	const run = await runWorkflow({
		nodes: [
			{
				name: 'Upsert Projects',
				type: 'gristSync',
				parameters: {
					resource: 'record',
					operation: 'upsert',
					documentId: { __rl: true, mode: 'id', value: DOC },
					tableId: { __rl: true, mode: 'id', value: TABLE },
					requireColumns: ['object_id'],
					dataMode: 'autoMapInputData',
					options: { onMany: 'all' },
				},
				credentials: { gristSyncApi: 'grist' },
			},
		],
		connections: ['Upsert Projects'],
		input: rows.map((json) => ({ json })),
		credentials: { grist: { type: 'gristSyncApi', data: { url: fake.baseUrl, apiKey: fake.apiKey } } },
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	if (run.error) throw run.error;
	const nodeRun = run.run.data.resultData.runData['Upsert Projects'][0];
	const output = run.output('Upsert Projects');
	if (output.length !== rows.length || output.some((json, index) => json.id === undefined || json.require.object_id !== rows[index].object_id)) {
		throw new Error('ours: the node did not output one row id per input item');
	}
	return { ms: nodeRun.executionTime, wallMs, ...(await fake.call('traffic')), table: await tableSignature(fake) };
}

async function runBaseline(fake, rows) {
	await freshTable(fake);
	const url = `${fake.baseUrl}/api/docs/${DOC}/tables/${TABLE}/records?onmany=all`;
	const headers = { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' };
	const started = process.hrtime.bigint();
	for (const row of rows) {
		const { object_id: objectId, ...fields } = row;
		const response = await fetch(url, {
			method: 'PUT',
			headers,
			body: JSON.stringify({ records: [{ require: { object_id: objectId }, fields }] }),
		});
		if (!response.ok) throw new Error(`baseline: Grist fake answered ${response.status}: ${await response.text()}`);
		await response.arrayBuffer();
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { ms, ...(await fake.call('traffic')), table: await tableSignature(fake) };
}

async function main() {
	const fake = await startGristFakeProcess();
	try {
		const rows = Array.from({ length: ROWS }, (_, n) => makeRow(n));
		console.log(`grist bench: ${ROWS} rows × ${COLUMNS.length} columns, fake latency ${LATENCY_MS} ms per request`);

		// Untimed warm-up of both paths: loads n8n's lazily required HTTP stack and lets the JIT settle.
		await runOurs(fake, rows.slice(0, 50));
		await runBaseline(fake, rows.slice(0, 50));

		const ours = await runOurs(fake, rows);
		console.log(
			`ours:     ${ours.ms.toFixed(0)} ms (node execution; ${ours.wallMs.toFixed(0)} ms wall incl. workflow setup), ` +
				`${ours.requests} requests, ${ours.bodyBytes} request-body bytes`,
		);
		const baseline = await runBaseline(fake, rows);
		console.log(`baseline: ${baseline.ms.toFixed(0)} ms, ${baseline.requests} requests (one row per PUT), ${baseline.bodyBytes} request-body bytes`);

		if (ours.table.count !== ROWS || baseline.table.count !== ROWS || ours.table.sample !== baseline.table.sample) {
			throw new Error(`the two runs left different tables: ours ${JSON.stringify(ours.table)} baseline ${JSON.stringify(baseline.table)}`);
		}
		console.log(`both runs left ${ROWS} rows with the same content`);

		const maxRequests = Math.ceil(ours.bodyBytes / MB) + 1;
		const speedup = baseline.ms / ours.ms;
		const requestsOk = ours.requests <= maxRequests;
		const speedupOk = speedup >= 50;
		console.log(
			`check requests: ${ours.requests} <= ceil(${ours.bodyBytes} / ${MB}) + 1 = ${maxRequests} ... ${requestsOk ? 'PASS' : 'FAIL'}`,
		);
		console.log(`check speedup: ${speedup.toFixed(1)}x >= 50x ... ${speedupOk ? 'PASS' : 'FAIL'}`);
		console.log(`grist speedup: ${speedup.toFixed(1)}x requests: ${ours.requests}/${baseline.requests}`);
		process.exitCode = requestsOk && speedupOk ? 0 : 1;
	} finally {
		fake.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
