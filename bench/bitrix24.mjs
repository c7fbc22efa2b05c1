// `npm run bench -- bitrix24 [--n=100000] [--latency=50] [--rate=20] [--burst=50] [--baseline=0] [--mysql=0]`
//
// Fetches N records of one universal list (lists.element.get) from the Bitrix24 fake, which adds `latency` ms
// to every HTTP request and enforces a leaky bucket of `rate` req/s with a burst of `burst` (ten times a real
// portal's 2/50, so the run stays short), answering 503 QUERY_LIMIT_EXCEEDED above it.
//   - ours: the Bitrix24 node's Get Many with Return All, run on n8n-core's WorkflowExecute through the
//     integration harness (test/harness/runWorkflow.ts). The node's TypeScript sources are transpiled on load
//     by bench/lib/registerTs.cjs (typescript.transpileModule), so no `npm run build` is needed and dist/ is
//     never touched. Keyset paging, 50 chained pages per batch request.
//   - baseline, in the same run: plain start/next paging, 50 records per request, one request after the
//     other, as the Python service this replaces did (waiting 1 s and retrying on a 503).
// Only the fetch is timed (module loading and a warm-up are not); ours is the median of three runs. The MySQL half (bench/bitrix24-mysql.mjs, the
// bundled workflow in a real n8n against MariaDB) runs after it when that file exists; `--mysql=0` skips it.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
require('./lib/registerTs.cjs');

const args = Object.fromEntries(
	process.argv.slice(2).map((arg) => {
		const [key, value] = arg.replace(/^--/, '').split('=');
		return [key, Number(value)];
	}),
);
const N = args.n || 100_000;
// --baseline=0 skips the 2-minute baseline while working on the client; the figure then means nothing.
const RUN_BASELINE = args.baseline !== 0;
const RUN_MYSQL = args.mysql !== 0;
const LATENCY_MS = args.latency ?? 50;
const RATE = args.rate || 20;
const BURST = args.burst || 50;
const LIST = { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 25 };

const { startFakeProcess } = require('./lib/fakeProcess.cjs');

const { runWorkflow } = require('../test/harness/runWorkflow.ts');
const { Bitrix24 } = require('../nodes/Bitrix24/Bitrix24.node.ts');

// The fetch is the node's execute(): every request, the paging and one output item per record. The
// workflow around it (WorkflowExecute set-up and bookkeeping) is timed too, and printed, but not compared.
const timedNode = new Bitrix24();
const execute = timedNode.execute;
let executeMs = 0;
let executeCpuMs = 0;
timedNode.execute = async function timedExecute() {
	const started = performance.now();
	const cpu = process.cpuUsage();
	try {
		return await execute.call(this);
	} finally {
		executeMs = performance.now() - started;
		const used = process.cpuUsage(cpu);
		executeCpuMs = (used.user + used.system) / 1000;
	}
};

// The fake runs in its own process (as a portal runs on its own server), seeded by its generator.
const fakeProcess = await startFakeProcess('bitrix24', 'createBitrix24Fake', {
	rateLimit: { rate: RATE, burst: BURST },
	latencyMs: LATENCY_MS,
	seed: { lists: [{ iblockTypeId: LIST.IBLOCK_TYPE_ID, iblockId: LIST.IBLOCK_ID, elements: { count: N } }] },
});
const fake = {
	webhookUrl: fakeProcess.info.webhookUrl,
	log: () => fakeProcess.control('log'),
	clearLog: () => fakeProcess.control('log', 'DELETE'),
};

function readAllWithOurNode(limit) {
	return runWorkflow({
		nodes: [
			{
				name: 'Bitrix24',
				type: 'bitrix24',
				parameters: {
					resource: 'record',
					operation: 'getMany',
					listMethod: 'lists.element.get',
					iblockTypeId: LIST.IBLOCK_TYPE_ID,
					iblock: String(LIST.IBLOCK_ID),
					returnAll: limit === undefined,
					...(limit === undefined ? {} : { limit }),
					rateLimit: 'custom',
					requestsPerSecond: RATE,
					burst: BURST,
				},
				credentials: { bitrix24InboundWebhookApi: 'portal' },
			},
		],
		connections: ['Bitrix24'],
		input: [{}],
		nodeTypes: { 'n8n-nodes-sync-connectors.bitrix24': timedNode },
		credentials: { portal: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: fake.webhookUrl } } },
	});
}

async function readAllWithStartNext() {
	const records = [];
	let start = 0;
	let limited = 0;
	for (;;) {
		const response = await fetch(`${fake.webhookUrl}lists.element.get.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ...LIST, start }),
		});
		if (response.status === 503) {
			limited += 1;
			await response.arrayBuffer();
			await sleep(1000);
			continue;
		}
		if (!response.ok) throw new Error(`baseline: Bitrix24 answered ${response.status}`);
		const body = await response.json();
		records.push(...body.result);
		if (body.next === undefined) return { records, limited };
		start = body.next;
	}
}

function distinctIds(records) {
	return new Set(records.map((record) => String(record.ID))).size;
}

/** Lets the fake's bucket empty, so both runs start with the same full burst. */
const drain = () => sleep(Math.ceil((BURST / RATE) * 1000) + 200);

console.log(`bitrix24 bench: N=${N} list elements, fake latency ${LATENCY_MS} ms/request, leaky bucket ${RATE} req/s burst ${BURST}`);
// Ours is short and CPU-bound, the baseline mostly waits: a busy machine slows ours far more, so say how busy.
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);

// Warm-up, not timed: loads n8n-core's lazy modules and lets both processes compile their hot paths
// (two full batches), as a long-running n8n would have.
const warm = await readAllWithOurNode(Math.min(N, 5000));
if (warm.error) throw warm.error;

/** CPU seconds a process used so far (Linux /proc; undefined elsewhere). */
function processCpuSeconds(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return undefined;
	}
}

/** One timed Return All with our node, from an empty bucket. */
async function oursOnce(run) {
	await drain();
	await fake.clearLog();
	globalThis.gc?.();
	const fakeCpuBefore = processCpuSeconds(fakeProcess.pid);
	const startedAt = Date.now();
	const started = performance.now();
	const result = await readAllWithOurNode();
	const workflowMs = performance.now() - started;
	const fakeCpu = processCpuSeconds(fakeProcess.pid) - fakeCpuBefore;
	if (result.error) throw result.error;
	const records = result.output('Bitrix24');
	const log = await fake.log();
	const arrivals = log.map((entry) => entry.at);
	const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]).sort((a, b) => a - b);
	const outcome = {
		ms: executeMs,
		cpuMs: executeCpuMs,
		workflowMs,
		requests: log.length,
		notBatch: log.filter((entry) => !entry.path.endsWith('/batch.json')).length,
		count: records.length,
		distinct: distinctIds(records),
	};
	console.log(
		`ours run ${run} (keyset, 50 pages per batch): ${outcome.count} records (${outcome.distinct} distinct) in ${outcome.requests} requests, ` +
			`${(outcome.ms / 1000).toFixed(2)} s; CPU client ${(outcome.cpuMs / 1000).toFixed(2)} s, fake ${Number.isNaN(fakeCpu) ? '?' : fakeCpu.toFixed(2)} s; workflow run ${(workflowMs / 1000).toFixed(2)} s; ` +
			`requests at +${arrivals[0] - startedAt}…+${arrivals.at(-1) - startedAt} ms, median gap ${gaps[gaps.length >> 1]} ms`,
	);
	return outcome;
}

// Ours is short and CPU-bound, so a busy machine moves it a lot: the median of three runs is kept.
const runs = [];
for (let run = 1; run <= 3; run++) runs.push(await oursOnce(run));
const ours = [...runs].sort((a, b) => a.ms - b.ms)[1];
const oursMs = ours.ms;
const oursRequests = Math.max(...runs.map((run) => run.requests));

let baseline = { records: [], limited: 0 };
let baselineMs = 0;
let baselineRequests = 0;
if (RUN_BASELINE) {
	await drain();
	await fake.clearLog();
	globalThis.gc?.();
	const started = performance.now();
	baseline = await readAllWithStartNext();
	baselineMs = performance.now() - started;
	baselineRequests = (await fake.log()).length;
	console.log(
		`baseline (start/next, 50 per request): ${baseline.records.length} records (${distinctIds(baseline.records)} distinct) in ${baselineRequests} requests (${baseline.limited} answered 503), ${(baselineMs / 1000).toFixed(2)} s`,
	);
}

await fakeProcess.stop();

let mysqlOk = true;
const mysqlBench = new URL('./bitrix24-mysql.mjs', import.meta.url);
if (RUN_MYSQL && existsSync(mysqlBench)) {
	try {
		const { benchBitrix24Mysql } = await import(mysqlBench.href);
		mysqlOk = (await benchBitrix24Mysql({ n: N, latencyMs: LATENCY_MS, rate: RATE, burst: BURST })).ok;
	} catch (error) {
		mysqlOk = false;
		const message = String(error.message);
		console.log(`MySQL half failed: ${message.length > 600 ? `${message.slice(0, 600)}… (${message.length} characters)` : message}`);
	}
}

const maxRequests = Math.ceil(N / 2500) + 2;
const speedup = baselineMs / oursMs;
const complete = runs.every((run) => run.count === N && run.distinct === N) && (!RUN_BASELINE || baseline.records.length === N);
const requestsOk = oursRequests <= maxRequests;
const speedupOk = speedup >= 30;
console.log(`ours, median of 3: ${(oursMs / 1000).toFixed(2)} s`);
console.log(`target requests <= ceil(N/2500)+2 = ${maxRequests}: ${requestsOk ? 'met' : 'MISSED'} (${oursRequests}${ours.notBatch ? `, of which ${ours.notBatch} not batch` : ''})`);
console.log(`target speedup >= 30x: ${speedupOk ? 'met' : 'MISSED'}; all ${N} records read by both: ${complete ? 'yes' : 'NO'}`);
console.log(`bitrix24 speedup: ${speedup.toFixed(1)}x requests: ${oursRequests}/${baselineRequests}`);
process.exitCode = requestsOk && speedupOk && complete && mysqlOk ? 0 : 1;
