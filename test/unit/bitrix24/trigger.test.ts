import type { IWebhookFunctions } from 'n8n-workflow';

import { Bitrix24Trigger } from '../../../nodes/Bitrix24/Bitrix24Trigger.node';
import {
	acceptedEvents,
	isAccepted,
	normaliseEventBody,
	parseFormBody,
	publicEvent,
	tokensMatch,
} from '../../../nodes/Bitrix24/helpers/outgoingWebhook';

const TOKEN = 'k2x9c4t1m8p0q7r5s3u6v2w4y1z8a0b3';
const FORM =
	'event=ONCRMDEALADD&event_handler_id=12&data%5BFIELDS%5D%5BID%5D=7405&ts=1796190000' +
	`&auth%5Bdomain%5D=acme.bitrix24.ru&auth%5Bclient_endpoint%5D=https%3A%2F%2Facme.bitrix24.ru%2Frest%2F&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=${TOKEN}`;

const EXPECTED = {
	event: 'ONCRMDEALADD',
	event_handler_id: '12',
	data: { FIELDS: { ID: '7405' } },
	ts: '1796190000',
	auth: { domain: 'acme.bitrix24.ru', client_endpoint: 'https://acme.bitrix24.ru/rest/', member_id: 'm1', application_token: TOKEN },
};

describe('outgoing webhook body', () => {
	it('parses the raw urlencoded body into nested JSON', () => {
		expect(parseFormBody(FORM)).toEqual(EXPECTED);
	});

	it('accepts literal bracketed keys, nested objects, or a mix', () => {
		expect(normaliseEventBody(Object.fromEntries(new URLSearchParams(FORM)))).toEqual(EXPECTED);
		expect(normaliseEventBody(EXPECTED)).toEqual(EXPECTED);
		expect(normaliseEventBody({ event: 'X', data: { 'FIELDS[ID]': '1' }, 'auth[domain]': 'd' })).toEqual({
			event: 'X',
			data: { FIELDS: { ID: '1' } },
			auth: { domain: 'd' },
		});
	});

	it('refuses __proto__, constructor and prototype keys in every shape', () => {
		const parsed = parseFormBody('__proto__[polluted]=1&data[__proto__][x]=1&constructor[prototype][y]=1&data[FIELDS][ID]=3');
		expect(parsed).toEqual({ data: { FIELDS: { ID: '3' } } });
		expect(({} as any).polluted).toBeUndefined();
		const nested = normaliseEventBody(JSON.parse('{"__proto__": {"polluted": 1}, "data[prototype][z]": 2, "ok": "1"}'));
		expect(nested).toEqual({ ok: '1' });
		expect(Object.getPrototypeOf(nested)).toBe(Object.prototype);
		expect(({} as any).polluted).toBeUndefined();
	});

	it('drops the application token from the output', () => {
		const output = publicEvent(parseFormBody(FORM));
		expect(JSON.stringify(output)).not.toContain(TOKEN);
		expect(output.auth).toEqual({ domain: 'acme.bitrix24.ru', client_endpoint: 'https://acme.bitrix24.ru/rest/', member_id: 'm1' });
	});

	it('compares tokens exactly, whatever their lengths', () => {
		expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
		expect(tokensMatch(TOKEN.slice(0, -1), TOKEN)).toBe(false);
		expect(tokensMatch(`${TOKEN}x`, TOKEN)).toBe(false);
		expect(tokensMatch(undefined, TOKEN)).toBe(false);
		expect(tokensMatch('', '')).toBe(false);
	});

	it('filters by event name, case-insensitively, with extra codes', () => {
		const accepted = acceptedEvents(['ONCRMDEALADD'], ' oncrmdynamicitemadd_1030 , ');
		expect(isAccepted({ event: 'ONCRMDEALADD' }, accepted)).toBe(true);
		expect(isAccepted({ event: 'ONCRMDYNAMICITEMADD_1030' }, accepted)).toBe(true);
		expect(isAccepted({ event: 'ONCRMDEALUPDATE' }, accepted)).toBe(false);
		expect(isAccepted({ event: 'ANYTHING' }, acceptedEvents([], ''))).toBe(true);
	});
});

describe('Bitrix24 Trigger webhook()', () => {
	function context(body: string, { events = [] as string[], token = TOKEN } = {}) {
		const response = { statusCode: 200, sent: undefined as unknown };
		const res = {
			status(code: number) {
				response.statusCode = code;
				return res;
			},
			json(payload: unknown) {
				response.sent = payload;
				return res;
			},
		};
		const ctx = {
			getRequestObject: () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: Buffer.from(body) }),
			getBodyData: () => Object.fromEntries(new URLSearchParams(body)),
			getResponseObject: () => res,
			getCredentials: async () => ({ applicationToken: token }),
			getNodeParameter: (name: string, fallback: unknown) => (name === 'events' ? events : fallback),
			helpers: { returnJsonArray: (items: object[]) => items.map((json) => ({ json })) },
		};
		return { ctx: ctx as unknown as IWebhookFunctions, response };
	}

	const trigger = new Bitrix24Trigger();

	it('starts the workflow with the clean event, without the token', async () => {
		const { ctx } = context(FORM);
		const result = await trigger.webhook.call(ctx);
		const items = result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ ...EXPECTED, auth: { domain: 'acme.bitrix24.ru', client_endpoint: 'https://acme.bitrix24.ru/rest/', member_id: 'm1' } });
	});

	it('answers 401 and starts nothing when the token does not match', async () => {
		const { ctx, response } = context(FORM, { token: 'another-token-of-good-shape-000' });
		const result = await trigger.webhook.call(ctx);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(JSON.stringify(response.sent)).not.toContain(TOKEN);
	});

	it('answers 401 when the token is missing', async () => {
		const { ctx, response } = context(FORM.replace(/&auth%5Bapplication_token%5D=[^&]*/, ''));
		expect(await trigger.webhook.call(ctx)).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
	});

	it('answers 200 without an execution for an unselected event', async () => {
		const { ctx } = context(FORM, { events: ['ONCRMLEADADD'] });
		expect(await trigger.webhook.call(ctx)).toEqual({ webhookResponse: 'ignored' });
	});

	it('declares an explicit responseData and the token shape check', () => {
		expect(trigger.description.webhooks?.[0]).toMatchObject({ responseMode: 'onReceived', responseData: 'noData' });
		expect(trigger.description.credentials?.[0]).toMatchObject({ name: 'bitrix24OutgoingWebhookApi', testedBy: 'bitrix24ApplicationTokenCheck' });
	});
});
