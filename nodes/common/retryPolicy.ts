import type { IHttpRequestMethods } from 'n8n-workflow';

import type { HttpFailure } from './httpFailure';

export interface RetryPolicy {
	/** Total tries, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this fails at once instead of parking the execution. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

/** What to do after a failure: give up, or wait and try again. */
export type RetryDecision = { retry: false; reason?: string } | { retry: true; delayMs?: number };

export const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * A request that may be sent twice without changing the outcome. A POST whose reply was lost may
 * already have been applied, so it is never retried here; its operation guards it instead.
 */
export function isIdempotentMethod(method: IHttpRequestMethods | undefined): boolean {
	const verb = (method ?? 'GET').toUpperCase();
	return verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS' || verb === 'PUT' || verb === 'DELETE';
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const at = Date.parse(trimmed);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full-jitter exponential backoff: spreads concurrent clients instead of syncing their retries. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The generic part of the decision; a service may have said something more specific first. */
export function defaultRetryDecision(failure: HttpFailure): RetryDecision {
	if (failure.networkCode) return { retry: true };
	if (failure.status !== undefined && RETRYABLE_STATUS.has(failure.status)) return { retry: true };
	return { retry: false };
}
