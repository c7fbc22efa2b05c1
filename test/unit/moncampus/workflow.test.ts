/* The shape rules of workflows/moncampus-to-ecal.json that a run cannot show: data along the connections (a `$('…')`
 * only of an upstream node), config as data, short Code, stable ids, no secrets. Its behaviour is the e2e's job. */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Json = Record<string, any>;

const workflow: Json = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../workflows/moncampus-to-ecal.json'), 'utf8'));
const byName = new Map<string, Json>(workflow.nodes.map((node: Json) => [node.name, node]));

function parents(name: string): string[] {
	return Object.entries(workflow.connections as Json)
		.filter(([, outputs]) => (outputs.main as Json[][]).some((targets) => (targets ?? []).some((target) => target.node === name)))
		.map(([source]) => source);
}

function upstream(name: string, seen = new Set<string>()): Set<string> {
	for (const parent of parents(name)) {
		if (!seen.has(parent)) {
			seen.add(parent);
			upstream(parent, seen);
		}
	}
	return seen;
}

describe('workflows/moncampus-to-ecal.json', () => {
	test('every node has a stable unique id, our nodes have the package type, and every connection names a node', () => {
		const ids = workflow.nodes.map((node: Json) => node.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(workflow.id).toBe('monCampusToEcal01');
		const ours = workflow.nodes.filter((node: Json) => !node.type.startsWith('n8n-nodes-base.')).map((node: Json) => node.type);
		expect(ours.sort()).toEqual(['n8n-nodes-sync-connectors.ecal', 'n8n-nodes-sync-connectors.ecal', 'n8n-nodes-sync-connectors.monCampus']);
		for (const [source, outputs] of Object.entries(workflow.connections as Json)) {
			expect(byName.has(source)).toBe(true);
			for (const target of (outputs.main as Json[][]).flat()) expect(byName.has(target.node)).toBe(true);
		}
	});

	test("a $('…') reads only an upstream node", () => {
		for (const node of workflow.nodes) {
			const referenced = [...JSON.stringify(node.parameters).matchAll(/\$\(\s*\\?['"]([^'"\\]+)\\?['"]\s*\)/g)].map((match) => match[1]);
			const above = upstream(node.name);
			for (const name of referenced) expect({ node: node.name, reads: name, upstream: above.has(name) }).toEqual({ node: node.name, reads: name, upstream: true });
		}
	});

	test('one Config Set node holding data first, both triggers feed it, a sticky note says what to configure', () => {
		const config = byName.get('Config')!;
		expect(config.type).toBe('n8n-nodes-base.set');
		expect(parents('Config').sort()).toEqual(['Every 2 hours, 06:00–22:00', 'Sync now']);
		const fields = Object.fromEntries(config.parameters.assignments.assignments.map((field: Json) => [field.name, field.value]));
		expect(Object.keys(fields).sort()).toEqual(
			['adoptLegacyEvents', 'calendarId', 'defaultLocation', 'maxDeletePercent', 'referencePrefix', 'timeZone', 'windowEnd', 'windowStart'].sort(),
		);
		expect(fields).toMatchObject({ timeZone: 'Europe/Paris', referencePrefix: 'moncampus-', adoptLegacyEvents: false });
		expect(byName.get('Every 2 hours, 06:00–22:00')!.parameters.rule.interval[0].expression).toBe('0 6-22/2 * * *');
		expect(workflow.settings).toMatchObject({ executionOrder: 'v1', timezone: 'Europe/Paris' });
		const note = workflow.nodes.find((node: Json) => node.type === 'n8n-nodes-base.stickyNote');
		expect(note.parameters.content).toContain('**Configure:**');
	});

	test('Code nodes stay short and no node type the style rules out is used', () => {
		for (const node of workflow.nodes.filter((candidate: Json) => candidate.type === 'n8n-nodes-base.code')) {
			expect(node.parameters.jsCode.split('\n').length).toBeLessThanOrEqual(30);
		}
		const types = workflow.nodes.map((node: Json) => node.type);
		for (const banned of ['n8n-nodes-base.function', 'n8n-nodes-base.functionItem', 'n8n-nodes-base.itemLists', 'n8n-nodes-base.executeWorkflow']) {
			expect(types).not.toContain(banned);
		}
		expect(JSON.stringify(workflow)).not.toContain('$getPairedItem');
	});

	test('both syncs share their parameters, recount, and the retry runs at most once', () => {
		const first = byName.get('Sync to ecal')!;
		const again = byName.get('Sync again')!;
		expect(again.parameters).toEqual(first.parameters);
		expect(first.parameters.options.recount).toBe(true);
		// no connection leads back: the only way into "Sync again" is the first mismatch
		expect(upstream('Sync to ecal').has('Sync again')).toBe(false);
		expect(parents('Consistency check failed')).toEqual(['Still a mismatch?']);
	});

	test('credentials are references only', () => {
		for (const node of workflow.nodes) {
			for (const ref of Object.values((node.credentials ?? {}) as Json)) expect(Object.keys(ref).sort()).toEqual(['id', 'name']);
		}
		const logic = workflow.nodes.filter((node: Json) => node.type !== 'n8n-nodes-base.stickyNote');
		expect(JSON.stringify(logic)).not.toMatch(/password|apiSecret|sessionToken/i);
	});
});
