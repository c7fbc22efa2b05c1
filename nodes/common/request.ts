import {
	NodeApiError,
	sleep,
	type IAllExecuteFunctions,
	type IAdditionalCredentialOptions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { describeFailure, readStreamedErrorBody, type HttpFailure } from './httpFailure';
import { redactText, redactValue } from './redact';
import {
	DEFAULT_RETRY_POLICY,
	backoffDelay,
	defaultRetryDecision,
	isIdempotentMethod,
	parseRetryAfter,
	type RetryDecision,
	type RetryPolicy,
} from './retryPolicy';
import type { ServiceProfile } from './serviceProfile';

export interface ServiceRequestOptions {
	/** Item the request is made for, named in any error. */
	itemIndex?: number;
	/**
	 * Set for a POST that only reads (Grist /sql, Bitrix24 list/batch reads) or writes a fixed state,
	 * so it may be retried like a GET. Never set it for a POST that creates something.
	 */
	idempotent?: boolean;
	retryPolicy?: Partial<RetryPolicy>;
	/** Awaited before every attempt, retries included (a rate limiter's take). */
	beforeAttempt?: (attempt: number) => Promise<void>;
	/**
	 * Credential data to use instead of the stored one. A session credential passes its data with the
	 * expirable field emptied to make n8n run preAuthentication now (and persist the new session), e.g. when
	 * the service signals an expired session with a status n8n cannot see (MonCampus: a login page with 200).
	 */
	credentialsDecrypted?: ICredentialsDecrypted;
}

/** Waits between attempts; tests swap it to keep the suite fast. */
export const transportClock = {
	sleep: (ms: number): Promise<void> => sleep(ms),
};

type RequestContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

async function secretValues(context: RequestContext, profile: ServiceProfile): Promise<string[]> {
	try {
		// Read only to know what to redact; authentication itself goes through httpRequestWithAuthentication.
		const credentials = (await context.getCredentials(profile.credentialType)) as IDataObject;
		return profile.secretFields.map((field) => String(credentials?.[field] ?? '')).filter((value) => value.length >= 4);
	} catch {
		return [];
	}
}

function decide(
	failure: HttpFailure,
	attempt: number,
	idempotent: boolean,
	policy: RetryPolicy,
	profile: ServiceProfile,
): RetryDecision {
	if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
	const decision = profile.retryDecision?.(failure, attempt) ?? defaultRetryDecision(failure);
	if (!decision.retry) return decision;
	if (!idempotent) return { retry: false, reason: 'not retried automatically: the request is not idempotent' };
	const retryAfter = parseRetryAfter(failure.headers['retry-after']);
	const delayMs = decision.delayMs ?? retryAfter ?? backoffDelay(attempt, policy);
	if (delayMs > policy.maxRetryAfterMs) {
		return { retry: false, reason: `the service asked to wait ${Math.ceil(delayMs / 1000)} s, longer than allowed` };
	}
	return { retry: true, delayMs };
}

/** One NodeApiError per failure, with the service's own message and nothing secret in it. */
export function buildServiceError(
	context: Pick<IAllExecuteFunctions, 'getNode'>,
	profile: ServiceProfile,
	failure: HttpFailure,
	secrets: string[],
	itemIndex?: number,
	reason?: string,
): NodeApiError {
	const serviceMessage = profile.errorMessage(failure.body, failure);
	const cause = failure.status
		? `${profile.name} answered ${failure.status}${serviceMessage ? `: ${serviceMessage}` : ''}`
		: failure.networkCode
			? `${profile.name} could not be reached: ${failure.networkCode}`
			: `${profile.name} request failed: ${failure.message}`;
	const where = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
	const message = redactText(`${cause}${where}`, secrets);
	const description = reason ? redactText(reason, secrets) : undefined;
	const body: JsonObject = {
		message,
		service: profile.name,
		...(failure.status ? { httpCode: String(failure.status) } : {}),
		...(failure.body !== undefined ? { body: redactValue(failure.body, secrets) as JsonObject } : {}),
	};
	const error = new NodeApiError(context.getNode(), body, {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex,
	});
	// NodeApiError swaps messages that mention ECONNRESET & co. for a generic text; keep ours, which names the service.
	error.message = message;
	return error;
}

/**
 * The only way node code speaks HTTP: authenticated through n8n, retried with backoff on
 * 429/502/503/504 and network errors (idempotent requests only), errors mapped and redacted.
 */
export async function serviceRequest<T = unknown>(
	context: RequestContext,
	profile: ServiceProfile,
	request: IHttpRequestOptions,
	options: ServiceRequestOptions = {},
): Promise<T> {
	const policy = { ...DEFAULT_RETRY_POLICY, ...profile.retryPolicy, ...options.retryPolicy };
	const idempotent = options.idempotent ?? isIdempotentMethod(request.method);
	const credentialOptions: IAdditionalCredentialOptions = {
		...(profile.preAuthenticationRetryStatusCode
			? { preAuthenticationRetryStatusCode: profile.preAuthenticationRetryStatusCode }
			: {}),
		...(options.credentialsDecrypted ? { credentialsDecrypted: options.credentialsDecrypted } : {}),
	};
	for (let attempt = 1; ; attempt++) {
		await options.beforeAttempt?.(attempt);
		try {
			return (await context.helpers.httpRequestWithAuthentication.call(
				context as IAllExecuteFunctions,
				profile.credentialType,
				{ ...request },
				Object.keys(credentialOptions).length ? credentialOptions : undefined,
			)) as T;
		} catch (error) {
			await readStreamedErrorBody(error);
			const failure = describeFailure(error);
			const decision = decide(failure, attempt, idempotent, policy, profile);
			if (decision.retry) {
				await transportClock.sleep(decision.delayMs ?? 0);
				continue;
			}
			const secrets = await secretValues(context, profile);
			throw buildServiceError(context, profile, failure, secrets, options.itemIndex, decision.reason);
		}
	}
}
