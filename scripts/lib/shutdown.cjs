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
 *   signals npm's pid only; npm forwards SIGINT and SIGTERM to its script (start execs node, so they reach start.mjs) but dies of SIGHUP. So this
 *   process also watches its parent: once reparented (npm gone), it stops the stack.
 * - n8n and mariadbd run in their own process groups (a terminal's Ctrl+C reaches only our group). If this process
 *   dies without running its cleanups (SIGKILL, an OOM kill), a small watchdog (scripts/lib/reaper.cjs), holding the
 *   read end of a pipe from this process, sees the pipe close and kills every pid registered with reapOnDeath.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How often the parent is checked; a stack whose parent died stops within this plus its own stop time. */
const PARENT_POLL_MS = 1000;

/** Whether `pid` is a live process (not a zombie), from /proc; where /proc is missing, by signal 0. */
function isAlive(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	}
}

/** Our parent's pid now: read from /proc (process.ppid can keep the value from start), else process.ppid. */
function currentParent() {
	try {
		const stat = fs.readFileSync('/proc/self/stat', 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return process.ppid;
	}
}

/** When `pid` is a `sh -c …` shell (how npm runs a script), its parent's pid (npm); else undefined. */
function scriptShellParent(pid) {
	try {
		const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		if (!/(^|\/)(sh|bash|dash)$/.test(cmdline[0]) || cmdline[1] !== '-c') return undefined;
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		return ppid > 1 ? ppid : undefined;
	} catch {
		return undefined;
	}
}

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

	// The parent is npm (package.json's start script execs node, so no shell stands between), or a shell, or a test.
	// When it dies the kernel reparents us to init or a subreaper: the parent pid changes. When the parent is npm's
	// script shell (`sh -c`, an npm that does not exec), npm is its parent and is watched too (SIGHUP kills npm and
	// leaves the shell waiting). Writing to a closed terminal after that raises EPIPE/EIO: ignored, the stop goes on.
	const parentAtStart = currentParent();
	const watched = [parentAtStart];
	const grandparent = scriptShellParent(parentAtStart);
	if (grandparent) watched.push(grandparent);
	const parentWatch = setInterval(() => {
		const gone = currentParent() !== parentAtStart ? parentAtStart : watched.find((pid) => !isAlive(pid));
		if (gone !== undefined) {
			for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
			say(`the parent process (${gone}) is gone`);
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

/** Process groups started detached by this process: SIGKILLed if it exits without stopping them. */
const liveGroups = new Set();
process.on('exit', () => {
	for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
}

/**
 * Keeps a detached child's process group on the list killed at exit until `exited` (a promise of its exit) resolves;
 * returns `stop(signal, graceMs)`: the signal to the whole group, SIGKILL if it still runs after `graceMs`, resolved
 * once the child exited.
 */
function trackProcessGroup(pid, exited) {
	liveGroups.add(pid);
	let done = false;
	exited.then(() => {
		done = true;
		liveGroups.delete(pid);
	});
	return async function stop(signal = 'SIGTERM', graceMs = 20000) {
		if (done) return;
		killGroup(pid, signal);
		const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	};
}

module.exports = { createShutdown, STOP_SIGNALS, trackProcessGroup };
