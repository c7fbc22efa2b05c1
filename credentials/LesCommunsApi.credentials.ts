import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { withServiceAuth } from '../nodes/common/baseUrl';
import { lesCommunsApiBase } from '../nodes/LesCommuns/transport/urls';

export class LesCommunsApi implements ICredentialType {
	name = 'lesCommunsApi';

	displayName = 'Les Communs API';

	icon: Icon = { light: 'file:../icons/lescommuns.svg', dark: 'file:../icons/lescommuns.dark.svg' };

	documentationUrl = 'https://github.com/betagouv/communs-de-la-transition-ecologique-des-collectivites';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'https://les-communs-transition-ecologique-api-prod.osc-fr1.scalingo.io',
				},
				{
					name: 'Staging',
					value: 'staging',
					description: 'https://les-communs-transition-ecologique-api-staging.osc-fr1.scalingo.io',
				},
				{ name: 'Custom URL', value: 'custom' },
			],
			default: 'production',
		},
		{
			displayName: 'API URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://les-communs.example.org',
			description: 'Base URL of the API; its routes (/projets…) sit at the root',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The key Les Communs issued for your service',
		},
	];

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		return withServiceAuth(requestOptions, lesCommunsApiBase(credentials), {
			Authorization: `Bearer ${String(credentials.apiKey)}`,
		});
	};

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/projets' },
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Les Communs refused the API key: check it and the environment' },
			},
		],
	};
}
