import {
	REDELIVERY_WINDOW_MS,
	RUNNING_LIMIT_MS,
	deliveryFingerprint,
	ledgerVerdict,
	recordOutcome,
	recordRunning,
	withEntry,
	type RedeliveryLedger,
} from '../../../nodes/Recoco/helpers/redeliveryLedger';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);

describe('redelivery ledger', () => {
	it('fingerprints the raw bytes: same body same print, any byte differs', () => {
		const a = deliveryFingerprint(Buffer.from('{"topic": "x"}'));
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(deliveryFingerprint(Buffer.from('{"topic": "x"}'))).toBe(a);
		expect(deliveryFingerprint(Buffer.from('{"topic":"x"}'))).not.toBe(a);
	});

	it('a body is new, then running, then succeeded for the window, then forgotten', () => {
		expect(ledgerVerdict({}, 'abc', T0)).toBe('new');
		const running = recordRunning({}, 'abc', T0);
		expect(ledgerVerdict(running, 'abc', T0 + 1000)).toBe('running');
		const done = recordOutcome(running, 'abc', true, T0 + 5000);
		expect(ledgerVerdict(done, 'abc', T0 + 5000 + REDELIVERY_WINDOW_MS - 1)).toBe('succeeded');
		expect(ledgerVerdict(done, 'abc', T0 + 5000 + REDELIVERY_WINDOW_MS)).toBe('new');
		expect(ledgerVerdict(done, 'other', T0 + 6000)).toBe('new');
	});

	it('a failed run forgets the body, so its retry is new', () => {
		const failed = recordOutcome(recordRunning({}, 'abc', T0), 'abc', false, T0 + 5000);
		expect(failed).toEqual({});
		expect(ledgerVerdict(failed, 'abc', T0 + 60_000)).toBe('new');
	});

	it('a run whose answer was never seen counts as going on only up to the running limit', () => {
		const running = recordRunning({}, 'abc', T0);
		expect(ledgerVerdict(running, 'abc', T0 + RUNNING_LIMIT_MS - 1)).toBe('running');
		expect(ledgerVerdict(running, 'abc', T0 + RUNNING_LIMIT_MS)).toBe('new');
	});

	it('an outcome for a body that is not running changes nothing (a late answer cannot resurrect a forgotten entry)', () => {
		expect(recordOutcome({}, 'abc', true, T0)).toEqual({});
		const done: RedeliveryLedger = { abc: { state: 'succeeded', at: T0 } };
		expect(recordOutcome(done, 'abc', false, T0 + 1)).toBe(done);
	});

	it('does not mutate the ledger it is given', () => {
		const ledger: RedeliveryLedger = { old: { state: 'succeeded', at: T0 } };
		const next = recordRunning(ledger, 'new', T0 + 10);
		expect(ledger).toEqual({ old: { state: 'succeeded', at: T0 } });
		expect(next).toEqual({ new: { state: 'running', at: T0 + 10 }, old: { state: 'succeeded', at: T0 } });
	});

	it('prunes expired entries when recording', () => {
		const ledger: RedeliveryLedger = {
			expired: { state: 'succeeded', at: T0 - REDELIVERY_WINDOW_MS - 1 },
			stale: { state: 'running', at: T0 - RUNNING_LIMIT_MS },
			live: { state: 'succeeded', at: T0 - 1000 },
		};
		expect(Object.keys(recordRunning(ledger, 'new', T0)).sort()).toEqual(['live', 'new']);
	});

	it('stays within its size bound, dropping the oldest entries', () => {
		let ledger: RedeliveryLedger = {};
		for (let i = 0; i < 10; i++) ledger = withEntry(ledger, `d${i}`, { state: 'running', at: T0 + i }, T0 + i, 4);
		expect(Object.keys(ledger).sort()).toEqual(['d6', 'd7', 'd8', 'd9']);
	});

	it('ignores junk entries', () => {
		const ledger = { bad: 'x', odd: { state: 'maybe', at: T0 }, good: { state: 'succeeded', at: T0 } } as unknown as RedeliveryLedger;
		expect(ledgerVerdict(ledger, 'bad', T0)).toBe('new');
		expect(ledgerVerdict(ledger, 'odd', T0)).toBe('new');
		expect(Object.keys(recordRunning(ledger, 'n', T0 + 1)).sort()).toEqual(['good', 'n']);
	});
});
