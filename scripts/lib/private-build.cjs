'use strict';
/**
 * Builds the package into a folder of its own (tsc + the assets `n8n-node build` copies: icons/*.svg and
 * nodes/**\/*.{svg,json}), without touching dist/. Useful while dist/ is in use, e.g. by a running `npm start`.
 * `tsc` still emits when some file has a type error; the errors are returned so the caller can decide.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function copyAssets(fromDir, toDir, test) {
	if (!fs.existsSync(fromDir)) return;
	for (const entry of fs.readdirSync(fromDir, { withFileTypes: true })) {
		const from = path.join(fromDir, entry.name);
		const to = path.join(toDir, entry.name);
		if (entry.isDirectory()) copyAssets(from, to, test);
		else if (test(entry.name)) {
			fs.mkdirSync(toDir, { recursive: true });
			fs.copyFileSync(from, to);
		}
	}
}

function privateBuild(outDir, { repoRoot = REPO_ROOT } = {}) {
	fs.rmSync(outDir, { recursive: true, force: true });
	fs.mkdirSync(outDir, { recursive: true });
	const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
	const result = spawnSync(
		process.execPath,
		[tsc, '-p', path.join(repoRoot, 'tsconfig.json'), '--outDir', outDir, '--incremental', 'false', '--declaration', 'false', '--sourceMap', 'false'],
		{ cwd: repoRoot, encoding: 'utf8' },
	);
	copyAssets(path.join(repoRoot, 'icons'), path.join(outDir, 'icons'), (name) => name.endsWith('.svg'));
	copyAssets(path.join(repoRoot, 'nodes'), path.join(outDir, 'nodes'), (name) => /\.(svg|json)$/.test(name));
	return { outDir, ok: result.status === 0, errors: (result.stdout + result.stderr).trim() };
}

module.exports = { privateBuild };
