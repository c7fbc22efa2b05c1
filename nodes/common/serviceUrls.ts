import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * API base URLs computed from the non-secret credential fields. The credentials' authenticate functions use
 * them to fill `baseURL`; a node that needs the base itself (e.g. to build a link) calls them too.
 */

export function withoutTrailingSlashes(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/** People paste either the site root or the API root; both must work. */
function withoutApiSuffix(url: unknown): string {
	return withoutTrailingSlashes(url).replace(/\/api$/, '');
}

/** `https://<portal>` — the JWT endpoint is `<portal>/api/token/`. */
export function recocoPortalUrl(credentials: ICredentialDataDecryptedObject): string {
	return withoutApiSuffix(credentials.url);
}

export function recocoApiBase(credentials: ICredentialDataDecryptedObject): string {
	return `${recocoPortalUrl(credentials)}/api`;
}

export function gristApiBase(credentials: ICredentialDataDecryptedObject): string {
	return `${withoutApiSuffix(credentials.url)}/api`;
}

export const LES_COMMUNS_ENVIRONMENTS: Record<string, string> = {
	production: 'https://les-communs-transition-ecologique-api-prod.osc-fr1.scalingo.io',
	staging: 'https://les-communs-transition-ecologique-api-staging.osc-fr1.scalingo.io',
};

/** Les Communs serves its routes at the root (no /api prefix; /api is its Swagger UI). */
export function lesCommunsApiBase(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'production');
	return withoutTrailingSlashes(
		environment === 'custom' ? credentials.url : (LES_COMMUNS_ENVIRONMENTS[environment] ?? LES_COMMUNS_ENVIRONMENTS.production),
	);
}

export function ecalApiBase(credentials: ICredentialDataDecryptedObject): string {
	return withoutTrailingSlashes(credentials.url);
}

export function monCampusTimetableBase(credentials: ICredentialDataDecryptedObject): string {
	return withoutTrailingSlashes(credentials.timetableUrl);
}

export const HUBEE_ENVIRONMENTS: Record<string, { apiUrl: string; tokenUrl: string }> = {
	production: {
		apiUrl: 'https://api.hubee.numerique.gouv.fr',
		tokenUrl: 'https://auth.hubee.numerique.gouv.fr/oauth2/token',
	},
	preprod: {
		apiUrl: 'https://api.bas.hubee.numerique.gouv.fr',
		tokenUrl: 'https://auth.bas.hubee.numerique.gouv.fr/oauth2/token',
	},
	recette: {
		apiUrl: 'https://api.basrec.hubee.numerique.gouv.fr',
		tokenUrl: 'https://auth.basrec.hubee.numerique.gouv.fr/oauth2/token',
	},
};

export function hubeeEndpoints(credentials: ICredentialDataDecryptedObject): { apiUrl: string; tokenUrl: string } {
	const environment = String(credentials.environment ?? 'production');
	if (environment === 'custom') {
		return {
			apiUrl: withoutTrailingSlashes(credentials.apiUrl),
			tokenUrl: String(credentials.tokenUrl ?? '').trim(),
		};
	}
	return HUBEE_ENVIRONMENTS[environment] ?? HUBEE_ENVIRONMENTS.production;
}

/** Fills `baseURL` unless the caller chose one or gave an absolute URL. */
export function needsBaseUrl(requestOptions: { baseURL?: string; url: string }): boolean {
	return requestOptions.baseURL === undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(requestOptions.url ?? '');
}

/** The request as a credential sends it: the service's base URL unless the node chose one, plus the auth headers. */
export function withServiceAuth<T extends { baseURL?: string; url: string; headers?: object }>(
	requestOptions: T,
	baseURL: string,
	headers: Record<string, string>,
): T {
	return {
		...requestOptions,
		...(needsBaseUrl(requestOptions) ? { baseURL } : {}),
		headers: { ...(requestOptions.headers ?? {}), ...headers },
	};
}
