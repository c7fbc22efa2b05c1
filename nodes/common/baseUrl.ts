/**
 * What every credential's authenticate does with its base URL: computed from the non-secret credential fields (each
 * service's transport/urls.ts), filled in unless the node chose one, sent with the auth headers.
 */

export function withoutTrailingSlashes(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/** People paste either the site root or the API root; both must work. */
export function withoutApiSuffix(url: unknown): string {
	return withoutTrailingSlashes(url).replace(/\/api$/, '');
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
