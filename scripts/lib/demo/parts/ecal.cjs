'use strict';
/** ecal in the demo: its fake and its credential. */
module.exports = {
	key: 'ecal',
	service: { factory: 'createEcalFake', port: 5704 },
	credentials: {
		ecalApi: {
			id: 'ecalDemo0000001',
			name: 'ECAL (demo)',
			fake: 'ecal',
			data: ({ ecal }) => ({ url: ecal.apiBaseUrl, apiKey: 'demo-ecal-key', apiSecret: 'demo-ecal-secret' }),
		},
	},
};
