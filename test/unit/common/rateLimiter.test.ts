import { LeakyBucket, bucketFor, withSafetyMargin } from '../../../nodes/common/rateLimiter';

describe('the shared leaky bucket', () => {
	it('is one bucket per key whatever plan callers name, and the strictest plan applies', () => {
		const key = `test ${Math.random()}`;
		const standard = bucketFor(key, 2, 50, 'credential A');
		const enterprise = bucketFor(key, 5, 250, 'credential B');
		expect(enterprise).toBe(standard);
		expect(standard.ratePerSecond).toBe(2);
		expect(standard.burst).toBe(50);
		// A credential that changes its own plan replaces only its own.
		bucketFor(key, 1, 10, 'credential A');
		expect(standard.ratePerSecond).toBe(1);
		bucketFor(key, 3, 60, 'credential A');
		expect(standard.ratePerSecond).toBe(3);
		expect(standard.burst).toBe(60);
	});

	it('keeps its level when plans alternate: 56 takes need 3 s, not a few ms', async () => {
		const key = `test ${Math.random()}`;
		const started = Date.now();
		await Promise.all(
			Array.from({ length: 56 }, (_, i) =>
				bucketFor(key, i % 2 ? 5 : 2, i % 2 ? 250 : 50, i % 2 ? 'enterprise' : 'standard').take(),
			),
		);
		// 50 at once, then 2 per second under the stricter plan.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
	});

	it('a limit answer fills it, so every caller waits', async () => {
		const bucket = new LeakyBucket({ ratePerSecond: 10, burst: 5 });
		bucket.fill();
		const started = Date.now();
		await bucket.take();
		expect(Date.now() - started).toBeGreaterThanOrEqual(80);
	});

	it('keeps a small safety margin under the plan', () => {
		expect(withSafetyMargin({ ratePerSecond: 2, burst: 50 })).toEqual({ ratePerSecond: 1.9, burst: 45 });
		expect(withSafetyMargin({ ratePerSecond: 5, burst: 250 })).toEqual({ ratePerSecond: 4.75, burst: 225 });
		expect(withSafetyMargin({ ratePerSecond: 2, burst: 2 })).toEqual({ ratePerSecond: 1.9, burst: 1 });
		expect(withSafetyMargin({ ratePerSecond: 1, burst: 1 })).toEqual({ ratePerSecond: 0.95, burst: 1 });
	});
});
