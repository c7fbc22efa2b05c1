'use strict';
/** HubEE in the demo: its fake, its credential, and the HubEE → files workflow pointed at n8n's files folder. */
const path = require('node:path');
const { configField } = require('../workflows.cjs');
const demoHubee = require('../../demo-hubee.cjs');

module.exports = {
	key: 'hubee',
	service: { factory: 'createHubeeFake', port: 5706 },
	credentials: {
		hubeeApi: {
			id: 'hubeeDemo000001',
			name: 'HubEE (demo)',
			fake: 'hubee',
			data: ({ hubee }) => ({
				environment: 'custom',
				apiUrl: hubee.apiBaseUrl,
				tokenUrl: hubee.tokenUrl,
				clientId: 'demo-hubee-client',
				clientSecret: 'demo-hubee-secret',
				scope: 'SI',
				editorName: 'Demo editor',
				applicationName: 'n8n-nodes-sync-connectors',
				softwareVersion: '0.1.0',
				accessToken: '',
			}),
		},
	},
	workflows: {
		[demoHubee.WORKFLOW_ID]: {
			publish: demoHubee.publish,
			/**
			 * The fake already holds its own seedDemo (services.cjs runs it when it starts the fake): only the rest of the
			 * demo queue is added. The download root goes under `<userFolder>/files`, the one folder the demo's n8n may
			 * write to (N8N_RESTRICT_FILE_ACCESS_TO); n8n's runtime creates that folder, and Save creates the root in it.
			 */
			prepare(stack, workflow) {
				const { hubee } = stack.services;
				if (!hubee || !stack.userFolder) return;
				demoHubee.seedMore(hubee);
				const values = demoHubee.config(path.join(stack.userFolder, 'files'));
				for (const [name, value] of Object.entries(values)) configField(workflow, name).value = value;
				stack.hubee = { downloadRoot: values.downloadRoot, processCode: values.processCode };
			},
			howTo: (workflow, stack) => (stack.hubee ? demoHubee.summaryLines(stack.hubee).map((line) => `      ${line}`) : []),
		},
	},
};
