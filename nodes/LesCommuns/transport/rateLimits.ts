import { bucketFor, type LeakyBucket } from '../../common/rateLimiter';

/**
 * Les Communs throttles per IP with @nestjs/throttler over fixed 60 s windows: 500/min on the projets controller,
 * 50/min on every other route. The limit is shared by every workflow of this n8n process (one IP), so the bucket is
 * process-wide, keyed by API host and route class. A leaky bucket lets through at most burst + 60 × rate in any
 * 60 s, so rate and burst are chosen to add up to the limit.
 */
export const LES_COMMUNS_RATES = {
	projets: { ratePerSecond: 450 / 60, burst: 50 },
	other: { ratePerSecond: 45 / 60, burst: 5 },
} as const;

export type LesCommunsRouteClass = keyof typeof LES_COMMUNS_RATES;

export function routeClassOf(path: string): LesCommunsRouteClass {
	return /^\/?projets(\/|\?|$)/.test(path) ? 'projets' : 'other';
}

export function lesCommunsBucket(apiBase: string, path: string): LeakyBucket {
	let host = apiBase;
	try {
		host = new URL(apiBase).host;
	} catch {
		// A base URL n8n could not call anyway; keying on the raw text is good enough.
	}
	const routeClass = routeClassOf(path);
	const { ratePerSecond, burst } = LES_COMMUNS_RATES[routeClass];
	return bucketFor(`lescommuns ${host} ${routeClass}`, ratePerSecond, burst);
}
