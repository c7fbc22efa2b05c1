/**
 * An ILoadOptionsFunctions for the editor's pickers (listSearch methods) whose HTTP goes through the real
 * credential's authenticate to a loopback fake, as n8n's httpRequestWithAuthentication does: the fake checks the
 * authentication, the paging and the search parameters it receives.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

export function loadOptionsContext(
	credential: { authenticate: Authenticate },
	data: ICredentialDataDecryptedObject,
	parameters: IDataObject = {},
): ILoadOptionsFunctions {
	return {
		getNode: () => ({ id: 'n', name: 'Picker', type: 'picker', typeVersion: 1, position: [0, 0], parameters, credentials: {} }),
		getCredentials: async () => data,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const request = await credential.authenticate(data, options);
				const url = new URL(`${request.baseURL ?? ''}${request.url}`);
				for (const [key, value] of Object.entries(request.qs ?? {})) {
					for (const entry of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(entry));
				}
				const headers: Record<string, string> = { ...(request.headers as Record<string, string>) };
				let body: string | undefined;
				if (request.body !== undefined && request.body !== null) {
					body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
					headers['Content-Type'] ??= 'application/json';
				}
				const response = await fetch(url, { method: request.method ?? 'GET', headers, body });
				const text = await response.text();
				const parsed = text ? JSON.parse(text) : '';
				if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { httpCode: response.status, response: { status: response.status, body: parsed } });
				return parsed;
			},
		},
	} as unknown as ILoadOptionsFunctions;
}
