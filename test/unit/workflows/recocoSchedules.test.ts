/**
 * Both Recoco workflows reconcile on a schedule, so that an event lost while a service was down (or never retried by
 * Recoco) leaves Grist or Les Communs stale for a day at most: an enabled daily Schedule Trigger feeds the same Config
 * node as the events, and from there the full resync branch (an item without `topic`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Json = Record<string, any>;

const readWorkflow = (file: string): Json => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'workflows', file), 'utf8'));

/** Names of the nodes a node's main outputs lead to, output by output. */
const targets = (workflow: Json, name: string): string[][] =>
	(workflow.connections[name]?.main ?? []).map((output: Json[] | null) => (output ?? []).map((connection) => connection.node));

describe.each(['recoco-to-grist.json', 'recoco-to-lescommuns.json'])('%s reconciles nightly', (file) => {
	const workflow = readWorkflow(file);
	const schedules = workflow.nodes.filter((node: Json) => node.type === 'n8n-nodes-base.scheduleTrigger');

	test('one enabled Schedule Trigger, once a day at night, into Config', () => {
		expect(schedules).toHaveLength(1);
		const [schedule] = schedules;
		expect(schedule.disabled).toBeFalsy();
		expect(schedule.parameters.rule.interval).toEqual([expect.objectContaining({ triggerAtHour: expect.any(Number) })]);
		const [interval] = schedule.parameters.rule.interval;
		expect(interval.field ?? 'days').toBe('days');
		expect(interval.daysInterval ?? 1).toBe(1);
		expect(interval.triggerAtHour).toBeLessThan(6);
		expect(targets(workflow, schedule.name)).toEqual([['Config']]);
	});

	test('Config leads a trigger item without topic to the full resync: every Recoco project', () => {
		expect(targets(workflow, 'Config')).toEqual([['Full resync?']]);
		const check = workflow.nodes.find((node: Json) => node.name === 'Full resync?');
		expect(check.parameters.conditions.conditions[0].leftValue).toBe('={{ $json.topic === undefined }}');
		expect(targets(workflow, 'Full resync?')[0]).toEqual(['All Recoco projects']);
		const all = workflow.nodes.find((node: Json) => node.name === 'All Recoco projects');
		expect(all.parameters).toMatchObject({ resource: 'project', operation: 'getMany', returnAll: true });
	});

	test('a Manual Trigger named "Full resync" runs the same branch by hand', () => {
		const manual = workflow.nodes.find((node: Json) => node.name === 'Full resync');
		expect(manual.type).toBe('n8n-nodes-base.manualTrigger');
		expect(targets(workflow, 'Full resync')).toEqual([['Config']]);
	});
});
