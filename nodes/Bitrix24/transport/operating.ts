/**
 * Bitrix24's operating-time limit: the server time each method spends for one app or webhook is summed over
 * the last 10 minutes (ten one-minute baskets); past the portal's budget (480 s in the documentation's example;
 * self-hosted portals default to 420 s when the limit is on) the method answers 429 OPERATION_TIME_LIMIT until
 * part of the sum expires. Every answer, and every command of a batch in `result_time`, carries `operating`
 * (that sum, in seconds) and `operating_reset_at` (unix seconds when part of it frees).
 *
 * This tracks, per portal and method, the increments the answers report and when they expire, and tells the
 * caller how long to wait so that the next request, which costs about as much as the largest one seen, stays
 * under the budget: a long read slows down before the block instead of being blocked.
 */

export const OPERATING_WINDOW_MS = 600_000;
/** The budget is approached only up to this share: other callers of the same webhook spend it too. */
const BUDGET_SHARE = 0.9;

interface MethodUsage {
	/** Increments of the method's sum as seen, oldest first, each expiring one window after it was seen. */
	spent: Array<{ at: number; seconds: number }>;
	/** The largest increment one request made. */
	step: number;
	resetAt?: number;
}

/** The clock the budget reads; tests replace it together with transportClock.sleep. */
export const operatingClock = { now: (): number => Date.now() };

export class OperatingBudgets {
	private readonly usage = new Map<string, MethodUsage>();

	constructor(private readonly windowMs = OPERATING_WINDOW_MS) {}

	/** The method's sum as this process knows it at `now`: what answers reported, less what has expired since. */
	estimate(key: string, now: number): number {
		const usage = this.usage.get(key);
		if (!usage) return 0;
		this.expire(usage, now);
		return usage.spent.reduce((sum, entry) => sum + entry.seconds, 0);
	}

	/**
	 * An answer's `time` block for `key` (portal and method). The whole sum reported on first sight is taken as
	 * spent now (its true age is unknown, so it expires no earlier than it really does).
	 */
	note(key: string, time: unknown, now: number): void {
		const block = (time ?? {}) as { operating?: unknown; operating_reset_at?: unknown };
		const operating = Number(block.operating);
		let usage = this.usage.get(key);
		if (!usage) {
			usage = { spent: [], step: 0 };
			this.usage.set(key, usage);
		}
		const resetAt = Number(block.operating_reset_at);
		if (Number.isFinite(resetAt) && resetAt > 0) usage.resetAt = resetAt;
		if (!Number.isFinite(operating) || operating < 0) return;
		const increment = operating - this.estimate(key, now);
		if (increment > 0) usage.spent.push({ at: now, seconds: increment });
	}

	/** What one request added to the method's sum (a batch of 50 commands adds 50 commands' time). */
	noteRequestCost(key: string, seconds: number): void {
		const usage = this.usage.get(key);
		if (usage && seconds > usage.step) usage.step = seconds;
	}

	/**
	 * Milliseconds to wait before the next request to the method so that the known sum plus one more request
	 * stays under the budget share; 0 when it already does or nothing is known.
	 */
	waitMs(key: string, budgetSeconds: number, now: number): number {
		const usage = this.usage.get(key);
		if (!usage || !(budgetSeconds > 0)) return 0;
		this.expire(usage, now);
		const limit = budgetSeconds * BUDGET_SHARE;
		// A request's cost is capped at half the budget, so that waiting can always make room for it.
		const step = Math.min(usage.step, budgetSeconds / 2);
		let sum = usage.spent.reduce((total, entry) => total + entry.seconds, 0);
		if (sum + step <= limit) return 0;
		for (const entry of usage.spent) {
			sum -= entry.seconds;
			if (sum + step <= limit) return Math.max(0, entry.at + this.windowMs - now);
		}
		return 0;
	}

	resetAt(key: string): number | undefined {
		return this.usage.get(key)?.resetAt;
	}

	clear(): void {
		this.usage.clear();
	}

	private expire(usage: MethodUsage, now: number): void {
		while (usage.spent.length && usage.spent[0].at + this.windowMs <= now) usage.spent.shift();
	}
}
