'use strict';
/**
 * The watchdog of shutdown.cjs: reads pids (negative = a process group) from stdin, one a line. When stdin closes
 * without a "done" line, the process that spawned it died without cleaning up: every pid is sent SIGTERM, then SIGKILL
 * 10 s later. "done" means the stack stopped cleanly: exit without killing anything.
 */
const targets = new Set();
let buffer = '';
let done = false;

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
	buffer += chunk;
	const lines = buffer.split('\n');
	buffer = lines.pop();
	for (const line of lines) {
		if (line.trim() === 'done') done = true;
		else if (/^-?\d+$/.test(line.trim())) targets.add(Number(line.trim()));
	}
});

function signalAll(signal) {
	for (const pid of targets) {
		try {
			process.kill(pid, signal);
		} catch {
			// already gone
		}
	}
}

process.stdin.on('end', () => {
	if (done || targets.size === 0) process.exit(0);
	signalAll('SIGTERM');
	setTimeout(() => {
		signalAll('SIGKILL');
		process.exit(0);
	}, 10000);
});
