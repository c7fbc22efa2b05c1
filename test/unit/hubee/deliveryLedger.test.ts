import {
	DEFAULT_LEASE_SETTINGS,
	heldCount,
	nextEmissionAt,
	planPoll,
	type DeliveryLedger,
	type LeaseSettings,
} from '../../../nodes/Hubee/helpers/deliveryLedger';

const MIN = 60_000;
const settings: LeaseSettings = { ...DEFAULT_LEASE_SETTINGS, leaseMs: 15 * MIN, backoffMs: 5 * MIN };
const n = (id: string) => ({ id });
const poll = (ledger: DeliveryLedger, ids: string[], now: number, requested = 25, limit = 25) =>
	planPoll(ledger, ids.map(n), { now, requested, limit, settings });

describe('planPoll', () => {
	test('new notifications are emitted once and leased; the ledger is unchanged when nothing is emitted', () => {
		const first = poll({}, ['a', 'b'], 0);
		expect(first.deliveries.map((d) => [d.notification.id, d.attempt, d.expiries, d.poisoned])).toEqual([
			['a', 1, 0, false],
			['b', 1, 0, false],
		]);
		expect(first.ledger.a).toEqual({ emits: 1, lastEmittedAt: 0, leaseUntil: 15 * MIN });
		const again = poll(first.ledger, ['a', 'b'], 14 * MIN);
		expect(again.deliveries).toEqual([]);
		expect(again.held).toBe(2);
		expect(again.ledger).toBe(first.ledger);
	});

	test('after a lease expires the notification waits its backoff, then comes back; the wait doubles', () => {
		let ledger = poll({}, ['a'], 0).ledger;
		expect(poll(ledger, ['a'], 15 * MIN).deliveries).toEqual([]);
		const second = poll(ledger, ['a'], 20 * MIN);
		expect(second.deliveries[0]).toMatchObject({ attempt: 2, expiries: 1, poisoned: false });
		ledger = second.ledger;
		// lease 20+15 = 35, then 2 × 5 min of backoff
		expect(nextEmissionAt(ledger.a, settings)).toBe(45 * MIN);
		expect(poll(ledger, ['a'], 44 * MIN).deliveries).toEqual([]);
		expect(poll(ledger, ['a'], 45 * MIN).deliveries[0]).toMatchObject({ attempt: 3, expiries: 2 });
	});

	test('after 5 expired leases the notification is emitted flagged poisoned', () => {
		let ledger: DeliveryLedger = {};
		const flags: boolean[] = [];
		let now = 0;
		for (let round = 0; round < 7; round++) {
			const plan = poll(ledger, ['a'], now);
			expect(plan.deliveries).toHaveLength(1);
			flags.push(plan.deliveries[0].poisoned);
			ledger = plan.ledger;
			now = nextEmissionAt(ledger.a, settings);
		}
		expect(flags).toEqual([false, false, false, false, false, true, true]);
	});

	test('entries are pruned after a short GET without them, never after a full one', () => {
		const ledger = poll({}, ['a', 'b', 'c'], 0, 3).ledger;
		// full batch (3 of 3 requested): 'c' may just be further down the queue
		const full = poll(ledger, ['a', 'b', 'd'], MIN, 3);
		expect(Object.keys(full.ledger).sort()).toEqual(['a', 'b', 'c', 'd']);
		// short batch: the whole queue was seen, 'b' and 'c' were deleted
		const short = poll(full.ledger, ['a', 'e'], 2 * MIN, 3);
		expect(Object.keys(short.ledger).sort()).toEqual(['a', 'e']);
	});

	test('entries older than 24 h are dropped, so a stuck notification starts over', () => {
		const ledger = poll({}, ['a'], 0).ledger;
		const later = poll(ledger, ['a', 'z'], 24 * 60 * MIN + 1);
		expect(later.deliveries.map((d) => [d.notification.id, d.attempt])).toEqual([
			['a', 1],
			['z', 1],
		]);
	});

	test('at most `limit` are emitted; held ones are counted for the look-past window', () => {
		const first = poll({}, ['a', 'b', 'c'], 0, 25, 2);
		expect(first.deliveries.map((d) => d.notification.id)).toEqual(['a', 'b']);
		expect(first.ledger.c).toBeUndefined();
		expect(heldCount(first.ledger, MIN, settings)).toBe(2);
		const next = poll(first.ledger, ['a', 'b', 'c'], MIN, 25, 2);
		expect(next.deliveries.map((d) => d.notification.id)).toEqual(['c']);
		expect(next.held).toBe(2);
	});
});
