/* The `npm start` module of the MonCampus → ecal workflow: it seeds both fakes, fills Config in memory only, and
 * makes the credentials the workflow references, pointing at the fakes. */
const demo = require('../../../scripts/lib/demo-moncampus-ecal.cjs');
const { createMonCampusFake } = require('../../fakes/moncampus.cjs');
const { createEcalFake } = require('../../fakes/ecal.cjs');

export {};

describe('demo-moncampus-ecal', () => {
	let moncampus: any;
	let ecal: any;

	beforeEach(async () => {
		moncampus = await createMonCampusFake().start();
		ecal = await createEcalFake().start();
	});
	afterEach(async () => {
		await Promise.all([moncampus.stop(), ecal.stop()]);
	});

	test('seeds courses and both calendars once, even after the fakes’ own seedDemo()', () => {
		ecal.seedDemo();
		const first = demo.seed({ moncampus, ecal });
		const again = demo.seed({ moncampus, ecal });
		expect(again).toEqual(first);
		expect(first.courses).toBeGreaterThan(50);
		expect(ecal.calendars().map((calendar: any) => calendar.reference).sort()).toEqual(['demo-bde', 'demo-ipi-g1']);
		expect(first.calendarId).toBe(ecal.calendars().find((calendar: any) => calendar.reference === 'demo-ipi-g1').id);
	});

	test('sets the demo calendar in Config in memory; the shipped file keeps its placeholder', () => {
		const seeded = demo.seed({ moncampus, ecal });
		const workflow = demo.withDemoConfig(demo.readWorkflow(), seeded);
		const config = workflow.nodes.find((node: any) => node.name === 'Config').parameters.assignments.assignments;
		expect(config.find((field: any) => field.name === 'calendarId').value).toBe(seeded.calendarId);
		const shipped = demo.readWorkflow().nodes.find((node: any) => node.name === 'Config').parameters.assignments.assignments;
		expect(shipped.find((field: any) => field.name === 'calendarId').value).toBe('YOUR_ECAL_CALENDAR_ID');
	});

	test('a renamed Config field stops the demo', () => {
		const workflow = demo.readWorkflow();
		workflow.nodes.find((node: any) => node.name === 'Config').parameters.assignments.assignments[0].name = 'calendar';
		expect(() => demo.checkConfigFields(workflow)).toThrow('its Config node has no field "calendarId"');
	});

	test('makes every credential the workflow references, pointing at the fakes', () => {
		const credentials = demo.credentials({ moncampus, ecal });
		expect(credentials.map((credential: any) => [credential.id, credential.type]).sort()).toEqual([
			['ecalApiCred00001', 'ecalApi'],
			['monCampusCred001', 'monCampusApi'],
		]);
		const monCampus = credentials.find((credential: any) => credential.type === 'monCampusApi');
		expect(monCampus.data).toMatchObject({ casLoginUrl: moncampus.casLoginUrl, timetableUrl: moncampus.timetableBaseUrl, username: 'demo.student' });
	});
});
