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
import { hubeeEndpoints } from '../nodes/Hubee/transport/urls';

/**
 * HubEE uses OAuth2 client credentials, but DINUM sends the identification headers (editorName,
 * applicationName, softwareVersion) on the token call too, and n8n's built-in OAuth2 flow cannot add headers
 * to it. So the token comes from preAuthentication and sits in the hidden, expirable `accessToken` field
 * (valid 1 hour); n8n fetches a new one on 401, which is what HubEE answers for an expired token.
 * One clientId/clientSecret pair exists per démarche, hence one credential per démarche.
 */
export class HubeeApi implements ICredentialType {
	name = 'hubeeApi';

	displayName = 'HubEE API';

	icon: Icon = { light: 'file:../icons/hubee.svg', dark: 'file:../icons/hubee.dark.svg' };

	documentationUrl = 'https://portail.hubee.numerique.gouv.fr';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://api.hubee.numerique.gouv.fr' },
				{
					name: 'Preprod (BAS)',
					value: 'preprod',
					description: 'The sandbox SIs test against: https://api.bas.hubee.numerique.gouv.fr',
				},
				{ name: 'Recette', value: 'recette', description: 'https://api.basrec.hubee.numerique.gouv.fr' },
				{ name: 'Custom', value: 'custom' },
			],
			default: 'production',
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://api.hubee.example.org',
			description: 'Base URL without /teledossiers/v1',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://auth.hubee.example.org/oauth2/token',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Downloaded from the HubEE portal; there is one pair per démarche',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'SI',
			description: 'SI for a service instructeur (OSL and ADMIN exist for other actors)',
		},
		{
			displayName: 'Editor Name',
			name: 'editorName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. Commune de Exemple',
			description: 'Sent as the editorName header on every call (50 characters at most)',
		},
		{
			displayName: 'Application Name',
			name: 'applicationName',
			type: 'string',
			default: 'n8n-nodes-sync-connectors',
			description: 'Sent as the applicationName header on every call (50 characters at most)',
		},
		{
			displayName: 'Software Version',
			name: 'softwareVersion',
			type: 'string',
			default: '0.1.0',
			description: 'Sent as the softwareVersion header on every call (50 characters at most)',
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
		const basic = Buffer.from(`${String(credentials.clientId)}:${String(credentials.clientSecret)}`).toString('base64');
		const body = new URLSearchParams({
			grant_type: 'client_credentials',
			scope: String(credentials.scope || 'SI'),
		}).toString();
		let response: IDataObject;
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: hubeeEndpoints(credentials).tokenUrl,
				headers: {
					Authorization: `Basic ${basic}`,
					'Content-Type': 'application/x-www-form-urlencoded',
					Accept: 'application/json',
					...hubeeIdentificationHeaders(credentials),
				},
				body,
				json: true,
			})) as IDataObject;
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			throw new Error(
				status === 401
					? 'HubEE token request failed (401): check the client ID and client secret for this environment'
					: `HubEE token request failed${status ? ` (${status})` : ''}: ${(error as Error).message}`,
			);
		}
		if (typeof response?.access_token !== 'string' || !response.access_token) {
			throw new Error('HubEE token request failed: the answer has no access_token');
		}
		return { accessToken: response.access_token };
	}

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		return withServiceAuth(requestOptions, hubeeEndpoints(credentials).apiUrl, {
			...hubeeIdentificationHeaders(credentials),
			Authorization: `Bearer ${String(credentials.accessToken)}`,
		});
	};

	// Lists pending notifications without deleting any: reading does not acknowledge them.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/teledossiers/v1/notifications', qs: { maxResult: 1 } },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'HubEE accepted the client but refused the call: check the scope and the démarche of this client',
				},
			},
		],
	};
}

/** Header names are literally camelCase without an X- prefix; empty values are left out. */
function hubeeIdentificationHeaders(credentials: ICredentialDataDecryptedObject): IDataObject {
	const headers: IDataObject = {};
	for (const name of ['editorName', 'applicationName', 'softwareVersion']) {
		const value = String(credentials[name] ?? '').trim();
		if (value) headers[name] = value;
	}
	return headers;
}
