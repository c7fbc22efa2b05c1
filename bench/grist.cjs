'use strict';
/**
 * `npm run bench -- grist`: upsert 20,000 rows × 20 columns into the Grist fake, in two ways in the same run:
 *   - baseline: one row per PUT /records?onmany=all, one after the other, as Recoco-sync's resync does;
 *   - ours: the Grist Sync node's Create or Update operation, run on n8n-core's WorkflowExecute through the test
 *     harness, from the TypeScript sources (transpiled on load by bench/lib/registerTs.cjs: no build needed).
 * The fake runs in a process of its own, as Grist would, and charges what a real grist-core 1.7.17 costs, measured on
 * 2 cores over loopback, without formulas: a PUT /records that adds rows 21 ms + 0.26 ms per row of 20 columns; one
 * that changes rows 18 ms + 0.16 ms per row; an identical re-PUT 17 ms + 0.08 ms per row. Other document requests
 * (ours reads the column types once) are charged 17 ms: no figure was measured for them. On that server one PUT per
 * row took about 80× as long as the bulk path for 20,000 rows.
 * The baseline is timed on the first 2,000 rows (GRIST_BENCH_SAMPLE) and extrapolated to all rows: one PUT per row
 * costs the same for every row, and timing all 20,000 would take over 7 minutes. Both paths get an untimed 50-row
 * warm-up first. Only the upserts are timed: for ours, the node's own execution time as n8n records it.
 * Both start from the same empty table, and the baseline's rows must equal the same rows written by ours.
 * Env: GRIST_BENCH_ROWS (default 20000), GRIST_BENCH_SAMPLE (default 2000).
 */
require('./lib/registerTs.cjs');

const os = require('node:os');

const { runWorkflow } = require('../test/harness/runWorkflow.ts');
const { startGristFakeProcess } = require('./lib/gristFakeProcess.cjs');

const ROWS = Number(process.env.GRIST_BENCH_ROWS || 20000);
const SAMPLE = Math.min(ROWS, Number(process.env.GRIST_BENCH_SAMPLE || 2000));
/** Measured on grist-core 1.7.17 (see the header). */
const COST_MODEL = {
	add: { fixedMs: 21, perRowMs: 0.26 },
	update: { fixedMs: 18, perRowMs: 0.16 },
	unchanged: { fixedMs: 17, perRowMs: 0.08 },
	otherMs: 17,
};
const MODEL_LABEL = `${COST_MODEL.add.fixedMs}ms+${COST_MODEL.add.perRowMs}ms/row`;
const DOC = 'demoDoc';
const TABLE = 'Projets';
const MB = 1_048_576;

/** 20 columns shaped like Recoco-sync's project spec. */
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
		costModel: COST_MODEL,
	});
}

/** The rows whose object_id is at most `upTo`, keyed and in key order, as comparable text. */
async function tableSignature(fake, upTo = Infinity) {
	const rows = await fake.call('records', { docId: DOC, tableId: TABLE });
	const byKey = new Map(rows.map((row) => [row.fields.object_id, row.fields]));
	const kept = [...byKey.keys()].filter((key) => key <= upTo).sort((a, b) => a - b);
	return { count: rows.length, distinctKeys: byKey.size, content: JSON.stringify(kept.map((key) => byKey.get(key))) };
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
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: ['object_id'] },
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
	return { ms: nodeRun.executionTime, wallMs, ...(await fake.call('traffic')), table: await tableSignature(fake, SAMPLE) };
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
		const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
		console.log(`grist bench: ${ROWS} rows × ${COLUMNS.length} columns; ${os.cpus().length} cores, load average ${load}`);
		console.log(
			`fake cost model (grist-core 1.7.17, measured): add ${MODEL_LABEL}, change ${COST_MODEL.update.fixedMs}ms+${COST_MODEL.update.perRowMs}ms/row, ` +
				`identical ${COST_MODEL.unchanged.fixedMs}ms+${COST_MODEL.unchanged.perRowMs}ms/row, other requests ${COST_MODEL.otherMs}ms`,
		);

		// Untimed warm-up of both paths: loads n8n's lazily required HTTP stack and lets the JIT settle.
		await runOurs(fake, rows.slice(0, 50));
		await runBaseline(fake, rows.slice(0, 50));

		const ours = await runOurs(fake, rows);
		console.log(
			`ours:     ${ours.ms.toFixed(0)} ms (node execution; ${ours.wallMs.toFixed(0)} ms wall incl. workflow setup), ` +
				`${ours.requests} requests, ${ours.bodyBytes} request-body bytes`,
		);
		const sample = await runBaseline(fake, rows.slice(0, SAMPLE));
		const scale = ROWS / SAMPLE;
		const baseline = { ms: sample.ms * scale, requests: Math.round(sample.requests * scale) };
		console.log(
			`baseline: ${sample.ms.toFixed(0)} ms for the first ${SAMPLE} rows (${sample.requests} requests, one row per PUT), ` +
				`extrapolated ×${scale.toFixed(1)} to ${baseline.ms.toFixed(0)} ms and ${baseline.requests} requests for ${ROWS} rows`,
		);

		if (ours.table.count !== ROWS || ours.table.distinctKeys !== ROWS || sample.table.count !== SAMPLE || ours.table.content !== sample.table.content) {
			throw new Error(`the two runs left different rows: ours ${ours.table.count} rows, baseline ${sample.table.count} rows`);
		}
		console.log(`ours left ${ROWS} rows; its first ${SAMPLE} equal the baseline's`);

		const maxRequests = Math.ceil(ours.bodyBytes / MB) + 1;
		const speedup = baseline.ms / ours.ms;
		const requestsOk = ours.requests <= maxRequests;
		const speedupOk = speedup >= 40;
		console.log(
			`check requests: ${ours.requests} <= ceil(${ours.bodyBytes} / ${MB}) + 1 = ${maxRequests} ... ${requestsOk ? 'PASS' : 'FAIL'}`,
		);
		console.log(`check speedup: ${speedup.toFixed(1)}x >= 40x ... ${speedupOk ? 'PASS' : 'FAIL'}`);
		console.log(`grist speedup: ${speedup.toFixed(1)}x requests: ${ours.requests}/${baseline.requests} model: ${MODEL_LABEL}`);
		process.exitCode = requestsOk && speedupOk ? 0 : 1;
	} finally {
		fake.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
