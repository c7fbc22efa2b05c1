import { basename, join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..', '..');
const pkg = require(join(root, 'package.json')) as { n8n: { nodes: string[] } };

function load(distPath: string): INodeType {
	const source = join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const className = basename(source).split('.')[0];
	const module = require(source) as Record<string, new () => INodeType>;
	return new module[className]();
}

// One rule, as n8n's own nodes follow it: a trigger is in ['trigger'], every action node in ['transform'].
describe('node groups', () => {
	it.each(pkg.n8n.nodes)('%s', (distPath) => {
		const { description } = load(distPath);
		const isTrigger = description.inputs.length === 0;
		expect(description.group).toEqual(isTrigger ? ['trigger'] : ['transform']);
	});
});
