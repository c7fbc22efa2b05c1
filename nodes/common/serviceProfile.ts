import type { HttpFailure } from './httpFailure';
import type { RetryDecision, RetryPolicy } from './retryPolicy';

/** What the shared transport needs to know about one service. Each service's transport declares one. */
export interface ServiceProfile {
	/** Name shown in error messages, e.g. "Grist". */
	name: string;
	credentialType: string;
	/** The service's own error message from its error body, if it has one. */
	errorMessage: (body: unknown, failure: HttpFailure) => string | undefined;
	/** Service-specific retry rules, consulted before the generic ones (429/502/503/504, network). */
	retryDecision?: (failure: HttpFailure, attempt: number) => RetryDecision | undefined;
	/** Statuses on which n8n re-runs the credential's preAuthentication once (default 401). */
	preAuthenticationRetryStatusCode?: number[];
	/** Credential fields whose values must never reach an error, a log line or an output item. */
	secretFields: string[];
	retryPolicy?: Partial<RetryPolicy>;
}
