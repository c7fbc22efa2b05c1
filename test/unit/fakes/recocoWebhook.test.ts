/* Recoco sends webhooks as django-webhook does: Python json.dumps bytes, HMAC-SHA256 over "<timestamp>:<body>".
 * The expected strings and digests below were produced by python3 (json.dumps, hmac) from the same input. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

const { pythonJsonDumps, signWebhook, deliverWebhook, deliverWithRetries, buildWebhookRequest, DEFAULT_WEBHOOK_UUID, DJANGO_WEBHOOK_RETRY_DELAYS_MS } = require('../../fakes/recocoWebhook.cjs');

const EVENT = {
	topic: 'projects.Project/update',
	object: {
		id: 42,
		name: 'Saint-Étienne – “éco” 😀',
		lat: 45.764,
		tiny: 0.00001,
		small: 0.0001,
		big: 1.5e300,
		neg: -2.5e-7,
		tags: ['mobilité', 'eau'],
		none: null,
		ok: true,
		ctl: 'a\nb\t"c" \\ \u0001 \u007f /',
	},
	object_type: 'projects.Project',
	webhook_uuid: 'u',
};
const PYTHON_BODY =
	'{"topic": "projects.Project/update", "object": {"id": 42, "name": "Saint-\\u00c9tienne \\u2013 \\u201c\\u00e9co\\u201d \\ud83d\\ude00", "lat": 45.764, "tiny": 1e-05, "small": 0.0001, "big": 1.5e+300, "neg": -2.5e-07, "tags": ["mobilit\\u00e9", "eau"], "none": null, "ok": true, "ctl": "a\\nb\\t\\"c\\" \\\\ \\u0001 \\u007f /"}, "object_type": "projects.Project", "webhook_uuid": "u"}';
const TIMESTAMP = 1733130000;
const PYTHON_SIGNATURE = 'f7e7de7d2160f5630f94eaa16167ae0e1b2e4efdb5746fbc502550d698cf8dbb';
const PYTHON_SIGNATURE_OTHER = '76f46123e4aa6530ec28c8a5dd030c608685a743d4b97986c4b1aeca799d2e79';

describe('Recoco webhook helpers', () => {
	test('pythonJsonDumps reproduces json.dumps byte for byte (separators, \\uXXXX, surrogates, float repr)', () => {
		expect(pythonJsonDumps(EVENT)).toBe(PYTHON_BODY);
		expect(pythonJsonDumps({ a: [], b: {}, c: [1, 2] })).toBe('{"a": [], "b": {}, "c": [1, 2]}');
		expect(pythonJsonDumps(0.5)).toBe('0.5');
		expect(pythonJsonDumps(123456.789)).toBe('123456.789');
		expect(pythonJsonDumps(1e-4)).toBe('0.0001');
		expect(pythonJsonDumps(1.25e-5)).toBe('1.25e-05');
	});

	test('signWebhook matches Python hmac over "<timestamp>:<body>"', () => {
		expect(signWebhook({ secret: 'secret-for-tests', body: PYTHON_BODY, timestamp: TIMESTAMP })).toBe(PYTHON_SIGNATURE);
		expect(signWebhook({ secret: 'secret-for-tests', body: Buffer.from(PYTHON_BODY), timestamp: String(TIMESTAMP) })).toBe(
			PYTHON_SIGNATURE,
		);
	});

	test('buildWebhookRequest: one signature per secret, joined by a comma; constant subscription UUID', () => {
		const { body, headers } = buildWebhookRequest({
			event: EVENT,
			secrets: ['secret-for-tests', 'other-secret-123'],
			timestamp: TIMESTAMP,
		});
		expect(body).toBe(PYTHON_BODY);
		expect(headers['django-webhook-signature-v1']).toBe(`${PYTHON_SIGNATURE},${PYTHON_SIGNATURE_OTHER}`);
		expect(headers['django-webhook-request-timestamp']).toBe(String(TIMESTAMP));
		expect(headers['django-webhook-uuid']).toBe(DEFAULT_WEBHOOK_UUID);
		expect(headers['content-type']).toBe('application/json');
	});

	test('deliverWebhook POSTs the exact bytes; a UTF-8 re-serialisation would not verify', async () => {
		const received: { raw: Buffer; headers: http.IncomingHttpHeaders }[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ raw: Buffer.concat(chunks), headers: req.headers });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"ok":true}');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
			const first = await deliverWebhook(url, { event: EVENT, secret: 'secret-for-tests', timestamp: TIMESTAMP });
			expect(first.status).toBe(200);
			expect(first.json).toEqual({ ok: true });
			// A redelivery: same body, fresh timestamp and signature.
			await deliverWebhook(url, { body: first.body, secret: 'secret-for-tests', timestamp: TIMESTAMP + 60 });

			const [one, two] = received;
			expect(one.raw.toString('utf8')).toBe(PYTHON_BODY);
			expect(two.raw.equals(one.raw)).toBe(true);
			const verify = (raw: Buffer | string, timestamp: string) =>
				createHmac('sha256', 'secret-for-tests').update(`${timestamp}:`).update(raw).digest('hex');
			for (const { raw, headers } of received) {
				expect(headers['django-webhook-signature-v1']).toBe(verify(raw, String(headers['django-webhook-request-timestamp'])));
				expect(headers['django-webhook-uuid']).toBe(DEFAULT_WEBHOOK_UUID);
			}
			const reserialised = JSON.stringify(JSON.parse(one.raw.toString('utf8')));
			expect(verify(reserialised, String(TIMESTAMP))).not.toBe(one.headers['django-webhook-signature-v1']);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	test('deliverWithRetries retries a non-2xx answer as django-webhook does: the same body, re-signed, until a 2xx or 5 retries', async () => {
		expect(DJANGO_WEBHOOK_RETRY_DELAYS_MS).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
		const answers = [500, 409, 200];
		const received: { raw: Buffer; headers: http.IncomingHttpHeaders }[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ raw: Buffer.concat(chunks), headers: req.headers });
				res.writeHead(answers[received.length - 1] ?? 503);
				res.end('');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
			const attempts = await deliverWithRetries(url, { event: EVENT, secret: 'secret-for-tests', retryDelaysMs: [5, 5, 5] });
			expect(attempts.map((attempt: { status: number }) => attempt.status)).toEqual([500, 409, 200]);
			expect(received.map(({ raw }) => raw.toString('utf8'))).toEqual([PYTHON_BODY, PYTHON_BODY, PYTHON_BODY]);

			received.length = 0;
			answers.splice(0, answers.length);
			const gaveUp = await deliverWithRetries(url, { event: EVENT, secret: 'secret-for-tests', retryDelaysMs: [1, 1] });
			expect(gaveUp.map((attempt: { status: number }) => attempt.status)).toEqual([503, 503, 503]);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
