/**
 * The HubEE Trigger's ledger: which notifications it emitted, and when they may be emitted again. The server queue
 * is the cursor (a notification is served until the workflow deletes it), so the ledger only keeps a notification
 * from starting a second execution while the first may still be running (its lease).
 */
export interface LedgerEntry {
	/** Executions started for this notification so far. */
	emits: number;
	lastEmittedAt: number;
	leaseUntil: number;
}

export type DeliveryLedger = Record<string, LedgerEntry>;

export interface LeaseSettings {
	leaseMs: number;
	/** Extra wait after the k-th expired lease: backoffMs × 2^(k-1), capped at 6 h. */
	backoffMs: number;
	/** Expired leases after which the notification is emitted flagged as poisoned. */
	poisonAfterExpiries: number;
	/** An entry older than this is dropped even if its notification is still served. */
	maxAgeMs: number;
}

export const DEFAULT_LEASE_SETTINGS: LeaseSettings = {
	leaseMs: 15 * 60_000,
	backoffMs: 5 * 60_000,
	poisonAfterExpiries: 5,
	maxAgeMs: 24 * 3_600_000,
};

const MAX_BACKOFF_MS = 6 * 3_600_000;

export interface Delivery<N> {
	notification: N;
	/** 1 for the first emission. */
	attempt: number;
	/** Leases that expired before this emission. */
	expiries: number;
	poisoned: boolean;
	leaseUntil: number;
}

export interface PollPlan<N> {
	deliveries: Array<Delivery<N>>;
	/** The ledger to save when `deliveries` is not empty (unchanged otherwise: an empty poll saves nothing). */
	ledger: DeliveryLedger;
	/** Notifications of this batch held back: leased or waiting for their backoff. */
	held: number;
}

export function backoffAfter(expiries: number, settings: LeaseSettings): number {
	if (expiries <= 0) return 0;
	return Math.min(MAX_BACKOFF_MS, settings.backoffMs * 2 ** (expiries - 1));
}

/** When a notification emitted `entry.emits` times may be emitted again. */
export function nextEmissionAt(entry: LedgerEntry, settings: LeaseSettings): number {
	return entry.leaseUntil + backoffAfter(entry.emits, settings);
}

/**
 * Decides which notifications of one GET to emit, at most `limit`. An entry is pruned when the GET returned fewer
 * than `requested` notifications without it (the whole queue was seen: it was deleted), or when it is older than
 * `maxAgeMs`.
 */
export function planPoll<N extends { id: string }>(
	ledger: DeliveryLedger,
	batch: N[],
	options: { now: number; requested: number; limit: number; settings: LeaseSettings },
): PollPlan<N> {
	const { now, settings } = options;
	const seen = new Set(batch.map((notification) => notification.id));
	const wholeQueueSeen = batch.length < options.requested;
	const next: DeliveryLedger = {};
	for (const [id, entry] of Object.entries(ledger)) {
		if (wholeQueueSeen && !seen.has(id)) continue;
		if (now - entry.lastEmittedAt > settings.maxAgeMs) continue;
		next[id] = { ...entry };
	}
	const deliveries: Array<Delivery<N>> = [];
	let held = 0;
	for (const notification of batch) {
		const entry = next[notification.id];
		if (entry && now < nextEmissionAt(entry, settings)) {
			held++;
			continue;
		}
		if (deliveries.length >= options.limit) continue;
		const expiries = entry ? entry.emits : 0;
		const leaseUntil = now + settings.leaseMs;
		next[notification.id] = { emits: expiries + 1, lastEmittedAt: now, leaseUntil };
		deliveries.push({
			notification,
			attempt: expiries + 1,
			expiries,
			poisoned: expiries >= settings.poisonAfterExpiries,
			leaseUntil,
		});
	}
	return { deliveries, ledger: deliveries.length ? next : ledger, held };
}

/** Entries whose lease or backoff still holds them back at `now`: the head of the queue they may hide. */
export function heldCount(ledger: DeliveryLedger, now: number, settings: LeaseSettings): number {
	return Object.values(ledger).filter((entry) => now < nextEmissionAt(entry, settings)).length;
}
