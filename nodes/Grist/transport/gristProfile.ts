import type { HttpFailure } from '../../common/httpFailure';
import type { RetryDecision } from '../../common/retryPolicy';
import { gristErrorMessage } from './errors';
import type { ServiceProfile } from '../../common/serviceProfile';

export const GRIST_CREDENTIAL_TYPE = 'gristSyncApi';

/** Grist answers 429 for two different reasons (DocApiUsageTracker), and only one of them passes. */
export function isBacklogMessage(message: string | undefined): boolean {
	return /backlogged/i.test(message ?? '');
}

export function isDailyLimitMessage(message: string | undefined): boolean {
	return /daily limit/i.test(message ?? '');
}

export const DAILY_LIMIT_REASON =
	"The document's daily API quota is used up (Grist's free plans allow 5,000 calls per document per day). " +
	'Retrying today would only fail again: wait for the quota to renew, or move the document to a plan without this limit.';

/**
 * "Too many backlogged requests" means more than 10 requests are queued on this document: waiting helps.
 * "Exceeded daily limit" lasts until the next day: fail at once and say why.
 */
export function gristRetryDecision(failure: HttpFailure): RetryDecision | undefined {
	if (failure.status !== 429) return undefined;
	const message = gristErrorMessage(failure.body);
	if (isDailyLimitMessage(message)) return { retry: false, reason: DAILY_LIMIT_REASON };
	if (isBacklogMessage(message)) return { retry: true };
	return undefined;
}

/**
 * Grist's `{error, details?: {userError}}`: for a refused payload `error` is only "Invalid payload", and
 * `details.userError` is the part that names the field (`body.records[1].fields.tags is not a CellValue`).
 */
export function gristErrorWithDetails(body: unknown): string | undefined {
	const message = gristErrorMessage(body);
	const details = body && typeof body === 'object' ? (body as { details?: { userError?: unknown } }).details : undefined;
	const userError = typeof details?.userError === 'string' ? details.userError.trim() : '';
	if (!userError || message?.includes(userError)) return message;
	return message ? `${message}: ${userError}` : userError;
}

export const gristProfile: ServiceProfile = {
	name: 'Grist',
	credentialType: GRIST_CREDENTIAL_TYPE,
	errorMessage: (body) => gristErrorWithDetails(body),
	retryDecision: gristRetryDecision,
	secretFields: ['apiKey'],
};

/**
 * For a POST that writes (create rows, tables, columns; delete rows): a lost reply may hide an applied
 * write, so nothing is retried except the backlog 429, which Grist's throttle answers before any handler
 * runs (DocApiUsageTracker.acquire): nothing was written and sending again is safe.
 */
export const gristWriteOnceProfile: ServiceProfile = {
	...gristProfile,
	retryDecision: (failure) => {
		const decision = gristRetryDecision(failure);
		if (decision) return decision;
		return { retry: false, reason: 'Not retried automatically: the write may already have been applied.' };
	},
};
