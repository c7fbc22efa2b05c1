'use strict';
/**
 * The stop path shared by `npm start` and `npm run dev`: Ctrl+C or a signal (SIGINT, SIGTERM, SIGHUP), the parent
 * process dying, a failed start, or n8n exiting on its own all run the registered cleanups once, in order, then exit.
 *
 *   const shutdown = createShutdown('start');
 *   shutdown.onStop(() => stack?.stop());
 *   shutdown.run(main);                     // main's error is printed, then everything stops with exit code 1
 *   shutdown.watchServer(stack.server);     // n8n exiting on its own stops everything (exit 1)
 *   shutdown.reapOnDeath(pid, { group });   // killed even if this process is SIGKILLed
 *
 * Why each path exists:
 * - `npm start` runs `sh -c "node scripts/start.mjs"` under npm. A supervisor, an IDE's stop button or `timeout`
 *   signals npm's pid only; npm forwards SIGINT/SIGTERM/SIGHUP to the script but may itself exit first. So this
 *   process also watches its parent: once reparented (npm gone), it stops the stack.
 * - n8n and mariadbd run in their own process groups (a terminal's Ctrl+C reaches only our group). If this process
 *   dies without running its cleanups (SIGKILL, an OOM kill), a small watchdog (scripts/lib/reaper.cjs), holding the
 *   read end of a pipe from this process, sees the pipe close and kills every pid registered with reapOnDeath.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How often the parent is checked; a stack whose parent died stops within this plus its own stop time. */
const PARENT_POLL_MS = 1000;

function createShutdown(name) {
	const say = (message) => process.stdout.write(`[${name}] ${message}\n`);
	const cleanups = [];
	let stopping = false;
	let reaper;

	async function stopAll(code) {
		if (stopping) return;
		stopping = true;
		say('stopping…');
		for (const cleanup of cleanups) {
			try {
				await cleanup();
			} catch (error) {
				say(`while stopping: ${error.message}`);
			}
		}
		say('stopped');
		process.exit(code);
	}
	for (const signal of STOP_SIGNALS) process.on(signal, () => void stopAll(0));

	// The parent is npm (or a shell, or a test). When it dies the kernel reparents us to init or a subreaper:
	// process.ppid changes. Writing to a closed terminal after that raises EPIPE/EIO: ignored, the stop goes on.
	const parentAtStart = process.ppid;
	const parentWatch = setInterval(() => {
		if (process.ppid !== parentAtStart) {
			for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
			say(`the parent process (${parentAtStart}) is gone`);
			void stopAll(0);
		}
	}, PARENT_POLL_MS);
	parentWatch.unref();

	return {
		say,
		get stopping() {
			return stopping;
		},
		onStop(cleanup) {
			cleanups.push(cleanup);
		},
		stopAll,
		/** `pid` (with `group`, its whole process group) is killed by the watchdog if this process dies uncleanly. */
		reapOnDeath(pid, { group = false } = {}) {
			if (!pid) return;
			if (!reaper) {
				reaper = spawn(process.execPath, [path.join(__dirname, 'reaper.cjs')], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
				reaper.on('error', () => {});
				reaper.stdin.on('error', () => {});
				reaper.unref();
				reaper.stdin.unref?.();
				// A clean stop has already stopped everything: the watchdog must not kill pids reused since.
				cleanups.push(() => {
					reaper.stdin.end('done\n');
				});
			}
			reaper.stdin.write(`${group ? -pid : pid}\n`);
		},
		watchServer(server) {
			server.exited.then(() => {
				if (stopping) return;
				say(`n8n exited on its own; last output:\n${server.logTail(30)}`);
				void stopAll(1);
			});
		},
		run(main) {
			main().catch(async (error) => {
				process.stderr.write(`[${name}] ${error.message}\n`);
				await stopAll(1);
			});
		},
	};
}

module.exports = { createShutdown, STOP_SIGNALS };
