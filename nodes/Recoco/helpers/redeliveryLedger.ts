import { createHash } from 'crypto';

/** Raw-body SHA-256 → when that delivery was accepted (ms since epoch). Lives in the node's static data. */
export type RedeliveryLedger = Record<string, number>;

export const REDELIVERY_WINDOW_MS = 60 * 60 * 1000;

/** Recoco retries a delivery at most 5 times within about an hour; this bounds the ledger however busy the portal. */
export const REDELIVERY_LEDGER_MAX_ENTRIES = 2000;

/**
 * Identifies a delivery by its body. Recoco re-sends the same body with a fresh timestamp and
 * signature, so the body is the only stable identity; `Django-Webhook-UUID` is the subscription's id.
 */
export function deliveryFingerprint(rawBody: Buffer): string {
	return createHash('sha256').update(rawBody).digest('hex');
}

export function wasAccepted(
	ledger: RedeliveryLedger,
	fingerprint: string,
	nowMs: number,
	windowMs = REDELIVERY_WINDOW_MS,
): boolean {
	const acceptedAt = ledger[fingerprint];
	return typeof acceptedAt === 'number' && nowMs - acceptedAt < windowMs;
}

/** The ledger after accepting a delivery: expired entries dropped, the oldest ones too beyond the bound. */
export function recordAccepted(
	ledger: RedeliveryLedger,
	fingerprint: string,
	nowMs: number,
	windowMs = REDELIVERY_WINDOW_MS,
	maxEntries = REDELIVERY_LEDGER_MAX_ENTRIES,
): RedeliveryLedger {
	const live = Object.entries(ledger).filter(
		([key, acceptedAt]) => key !== fingerprint && typeof acceptedAt === 'number' && nowMs - acceptedAt < windowMs,
	);
	live.sort((a, b) => b[1] - a[1]);
	const kept = live.slice(0, Math.max(0, maxEntries - 1));
	return Object.fromEntries([[fingerprint, nowMs], ...kept]);
}
