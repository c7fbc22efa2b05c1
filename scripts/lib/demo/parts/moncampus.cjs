'use strict';
/** MonCampus in the demo: its fake and its credential. */
module.exports = {
	key: 'moncampus',
	service: { factory: 'createMonCampusFake', port: 5705 },
	credentials: {
		monCampusApi: {
			id: 'monCampusDemo01',
			name: 'MonCampus (demo)',
			fake: 'moncampus',
			data: ({ moncampus }) => ({
				casLoginUrl: moncampus.casLoginUrl,
				timetableUrl: moncampus.timetableBaseUrl,
				username: 'demo.student',
				password: 'demo-password',
				sessionToken: '',
			}),
		},
	},
};
