'use strict';
/**
 * Running a child command for `npm start` / `npm run dev`, with its output fit for where ours goes. On a terminal the
 * child writes to it directly (spinners animate). Redirected to a file or a pipe, a spinner such as `n8n-node build`'s
 * would write every frame (hundreds of "◒  Building TypeScript files…" with cursor codes): there the output is read,
 * cursor codes and spinner glyphs removed, and each distinct line printed once.
 */
const { spawn } = require('node:child_process');

// CSI sequences (cursor moves, erase, show/hide cursor) and OSC sequences; ESC and BEL built from their codes.
const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
const ANSI = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}]*${BEL}`, 'g');
const REDRAW = new RegExp(`${ESC}\\[\\d*D|${ESC}\\[\\d*[JK]|\\r`, 'g');
const SPINNER_GLYPHS = /^[◒◐◓◑|/\\\-⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\s+/u;

/** A line filter: feed it raw chunks, it calls `emit` with each new plain line. */
function plainLineFilter(emit) {
	let pending = '';
	let lastKey;
	const flush = (segment) => {
		const text = segment.replace(ANSI, '').trimEnd();
		if (!text.trim()) return;
		// "Building TypeScript files", "…files.", "…files.." are one line of a spinner.
		const key = text.replace(SPINNER_GLYPHS, '').replace(/\.+$/, '').trim();
		if (key === lastKey) return;
		lastKey = key;
		emit(text);
	};
	return {
		write(chunk) {
			// A spinner redraws by moving the cursor back (ESC[999D, \r) and erasing (ESC[J, ESC[K): each redraw is a line.
			pending += String(chunk).replace(REDRAW, '\n');
			const parts = pending.split('\n');
			pending = parts.pop();
			for (const part of parts) flush(part);
		},
		end() {
			flush(pending);
			pending = '';
		},
	};
}

/** Runs `command args` in `cwd`; resolves its exit code. Output as described above, to our stdout. */
function runWithPlainOutput(command, args, { cwd, tty = process.stdout.isTTY } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, stdio: tty ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
		if (!tty) {
			const filter = plainLineFilter((line) => process.stdout.write(`${line}\n`));
			child.stdout.on('data', (chunk) => filter.write(chunk));
			child.stderr.on('data', (chunk) => filter.write(chunk));
			child.on('close', () => filter.end());
		}
		child.on('error', reject);
		child.on('close', (code) => resolve(code));
	});
}

module.exports = { plainLineFilter, runWithPlainOutput };
