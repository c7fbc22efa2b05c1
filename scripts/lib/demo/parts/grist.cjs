'use strict';
/** Grist in the demo: its fake, its credential, and the Recoco → Grist workflow pointed at the fake's demo document. */
const { configField } = require('../workflows.cjs');

/** The Grist fake's demo document (test/fakes/grist.cjs seedDemo). */
const DEMO_GRIST_DOC = 'demoDoc';

module.exports = {
	key: 'grist',
	service: { factory: 'createGristFake', port: 5702 },
	credentials: {
		gristSyncApi: {
			id: 'gristDemo000001',
			name: 'Grist (demo)',
			fake: 'grist',
			data: ({ grist }) => ({ url: grist.baseUrl, apiKey: 'grist-demo-key' }),
		},
	},
	workflows: {
		recocoToGrist0001: {
			config: { gristDocId: DEMO_GRIST_DOC },
			publish: true,
			/** The Grist table the workflow upserts into must exist (its columns the workflow ensures itself). */
			prepare(stack, workflow) {
				const grist = stack.services.grist;
				if (!grist) return;
				const docId = configField(workflow, 'gristDocId').value;
				const tableId = configField(workflow, 'gristTableId').value;
				grist.seed({ docs: [{ id: docId, name: 'Demo', tables: [{ id: tableId, columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }] }] }] });
				stack.grist = { docId, tableId };
			},
			howTo: (workflow, stack) => {
				const grist = stack.services.grist;
				const lines = [
					`      Grist table "${stack.grist?.tableId}" of document "${stack.grist?.docId}" (seeded with its object_id key column)`,
					'      live: npm run demo:recoco-event [-- --project=<id>]  (a signed Recoco webhook, to both Recoco workflows)',
					'      full resync: open it and click "Execute workflow" on the "Full resync" trigger: every demo project',
				];
				if (grist) {
					lines.push(
						`      see: curl ${grist.baseUrl}/__fake/state  (or ${grist.baseUrl}/api/docs/${stack.grist?.docId}/tables/${stack.grist?.tableId}/records with Authorization: Bearer grist-demo-key)`,
					);
				}
				return lines;
			},
		},
	},
	state: (stack) => ({ grist: stack.grist }),
	DEMO_GRIST_DOC,
};
