/**
 * The built ECAL node in a real n8n 2.41 (community package install), Event → Sync against the ecal fake, which checks
 * every signature: a first run creates, a rerun writes nothing, a changed input updates in place and deletes the
 * cancelled event, and another calendar of the account is never touched. (The MonCampus → ECAL workflow has its own e2e.)
 */
import { loadFake, runtimeLib, type N8nRuntime, scaled } from './support/repo';

jest.setTimeout(scaled(300000));

const CREDENTIAL_ID = 'e2eEcalCred00001';

/** One workflow per run: the desired courses are inline in its Code node. */
function workflow(id: string, calendarId: string, courses: object[]) {
	return {
		id,
		name: `e2e: Code → ECAL Sync (${id})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'ec000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'ec000000-0000-4000-8000-000000000002',
				name: 'Courses',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(courses)}.map((json) => ({ json }));` },
			},
			{
				id: 'ec000000-0000-4000-8000-000000000003',
				name: 'Sync calendar',
				type: 'n8n-nodes-sync-connectors.ecal',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'event',
					operation: 'sync',
					calendarId: { __rl: true, mode: 'id', value: calendarId },
					windowStart: '2030-09-01',
					windowEnd: '2030-09-30',
					timezone: 'Europe/Paris',
					referencePrefix: 'moncampus-',
					options: { recount: true },
				},
				credentials: { ecalApi: { id: CREDENTIAL_ID, name: 'ECAL (fake)' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Courses', type: 'main', index: 0 }]] },
			Courses: { main: [[{ node: 'Sync calendar', type: 'main', index: 0 }]] },
		},
	};
}

const course = (n: number, location = 'B110') => ({
	reference: `moncampus-${n}`,
	name: `Cours ${n}`,
	location,
	start: `2030-09-${String(n).padStart(2, '0')}T08:30:00+02:00`,
	end: `2030-09-${String(n).padStart(2, '0')}T12:00:00+02:00`,
	details: `Intervenant : Prof ${n}`,
});

describe('ECAL node in a real n8n', () => {
	let n8n: N8nRuntime;
	let ecal: Record<string, any>;
	let calendarId: string;
	let otherCalendar: Record<string, any>;

	beforeAll(async () => {
		const { createEcalFake } = loadFake('ecal')!;
		ecal = createEcalFake({ apiKey: 'ecal-e2e-key', secret: 'ecal-e2e-sécret', today: '2030-09-15' });
		await ecal.start();
		calendarId = ecal.addCalendar({ name: 'IPI Lyon - G1' }).id;
		const other = ecal.addCalendar({ name: 'BDE' });
		otherCalendar = ecal.addEvent({ calendarId: other.id, reference: 'moncampus-2', name: 'Soirée', location: 'Campus', startDate: '2030-09-02', startTime: '19:00', endDate: '2030-09-02', endTime: '23:00' });
		n8n = await runtimeLib.createN8nRuntime();
		await n8n.importCredentials([
			{ id: CREDENTIAL_ID, name: 'ECAL (fake)', type: 'ecalApi', data: { url: ecal.apiBaseUrl, apiKey: 'ecal-e2e-key', apiSecret: 'ecal-e2e-sécret' } },
		]);
		// moncampus-2 is taken in the other calendar (references are account-wide in ECAL): no course uses it.
		const runs = [
			workflow('e2eEcalSyncRun001', calendarId, [course(1), course(3), course(4)]),
			workflow('e2eEcalSyncRun002', calendarId, [course(1), course(3), course(4)]),
			workflow('e2eEcalSyncRun003', calendarId, [course(1, 'A204'), course(3), course(5)]),
		];
		expect(await n8n.importWorkflow(runs)).toEqual(runs.map((run) => run.id));
	});

	afterAll(async () => {
		await n8n?.stop();
		await ecal?.stop();
	});

	const writes = () => ecal.apiRequests().filter((entry: { method: string }) => entry.method !== 'GET');
	const summaryOf = (run: unknown) => runtimeLib.nodeOutput(run, 'Sync calendar').at(-1);

	test('creates, then writes nothing, then updates in place and deletes; the other calendar is untouched', async () => {
		const first = await n8n.execute('e2eEcalSyncRun001');
		expect(summaryOf(first)).toMatchObject({ created: 3, ourEventsInWindow: 3, recounted: true, consistent: true });

		ecal.clearLog();
		const second = await n8n.execute('e2eEcalSyncRun002');
		expect(summaryOf(second)).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 3 });
		expect(writes()).toEqual([]);

		ecal.clearLog();
		const third = await n8n.execute('e2eEcalSyncRun003');
		expect(summaryOf(third)).toMatchObject({ created: 1, updated: 1, deleted: 1, unchanged: 1, consistent: true });
		expect(writes().map((entry: { method: string }) => entry.method).sort()).toEqual(['DELETE', 'POST', 'PUT']);
		expect(ecal.events()).toContainEqual(otherCalendar);
	});
});
