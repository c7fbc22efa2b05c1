import type { IAllExecuteFunctions, ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { checkBitrix24WebhookUrl } from '../helpers/credentialShapes';
import type { HttpFailure } from '../../common/httpFailure';
import { bucketFor, withSafetyMargin, type LeakyBucket, type RatePlan } from '../../common/rateLimiter';
import { serviceRequest, transportClock } from '../../common/request';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryDecision, type RetryPolicy } from '../../common/retryPolicy';
import { bitrix24ErrorMessage } from './errors';
import type { ServiceProfile } from '../../common/serviceProfile';
import { normaliseBatchResult, type BatchResult } from '../helpers/envelope';
import type { PagerIo } from './pager';
import { OperatingBudgets, operatingClock } from './operating';

export const BITRIX24_CREDENTIAL = 'bitrix24InboundWebhookApi';

/** The portal's leaky bucket (a plan of the portal, set on the credential): 2 req/s with a burst of 50, Enterprise 5/250. */
export const STANDARD_RATE: RatePlan = { ratePerSecond: 2, burst: 50 };
export const ENTERPRISE_RATE: RatePlan = { ratePerSecond: 5, burst: 250 };
/** A self-hosted portal may run without a leaky bucket; requests still go one after the other. */
export const NO_RATE_LIMIT: RatePlan = { ratePerSecond: 1_000_000, burst: 1_000_000 };

/** When no `operating_reset_at` was seen for a blocked method, wait this long: a guess, one minute of the method's time budget. */
export const OPERATING_FALLBACK_MS = 60_000;

/**
 * QUERY_LIMIT_EXCEEDED drains at 2 req/s, so backoff starts at 1 s. OPERATION_TIME_LIMIT may ask for
 * up to 10 minutes (the operating window), which a long sync should wait out rather than fail.
 */
export const BITRIX24_RETRY_POLICY: Partial<RetryPolicy> = {
	maxAttempts: 8,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 11 * 60_000,
};

export type RequestContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

function errorCode(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const error = (body as IDataObject).error;
	return typeof error === 'string' && error ? error : undefined;
}

/**
 * Bitrix24's own limit rules, consulted before the generic ones:
 * QUERY_LIMIT_EXCEEDED (503) → back off; OPERATION_TIME_LIMIT (429) → wait until the method's
 * `operating_reset_at`; OVERLOAD_LIMIT (a manual block) and auth errors → fail at once.
 */
export function bitrix24RetryDecision(
	failure: HttpFailure,
	attempt: number,
	operatingResetAt: number | undefined,
	now = Date.now(),
): RetryDecision | undefined {
	const code = errorCode(failure.body);
	if (code === 'QUERY_LIMIT_EXCEEDED') {
		return { retry: true, delayMs: backoffDelay(attempt, { ...DEFAULT_RETRY_POLICY, ...BITRIX24_RETRY_POLICY }) };
	}
	if (code === 'OPERATION_TIME_LIMIT') {
		const untilReset = operatingResetAt ? operatingResetAt * 1000 - now + 1000 : OPERATING_FALLBACK_MS;
		return { retry: true, delayMs: Math.max(1000, untilReset) };
	}
	if (code === 'OVERLOAD_LIMIT') {
		return { retry: false, reason: 'Bitrix24 blocked this portal\'s REST access (OVERLOAD_LIMIT); only its support can lift it' };
	}
	if (failure.status === 401 || failure.status === 403) return { retry: false };
	return undefined;
}

/** Each method's operating time per portal, as its answers report it, for the whole process. */
export const operatingBudgets = new OperatingBudgets();

/** The docs' example budget of a cloud portal: 480 s of a method's server time per 10 minutes. */
export const DEFAULT_OPERATING_BUDGET_SECONDS = 480;

export function noteOperatingReset(portal: string, method: string, time: unknown): void {
	operatingBudgets.note(`${portal} ${method}`, time, operatingClock.now());
}

export function operatingResetFor(portal: string, method: string): number | undefined {
	return operatingBudgets.resetAt(`${portal} ${method}`);
}

/**
 * Waits until one more request to each of `methods` fits in its operating budget, so a long read slows down
 * before Bitrix24 blocks the method for minutes. Returns the known sums, to measure the request's cost.
 */
async function awaitOperatingBudget(portal: Portal, methods: string[]): Promise<Map<string, number>> {
	for (let round = 0; round < 3; round++) {
		const now = operatingClock.now();
		const wait = Math.max(0, ...methods.map((method) => operatingBudgets.waitMs(`${portal.origin} ${method}`, portal.operatingBudget, now)));
		if (wait <= 0) break;
		await transportClock.sleep(wait + 1000);
	}
	const now = operatingClock.now();
	return new Map(methods.map((method) => [method, operatingBudgets.estimate(`${portal.origin} ${method}`, now)]));
}

function noteRequestCosts(portal: Portal, before: Map<string, number>): void {
	const now = operatingClock.now();
	for (const [method, known] of before) {
		const key = `${portal.origin} ${method}`;
		operatingBudgets.noteRequestCost(key, operatingBudgets.estimate(key, now) - known);
	}
}

/** The plan the credential declares for its portal. */
export function ratePlanOf(credentials: ICredentialDataDecryptedObject | undefined): RatePlan {
	return processShare(portalPlanOf(credentials), credentials?.processesSharingPortal);
}

function portalPlanOf(credentials: ICredentialDataDecryptedObject | undefined): RatePlan {
	const mode = String(credentials?.rateLimit ?? 'standard');
	if (mode === 'enterprise') return ENTERPRISE_RATE;
	if (mode === 'none') return NO_RATE_LIMIT;
	if (mode === 'custom') {
		return {
			ratePerSecond: Number(credentials?.requestsPerSecond ?? STANDARD_RATE.ratePerSecond),
			burst: Number(credentials?.burst ?? STANDARD_RATE.burst),
		};
	}
	return STANDARD_RATE;
}

/**
 * This process's share of the portal's plan when `processes` n8n processes (queue-mode workers) call one portal: each
 * bucket is per process, so each one keeps to rate/n and burst/n (at least one request), and together they stay
 * within the plan. Anything but a whole number ≥ 1 counts as 1.
 */
export function processShare(plan: RatePlan, processes: unknown): RatePlan {
	const count = Math.floor(Number(processes ?? 1));
	if (!Number.isFinite(count) || count <= 1) return plan;
	return { ratePerSecond: plan.ratePerSecond / count, burst: Math.max(1, Math.floor(plan.burst / count)) };
}

/** Where requests go and under which plan; the webhook URL itself is the secret and stays out of it. */
export interface Portal {
	/** The portal's origin: the key of its one leaky bucket in this process. */
	origin: string;
	plan: RatePlan;
	/** Which credential declared the plan (its id), so the strictest of several credentials applies. */
	declaredBy: string;
	/** Seconds of server time a method may spend per 10 minutes before Bitrix24 blocks it; 0 turns tracking off. */
	operatingBudget: number;
}

/** The credential's operating budget; absent on credentials saved before the field existed. */
export function operatingBudgetOf(credentials: ICredentialDataDecryptedObject | undefined): number {
	const value = Number(credentials?.operatingBudget ?? DEFAULT_OPERATING_BUDGET_SECONDS);
	return Number.isFinite(value) && value >= 0 ? value : DEFAULT_OPERATING_BUDGET_SECONDS;
}

export async function portalOf(context: RequestContext): Promise<Portal> {
	const credentials = await context.getCredentials(BITRIX24_CREDENTIAL);
	const check = checkBitrix24WebhookUrl(credentials?.webhookSecretUrl, { selfHosted: credentials?.selfHosted === true });
	return {
		origin: check.ok ? new URL(check.url).origin : 'unknown-portal',
		plan: ratePlanOf(credentials),
		declaredBy: context.getNode().credentials?.[BITRIX24_CREDENTIAL]?.id ?? 'default',
		operatingBudget: operatingBudgetOf(credentials),
	};
}

export function portalBucket(portal: Portal): LeakyBucket {
	const { ratePerSecond, burst } = withSafetyMargin(portal.plan);
	return bucketFor(`bitrix24 ${portal.origin}`, ratePerSecond, burst, portal.declaredBy);
}

/** Methods whose name says they only read, so a lost answer may be asked again. */
export function isReadMethod(method: string): boolean {
	return /\.(get|list|fields|search|count|current)$/i.test(method) || /^(profile|methods|scope|user\.current|server\.time)$/i.test(method);
}

export interface Bitrix24RequestOptions {
	itemIndex?: number;
	/** A read, or an update/delete that sets a fixed state. Never set for `*.add`. */
	idempotent: boolean;
	/** The portal when the caller already knows it (a paged read asks once, not per request). */
	portal?: Portal;
	/**
	 * Error codes that mean "already done" when they answer a retry after an attempt whose outcome is
	 * unknown (a lost answer): a delete's NOT_FOUND then means the first attempt deleted it.
	 */
	doneOnRetry?: string[];
}

/** Failures after which the request may have been applied: no answer, or a server error other than a limit. */
function outcomeUnknown(failure: HttpFailure): boolean {
	const code = errorCode(failure.body);
	if (code === 'QUERY_LIMIT_EXCEEDED' || code === 'OPERATION_TIME_LIMIT' || code === 'OVERLOAD_LIMIT') return false;
	return failure.status === undefined || failure.status >= 500;
}

/**
 * One REST call: `POST <webhook>/<method>.json` with a JSON body. Every attempt, retries included, waits
 * for the portal's shared leaky bucket; the credential's authenticate sets the webhook URL as baseURL.
 */
export async function bitrix24Request(
	context: RequestContext,
	method: string,
	params: IDataObject,
	options: Bitrix24RequestOptions,
): Promise<IDataObject> {
	const portal = options.portal ?? (await portalOf(context));
	const bucket = portalBucket(portal);
	// A batch's own method costs little; its commands' methods are waited for by bitrix24Batch.
	const before = method === 'batch' ? new Map<string, number>() : await awaitOperatingBudget(portal, [method]);
	let unknownOutcome = false;
	let lastCode: string | undefined;
	const profile: ServiceProfile = {
		name: 'Bitrix24',
		credentialType: BITRIX24_CREDENTIAL,
		errorMessage: bitrix24ErrorMessage,
		retryDecision: (failure, attempt) => {
			lastCode = errorCode(failure.body);
			// The portal says its bucket is full: every caller of this process waits, not only this one.
			if (lastCode === 'QUERY_LIMIT_EXCEEDED') bucket.fill();
			const decision = bitrix24RetryDecision(failure, attempt, operatingResetFor(portal.origin, method));
			if (outcomeUnknown(failure)) unknownOutcome = true;
			return decision;
		},
		secretFields: ['webhookSecretUrl'],
		retryPolicy: BITRIX24_RETRY_POLICY,
	};
	const outcome = await serviceRequest<IDataObject>(
		context,
		profile,
		{
			method: 'POST',
			url: `${method}.json`,
			body: params,
			json: true,
			headers: { Accept: 'application/json' },
		},
		{ itemIndex: options.itemIndex, idempotent: options.idempotent, beforeAttempt: async () => await bucket.take() },
	).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('error' in outcome) {
		if (unknownOutcome && lastCode !== undefined && options.doneOnRetry?.includes(lastCode)) return { result: true, doneOnRetry: lastCode };
		throw outcome.error;
	}
	const body = outcome.answer;
	noteOperatingReset(portal.origin, method, body?.time);
	noteRequestCosts(portal, before);
	return body ?? {};
}

/** `batch` of up to 50 commands; the answer's maps are normalised from `[]` to `{}`. */
export async function bitrix24Batch(
	context: RequestContext,
	commands: Record<string, string>,
	options: Bitrix24RequestOptions,
): Promise<BatchResult> {
	const portal = options.portal ?? (await portalOf(context));
	const methods = [...new Set(Object.values(commands).map((command) => command.split('?')[0]))];
	const before = await awaitOperatingBudget(portal, methods);
	const body = await bitrix24Request(context, 'batch', { halt: 0, cmd: commands }, { ...options, portal });
	const batch = normaliseBatchResult(body);
	for (const [key, command] of Object.entries(commands)) {
		noteOperatingReset(portal.origin, command.split('?')[0], batch.result_time[key]);
	}
	noteRequestCosts(portal, before);
	return batch;
}

/** The pager's view of the transport, for reads only. */
export function readerIo(context: RequestContext, itemIndex?: number): PagerIo {
	let portal: Promise<Portal> | undefined;
	const withPortal = async () => ({ itemIndex, idempotent: true, portal: await (portal ??= portalOf(context)) });
	return {
		call: async (method, params) => await bitrix24Request(context, method, params, await withPortal()),
		batch: async (commands) => await bitrix24Batch(context, commands, await withPortal()),
		waitForLimit: async (code, method, attempt) => {
			const { portal: known } = await withPortal();
			if (code === 'QUERY_LIMIT_EXCEEDED') portalBucket(known).fill();
			const failure: HttpFailure = { headers: {}, body: { error: code }, message: code };
			const decision = bitrix24RetryDecision(failure, attempt, operatingResetFor(known.origin, method));
			await transportClock.sleep(decision?.retry ? (decision.delayMs ?? 1000) : 1000);
		},
	};
}
