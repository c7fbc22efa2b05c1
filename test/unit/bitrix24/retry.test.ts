import type { HttpFailure } from '../../../nodes/common/httpFailure';
import { LeakyBucket } from '../../../nodes/common/rateLimiter';
import { transportClock } from '../../../nodes/common/request';
import {
	bitrix24Request,
	bitrix24RetryDecision,
	isReadMethod,
	noteOperatingReset,
	OPERATING_FALLBACK_MS,
	operatingResetFor,
	ratePlanOf,
} from '../../../nodes/Bitrix24/transport/request';

const failure = (status: number, error: string): HttpFailure => ({
	status,
	headers: {},
	body: { error, error_description: 'x' },
	message: 'x',
});

describe('Bitrix24 retry decisions', () => {
	it('backs off on 503 QUERY_LIMIT_EXCEEDED, growing with the attempt', () => {
		const first = bitrix24RetryDecision(failure(503, 'QUERY_LIMIT_EXCEEDED'), 1, undefined);
		const fourth = bitrix24RetryDecision(failure(503, 'QUERY_LIMIT_EXCEEDED'), 4, undefined);
		expect(first).toMatchObject({ retry: true });
		const delay = (d: typeof first) => (d && d.retry ? (d.delayMs ?? 0) : 0);
		expect(delay(first)).toBeGreaterThanOrEqual(500);
		expect(delay(first)).toBeLessThanOrEqual(1000);
		expect(delay(fourth)).toBeGreaterThanOrEqual(4000);
	});

	it('waits until operating_reset_at on 429 OPERATION_TIME_LIMIT', () => {
		const now = 1_800_000_000_000;
		expect(bitrix24RetryDecision(failure(429, 'OPERATION_TIME_LIMIT'), 1, now / 1000 + 30, now)).toEqual({ retry: true, delayMs: 31_000 });
		expect(bitrix24RetryDecision(failure(429, 'OPERATION_TIME_LIMIT'), 1, now / 1000 - 5, now)).toEqual({ retry: true, delayMs: 1000 });
		expect(bitrix24RetryDecision(failure(429, 'OPERATION_TIME_LIMIT'), 1, undefined, now)).toEqual({ retry: true, delayMs: OPERATING_FALLBACK_MS });
	});

	it('fails at once on OVERLOAD_LIMIT and auth errors, and leaves the rest to the generic rules', () => {
		expect(bitrix24RetryDecision(failure(503, 'OVERLOAD_LIMIT'), 1, undefined)).toMatchObject({ retry: false });
		expect(bitrix24RetryDecision(failure(401, 'NO_AUTH_FOUND'), 1, undefined)).toEqual({ retry: false });
		expect(bitrix24RetryDecision(failure(502, ''), 1, undefined)).toBeUndefined();
	});

	it('remembers operating_reset_at per portal and method', () => {
		noteOperatingReset('a.bitrix24.ru', 'crm.item.list', { operating_reset_at: 1_800_000_600 });
		noteOperatingReset('a.bitrix24.ru', 'user.get', undefined);
		expect(operatingResetFor('a.bitrix24.ru', 'crm.item.list')).toBe(1_800_000_600);
		expect(operatingResetFor('a.bitrix24.ru', 'user.get')).toBeUndefined();
		expect(operatingResetFor('b.bitrix24.ru', 'crm.item.list')).toBeUndefined();
	});

	it('treats only reading methods as safe to resend', () => {
		expect(isReadMethod('crm.item.list')).toBe(true);
		expect(isReadMethod('crm.item.fields')).toBe(true);
		expect(isReadMethod('profile')).toBe(true);
		expect(isReadMethod('crm.item.add')).toBe(false);
		expect(isReadMethod('batch')).toBe(false);
		expect(isReadMethod('lists.element.update')).toBe(false);
	});
});

describe('Bitrix24 requests and the portal bucket', () => {
	const realSleep = transportClock.sleep;
	afterEach(() => {
		transportClock.sleep = realSleep;
		jest.restoreAllMocks();
	});

	it('every attempt, retries included, takes from the portal bucket, and a 503 fills it', async () => {
		const take = jest.spyOn(LeakyBucket.prototype, 'take');
		const fill = jest.spyOn(LeakyBucket.prototype, 'fill');
		transportClock.sleep = async () => undefined;
		let calls = 0;
		const limited = Object.assign(new Error('503'), {
			response: { status: 503, headers: {}, data: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } },
		});
		const context = {
			getNode: () => ({ name: 'Bitrix24', credentials: { bitrix24InboundWebhookApi: { id: 'c1', name: 'c1' } } }),
			getCredentials: async () => ({
				webhookSecretUrl: 'https://retry-test.bitrix24.com/rest/1/abcdefghij123456/',
				rateLimit: 'custom',
				requestsPerSecond: 1000,
				burst: 1000,
			}),
			helpers: {
				httpRequestWithAuthentication: async () => {
					calls += 1;
					if (calls < 3) throw limited;
					return { result: [{ ID: '1' }] };
				},
			},
		};
		const body = await bitrix24Request(context as never, 'user.get', {}, { idempotent: true });
		expect(body.result).toEqual([{ ID: '1' }]);
		expect(calls).toBe(3);
		expect(take).toHaveBeenCalledTimes(3);
		expect(fill).toHaveBeenCalledTimes(2);
	});

	it('reads the plan from the credential', () => {
		expect(ratePlanOf({})).toEqual({ ratePerSecond: 2, burst: 50 });
		expect(ratePlanOf({ rateLimit: 'enterprise' })).toEqual({ ratePerSecond: 5, burst: 250 });
		expect(ratePlanOf({ rateLimit: 'custom', requestsPerSecond: 1.5, burst: 20 })).toEqual({ ratePerSecond: 1.5, burst: 20 });
	});

	it('keeps each process to its share of the plan when several processes (queue-mode workers) call one portal', () => {
		expect(ratePlanOf({ processesSharingPortal: 2 })).toEqual({ ratePerSecond: 1, burst: 25 });
		expect(ratePlanOf({ rateLimit: 'enterprise', processesSharingPortal: 3 })).toEqual({ ratePerSecond: 5 / 3, burst: 83 });
		// the burst never drops below one request
		expect(ratePlanOf({ rateLimit: 'custom', requestsPerSecond: 2, burst: 3, processesSharingPortal: 4 })).toEqual({ ratePerSecond: 0.5, burst: 1 });
		// 1, nothing, or nonsense: the whole plan
		for (const processes of [1, undefined, 0, -2, 'abc']) {
			expect(ratePlanOf({ processesSharingPortal: processes as any })).toEqual({ ratePerSecond: 2, burst: 50 });
		}
	});
});
