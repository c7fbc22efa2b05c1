import type { IHttpRequestOptions } from 'n8n-workflow';

import { EcalApi } from '../../../credentials/EcalApi.credentials';
import { ecalSignature, ecalSigningString, signEcalRequest } from '../../../nodes/Ecal/transport/signing';

// Vectors computed by hand: the md5 input is written out literally, the md5 taken with Python's hashlib.
// ECAL's documented example hash does not reproduce, so it is deliberately not used here.
const KEY = 'KEY123';
const SECRET = 'S3cr3t';

async function authenticate(request: IHttpRequestOptions, url = 'https://api.ecal.com/apiv2/') {
	const authenticateFn = new EcalApi().authenticate as (
		credentials: Record<string, unknown>,
		requestOptions: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
	return await authenticateFn({ url, apiKey: KEY, apiSecret: SECRET }, request);
}

describe('ecal signing', () => {
	it('GET with query parameters only: secret + sorted key/value pairs, no body', async () => {
		const signed = await authenticate({
			method: 'GET',
			url: '/event/',
			qs: { showPastEvents: 'true', page: 2, calendarIds: ['c1', 'c2'] },
		});
		expect(ecalSigningString(SECRET, { showPastEvents: 'true', page: '2', calendarIds: 'c1,c2', apiKey: KEY }, '')).toBe(
			'S3cr3tapiKeyKEY123calendarIdsc1,c2page2showPastEventstrue',
		);
		expect(signed.qs).toEqual({
			showPastEvents: 'true',
			page: '2',
			calendarIds: 'c1,c2',
			apiKey: KEY,
			apiSign: '1ab2a29548ad08a1a8e12bf13c624ca2',
		});
		expect(signed.body).toBeUndefined();
		expect(signed.baseURL).toBe('https://api.ecal.com/apiv2');
	});

	it('POST with a JSON body holding non-ASCII text: signs and sends the same compact UTF-8 string', async () => {
		const body = { name: 'Café à Lyon', startDate: '2026-01-05', n: 1, nested: { a: [1, 2] } };
		const signed = await authenticate({ method: 'POST', url: '/event/', body, json: true });
		const raw = '{"name":"Café à Lyon","startDate":"2026-01-05","n":1,"nested":{"a":[1,2]}}';
		expect(ecalSigningString(SECRET, { apiKey: KEY }, raw)).toBe(
			'S3cr3tapiKeyKEY123{"name":"Café à Lyon","startDate":"2026-01-05","n":1,"nested":{"a":[1,2]}}',
		);
		expect(signed.body).toBe(raw);
		expect(signed.headers).toEqual({ 'Content-Type': 'application/json' });
		expect(signed.qs).toEqual({ apiKey: KEY, apiSign: 'ccaaf6cf7e8da6bdf1aba67a11f05869' });
		expect(body).toEqual({ name: 'Café à Lyon', startDate: '2026-01-05', n: 1, nested: { a: [1, 2] } });
	});

	it('sorts keys by code unit (uppercase before underscore before lowercase), values raw, not URL-encoded', () => {
		const params = { zeta: 'z', Alpha: 'A', alpha: 'b c', mid: 'é', _x: '1', apiKey: KEY };
		expect(ecalSigningString(SECRET, params, '')).toBe('S3cr3tAlphaA_x1alphab capiKeyKEY123midézetaz');
		expect(ecalSignature(SECRET, params, '')).toBe('1cf92c815f58e3f8d0419f3b825f3cb3');
	});

	it('PUT with query and body: both are signed; an existing apiSign is ignored and re-running gives the same result', async () => {
		const first = await authenticate({
			method: 'PUT',
			url: '/event/abc',
			qs: { draft: 0, apiSign: 'stale' },
			body: { name: 'Réunion', allDay: 'false' },
			headers: { 'content-type': 'text/plain', 'X-Other': 'kept' },
		});
		expect(first.qs).toEqual({ draft: '0', apiKey: KEY, apiSign: '6181ad0b979f89398abeac7558969750' });
		expect(first.body).toBe('{"name":"Réunion","allDay":"false"}');
		expect(first.headers).toEqual({ 'X-Other': 'kept', 'Content-Type': 'application/json' });
		// n8n authenticates again before retrying: the body is then already the signed string.
		const second = await authenticate(first);
		expect(second.qs).toEqual(first.qs);
		expect(second.body).toBe(first.body);
	});

	it('moves query parameters written into the URL into the signed qs', () => {
		const signed = signEcalRequest(KEY, SECRET, { method: 'GET', url: '/event/?calendarIds=c1,c2&page=2', qs: { showPastEvents: 'true' } });
		expect(signed.url).toBe('/event/');
		expect(signed.qs?.apiSign).toBe('1ab2a29548ad08a1a8e12bf13c624ca2');
	});

	it('agrees with the ecal fake, which checks the signature over the bytes it receives', () => {
		const { ecalSignature: fakeSignature } = require('../../fakes/ecal.cjs');
		const params = { zeta: 'z', Alpha: 'A', alpha: 'b c', mid: 'é', _x: '1', apiKey: KEY };
		expect(fakeSignature(SECRET, params, '{"a":"é"}')).toBe(ecalSignature(SECRET, params, '{"a":"é"}'));
	});

	it('never sends the secret', async () => {
		const signed = await authenticate({ method: 'POST', url: '/event/', body: { name: 'x' } });
		expect(JSON.stringify(signed)).not.toContain(SECRET);
	});
});

describe("the legacy request shape of n8n's HTTP Request node (predefined credential type)", () => {
	test('the URL stays in uri, its query is signed and sent as qs, and no base URL is added', async () => {
		const legacy = { method: 'GET', uri: 'http://127.0.0.1:9/apiv2/calendar/?showDraft=true', qs: { tz: 'Europe/Paris' }, json: true };
		const signed = (await new EcalApi().authenticate(
			{ url: 'https://api.ecal.com/apiv2', apiKey: KEY, apiSecret: SECRET },
			legacy as unknown as IHttpRequestOptions,
		)) as IHttpRequestOptions & { uri?: string };
		expect(signed.uri).toBe('http://127.0.0.1:9/apiv2/calendar/');
		expect(signed.url).toBeUndefined();
		expect(signed.baseURL).toBeUndefined();
		const params = { showDraft: 'true', tz: 'Europe/Paris', apiKey: KEY };
		expect(signed.qs).toEqual({ ...params, apiSign: ecalSignature(SECRET, params, '') });
	});
});
