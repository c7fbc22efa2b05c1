import { readToleranceSeconds, signDelivery, verifyDelivery } from '../../../nodes/Recoco/helpers/webhookSignature';

/**
 * A body exactly as django-webhook sends it: Python `json.dumps` (", " and ": " separators,
 * ensure_ascii so non-ASCII is escaped as \uXXXX). Signature computed with Python's hmac module:
 *   hmac.new(b"recoco-shared-secret-1", f"1764662400:{body}".encode(), hashlib.sha256).hexdigest()
 */
const PYTHON_BODY = String.raw`{"topic": "projects.Project/update", "object": {"id": 42, "name": "P\u00f4le Sant\u00e9 \u2013 Monni\u00e8res", "tags": ["les-communs"], "inactive_since": null, "latitude": 47.12}, "object_type": "projects.Project", "webhook_uuid": "6f1c7a8e-2b1d-4a3e-9c55-0d7f3e2a1b90"}`;
const PYTHON_SIGNATURE = '8863acfbdcfb4a91a4f63eed5a464f1ba3d83eaef006177fda891a449bcaf677';
const SECRET = 'recoco-shared-secret-1';
const TIMESTAMP = '1764662400';

const policy = (overrides: Partial<{ secret: string; toleranceSeconds: number; nowSeconds: number }> = {}) => ({
	secret: SECRET,
	toleranceSeconds: 300,
	nowSeconds: Number(TIMESTAMP) + 10,
	...overrides,
});

describe('Recoco webhook signature (Django-Webhook-Signature-v1)', () => {
	const rawBody = Buffer.from(PYTHON_BODY, 'utf8');

	it('matches the signature Python computes over the raw body', () => {
		expect(rawBody.toString('utf8')).toContain('\\u00f4');
		expect(signDelivery(SECRET, TIMESTAMP, rawBody)).toBe(PYTHON_SIGNATURE);
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE }, policy())).toEqual({
			valid: true,
		});
	});

	it('accepts upper-case hex and spaces around the comma-separated list', () => {
		const header = ` ${PYTHON_SIGNATURE.toUpperCase()} `;
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: header }, policy()).valid).toBe(true);
	});

	it('rejects a bad signature', () => {
		const bad = PYTHON_SIGNATURE.replace(/^8/, '9');
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: bad }, policy())).toEqual({
			valid: false,
			reason: 'no signature matches the configured secret',
		});
	});

	it('rejects a signature made with another secret', () => {
		const other = signDelivery('another-secret-abc', TIMESTAMP, rawBody);
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: other }, policy()).valid).toBe(false);
	});

	it('accepts when any one of several signatures matches (secret rotation)', () => {
		const other = signDelivery('old-secret-before-rotation', TIMESTAMP, rawBody);
		for (const header of [
			`${other},${PYTHON_SIGNATURE}`,
			`${PYTHON_SIGNATURE},${other}`,
			`${other}, deadbeef ,${PYTHON_SIGNATURE}`,
		]) {
			expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: header }, policy()).valid).toBe(true);
		}
	});

	it('rejects when none of several signatures matches, and ignores non-hex or short candidates', () => {
		const header = `${signDelivery('old-secret-before-rotation', TIMESTAMP, rawBody)},${PYTHON_SIGNATURE.slice(0, 63)},zz${PYTHON_SIGNATURE.slice(2)}`;
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: header }, policy()).valid).toBe(false);
	});

	it('fails on a UTF-8 re-serialisation of the same event', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(PYTHON_BODY)), 'utf8');
		expect(reserialised.toString('utf8')).toContain('Pôle');
		expect(
			verifyDelivery({ rawBody: reserialised, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE }, policy()).valid,
		).toBe(false);
		// Even with Python's spacing restored, decoding \uXXXX to UTF-8 changes the signed bytes.
		const spaced = Buffer.from(
			PYTHON_BODY.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
			'utf8',
		);
		expect(verifyDelivery({ rawBody: spaced, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE }, policy()).valid).toBe(
			false,
		);
	});

	it('fails when one byte of the body changes', () => {
		const tampered = Buffer.from(PYTHON_BODY.replace('"id": 42', '"id": 43'), 'utf8');
		expect(verifyDelivery({ rawBody: tampered, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE }, policy()).valid).toBe(
			false,
		);
	});

	it('fails when the timestamp is changed (it is part of the signed text)', () => {
		const result = verifyDelivery({ rawBody, timestamp: '1764662401', signatureHeader: PYTHON_SIGNATURE }, policy());
		expect(result.valid).toBe(false);
	});

	it('rejects stale and future timestamps outside the window, accepts its edges', () => {
		const at = (nowSeconds: number) =>
			verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE }, policy({ nowSeconds }));
		expect(at(Number(TIMESTAMP) + 300).valid).toBe(true);
		expect(at(Number(TIMESTAMP) - 300).valid).toBe(true);
		const stale = at(Number(TIMESTAMP) + 301);
		expect(stale).toEqual({ valid: false, reason: expect.stringContaining('outside the 300 s window') });
		expect(at(Number(TIMESTAMP) - 301).valid).toBe(false);
		expect(at(Number(TIMESTAMP) + 86400).valid).toBe(false);
	});

	it('honours a configured window', () => {
		const result = verifyDelivery(
			{ rawBody, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE },
			policy({ nowSeconds: Number(TIMESTAMP) + 900, toleranceSeconds: 1000 }),
		);
		expect(result.valid).toBe(true);
	});

	it('rejects a missing or malformed timestamp and a missing signature', () => {
		expect(verifyDelivery({ rawBody, timestamp: undefined, signatureHeader: PYTHON_SIGNATURE }, policy())).toEqual({
			valid: false,
			reason: 'missing Django-Webhook-Request-Timestamp header',
		});
		expect(verifyDelivery({ rawBody, timestamp: '17646624OO', signatureHeader: PYTHON_SIGNATURE }, policy()).valid).toBe(false);
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: undefined }, policy())).toEqual({
			valid: false,
			reason: 'missing Django-Webhook-Signature-v1 header',
		});
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: ' , ' }, policy()).valid).toBe(false);
	});

	it('never accepts when the credential secret is empty', () => {
		const emptySigned = signDelivery('', TIMESTAMP, rawBody);
		expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: emptySigned }, policy({ secret: '' })).valid).toBe(
			false,
		);
	});

	it.each([NaN, Infinity, 0, -1])('never accepts a delivery, even a fresh one, when the tolerance is %p', (toleranceSeconds) => {
		const weekLater = Number(TIMESTAMP) + 7 * 24 * 3600;
		for (const nowSeconds of [Number(TIMESTAMP) + 10, weekLater]) {
			expect(verifyDelivery({ rawBody, timestamp: TIMESTAMP, signatureHeader: PYTHON_SIGNATURE }, policy({ toleranceSeconds, nowSeconds }))).toEqual({
				valid: false,
				reason: 'the timestamp tolerance is not a finite positive number of seconds',
			});
		}
	});

	it('reads the Timestamp Tolerance option: unset is 300 s, a finite number above 0 is kept, anything else is refused', () => {
		expect(readToleranceSeconds(undefined)).toEqual({ ok: true, seconds: 300 });
		expect(readToleranceSeconds('')).toEqual({ ok: true, seconds: 300 });
		expect(readToleranceSeconds(900)).toEqual({ ok: true, seconds: 900 });
		expect(readToleranceSeconds('45')).toEqual({ ok: true, seconds: 45 });
		expect(readToleranceSeconds(NaN)).toEqual({ ok: false, reason: 'Timestamp Tolerance must be a finite number of seconds above 0, not NaN' });
		expect(readToleranceSeconds(Infinity)).toMatchObject({ ok: false, reason: expect.stringMatching(/not Infinity$/) });
		expect(readToleranceSeconds('soon')).toMatchObject({ ok: false, reason: expect.stringMatching(/not "soon"$/) });
		expect(readToleranceSeconds({})).toMatchObject({ ok: false });
	});
});
