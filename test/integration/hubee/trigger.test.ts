import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow } from '../../harness/runWorkflow';
import { credentials, PROCESS, startFake } from './support';

jest.setTimeout(180_000);

const MIN = 60_000;
let fake: any;
let clock: number;
const originalSleep = transportClock.sleep;

beforeEach(async () => {
	fake = await startFake();
	clock = Date.UTC(2026, 11, 2, 8, 0, 0);
	jest.spyOn(Date, 'now').mockImplementation(() => clock);
	transportClock.sleep = async () => {};
});

afterEach(async () => {
	jest.restoreAllMocks();
	transportClock.sleep = originalSleep;
	await fake.stop();
});

/** One poll of the trigger with the workflow's static data (kept by the caller between polls, as n8n keeps it). */
async function poll(staticData: IDataObject, parameters: IDataObject = {}) {
	const run = await runWorkflow({
		nodes: [
			{
				name: 'HubEE Trigger',
				type: 'hubeeTrigger',
				parameters: { processCode: PROCESS, maxResult: 25, leaseTimeoutMinutes: 15, retryBackoffMinutes: 5, ...parameters },
				credentials: { hubeeApi: 'hubee' },
			},
		],
		connections: ['HubEE Trigger'],
		credentials: credentials(fake),
		staticData,
	});
	const error = run.error ?? run.nodeError('HubEE Trigger');
	if (error) throw error;
	return run.output('HubEE Trigger');
}

const ledgerOf = (staticData: IDataObject) => (staticData['node:HubEE Trigger'] as IDataObject | undefined)?.ledger as IDataObject;

test('one enriched item per notification; held while leased; never deletes nor acks; pruned once deleted', async () => {
	const withFile = fake.addCase({ processCode: PROCESS, externalId: 'TD-1', attachments: [{ fileName: 'a.pdf', content: 'A' }] });
	const other = fake.addCase({ processCode: PROCESS, externalId: 'TD-2' });
	const { event } = fake.addOslEvent(other.case.id, { actionType: 'ATTACH_DEPOSIT', attachments: [{ fileName: 'b.pdf', content: 'B' }] });
	const purged = fake.addCase({ processCode: PROCESS, externalId: 'TD-3' });
	delete fake.state.cases[purged.case.id];
	fake.addCase({ processCode: 'OtherProcess' });
	const staticData: IDataObject = {};

	const first = await poll(staticData);
	expect(first).toHaveLength(4);
	const byCase = (caseId: string, eventId: string | null = null) => first.find((i) => i.caseId === caseId && (i.eventId ?? null) === eventId)!;
	expect(byCase(withFile.case.id)).toMatchObject({
		id: withFile.notification.id,
		externalId: 'TD-1',
		caseStatus: 'HUBEE_NOTIFIED',
		attachments: [{ fileName: 'a.pdf', status: 'RECEIVED' }],
		case: { id: withFile.case.id },
		poisoned: false,
		delivery: { attempt: 1, expiries: 0 },
		detailsError: null,
	});
	expect(byCase(other.case.id, event.id)).toMatchObject({
		eventActionType: 'ATTACH_DEPOSIT',
		eventStatus: 'SENT',
		externalId: 'TD-2',
		event: { id: event.id },
		attachments: [{ fileName: 'b.pdf' }],
	});
	expect(byCase(purged.case.id).detailsError).toMatch(/Case is not found/);
	expect(Object.keys(ledgerOf(staticData))).toHaveLength(4);
	expect(fake.requests((r: IDataObject) => r.method !== 'GET' && r.path !== '/oauth2/token')).toHaveLength(0);

	// While the leases hold, nothing is emitted and the ledger is left alone (n8n would not save it anyway).
	clock += 5 * MIN;
	const before = JSON.stringify(staticData);
	expect(await poll(staticData)).toEqual([]);
	expect(JSON.stringify(staticData)).toBe(before);

	// The workflow deleted two; a new notification arrives: emitted, and the short GET prunes the deleted two.
	for (const id of [withFile.notification.id, purged.notification.id]) {
		fake.state.notifications = fake.state.notifications.filter((n: IDataObject) => n.id !== id);
	}
	const fresh = fake.addCase({ processCode: PROCESS, externalId: 'TD-4' });
	const next = await poll(staticData);
	expect(next.map((i) => i.id)).toEqual([fresh.notification.id]);
	expect(Object.keys(ledgerOf(staticData)).sort()).toEqual(
		[other.notification.id, fresh.notification.id, fake.notifications().find((n: IDataObject) => n.eventId)!.id].sort(),
	);
	// Never a foreign notification.
	expect(fake.notifications().filter((n: IDataObject) => n.processCode === 'OtherProcess')).toHaveLength(1);
	for (const request of fake.requests((r: IDataObject) => String(r.path).endsWith('/notifications'))) {
		expect((request as any).query).toMatchObject({ processCode: PROCESS, eventDetails: 'true' });
	}
});

test('an expired lease is re-emitted after its backoff; after 5 expiries the notification comes flagged poisoned', async () => {
	const { notification } = fake.addCase({ processCode: PROCESS });
	const staticData: IDataObject = {};
	const params = { leaseTimeoutMinutes: 1, retryBackoffMinutes: 1 };
	const emissions: IDataObject[] = [];
	const start = clock;
	// Poll every minute for an hour and a half, as a trigger set to "every minute" would.
	for (let minute = 0; minute <= 90; minute++) {
		clock = start + minute * MIN;
		for (const item of await poll(staticData, params)) emissions.push({ minute, ...(item as IDataObject) });
	}
	expect(emissions.every((e) => e.id === notification.id)).toBe(true);
	// lease 1 min, then backoff 1, 2, 4, 8, 16, 32 min after the 1st, 2nd, … expiry
	expect(emissions.map((e) => e.minute)).toEqual([0, 2, 5, 10, 19, 36, 69]);
	expect(emissions.map((e) => (e.delivery as IDataObject).expiries)).toEqual([0, 1, 2, 3, 4, 5, 6]);
	expect(emissions.map((e) => e.poisoned)).toEqual([false, false, false, false, false, true, true]);

	// With no backoff, an expired lease comes back at the first poll after it.
	const quick: IDataObject = {};
	clock = start + 200 * MIN;
	const fast: number[] = [];
	for (let minute = 0; minute < 8; minute++) {
		clock = start + (200 + minute) * MIN;
		if ((await poll(quick, { leaseTimeoutMinutes: 1, retryBackoffMinutes: 0 })).length) fast.push(minute);
	}
	expect(fast).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
});

test('held notifications do not hide the rest of the queue: the GET looks past them, and fails loudly when it cannot', async () => {
	for (let index = 0; index < 30; index++) fake.addCase({ processCode: PROCESS, externalId: `TD-${index}` });
	const staticData: IDataObject = {};
	const first = await poll(staticData, { options: { includeDetails: false } });
	expect(first).toHaveLength(25);
	clock += MIN;
	const second = await poll(staticData, { options: { includeDetails: false } });
	expect(second).toHaveLength(5);
	expect(new Set([...first, ...second].map((i) => i.id)).size).toBe(30);
	const lastGet = fake.requests((r: IDataObject) => String(r.path).endsWith('/notifications')).pop() as any;
	expect(lastGet.query.maxResult).toBe('50');

	// 101 stuck notifications, emitted 2 per poll and never deleted: once 100 are held, the poll says so.
	await fake.reset();
	for (let index = 0; index < 101; index++) fake.addCase({ processCode: PROCESS, notify: true });
	const stuck: IDataObject = {};
	let emitted = 0;
	for (let round = 0; round < 50; round++) {
		clock += 10_000;
		emitted += (await poll(stuck, { maxResult: 2, options: { includeDetails: false } })).length;
	}
	expect(emitted).toBe(100);
	clock += 10_000;
	// The error crosses jest's realm, so its message is compared rather than its class.
	const failure = await poll(stuck, { maxResult: 2, options: { includeDetails: false } }).then(
		() => undefined,
		(error: Error) => error,
	);
	expect(failure?.message).toMatch(/first 100 notifications of the HubEE queue are all held/);
});
