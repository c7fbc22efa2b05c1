'use strict';
/**
 * `npm run bench -- hubee`: the bundled workflow workflows/hubee-attachments-to-folders.json in a real n8n 2.41
 * (server mode, binary data in filesystem mode: N8N_DEFAULT_BINARY_DATA_MODE=filesystem), run through the server's
 * REST API on 50 and then 200 new-case notifications × 2 attachments of 2 MB, against the HubEE fake in this process.
 *
 * Memory: the resident set of n8n = VmRSS of the n8n main process plus its task-runner child(ren) (the Code nodes run
 * there), read from /proc every 100 ms during the run. Idle = the lowest RSS over 60 s of rest before each measured run
 * (the first one after a small warm-up run, so the task runner and the node's modules are already loaded): n8n gives
 * memory back at varying moments after start-up and after a run, so an idle read too early would hide growth.
 * Growth = peak − idle.
 * The main process alone is printed too.
 * Throughput: bytes of attachments / the execution's own duration (n8n's startedAt → stoppedAt).
 * Baseline, in the same run, right before the measured run of 200: a plain sequential download of the same 200 × 2
 * files to disk (token, GET case, stream each file to a file), as DINUM's script does minus its whole-file buffering.
 * The fake's cost model, for both: loopback, no added latency per request, each file served from memory in 64 KB
 * chunks as fast as the client reads. That is the cheapest HubEE possible, so the per-request and per-node costs of
 * n8n weigh their most here; a real HubEE (tens of ms per request over the internet, a bounded bandwidth) narrows
 * the gap. The fake is not tuned for this bench.
 * Targets: growth ≤ 150 MB at 200, and within 50 MB of the growth at 50; throughput ≥ 1/3 of the baseline's.
 * Env: HUBEE_BENCH_SIZES (default "50,200"), HUBEE_BENCH_MB (default 2).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');

const REPO_ROOT = path.resolve(__dirname, '..');
const support = require('../test/e2e/support/hubee.cjs');
const { createHubeeFake } = require('../test/fakes/hubee.cjs');
const { privateBuild } = require('../scripts/lib/private-build.cjs');

const SIZES = (process.env.HUBEE_BENCH_SIZES || '50,200').split(',').map(Number);
const FILE_BYTES = Math.round(Number(process.env.HUBEE_BENCH_MB || 2) * 1024 * 1024);
const PROCESS = 'EtatCivil';
const MB = 1024 * 1024;
// Distinct contents cycled over the files: the bench process need not hold 800 MB of test data.
const POOL = Array.from({ length: 16 }, (_, i) => support.fileBytes(`bench-${i}`, FILE_BYTES));

const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function seedCases(fake, count, prefix) {
	const ids = [];
	for (let i = 0; i < count; i += 1) {
		const attachments = [0, 1].map((j) => ({ fileName: `piece-${j}.pdf`, content: POOL[(2 * i + j) % POOL.length] }));
		ids.push(fake.addCase({ processCode: PROCESS, externalId: `${prefix}-${String(i).padStart(4, '0')}`, attachments }).case.id);
	}
	return ids;
}

/**
 * Idle RSS: the lowest RSS over 60 s of rest, sampled every second. n8n's resident set sits ~300 MB higher for a while
 * after start-up and after a run, then drops at a moment that varies from run to run; the resting low is the idle.
 */
async function sampleIdle(pid) {
	const samples = [];
	for (const end = Date.now() + 60000; Date.now() < end; await sleep(1000)) {
		samples.push({ tree: support.treeRssKb(pid), main: support.rssKb(pid) });
	}
	return { tree: Math.min(...samples.map((sample) => sample.tree)), main: Math.min(...samples.map((sample) => sample.main)) };
}

/** One run of the workflow; RSS polled every 100 ms until the execution has finished. */
async function measuredRun(stack) {
	const pid = stack.server.pid;
	const peak = { tree: 0, main: 0 };
	let polling = true;
	const poller = (async () => {
		while (polling) {
			peak.tree = Math.max(peak.tree, support.treeRssKb(pid));
			peak.main = Math.max(peak.main, support.rssKb(pid));
			await sleep(100);
		}
	})();
	const wallStart = Date.now();
	const executionId = await stack.startRun();
	const execution = await support.waitForExecution(stack.server, executionId, { timeoutMs: 1_800_000, pollMs: 250, withData: false });
	const wallMs = Date.now() - wallStart;
	polling = false;
	await poller;
	if (execution.status !== 'success') {
		const failed = await support.waitForExecution(stack.server, executionId);
		throw new Error(`run ended ${execution.status}: ${JSON.stringify(support.executionError(failed))}`);
	}
	const ms = new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime();
	return { peak, ms, wallMs, executionId };
}

/** The baseline: token, then per case GET case and each file streamed to disk, one after the other. */
async function baselineDownload(fake, caseIds, dir) {
	const headers = { editorName: 'bench', applicationName: 'bench-baseline', softwareVersion: '1' };
	const token = await fetch(fake.tokenUrl, {
		method: 'POST',
		headers: {
			...headers,
			authorization: `Basic ${Buffer.from(`${support.CLIENT.clientId}:${support.CLIENT.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials&scope=SI',
	}).then((response) => response.json());
	const auth = { ...headers, authorization: `Bearer ${token.access_token}` };
	const api = `${fake.apiBaseUrl}/teledossiers/v1`;
	let bytes = 0;
	const started = process.hrtime.bigint();
	for (const caseId of caseIds) {
		const theCase = await fetch(`${api}/cases/${caseId}`, { headers: auth }).then((response) => response.json());
		const caseDir = path.join(dir, theCase.externalId);
		fs.mkdirSync(caseDir, { recursive: true });
		for (const attachment of theCase.attachments) {
			const response = await fetch(`${api}/cases/${caseId}/attachments/${attachment.id}`, { headers: auth });
			const target = path.join(caseDir, `${attachment.id}__${attachment.fileName}`);
			await pipeline(Readable.fromWeb(response.body), fs.createWriteStream(target));
			bytes += fs.statSync(target).size;
		}
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { bytes, ms };
}

async function main() {
	const fake = createHubeeFake({ clients: [support.CLIENT] });
	await fake.start();
	const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubee-bench-dist-'));
	const baselineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubee-bench-baseline-'));
	let stack;
	try {
		const build = privateBuild(distDir, { repoRoot: REPO_ROOT });
		if (!build.ok) throw new Error(`private build failed:\n${build.errors}`);
		stack = await support.startHubeeN8n({
			fake,
			distDir,
			config: { demarcheName: PROCESS, processCode: PROCESS, batchSize: 25, maxBatches: 100 },
			// A loaded machine can keep the task runner busy past n8n's 60 s default wait for a Code node.
			env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all', N8N_RUNNERS_TASK_REQUEST_TIMEOUT: '600' },
		});

		seedCases(fake, 2, 'WARM');
		await measuredRun(stack);

		const results = {};
		let baseline;
		for (const size of SIZES) {
			const caseIds = seedCases(fake, size, `B${size}`);
			const idle = await sampleIdle(stack.server.pid);
			log(`idle RSS before ${size}: n8n main + task runner ${(idle.tree / 1024).toFixed(0)} MB (main alone ${(idle.main / 1024).toFixed(0)} MB)`);
			if (size === Math.max(...SIZES)) {
				// Right before the measured run (the baseline runs in this process, not in n8n, so the idle RSS above is
				// unaffected): the other engineers' load on the shared machine changes by the minute, and the ratio is
				// only meaningful if both sides ran under about the same load.
				baseline = await baselineDownload(fake, caseIds, baselineDir);
				log(`baseline: ${caseIds.length * 2} files, ${(baseline.bytes / MB).toFixed(0)} MB in ${(baseline.ms / 1000).toFixed(2)} s (load average ${os.loadavg()[0].toFixed(1)})`);
				fs.rmSync(baselineDir, { recursive: true, force: true });
			}
			const run = await measuredRun(stack);
			const files = support.expectedFiles(fake, PROCESS).filter((file) => caseIds.includes(file.caseId));
			const problems = support.fileProblems(stack.downloadRoot, PROCESS, files);
			if (problems.length || support.queued(fake, PROCESS).length) {
				throw new Error(`run on ${size} left ${problems.length} bad files and ${support.queued(fake, PROCESS).length} notifications`);
			}
			const bytes = files.length * FILE_BYTES;
			// where the execution's time went: each node's own executionTime, summed over its runs (one per batch)
			const detailed = await support.waitForExecution(stack.server, run.executionId);
			const perNode = Object.entries(detailed.data.resultData.runData)
				.map(([name, tasks]) => [name, tasks.reduce((sum, task) => sum + (task.executionTime ?? 0), 0)])
				.sort((a, b) => b[1] - a[1])
				.slice(0, 8);
			log(`  time per node: ${perNode.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
			results[size] = {
				growthMb: (run.peak.tree - idle.tree) / 1024,
				mainGrowthMb: (run.peak.main - idle.main) / 1024,
				mbPerS: bytes / MB / (run.ms / 1000),
				ms: run.ms,
			};
			log(
				`${size} notifications × 2 × ${(FILE_BYTES / MB).toFixed(0)} MB: execution ${(run.ms / 1000).toFixed(1)} s (wall ${(run.wallMs / 1000).toFixed(1)} s), ` +
					`${results[size].mbPerS.toFixed(1)} MB/s, peak RSS growth ${results[size].growthMb.toFixed(0)} MB (main alone ${results[size].mainGrowthMb.toFixed(0)} MB), ` +
					`load average ${os.loadavg()[0].toFixed(1)} at the end`,
			);
			fs.rmSync(path.join(stack.downloadRoot, PROCESS), { recursive: true, force: true });
		}
		const small = results[Math.min(...SIZES)];
		const large = results[Math.max(...SIZES)];
		const baselineMbPerS = baseline.bytes / MB / (baseline.ms / 1000);
		log(
			`targets: growth at ${Math.max(...SIZES)} ≤ 150 MB: ${large.growthMb <= 150 ? 'met' : 'MISSED'}; within 50 MB of the growth at ${Math.min(...SIZES)}: ` +
				`${Math.abs(large.growthMb - small.growthMb) <= 50 ? 'met' : 'MISSED'}; throughput ≥ 1/3 of baseline: ${large.mbPerS >= baselineMbPerS / 3 ? 'met' : 'MISSED'}`,
		);
		log(
			`hubee rss_growth_mb: ${small.growthMb.toFixed(0)}/${large.growthMb.toFixed(0)} throughput_mb_s: ${large.mbPerS.toFixed(1)} baseline_mb_s: ${baselineMbPerS.toFixed(1)}`,
		);
	} catch (error) {
		// n8n's own last lines say why a run or the server stopped (a crash, a kill, a timeout).
		if (stack?.server?.logTail) console.error(`n8n's last lines:\n${stack.server.logTail(40)}`);
		throw error;
	} finally {
		await stack?.n8n.stop();
		await fake.stop();
		fs.rmSync(distDir, { recursive: true, force: true });
		fs.rmSync(baselineDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
