'use strict';
/**
 * The package placed in an n8n's community-package folder as `npm i` would place it, or linked (npm run dev), so node
 * types are `n8n-nodes-sync-connectors.<node>` exactly as in the shipped workflows.
 */
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_NAME = 'n8n-nodes-sync-connectors';

/** `npm run dev`: the package folder itself, linked, so that n8n's hot reload sees every rebuild of dist/. */
function linkPackage(packageDir, nodesDir) {
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.rmSync(target, { recursive: true, force: true });
	fs.symlinkSync(packageDir, target, 'dir');
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter(
		(file) => !fs.existsSync(path.join(packageDir, file)),
	);
	return { target, missing, nodes: pkg.n8n?.nodes ?? [], credentials: pkg.n8n?.credentials ?? [], linked: true };
}

/**
 * The package as `npm i` would place it: package.json, dist/, workflows/. Entries of n8n.nodes/credentials whose
 * built file is missing are dropped from the copy (n8n would refuse the whole package otherwise) and reported in
 * `missing`, so a half-written package can still be exercised; the smoke e2e fails while anything is missing.
 */
function installPackageCopy(packageDir, nodesDir, distDir = path.join(packageDir, 'dist')) {
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	if (!fs.existsSync(distDir)) throw new Error(`${distDir} does not exist: run \`npm run build\` first`);
	fs.cpSync(distDir, path.join(target, 'dist'), { recursive: true });
	if (fs.existsSync(path.join(packageDir, 'workflows'))) {
		fs.cpSync(path.join(packageDir, 'workflows'), path.join(target, 'workflows'), { recursive: true });
	}
	const missing = [];
	const keep = (list = []) =>
		list.filter((file) => {
			const present = fs.existsSync(path.join(distDir, path.relative('dist', file)));
			if (!present) missing.push(file);
			return present;
		});
	const copy = { ...pkg, n8n: { ...pkg.n8n, nodes: keep(pkg.n8n?.nodes), credentials: keep(pkg.n8n?.credentials) } };
	delete copy.devDependencies;
	delete copy.scripts;
	fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(copy, null, 2)}\n`);
	return { target, missing, nodes: copy.n8n.nodes, credentials: copy.n8n.credentials };
}

module.exports = { PACKAGE_NAME, linkPackage, installPackageCopy };
