'use strict';
/** Les Communs in the demo: its fake and its credential (the Recoco → Les Communs workflow is configured in recoco.cjs). */
module.exports = {
	key: 'lescommuns',
	service: { factory: 'createLesCommunsFake', port: 5703 },
	credentials: {
		lesCommunsApi: {
			id: 'lesCommunsDemo1',
			name: 'Les Communs (demo)',
			fake: 'lescommuns',
			data: ({ lescommuns }) => ({ environment: 'custom', url: lescommuns.baseUrl, apiKey: 'lescommuns-demo-key' }),
		},
	},
};
