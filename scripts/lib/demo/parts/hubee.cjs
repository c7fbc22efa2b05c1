'use strict';
/** HubEE in the demo: its fake and its credential. */
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
};
