import { createHmac, timingSafeEqual } from 'crypto';

export interface SignedDelivery {
	/** Exactly the bytes Recoco sent: its signature covers them, never a re-serialisation. */
	rawBody: Buffer;
	/** `Django-Webhook-Request-Timestamp`, unix seconds. */
	timestamp: string | undefined;
	/** `Django-Webhook-Signature-v1`: one hex HMAC per secret configured in Recoco, comma-separated. */
	signatureHeader: string | undefined;
}

export interface VerificationPolicy {
	secret: string;
	/** Largest accepted |now − timestamp|, in seconds, so both old and future-dated deliveries fail. */
	toleranceSeconds: number;
	nowSeconds: number;
}

export type VerificationResult = { valid: true } | { valid: false; reason: string };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The Timestamp Tolerance option as seconds: the default when unset, else a finite number above 0. NaN or Infinity
 * (an expression that yields them) would make every skew comparison pass, so they are refused, never used.
 */
export function readToleranceSeconds(value: unknown): { ok: true; seconds: number } | { ok: false; reason: string } {
	if (value === undefined || value === null || value === '') return { ok: true, seconds: DEFAULT_TOLERANCE_SECONDS };
	const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (Number.isFinite(seconds) && seconds > 0) return { ok: true, seconds };
	return {
		ok: false,
		reason: `Timestamp Tolerance must be a finite number of seconds above 0, not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
	};
}

/** Hex HMAC-SHA256 of `${timestamp}:${rawBody}`, as django-webhook signs a delivery. */
export function signDelivery(secret: string, timestamp: string, rawBody: Buffer): string {
	return createHmac('sha256', secret)
		.update(Buffer.from(`${timestamp}:`, 'utf8'))
		.update(rawBody)
		.digest('hex');
}

function sameHex(expected: string, candidate: string): boolean {
	if (!HEX_SHA256.test(candidate)) return false;
	const a = Buffer.from(expected.toLowerCase(), 'utf8');
	const b = Buffer.from(candidate.toLowerCase(), 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Accepts a delivery when its timestamp is fresh and ANY listed signature matches: during a secret
 * rotation Recoco signs with every secret it holds and only one of them is ours.
 */
export function verifyDelivery(delivery: SignedDelivery, policy: VerificationPolicy): VerificationResult {
	const timestamp = (delivery.timestamp ?? '').trim();
	if (!timestamp)
		return {
			valid: false,
			reason: 'missing Django-Webhook-Request-Timestamp header',
		};
	if (!/^\d{1,12}$/.test(timestamp))
		return {
			valid: false,
			reason: 'malformed Django-Webhook-Request-Timestamp header',
		};
	// `skew > NaN` is false: a tolerance that is not a finite positive number must never let a delivery through.
	if (!(Number.isFinite(policy.toleranceSeconds) && policy.toleranceSeconds > 0)) {
		return { valid: false, reason: 'the timestamp tolerance is not a finite positive number of seconds' };
	}
	const skew = Math.abs(policy.nowSeconds - Number(timestamp));
	if (skew > policy.toleranceSeconds) {
		return {
			valid: false,
			reason: `timestamp is ${Math.round(skew)} s away from now, outside the ${policy.toleranceSeconds} s window`,
		};
	}
	const signatures = (delivery.signatureHeader ?? '')
		.split(',')
		.map((signature) => signature.trim())
		.filter((signature) => signature.length > 0);
	if (!signatures.length)
		return {
			valid: false,
			reason: 'missing Django-Webhook-Signature-v1 header',
		};
	if (!policy.secret)
		return {
			valid: false,
			reason: 'the Recoco Webhook credential has no secret',
		};
	const expected = signDelivery(policy.secret, timestamp, delivery.rawBody);
	// Compare against every candidate, without stopping early, so timing does not reveal which one matched.
	let matched = false;
	for (const signature of signatures) matched = sameHex(expected, signature) || matched;
	return matched ? { valid: true } : { valid: false, reason: 'no signature matches the configured secret' };
}
