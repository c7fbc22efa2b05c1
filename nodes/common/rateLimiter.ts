import { sleep } from 'n8n-workflow';

export interface RatePlan {
	ratePerSecond: number;
	burst: number;
}

/**
 * Our clock and the service's differ by network and event-loop jitter: two requests we space by exactly
 * 1/rate can arrive closer together. So we stay a little under the plan: 5% slower and 10% of the burst
 * (at least one request) kept free.
 */
export function withSafetyMargin(plan: RatePlan): RatePlan {
	const spare = plan.burst >= 2 ? Math.max(1, Math.ceil(plan.burst * 0.1)) : 0;
	return { ratePerSecond: plan.ratePerSecond * 0.95, burst: Math.max(1, plan.burst - spare) };
}

/**
 * A leaky bucket per key (a portal, an API host), shared by every execution in this n8n process, so
 * parallel workflows against one service stay under its limit together. It is never replaced and its
 * level never reset: when callers name different plans (two credentials of one portal that disagree),
 * the strictest plan seen applies to all of them.
 */
export class LeakyBucket {
	private level = 0;

	private last = Date.now();

	private queue: Promise<void> = Promise.resolve();

	/** Plans by who declared them (a credential); the strictest one is in force. */
	private readonly plans = new Map<string, RatePlan>();

	constructor(plan: RatePlan, declaredBy = 'default') {
		this.plans.set(declaredBy, plan);
	}

	get ratePerSecond(): number {
		return Math.min(...[...this.plans.values()].map((plan) => plan.ratePerSecond));
	}

	get burst(): number {
		return Math.min(...[...this.plans.values()].map((plan) => plan.burst));
	}

	/** Records the plan a caller believes in; a later plan from the same caller replaces its earlier one. */
	usePlan(plan: RatePlan, declaredBy: string): this {
		if (Number.isFinite(plan.ratePerSecond) && plan.ratePerSecond > 0 && Number.isFinite(plan.burst) && plan.burst >= 1) {
			this.plans.set(declaredBy, plan);
		}
		return this;
	}

	/** Resolves when one more request fits; callers are served in order. */
	async take(): Promise<void> {
		const turn = this.queue.then(async () => {
			this.leak();
			// A loop: a stricter plan may be declared while we wait.
			while (this.level + 1 > this.burst) {
				await sleep(Math.max(1, Math.ceil(((this.level + 1 - this.burst) / this.ratePerSecond) * 1000)));
				this.leak();
			}
			this.level += 1;
		});
		this.queue = turn.catch(() => undefined);
		return await turn;
	}

	/** The service said it is over its limit: count the bucket as full, so every caller slows down. */
	fill(): void {
		this.leak();
		this.level = Math.max(this.level, this.burst);
	}

	private leak(): void {
		const now = Date.now();
		this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.ratePerSecond);
		this.last = now;
	}
}

/**
 * One bucket per key in this process, never shared with other processes: in queue mode each worker has its own, so a
 * credential names the share of a service's plan each process may use (Bitrix24's Processes Sharing This Portal), and a
 * "limit exceeded" answer fills the bucket and retries after a wait. A cold bucket (a new worker) starts empty, as
 * after a restart, which the plan's share accounts for.
 */
const buckets = new Map<string, LeakyBucket>();

/** The one bucket of a key for this process; `plan` is declared on it by `declaredBy`. */
export function bucketFor(key: string, ratePerSecond: number, burst: number, declaredBy = 'default'): LeakyBucket {
	const plan = { ratePerSecond, burst };
	const existing = buckets.get(key);
	if (existing) return existing.usePlan(plan, declaredBy);
	const bucket = new LeakyBucket(plan, declaredBy);
	buckets.set(key, bucket);
	return bucket;
}
