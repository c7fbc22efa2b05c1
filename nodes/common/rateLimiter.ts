import { sleep } from 'n8n-workflow';

/**
 * A leaky bucket per key (a portal, an API host), shared by every execution in this n8n process,
 * so parallel workflows against one service stay under its limit together.
 */
export class LeakyBucket {
	private level = 0;

	private last = Date.now();

	private queue: Promise<void> = Promise.resolve();

	constructor(
		readonly ratePerSecond: number,
		readonly burst: number,
	) {}

	/** Resolves when one more request fits; callers are served in order. */
	async take(): Promise<void> {
		const turn = this.queue.then(async () => {
			this.leak();
			if (this.level + 1 > this.burst) {
				const waitMs = Math.ceil(((this.level + 1 - this.burst) / this.ratePerSecond) * 1000);
				await sleep(waitMs);
				this.leak();
			}
			this.level += 1;
		});
		this.queue = turn.catch(() => undefined);
		return await turn;
	}

	private leak(): void {
		const now = Date.now();
		this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.ratePerSecond);
		this.last = now;
	}
}

const buckets = new Map<string, LeakyBucket>();

/** The bucket for a key; a changed rate or burst replaces it. */
export function bucketFor(key: string, ratePerSecond: number, burst: number): LeakyBucket {
	const existing = buckets.get(key);
	if (existing && existing.ratePerSecond === ratePerSecond && existing.burst === burst) return existing;
	const bucket = new LeakyBucket(ratePerSecond, burst);
	buckets.set(key, bucket);
	return bucket;
}
