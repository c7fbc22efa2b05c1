'use strict';
/** MonCampus in the demo: its fake, its credential, and the MonCampus → ecal workflow pointed at the demo calendar. */
const { configField } = require('../workflows.cjs');
const monCampusEcal = require('../../demo-moncampus-ecal.cjs');

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
	workflows: {
		[monCampusEcal.WORKFLOW_ID]: {
			/** Demo courses in MonCampus, the demo calendar (and a foreign one) in ecal; Config gets the calendar's id. */
			prepare(stack, workflow) {
				const { moncampus, ecal } = stack.services;
				if (!moncampus || !ecal) return;
				stack.monCampusEcal = monCampusEcal.seed({ moncampus, ecal });
				configField(workflow, 'calendarId').value = stack.monCampusEcal.calendarId;
			},
			howTo: (workflow, stack) =>
				stack.monCampusEcal ? monCampusEcal.summaryLines(stack.server?.baseUrl ?? '', stack.monCampusEcal).map((line) => `      ${line}`) : [],
		},
	},
};
