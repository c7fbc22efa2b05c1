/**
 * Every node and credential class the package declares in package.json, loaded from source so the
 * harness needs no build. A file that does not exist yet is skipped (the package is built up in steps).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };

export const PACKAGE_PREFIX = `${pkg.name}.`;

function sourceOf(distPath: string): string {
	return join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function instances<T>(paths: string[]): T[] {
	const result: T[] = [];
	for (const distPath of paths) {
		const source = sourceOf(distPath);
		if (!existsSync(source)) continue;
		const module = require(source) as Record<string, new () => T>;
		const className = source.split('/').pop()!.split('.')[0];
		const Class = module[className];
		if (!Class) throw new Error(`${source} does not export class ${className}`);
		result.push(new Class());
	}
	return result;
}

export function allNodeTypes(): Record<string, INodeType> {
	return Object.fromEntries(
		instances<INodeType>(pkg.n8n.nodes).map((node) => [`${PACKAGE_PREFIX}${node.description.name}`, node]),
	);
}

export function allCredentialTypes(): Record<string, ICredentialType> {
	return Object.fromEntries(instances<ICredentialType>(pkg.n8n.credentials).map((type) => [type.name, type]));
}
