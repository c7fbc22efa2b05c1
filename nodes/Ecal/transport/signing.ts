import { createHash } from 'crypto';

import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * ECAL API v2 request signing :
 * apiSign = md5_hex(secret + key1value1key2value2… (query params incl. apiKey, sorted by key) + raw body).
 * The docs' own example hash does not reproduce, so the unit tests use hand-computed vectors.
 */

/** Query values as they are signed AND sent: strings, arrays comma-joined (ECAL's list params), nulls dropped. */
export function ecalQueryParams(qs: IDataObject | undefined): Record<string, string> {
	const params: Record<string, string> = {};
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null || key === 'apiSign') continue;
		params[key] = Array.isArray(value) ? value.map(String).join(',') : String(value);
	}
	return params;
}

/** Keys compare by UTF-16 code unit, the same as PHP's byte-order ksort for the ASCII keys ECAL uses. */
export function ecalSigningString(secret: string, params: Record<string, string>, rawBody: string): string {
	const sorted = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return `${secret}${sorted.map((key) => `${key}${params[key]}`).join('')}${rawBody}`;
}

export function ecalSignature(secret: string, params: Record<string, string>, rawBody: string): string {
	return createHash('md5').update(ecalSigningString(secret, params, rawBody), 'utf8').digest('hex');
}

/** The exact body string that will be sent, or '' when there is none. */
export function ecalRawBody(body: IHttpRequestOptions['body']): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

/**
 * Returns the signed request. `body` is still an object when n8n calls authenticate , so it is
 * serialised here and sent as that exact string. Safe to run twice (n8n re-authenticates before a retry).
 */
export function signEcalRequest(apiKey: string, apiSecret: string, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	// n8n's HTTP Request node (a predefined credential type) sends the legacy request shape, whose URL is `uri`;
	// the URL then must stay there, since n8n sends `url` whenever it is set, even empty.
	const legacyUri = (requestOptions as { uri?: unknown }).uri;
	const urlKey = requestOptions.url === undefined && typeof legacyUri === 'string' ? 'uri' : 'url';
	let url = urlKey === 'uri' ? (legacyUri as string) : (requestOptions.url ?? '');
	const qs: IDataObject = { ...(requestOptions.qs ?? {}) };
	const queryStart = url.indexOf('?');
	if (queryStart >= 0) {
		// Query parameters written into the URL would be sent but not signed: move them into qs.
		for (const [key, value] of new URLSearchParams(url.slice(queryStart + 1))) qs[key] = value;
		url = url.slice(0, queryStart);
	}
	const params = { ...ecalQueryParams(qs), apiKey };
	const method = (requestOptions.method ?? 'GET').toUpperCase();
	const hasBody = method !== 'GET' && method !== 'HEAD' && requestOptions.body !== undefined && requestOptions.body !== null;
	const rawBody = hasBody ? ecalRawBody(requestOptions.body) : '';
	const signed = {
		...requestOptions,
		[urlKey]: url,
		qs: { ...params, apiSign: ecalSignature(apiSecret, params, rawBody) },
	} as IHttpRequestOptions;
	if (hasBody) {
		signed.body = rawBody;
		signed.headers = { ...withoutHeader(requestOptions.headers, 'content-type'), 'Content-Type': 'application/json' };
	} else {
		delete signed.body;
	}
	return signed;
}

function withoutHeader(headers: IDataObject | undefined, name: string): IDataObject {
	const copy: IDataObject = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== name) copy[key] = value;
	}
	return copy;
}
