'use strict';
/**
 * Recoco's side of a webhook delivery: django-webhook's `fire_webhook`
 * POSTs `json.dumps(payload, cls=DjangoJSONEncoder)` with Python's default separators (", " and ": ") and
 * `ensure_ascii=True`, and signs `f"{timestamp}:{body}"` with HMAC-SHA256, one signature per configured secret.
 * A receiver must verify those exact bytes, so this module reproduces them byte for byte.
 */
const crypto = require('node:crypto');

/** The subscription's id: django-webhook sends the same Django-Webhook-UUID with every event of one webhook. */
const DEFAULT_WEBHOOK_UUID = '6c6a1c1e-3f5b-4b7e-9d8a-2f1e0c4b7a91';

function pythonString(text) {
	let out = '"';
	for (const char of text) {
		const code = char.codePointAt(0);
		if (char === '"') out += '\\"';
		else if (char === '\\') out += '\\\\';
		else if (char === '\n') out += '\\n';
		else if (char === '\r') out += '\\r';
		else if (char === '\t') out += '\\t';
		else if (char === '\b') out += '\\b';
		else if (char === '\f') out += '\\f';
		else if (code >= 0x20 && code <= 0x7e) out += char;
		else if (code > 0xffff) {
			// ensure_ascii writes astral characters as a UTF-16 surrogate pair.
			const offset = code - 0x10000;
			out += unicodeEscape(0xd800 + (offset >> 10)) + unicodeEscape(0xdc00 + (offset & 0x3ff));
		} else out += unicodeEscape(code);
	}
	return `${out}"`;
}

function unicodeEscape(code) {
	return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Python's float repr: shortest round-trip digits, scientific when the exponent is < -4 or >= 16. */
function pythonFloat(value) {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return 'Infinity';
	if (value === -Infinity) return '-Infinity';
	const [mantissa, exponentText] = value.toExponential().split('e');
	const exponent = Number(exponentText);
	if (exponent < -4 || exponent >= 16) {
		const sign = exponent < 0 ? '-' : '+';
		return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
	}
	const text = String(value);
	return text.includes('.') ? text : `${text}.0`;
}

/**
 * `json.dumps(value)` as Python prints it. JSON numbers that are whole are printed as ints (a JS number cannot
 * tell 1 from 1.0; Recoco's integer fields are ints). Object keys keep JS insertion order.
 */
function pythonJsonDumps(value) {
	if (value === null || value === undefined) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (typeof value === 'number') {
		if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
		return pythonFloat(value);
	}
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'string') return pythonString(value);
	if (value instanceof Date) return pythonString(value.toISOString());
	if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
	if (typeof value === 'object') {
		const parts = Object.keys(value)
			.filter((key) => value[key] !== undefined)
			.map((key) => `${pythonString(key)}: ${pythonJsonDumps(value[key])}`);
		return `{${parts.join(', ')}}`;
	}
	throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
}

function signWebhook({ secret, body, timestamp }) {
	const bytes = Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8');
	return crypto
		.createHmac('sha256', Buffer.from(String(secret), 'utf8'))
		.update(Buffer.concat([Buffer.from(`${timestamp}:`, 'utf8'), bytes]))
		.digest('hex');
}

/** Body and headers of one delivery. Pass `body` (a string) to resend the exact bytes of an earlier delivery. */
function buildWebhookRequest({ event, body, secret, secrets, timestamp, webhookUuid = DEFAULT_WEBHOOK_UUID }) {
	const payload = body !== undefined ? body : pythonJsonDumps(event);
	const keys = secrets ?? (secret !== undefined ? [secret] : []);
	if (!keys.length) throw new Error('buildWebhookRequest needs secret or secrets');
	const stamp = String(timestamp ?? Math.floor(Date.now() / 1000));
	const headers = {
		'content-type': 'application/json',
		'django-webhook-request-timestamp': stamp,
		'django-webhook-signature-v1': keys.map((key) => signWebhook({ secret: key, body: payload, timestamp: stamp })).join(','),
		'django-webhook-uuid': webhookUuid,
	};
	return { body: payload, headers };
}

/** POSTs one delivery with fetch, as django-webhook's fire_webhook does. */
async function deliverWebhook(url, options) {
	const { body, headers } = buildWebhookRequest(options);
	const response = await fetch(url, {
		method: 'POST',
		headers: { ...headers, ...(options.extraHeaders || {}) },
		body,
	});
	const text = await response.text();
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: response.status, text, json: parsed, body, headers };
}

/**
 * django-webhook's retry: a 4xx or 5xx answer makes Celery retry the task up to 5 times, from 60 s and doubling, at
 * most 1 h apart; every retry re-signs the same body with a fresh timestamp. (A connection error has no response and
 * is probably not retried: `network error` ends the attempts here.)
 */
const DJANGO_WEBHOOK_RETRY_DELAYS_MS = [60_000, 120_000, 240_000, 480_000, 960_000];

/**
 * Delivers like Recoco: the first POST, then a retry after each non-2xx answer, `retryDelaysMs[i]` after the answer
 * (default django-webhook's), until a 2xx. Resolves every attempt: [{status, text, json, at}], `at` = ms since the
 * first POST. Pass `body` (or `event`) and `secret` as for deliverWebhook.
 */
async function deliverWithRetries(url, options) {
	const { retryDelaysMs = DJANGO_WEBHOOK_RETRY_DELAYS_MS, ...delivery } = options;
	const body = delivery.body !== undefined ? delivery.body : pythonJsonDumps(delivery.event);
	const started = Date.now();
	const attempts = [];
	for (let attempt = 0; ; attempt += 1) {
		let answer;
		try {
			answer = await deliverWebhook(url, { ...delivery, body });
		} catch (error) {
			attempts.push({ status: 'network error', text: error.message, at: Date.now() - started });
			return attempts;
		}
		attempts.push({ status: answer.status, text: answer.text, json: answer.json, at: Date.now() - started });
		if ((answer.status >= 200 && answer.status < 300) || attempt >= retryDelaysMs.length) return attempts;
		await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]));
	}
}

module.exports = {
	pythonJsonDumps,
	signWebhook,
	buildWebhookRequest,
	deliverWebhook,
	deliverWithRetries,
	DJANGO_WEBHOOK_RETRY_DELAYS_MS,
	DEFAULT_WEBHOOK_UUID,
};
