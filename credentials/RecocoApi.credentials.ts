import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { withServiceAuth } from '../nodes/common/baseUrl';
import { recocoApiBase, recocoPortalUrl } from '../nodes/Recoco/transport/urls';

/**
 * One credential per Recoco portal (each portal is its own Django site with its own permissions).
 *
 * JWT mode logs in through preAuthentication and keeps the 5-minute access token in the hidden, expirable
 * `accessToken` field. Recoco answers 403 `token_not_valid` (not 401) when that token has expired, because
 * SessionAuthentication comes first in its DRF settings, so every node calls with
 * `preAuthenticationRetryStatusCode: [401, 403]` to make n8n log in again once.
 */
export class RecocoApi implements ICredentialType {
	name = 'recocoApi';

	displayName = 'Recoco API';

	icon: Icon = { light: 'file:../icons/recoco.svg', dark: 'file:../icons/recoco.dark.svg' };

	documentationUrl = 'https://github.com/betagouv/recommandations-collaboratives';

	properties: INodeProperties[] = [
		{
			displayName: 'Portal URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://sosponts.recoconseil.fr',
			description: 'Address of the Recoco portal, with or without the trailing /api',
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'Email and Password (JWT)',
					value: 'jwt',
					description: 'Logs in at /api/token/ and renews the short-lived token when it expires',
				},
				{
					name: 'Basic Auth',
					value: 'basic',
					description: 'Sends the email and password with every request',
				},
			],
			default: 'jwt',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		if (credentials.authMethod === 'basic') return {};
		let response: IDataObject;
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${recocoPortalUrl(credentials)}/api/token/`,
				body: { username: credentials.email, password: credentials.password },
				json: true,
			})) as IDataObject;
		} catch (error) {
			// The token endpoint answers 401 on a bad email or password; say so without echoing either.
			const status = (error as { response?: { status?: number } }).response?.status;
			throw new Error(
				status === 401
					? 'Recoco login failed (401): check the email and password for this portal'
					: `Recoco login failed${status ? ` (${status})` : ''}: ${(error as Error).message}`,
			);
		}
		if (typeof response?.access !== 'string' || !response.access) {
			throw new Error('Recoco login failed: /api/token/ answered without an access token');
		}
		return { accessToken: response.access };
	}

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const authorization =
			credentials.authMethod === 'basic'
				? `Basic ${Buffer.from(`${String(credentials.email)}:${String(credentials.password)}`).toString('base64')}`
				: `Bearer ${String(credentials.accessToken)}`;
		return withServiceAuth(requestOptions, recocoApiBase(credentials), { Authorization: authorization });
	};

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/projects/', qs: { limit: 1 } },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Recoco refused the credentials: check the email, the password and the portal URL',
				},
			},
		],
	};
}
