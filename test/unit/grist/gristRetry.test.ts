import { gristRetryDecision, gristWriteOnceProfile } from '../../../nodes/Grist/transport/gristProfile';

const failure = (status: number, error?: string) => ({ status, headers: {}, body: error ? { error } : undefined, message: 'x' });

describe('gristRetryDecision', () => {
	it('backs off on "too many backlogged requests"', () => {
		expect(gristRetryDecision(failure(429, 'Too many backlogged requests for document abc - try again later?'))).toEqual({ retry: true });
	});

	it('fails at once on the daily limit, saying why', () => {
		const decision = gristRetryDecision(failure(429, 'Exceeded daily limit for document abc'));
		expect(decision?.retry).toBe(false);
		expect(decision && !decision.retry && decision.reason).toMatch(/daily API quota/);
	});

	it('leaves other failures to the generic rules', () => {
		expect(gristRetryDecision(failure(429))).toBeUndefined();
		expect(gristRetryDecision(failure(503, 'busy'))).toBeUndefined();
		expect(gristRetryDecision(failure(400, 'Invalid column "x"'))).toBeUndefined();
	});
});

describe('gristWriteOnceProfile (POST that writes)', () => {
	const decide = gristWriteOnceProfile.retryDecision!;

	it('retries only the backlog 429, which Grist answers before reading the request', () => {
		expect(decide(failure(429, 'Too many backlogged requests for document abc - try again later?'), 1)).toEqual({ retry: true });
	});

	it('never retries a failure after which the write may have been applied', () => {
		expect(decide(failure(503, 'busy'), 1)).toMatchObject({ retry: false });
		expect(decide(failure(502), 1)).toMatchObject({ retry: false });
		expect(decide({ headers: {}, networkCode: 'ECONNRESET', message: 'socket hang up' }, 1)).toMatchObject({ retry: false });
		expect(decide(failure(429, 'Exceeded daily limit for document abc'), 1)).toMatchObject({ retry: false });
	});
});
