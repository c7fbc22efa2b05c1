/**
 * scripts/lib/demo-hubee.cjs stays in step with the bundled workflow it configures for `npm start`: the workflow id and
 * credential reference exist, every Config value it sets is a Config field, and its seed gives the demo HubEE a queue
 * with new cases, events and another démarche's notification.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const demo = require(path.join(REPO_ROOT, 'scripts/lib/demo-hubee.cjs'));
const { createHubeeFake } = require(path.join(REPO_ROOT, 'test/fakes/hubee.cjs'));
const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows/hubee-attachments-to-folders.json'), 'utf8'));

describe('demo-hubee module', () => {
	test('names the bundled workflow, its credential reference and only existing Config fields', () => {
		expect(demo.WORKFLOW_ID).toBe(workflow.id);
		expect(demo.WORKFLOW_NAME).toBe(workflow.name);
		const refs = workflow.nodes.flatMap((node: any) => Object.entries(node.credentials ?? {}).map(([type, ref]: [string, any]) => ({ type, ...ref })));
		expect(new Set(refs.map((ref: any) => JSON.stringify(ref)))).toEqual(new Set([JSON.stringify(demo.CREDENTIAL_REF)]));
		const config = workflow.nodes.find((node: any) => node.name === 'Config');
		const fields = config.parameters.assignments.assignments.map((assignment: any) => assignment.name);
		const values = demo.config('/srv/n8n-files');
		expect(Object.keys(values).filter((name) => !fields.includes(name))).toEqual([]);
		expect(values.downloadRoot).toBe(path.join('/srv/n8n-files', 'hubee'));
	});

	test('seeds new cases, an OSL message, files sent later and a notification of another démarche', async () => {
		const fake = createHubeeFake();
		await fake.start();
		try {
			expect(demo.seed(fake)).toHaveLength(4);
			const queue = fake.notifications();
			const ours = queue.filter((notification: any) => notification.processCode === demo.PROCESS_CODE);
			expect(ours.filter((notification: any) => !notification.eventId)).toHaveLength(4);
			expect(ours.filter((notification: any) => notification.eventId).map((notification: any) => fake.getEvent(notification.eventId).actionType).sort()).toEqual([
				'ATTACH_DEPOSIT',
				'SENDING_MESSAGE',
			]);
			expect(queue.filter((notification: any) => notification.processCode !== demo.PROCESS_CODE)).toHaveLength(1);
		} finally {
			await fake.stop();
		}
	});

	test('on a fake already seeded by its own seedDemo (as npm start starts it), seedMore gives the same queue', async () => {
		const fresh = createHubeeFake();
		const started = createHubeeFake();
		await fresh.start();
		await started.start();
		try {
			demo.seed(fresh);
			started.seedDemo();
			expect(demo.seedMore(started)).toHaveLength(1);
			const shape = (fake: any) =>
				fake
					.notifications()
					.map((notification: any) => [notification.processCode, notification.eventId ? fake.getEvent(notification.eventId).actionType : 'NEW_CASE'])
					.sort();
			expect(shape(started)).toEqual(shape(fresh));
			expect(shape(started)).toHaveLength(7);
		} finally {
			await fresh.stop();
			await started.stop();
		}
	});

	test('the banner says where the files land and how to run the workflow', () => {
		const lines = demo.summaryLines({ downloadRoot: '/srv/n8n/files/hubee' });
		expect(lines.join('\n')).toContain(`/srv/n8n/files/hubee/${demo.PROCESS_CODE}/<case>/<attachmentId>__<name>`);
		expect(lines.join('\n')).toMatch(/Execute workflow/);
	});
});
