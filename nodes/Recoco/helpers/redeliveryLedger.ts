import { createHash } from 'crypto';

/**
 * What this n8n process knows about one delivery body: its run is going on (`running`, since `at`) or it ended with
 * a 2xx answer to Recoco (`succeeded`, at `at`). A body whose run failed has no entry, so its retry runs again.
 */
export interface LedgerEntry {
	state: 'running' | 'succeeded';
	at: number;
}

/** Raw-body SHA-256 → entry. */
export type RedeliveryLedger = Record<string, LedgerEntry>;

/** How long a success is remembered: Recoco retries a delivery at most 5 times within about an hour. */
export const REDELIVERY_WINDOW_MS = 60 * 60 * 1000;

/**
 * How long a run counts as going on when its answer was never seen (the longest bundled run, Les Communs with its
 * services waits, takes about 150 s); after that the body counts as unknown and runs again.
 */
export const RUNNING_LIMIT_MS = 10 * 60 * 1000;

/** Bounds the ledger however busy the portal. */
export const REDELIVERY_LEDGER_MAX_ENTRIES = 2000;

export type LedgerVerdict = 'new' | 'running' | 'succeeded';

/**
 * Identifies a delivery by its body. Recoco re-sends the same body with a fresh timestamp and
 * signature, so the body is the only stable identity; `Django-Webhook-UUID` is the subscription's id.
 */
export function deliveryFingerprint(rawBody: Buffer): string {
	return createHash('sha256').update(rawBody).digest('hex');
}

function isEntry(value: unknown): value is LedgerEntry {
	const entry = value as LedgerEntry;
	return typeof entry === 'object' && entry !== null && typeof entry.at === 'number' && (entry.state === 'running' || entry.state === 'succeeded');
}

function live(entry: unknown, nowMs: number): entry is LedgerEntry {
	if (!isEntry(entry)) return false;
	return nowMs - entry.at < (entry.state === 'running' ? RUNNING_LIMIT_MS : REDELIVERY_WINDOW_MS);
}

/** What the ledger says about a body now: never seen (or forgotten), its run going on, or its run succeeded. */
export function ledgerVerdict(ledger: RedeliveryLedger, fingerprint: string, nowMs: number): LedgerVerdict {
	const entry = ledger[fingerprint];
	return live(entry, nowMs) ? entry.state : 'new';
}

/** The ledger with `fingerprint` set to `entry` (or removed when undefined); expired entries dropped, then the oldest beyond the bound. */
export function withEntry(
	ledger: RedeliveryLedger,
	fingerprint: string,
	entry: LedgerEntry | undefined,
	nowMs: number,
	maxEntries = REDELIVERY_LEDGER_MAX_ENTRIES,
): RedeliveryLedger {
	const kept = Object.entries(ledger).filter(([key, value]) => key !== fingerprint && live(value, nowMs)) as Array<[string, LedgerEntry]>;
	kept.sort((a, b) => b[1].at - a[1].at);
	const room = Math.max(0, maxEntries - (entry ? 1 : 0));
	return Object.fromEntries([...(entry ? [[fingerprint, entry]] : []), ...kept.slice(0, room)]);
}

/** A delivery accepted now: its run starts. */
export function recordRunning(ledger: RedeliveryLedger, fingerprint: string, nowMs: number): RedeliveryLedger {
	return withEntry(ledger, fingerprint, { state: 'running', at: nowMs }, nowMs);
}

/**
 * The run's answer to Recoco was seen: a success is remembered, so a redelivery is skipped; anything else (a failed
 * run, or no answer seen) forgets the body, so Recoco's retry or a resend runs it again.
 */
export function recordOutcome(ledger: RedeliveryLedger, fingerprint: string, succeeded: boolean, nowMs: number): RedeliveryLedger {
	if (ledger[fingerprint]?.state !== 'running') return ledger;
	return withEntry(ledger, fingerprint, succeeded ? { state: 'succeeded', at: nowMs } : undefined, nowMs);
}
