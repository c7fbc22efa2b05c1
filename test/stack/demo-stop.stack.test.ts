/**
 * Stopping `npm start` the ways a user, a supervisor or an IDE does: SIGINT, SIGTERM and SIGHUP sent to the npm
 * process (not to its process group, as a terminal's Ctrl+C would), npm killed outright (the stack's parent died),
 * and the stack's own script killed outright (the watchdog of scripts/lib/shutdown.cjs). Each time, every process
 * of the stack (start.mjs, n8n, mariadbd when installed) is gone and every port it listened on is free, within a
 * limit. The stack runs with --free-ports and its own user folder, so it can run next to a user's `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT, runtimeLib, scaled } from '../e2e/support/repo';

type Json = Record<string, any>;

/** pid → parent pid of every live (non-zombie) process, from /proc. */
function processTable(): Map<number, { ppid: number; cmd: string }> {
	const table = new Map<number, { ppid: number; cmd: string }>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (afterName[0] === 'Z') continue;
			const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
			table.set(Number(entry), { ppid: Number(afterName[1]), cmd });
		} catch {
			// gone meanwhile
		}
	}
	return table;
}

/** Every live descendant of `root` (itself included): [{pid, cmd}]. */
function descendants(root: number): Array<{ pid: number; cmd: string }> {
	const table = processTable();
	const found = new Set<number>([root]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const [pid, { ppid }] of table) {
			if (found.has(ppid) && !found.has(pid)) {
				found.add(pid);
				grew = true;
			}
		}
	}
	return [...found].filter((pid) => table.has(pid)).map((pid) => ({ pid, cmd: table.get(pid)!.cmd }));
}

const alive = (pid: number): boolean => processTable().has(pid);

const portOpen: (port: number) => Promise<boolean> = require(path.join(REPO_ROOT, 'scripts/lib/ports.cjs')).isListening;

interface RunningStack {
	npm: ChildProcess;
	userFolder: string;
	output: () => string;
	processes: Array<{ pid: number; cmd: string }>;
	ports: number[];
}

async function startStack(): Promise<RunningStack> {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-demo-stop-'));
	const port = await runtimeLib.freePort();
	// detached: npm leads its own process group, so a signal to npm's pid reaches npm alone (no terminal involved).
	const npm = spawn('npm', ['start', '--', '--no-build', '--free-ports', `--port=${port}`, `--user-folder=${userFolder}`], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	npm.stdout!.on('data', (chunk) => (output += chunk));
	npm.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + scaled(600_000);
	while (!output.includes('n8n is ready')) {
		if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}) before ready:\n${output.slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`npm start not ready after ${scaled(600_000)} ms (E2E_TIME_SCALE scales it):\n${output.slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const state: Json = JSON.parse(fs.readFileSync(path.join(userFolder, 'demo.json'), 'utf8'));
	const ports = [port, ...Object.values(state.services as Record<string, string>).map((url) => Number(new URL(url).port))];
	const mariadb = /mariadb\s+127\.0\.0\.1:(\d+)/.exec(output);
	if (mariadb) ports.push(Number(mariadb[1]));
	return { npm, userFolder, output: () => output, processes: descendants(npm.pid!), ports };
}

/** Resolves once every process is gone and every port refuses connections; rejects after `limitMs` saying which are left. */
async function expectStopped(stack: RunningStack, limitMs: number): Promise<void> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const left = stack.processes.filter(({ pid }) => alive(pid));
		const open: number[] = [];
		for (const port of stack.ports) if (await portOpen(port)) open.push(port);
		if (left.length === 0 && open.length === 0) return;
		if (Date.now() > deadline) {
			for (const { pid } of left) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
			throw new Error(
				`still running after ${limitMs} ms: ${left.map(({ pid, cmd }) => `${pid} ${cmd.slice(0, 80)}`).join('; ') || 'none'}; ports still open: ${open.join(', ') || 'none'}\n${stack.output().slice(-2000)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const STOP_LIMIT_MS = scaled(60_000);

describe('stopping npm start', () => {
	let stack: RunningStack | undefined;

	afterEach(async () => {
		if (!stack) return;
		for (const { pid } of stack.processes) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
		fs.rmSync(stack.userFolder, { recursive: true, force: true });
		stack = undefined;
	});

	test.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s to the npm process stops the whole stack and frees its ports', async (signal) => {
		stack = await startStack();
		const commands = stack.processes.map(({ cmd }) => cmd).join('\n');
		expect(commands).toMatch(/scripts\/start\.mjs/);
		expect(commands).toMatch(/n8n/);
		expect(stack.ports.length).toBeGreaterThanOrEqual(2);
		process.kill(stack.npm.pid!, signal);
		await expectStopped(stack, STOP_LIMIT_MS);
	});

	test('npm killed outright (the parent died): the stack stops itself', async () => {
		stack = await startStack();
		process.kill(stack.npm.pid!, 'SIGKILL');
		await expectStopped(stack, STOP_LIMIT_MS);
	});

	test('the start script killed outright: its watchdog stops n8n and MariaDB', async () => {
		stack = await startStack();
		const script = stack.processes.find(({ cmd }) => /scripts\/start\.mjs/.test(cmd));
		expect(script).toBeDefined();
		process.kill(script!.pid, 'SIGKILL');
		await expectStopped(stack, STOP_LIMIT_MS);
	});
});
