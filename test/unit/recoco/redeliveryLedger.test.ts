import {
	REDELIVERY_WINDOW_MS,
	deliveryFingerprint,
	recordAccepted,
	wasAccepted,
} from '../../../nodes/Recoco/helpers/redeliveryLedger';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);

describe('redelivery ledger', () => {
	it('fingerprints the raw bytes: same body same print, any byte differs', () => {
		const a = deliveryFingerprint(Buffer.from('{"topic": "x"}'));
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(deliveryFingerprint(Buffer.from('{"topic": "x"}'))).toBe(a);
		expect(deliveryFingerprint(Buffer.from('{"topic":"x"}'))).not.toBe(a);
	});

	it('remembers an accepted delivery for the window, then forgets it', () => {
		const ledger = recordAccepted({}, 'abc', T0);
		expect(wasAccepted(ledger, 'abc', T0 + 1000)).toBe(true);
		expect(wasAccepted(ledger, 'abc', T0 + REDELIVERY_WINDOW_MS - 1)).toBe(true);
		expect(wasAccepted(ledger, 'abc', T0 + REDELIVERY_WINDOW_MS)).toBe(false);
		expect(wasAccepted(ledger, 'other', T0 + 1000)).toBe(false);
	});

	it('does not mutate the ledger it is given', () => {
		const ledger = { old: T0 };
		const next = recordAccepted(ledger, 'new', T0 + 10);
		expect(ledger).toEqual({ old: T0 });
		expect(next).toEqual({ new: T0 + 10, old: T0 });
	});

	it('prunes expired entries when recording', () => {
		const ledger = { expired: T0 - REDELIVERY_WINDOW_MS - 1, live: T0 - 1000 };
		expect(recordAccepted(ledger, 'new', T0)).toEqual({ new: T0, live: T0 - 1000 });
	});

	it('stays within its size bound, dropping the oldest entries', () => {
		let ledger = {};
		for (let i = 0; i < 10; i++) ledger = recordAccepted(ledger, `d${i}`, T0 + i, REDELIVERY_WINDOW_MS, 4);
		expect(Object.keys(ledger).sort()).toEqual(['d6', 'd7', 'd8', 'd9']);
	});

	it('refreshes the time of a delivery recorded again', () => {
		const ledger = recordAccepted(recordAccepted({}, 'a', T0), 'a', T0 + 5000);
		expect(ledger).toEqual({ a: T0 + 5000 });
	});

	it('ignores junk left in static data', () => {
		const ledger = { bad: 'x' as unknown as number, good: T0 };
		expect(wasAccepted(ledger, 'bad', T0)).toBe(false);
		expect(recordAccepted(ledger, 'n', T0 + 1)).toEqual({ n: T0 + 1, good: T0 });
	});
});
