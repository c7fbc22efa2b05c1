/**
 * The static rules every bundled workflow (workflows/*.json) keeps, so that it reads like n8n and survives n8n 3:
 * - a node reads another node's data only when that node is upstream of it on the connections (`$('…')`,
 *   `$node[…]`, `$items(…)`), so the result never depends on where nodes sit on the canvas;
 * - no Code node longer than 30 lines (longer logic is a node operation of this package, with tests);
 * - nothing n8n 3.0 removes: Function / Function Item / Item Lists nodes, `$getPairedItem`, Execute Workflow
 *   "once for each item";
 * - node types are this package's (`n8n-nodes-sync-connectors.*`) or n8n's own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Json = Record<string, any>;

const WORKFLOWS_DIR = path.join(__dirname, '..', '..', '..', 'workflows');
const MAX_CODE_LINES = 30;
const OWN_PACKAGE = 'n8n-nodes-sync-connectors.';
const N8N_PACKAGES = ['n8n-nodes-base.', '@n8n/n8n-nodes-langchain.'];
const REMOVED_IN_N8N_3 = ['n8n-nodes-base.function', 'n8n-nodes-base.functionItem', 'n8n-nodes-base.itemLists'];


const files = fs
	.readdirSync(WORKFLOWS_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort();

/** Every string inside a value (node parameters are nested objects and arrays). */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
	return [];
}

/** Unescapes the quote and backslash escapes a node name can carry inside a JS string literal. */
const unquote = (name: string): string => name.replace(/\\(['"`\\])/g, '$1');

/** The node names a piece of code or an expression reads: $('X'), $("X"), $node["X"], $node.X, $items("X"). */
export function referencedNodes(text: string): string[] {
	const names: string[] = [];
	const patterns = [
		/\$\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g,
		/\$node\[\s*(['"`])((?:\\.|(?!\1).)*)\1\s*\]/g,
		/\$items\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g,
	];
	for (const pattern of patterns) {
		for (const match of text.matchAll(pattern)) names.push(unquote(match[2]));
	}
	for (const match of text.matchAll(/\$node\.([A-Za-z_$][\w$]*)/g)) names.push(match[1]);
	return names;
}

/** Names of every node upstream of `name` on the connections (any connection type, any output). */
function ancestors(workflow: Json, name: string): Set<string> {
	const parents = new Map<string, string[]>();
	for (const [source, byType] of Object.entries<Json>(workflow.connections ?? {})) {
		for (const outputs of Object.values<Array<Json[] | null>>(byType)) {
			for (const output of outputs ?? []) {
				for (const connection of output ?? []) {
					parents.set(connection.node, [...(parents.get(connection.node) ?? []), source]);
				}
			}
		}
	}
	const seen = new Set<string>();
	const queue = [...(parents.get(name) ?? [])];
	while (queue.length) {
		const next = queue.shift()!;
		if (seen.has(next)) continue;
		seen.add(next);
		queue.push(...(parents.get(next) ?? []));
	}
	return seen;
}

/** Every rule a workflow breaks, one line each, naming the node. */
export function violations(workflow: Json): string[] {
	const found: string[] = [];
	for (const node of workflow.nodes as Json[]) {
		const at = `node "${node.name}"`;
		const type = String(node.type);
		if (!type.startsWith(OWN_PACKAGE) && !N8N_PACKAGES.some((prefix) => type.startsWith(prefix))) {
			found.push(`${at}: type ${type} is neither ${OWN_PACKAGE}* nor n8n's own`);
		}
		if (REMOVED_IN_N8N_3.includes(type)) found.push(`${at}: ${type} is removed in n8n 3.0`);
		if (type === 'n8n-nodes-base.executeWorkflow' && node.parameters?.mode === 'each') {
			found.push(`${at}: Execute Workflow "once for each item" is removed in n8n 3.0`);
		}
		const code = node.parameters?.jsCode;
		if (type === 'n8n-nodes-base.code' && typeof code === 'string') {
			const lines = code.split('\n').length;
			if (lines > MAX_CODE_LINES) found.push(`${at}: Code node of ${lines} lines (at most ${MAX_CODE_LINES})`);
		}
		const texts = strings(node.parameters ?? {});
		if (texts.some((text) => text.includes('$getPairedItem'))) found.push(`${at}: uses $getPairedItem, removed in n8n 3.0`);
		const upstream = ancestors(workflow, node.name);
		for (const name of new Set(texts.flatMap(referencedNodes))) {
			if (!upstream.has(name)) found.push(`${at}: reads node "${name}", which is not upstream of it on the connections`);
		}
	}
	return found;
}

describe('rules for every bundled workflow', () => {
	test('the workflows folder holds workflows', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	test.each(files)('%s keeps every rule', (file) => {
		const workflow = JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
		expect(violations(workflow)).toEqual([]);
	});
});

describe('the rule checker', () => {
	const node = (name: string, type: string, parameters: Json = {}): Json => ({ name, type, parameters });
	const link = (...names: string[]): Json =>
		Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

	test('finds references in every form', () => {
		expect(referencedNodes(`$('A').first(); $("B c").item; $node["D"].json; $node['E'].json; $items("F"); $node.G.json`)).toEqual([
			'A',
			'B c',
			'D',
			'E',
			'F',
			'G',
		]);
		expect(referencedNodes(`$('It\\'s').first()`)).toEqual(["It's"]);
	});

	test('accepts a reference to an ancestor, refuses one to a node that is not upstream', () => {
		const workflow = {
			nodes: [node('A', 'n8n-nodes-base.manualTrigger'), node('B', 'n8n-nodes-base.set'), node('C', 'n8n-nodes-base.set', { v: "={{ $('A').item.json.x }}" }), node('D', 'n8n-nodes-base.set', { v: "={{ $('C').first().json.x }}" })],
			connections: { ...link('A', 'B', 'C'), B: { main: [[{ node: 'C', type: 'main', index: 0 }], [{ node: 'D', type: 'main', index: 0 }]] } },
		};
		expect(violations(workflow)).toEqual(['node "D": reads node "C", which is not upstream of it on the connections']);
	});

	test('refuses long Code nodes, removed nodes, $getPairedItem, Execute Workflow per item and foreign node types', () => {
		const workflow = {
			nodes: [
				node('Long', 'n8n-nodes-base.code', { jsCode: Array.from({ length: 31 }, () => 'x;').join('\n') }),
				node('Fn', 'n8n-nodes-base.function'),
				node('Paired', 'n8n-nodes-base.code', { jsCode: 'return $getPairedItem();' }),
				node('Sub', 'n8n-nodes-base.executeWorkflow', { mode: 'each' }),
				node('Custom', 'CUSTOM.recoco'),
			],
			connections: {},
		};
		expect(violations(workflow)).toEqual([
			'node "Long": Code node of 31 lines (at most 30)',
			'node "Fn": n8n-nodes-base.function is removed in n8n 3.0',
			'node "Paired": uses $getPairedItem, removed in n8n 3.0',
			'node "Sub": Execute Workflow "once for each item" is removed in n8n 3.0',
			'node "Custom": type CUSTOM.recoco is neither n8n-nodes-sync-connectors.* nor n8n\'s own',
		]);
	});
});
