import { sleep } from 'n8n-workflow';

/** Waits before and between service reads; tests swap it to keep the suite fast. */
export const servicesClock = {
	sleep: (ms: number): Promise<void> => sleep(ms),
};

export interface ServicesPolling {
	/** Before the first read: Les Communs qualifies a new or changed projet asynchronously, services come later. */
	initialDelayMs: number;
	/** Further reads while the list is still empty. */
	reReads: number;
	intervalMs: number;
}

/** Reads until the list is non-empty or the re-reads are used up; says how many reads it took. */
export async function readServicesPatiently<T>(
	read: () => Promise<T[]>,
	polling: ServicesPolling,
	wait: (ms: number) => Promise<void> = servicesClock.sleep,
): Promise<{ services: T[]; reads: number }> {
	if (polling.initialDelayMs > 0) await wait(polling.initialDelayMs);
	let services = await read();
	let reads = 1;
	while (services.length === 0 && reads <= polling.reReads) {
		if (polling.intervalMs > 0) await wait(polling.intervalMs);
		services = await read();
		reads += 1;
	}
	return { services, reads };
}
