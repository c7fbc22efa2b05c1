import { LES_COMMUNS_RATES, lesCommunsBucket, routeClassOf } from '../../../nodes/LesCommuns/transport/rateLimits';

describe('Les Communs rate buckets', () => {
	afterEach(() => jest.useRealTimers());

	it('puts /projets routes in the 500/min class and every other route in the 50/min class', () => {
		expect(routeClassOf('/projets')).toBe('projets');
		expect(routeClassOf('/projets/0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55')).toBe('projets');
		expect(routeClassOf('projets?x=1')).toBe('projets');
		expect(routeClassOf('/services/project/abc')).toBe('other');
		expect(routeClassOf('/projetsX')).toBe('other');
	});

	it('never lets more than the API limit through in any 60 s window (burst + 60 × rate)', () => {
		const perWindow = (rate: { ratePerSecond: number; burst: number }) => rate.burst + 60 * rate.ratePerSecond;
		expect(perWindow(LES_COMMUNS_RATES.projets)).toBeLessThanOrEqual(500);
		expect(perWindow(LES_COMMUNS_RATES.other)).toBeLessThanOrEqual(50);
	});

	it('shares one bucket per API host and route class, across base URL spellings', () => {
		const projets = lesCommunsBucket('https://api.example.org', '/projets');
		expect(lesCommunsBucket('https://api.example.org/', '/projets/abc')).toBe(projets);
		expect(lesCommunsBucket('https://api.example.org', '/services/project/abc')).not.toBe(projets);
		expect(lesCommunsBucket('https://staging.example.org', '/projets')).not.toBe(projets);
		expect(projets.ratePerSecond).toBe(LES_COMMUNS_RATES.projets.ratePerSecond);
		expect(projets.burst).toBe(LES_COMMUNS_RATES.projets.burst);
	});

	it('makes the call after the burst wait its turn (1 / 0.75 s on the 50/min class)', async () => {
		jest.useFakeTimers({ now: 1_000_000 });
		const bucket = lesCommunsBucket('https://throttled.example.org', '/services/project/x');
		for (let call = 0; call < LES_COMMUNS_RATES.other.burst; call++) await bucket.take();
		let sixthDone = false;
		const sixth = bucket.take().then(() => {
			sixthDone = true;
		});
		await jest.advanceTimersByTimeAsync(1300);
		expect(sixthDone).toBe(false);
		await jest.advanceTimersByTimeAsync(100);
		await sixth;
		expect(sixthDone).toBe(true);
	});
});
