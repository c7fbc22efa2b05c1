/**
 * What n8n's editor shows on opening a bundled workflow: for every node of ours, the parameters as the editor
 * normalises them (n8n-workflow's getNodeParameters) and the issues it flags (getNodeParametersIssues) — none
 * is allowed. The editor also flags an options field whose fixed value is not among its options; for options
 * loaded from the service that check needs the service, and fails whenever the document or table comes from an
 * expression ("The value "object_id" is not supported!"), so no bundled workflow may hold such a value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

const ROOT = path.join(__dirname, '..', '..', '..');
const PACKAGE = 'n8n-nodes-sync-connectors';
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Our node types by their workflow name, loaded from the sources package.json lists. */
const descriptions = new Map<string, INodeTypeDescription>();
for (const built of pkg.n8n.nodes as string[]) {
	const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const module = require(source) as Record<string, new () => INodeType>;
	for (const NodeClass of Object.values(module)) {
		if (typeof NodeClass !== 'function') continue;
		const { description } = new NodeClass();
		if (description?.name) descriptions.set(`${PACKAGE}.${description.name}`, description);
	}
}

// Workflows made of n8n's own nodes only (the failure alert) have nothing of ours to check here.
const workflowFiles = fs
	.readdirSync(path.join(ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.filter((file) => fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8').includes(`"${PACKAGE}.`));

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** Options fields the editor checks against their option list, with the value it would check. */
function optionValueProblems(
	properties: INodeProperties[],
	values: INodeParameters,
	node: INode,
	description: INodeTypeDescription,
	prefix = '',
): string[] {
	const problems: string[] = [];
	for (const property of properties) {
		if (!(property.name in values)) continue;
		if (!NodeHelpers.displayParameter(values, property, node, description, node.parameters)) continue;
		const value = values[property.name];
		const where = `${prefix}${property.name}`;
		if (property.type === 'options' || property.type === 'multiOptions') {
			const chosen = (Array.isArray(value) ? value : [value]).filter((entry) => entry !== '' && !isExpression(entry));
			if (isExpression(value) || !chosen.length) continue;
			if (property.typeOptions?.loadOptionsMethod) {
				problems.push(`${where}: fixed value ${JSON.stringify(value)} the editor checks against options it loads`);
				continue;
			}
			const allowed = (property.options ?? []).map((option) => (option as { value: unknown }).value);
			for (const entry of chosen) if (!allowed.includes(entry)) problems.push(`${where}: "${String(entry)}" is not an option`);
		}
		if (property.type === 'collection' && value && typeof value === 'object' && !Array.isArray(value)) {
			problems.push(...optionValueProblems(property.options as INodeProperties[], value as INodeParameters, node, description, `${where}.`));
		}
	}
	return problems;
}

describe.each(workflowFiles)('%s opens in the editor without issues', (file) => {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8'));
	const ours = (workflow.nodes as INode[]).filter((node) => node.type.startsWith(`${PACKAGE}.`));

	test('every node type of ours in it exists', () => {
		expect(ours.filter((node) => !descriptions.has(node.type)).map((node) => node.type)).toEqual([]);
	});

	test.each(ours.map((node) => [node.name, node] as const))('%s: no parameter issue', (_name, node) => {
		const description = descriptions.get(node.type)!;
		const parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description);
		expect(parameters).not.toBeNull();
		const normalised = { ...node, parameters: parameters! };
		expect(NodeHelpers.getNodeParametersIssues(description.properties, normalised, description)).toBeNull();
		expect(optionValueProblems(description.properties, parameters!, normalised, description)).toEqual([]);
		// Nothing the editor would drop on opening: every parameter in the JSON is one the node describes.
		expect(Object.keys(node.parameters).filter((name) => !(name in parameters!))).toEqual([]);
	});
});

test('the check sees the issue it is meant to catch', () => {
	const description = descriptions.get(`${PACKAGE}.gristSync`)!;
	const node: INode = {
		id: 'x',
		name: 'Upsert',
		type: `${PACKAGE}.gristSync`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'record',
			operation: 'upsert',
			documentId: { __rl: true, mode: 'id', value: '' },
			tableId: { __rl: true, mode: 'id', value: 'Projets' },
		},
	};
	const parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description)!;
	expect(NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters }, description)).toEqual({
		parameters: { documentId: [expect.stringMatching(/Parameter "Document" is required/)] },
	});
	const recocoDescription = descriptions.get(`${PACKAGE}.recoco`)!;
	const recoco: INode = { ...node, type: `${PACKAGE}.recoco`, parameters: { resource: 'project', operation: 'getMany', filters: { status: ['NOPE'] } } };
	const recocoParameters = NodeHelpers.getNodeParameters(recocoDescription.properties, recoco.parameters, true, false, recoco, recocoDescription)!;
	expect(optionValueProblems(recocoDescription.properties, recocoParameters, { ...recoco, parameters: recocoParameters }, recocoDescription)).toEqual([
		'filters.status: "NOPE" is not an option',
	]);
});
