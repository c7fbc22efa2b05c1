import { NodeApiError, type IAllExecuteFunctions, type INode } from 'n8n-workflow';

import { describeFailure } from '../../../nodes/common/httpFailure';
import { serviceRequest, transportClock } from '../../../nodes/common/request';
import {
	backoffDelay,
	DEFAULT_RETRY_POLICY,
	isIdempotentMethod,
	parseRetryAfter,
} from '../../../nodes/common/retryPolicy';
import type { ServiceProfile } from '../../../nodes/common/serviceProfile';
import { bitrix24ErrorMessage } from '../../../nodes/Bitrix24/transport/errors';
import { gristErrorMessage } from '../../../nodes/Grist/transport/errors';
import { hubeeErrorMessage } from '../../../nodes/Hubee/transport/errors';
import { lesCommunsErrorMessage } from '../../../nodes/LesCommuns/transport/errors';
import { recocoErrorMessage } from '../../../nodes/Recoco/transport/errors';

const node = { name: 'Test Node', type: 'test', typeVersion: 1, parameters: {}, id: '1', position: [0, 0] } as INode;
const SECRET = 'sup3r-secret-key-9f8e7d';

/** An error shaped like the one n8n's httpRequestWithAuthentication throws: NodeApiError wrapping an AxiosError. */
function httpError(status: number, data: unknown, headers: Record<string, string> = {}) {
	const axiosError = Object.assign(new Error(`Request failed with status code ${status}`), {
		isAxiosError: true,
		response: { status, data, headers },
		config: { headers: { Authorization: `Bearer ${SECRET}` }, url: `https://x/rest/1/${SECRET}/m.json` },
	});
	return new NodeApiError(node, axiosError as never);
}

function networkError(code: string) {
	return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

function context(responses: Array<unknown | Error>) {
	const calls: unknown[] = [];
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: SECRET, url: 'https://example.test' }),
		helpers: {
			httpRequestWithAuthentication: jest.fn(async (_type: string, options: unknown) => {
				calls.push(options);
				const next = responses.shift();
				if (next instanceof Error) throw next;
				return next;
			}),
		},
	};
	return { ctx: ctx as unknown as IAllExecuteFunctions, calls };
}

const profile: ServiceProfile = {
	name: 'Grist',
	credentialType: 'gristSyncApi',
	errorMessage: gristErrorMessage,
	secretFields: ['apiKey'],
	retryPolicy: { maxAttempts: 4 },
};

describe('shared transport', () => {
	const waits: number[] = [];
	beforeAll(() => {
		transportClock.sleep = async (ms: number) => {
			waits.push(ms);
		};
	});
	beforeEach(() => (waits.length = 0));

	it('retries an idempotent GET on 503 and returns the later success', async () => {
		const { ctx, calls } = context([httpError(503, { error: 'busy' }), { ok: 1 }]);
		await expect(serviceRequest(ctx, profile, { method: 'GET', url: '/x' })).resolves.toEqual({ ok: 1 });
		expect(calls).toHaveLength(2);
		expect(waits).toHaveLength(1);
	});

	it.each([429, 502, 504])('retries on %i', async (status) => {
		const { ctx, calls } = context([httpError(status, {}), { ok: 1 }]);
		await serviceRequest(ctx, profile, { method: 'PUT', url: '/x' });
		expect(calls).toHaveLength(2);
	});

	it('retries network errors', async () => {
		const { ctx, calls } = context([networkError('ECONNRESET'), { ok: 1 }]);
		await serviceRequest(ctx, profile, { method: 'DELETE', url: '/x' });
		expect(calls).toHaveLength(2);
	});

	it('never retries a POST that may have been applied, and says why', async () => {
		const { ctx, calls } = context([networkError('ECONNRESET'), { ok: 1 }]);
		const error: any = await serviceRequest(ctx, profile, { method: 'POST', url: '/x' }).catch((e: any) => e);
		expect(calls).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Grist could not be reached: ECONNRESET');
		expect(error.description).toMatch(/not idempotent/);
	});

	it('retries a POST its operation marks idempotent (a read)', async () => {
		const { ctx, calls } = context([httpError(503, {}), { rows: [] }]);
		await serviceRequest(ctx, profile, { method: 'POST', url: '/sql' }, { idempotent: true });
		expect(calls).toHaveLength(2);
	});

	it('honours Retry-After in seconds', async () => {
		const { ctx } = context([httpError(429, {}, { 'Retry-After': '7' }), { ok: 1 }]);
		await serviceRequest(ctx, profile, { method: 'GET', url: '/x' });
		expect(waits).toEqual([7000]);
	});

	it('fails at once when Retry-After is longer than the policy allows', async () => {
		const { ctx, calls } = context([httpError(429, { error: 'slow down' }, { 'retry-after': '3600' }), { ok: 1 }]);
		const error: any = await serviceRequest(ctx, profile, { method: 'GET', url: '/x' }).catch((e: any) => e);
		expect(calls).toHaveLength(1);
		expect(error.message).toBe('Grist answered 429: slow down');
		expect(error.description).toMatch(/wait 3600 s/);
	});

	it('stops after maxAttempts', async () => {
		const { ctx, calls } = context([503, 503, 503, 503, 503].map((s) => httpError(s, { error: 'down' })));
		const error: any = await serviceRequest(ctx, profile, { method: 'GET', url: '/x' }, { itemIndex: 3 }).catch((e: any) => e);
		expect(calls).toHaveLength(4);
		expect(error.message).toBe('Grist answered 503: down (item 3)');
		expect(error.context.itemIndex).toBe(3);
	});

	it('does not retry a 4xx and maps the service message', async () => {
		const { ctx, calls } = context([httpError(404, { error: 'Table not found "Projets"' })]);
		const error: any = await serviceRequest(ctx, profile, { method: 'GET', url: '/x' }).catch((e: any) => e);
		expect(calls).toHaveLength(1);
		expect(error.message).toBe('Grist answered 404: Table not found "Projets"');
		expect(error.httpCode).toBe('404');
	});

	it('lets a service decide first (e.g. a daily limit is final)', async () => {
		const daily: ServiceProfile = {
			...profile,
			retryDecision: (failure) =>
				/daily/.test(String((failure.body as { error?: string })?.error)) ? { retry: false, reason: 'daily limit' } : undefined,
		};
		const { ctx, calls } = context([httpError(429, { error: 'exceeded daily limit' })]);
		const error: any = await serviceRequest(ctx, daily, { method: 'GET', url: '/x' }).catch((e: any) => e);
		expect(calls).toHaveLength(1);
		expect(error.description).toBe('daily limit');
	});

	it('passes the profile preAuthentication retry codes to n8n', async () => {
		const { ctx } = context([{ ok: 1 }]);
		await serviceRequest(ctx, { ...profile, preAuthenticationRetryStatusCode: [401, 403] }, { method: 'GET', url: '/x' });
		expect((ctx.helpers.httpRequestWithAuthentication as jest.Mock).mock.calls[0][2]).toEqual({
			preAuthenticationRetryStatusCode: [401, 403],
		});
	});

	it('passes replacement credential data to n8n (a session credential forcing a new login) and nothing when not asked', async () => {
		const { ctx } = context([{ ok: 1 }, { ok: 2 }]);
		const credentialsDecrypted = { id: 'c1', name: 'c', type: 'x', data: { sessionToken: '' } };
		await serviceRequest(ctx, { ...profile, preAuthenticationRetryStatusCode: [302] }, { method: 'GET', url: '/x' }, { credentialsDecrypted });
		await serviceRequest(ctx, profile, { method: 'GET', url: '/x' });
		const calls = (ctx.helpers.httpRequestWithAuthentication as jest.Mock).mock.calls;
		expect(calls[0][2]).toEqual({ preAuthenticationRetryStatusCode: [302], credentialsDecrypted });
		expect(calls[1][2]).toBeUndefined();
	});
});

describe('secrets never reach a NodeApiError built by the transport', () => {
	beforeAll(() => {
		transportClock.sleep = async () => {};
	});

	const leaks: Array<[string, unknown]> = [
		['secret echoed in the service message', { error: `invalid key ${SECRET}` }],
		['secret in a nested body field', { detail: { apiKey: SECRET, note: `key=${SECRET}` } }],
		['bearer token in text', `Unauthorized: Bearer ${SECRET}`],
		['bitrix24 webhook URL', { error: 'NO_AUTH', error_description: `https://p.bitrix24.ru/rest/1/${SECRET}/` }],
		['api key in a query string', { message: `GET /apiv2/events?apiKey=${SECRET}&x=1 failed` }],
	];

	it.each(leaks)('%s', async (_label, body) => {
		const { ctx } = context([httpError(400, body)]);
		const error: any = await serviceRequest(ctx, profile, { method: 'GET', url: '/x' }).catch((e: any) => e);
		const everything = JSON.stringify({
			message: error.message,
			description: error.description,
			context: error.context,
			errorResponse: error.errorResponse,
			messages: error.messages,
			cause: error.cause,
			json: error.toJSON?.(),
		});
		expect(everything).not.toContain(SECRET);
		expect(error.cause).toBeUndefined();
	});

	it('network error messages are redacted too', async () => {
		const { ctx } = context([networkError(`ENOTFOUND`), new Error(`getaddrinfo failed for /rest/1/${SECRET}/`)]);
		const error: any = await serviceRequest(ctx, { ...profile, retryPolicy: { maxAttempts: 2 } }, { method: 'GET', url: '/x' }).catch(
			(e: any) => e,
		);
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain(SECRET);
	});
});

describe('retry policy pieces', () => {
	it('classifies idempotent methods', () => {
		expect(['GET', 'PUT', 'DELETE', 'HEAD'].map((m) => isIdempotentMethod(m as never))).toEqual([true, true, true, true]);
		expect(['POST', 'PATCH'].map((m) => isIdempotentMethod(m as never))).toEqual([false, false]);
	});

	it('parses Retry-After seconds and dates', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10000);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});

	it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
		expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(250);
		expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 1)).toBe(500);
		expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 1)).toBe(2000);
		expect(backoffDelay(30, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
	});

	it('reads status, headers and body through n8n wrappers', () => {
		const failure = describeFailure(httpError(429, '{"error":"x"}', { 'Retry-After': '1' }));
		expect(failure).toMatchObject({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'x' } });
	});
});

describe('service error bodies', () => {
	it('maps each documented shape', () => {
		expect(bitrix24ErrorMessage({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })).toBe(
			'QUERY_LIMIT_EXCEEDED: Too many requests',
		);
		expect(hubeeErrorMessage({ errors: [{ code: 'E1', message: 'bad status' }, { code: 'E2', message: 'x' }] })).toBe(
			'E1: bad status; E2: x',
		);
		expect(gristErrorMessage({ error: 'Column not found' })).toBe('Column not found');
		expect(lesCommunsErrorMessage({ statusCode: 400, message: ['a must be set', 'b is invalid'] })).toBe(
			'a must be set; b is invalid',
		);
		expect(recocoErrorMessage({ detail: 'Given token not valid for any token type', code: 'token_not_valid' })).toBe(
			'Given token not valid for any token type',
		);
		expect(recocoErrorMessage({ recommendation: ['This field is required.'] })).toBe('recommendation: This field is required.');
	});
});
