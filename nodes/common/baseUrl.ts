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

/**
 * Fills `baseURL` unless the caller chose one or gave an absolute URL. n8n's HTTP Request node (a predefined
 * credential type) sends the legacy request shape, whose URL is `uri`.
 */
export function needsBaseUrl(requestOptions: { baseURL?: string; url: string; uri?: unknown }): boolean {
	const target = requestOptions.url ?? (typeof requestOptions.uri === 'string' ? requestOptions.uri : '');
	return requestOptions.baseURL === undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(target);
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
