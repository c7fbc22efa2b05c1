import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { withServiceAuth } from '../nodes/common/baseUrl';
import { gristApiBase } from '../nodes/Grist/transport/urls';

/** Named "Grist Sync" so it is never confused with n8n's built-in `gristApi` credential. */
export class GristSyncApi implements ICredentialType {
	name = 'gristSyncApi';

	displayName = 'Grist Sync API';

	icon: Icon = { light: 'file:../icons/grist.svg', dark: 'file:../icons/grist.dark.svg' };

	documentationUrl = 'https://support.getgrist.com/rest-api/';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: 'https://docs.getgrist.com',
			required: true,
			placeholder: 'e.g. https://grist.numerique.gouv.fr',
			description:
				'Grist SaaS (https://docs.getgrist.com or https://TEAM.getgrist.com), a team path (https://host/o/TEAM) or a self-hosted server; a trailing /api is fine',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Found in Grist under Profile Settings → API',
		},
	];

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		return withServiceAuth(requestOptions, gristApiBase(credentials), {
			Authorization: `Bearer ${String(credentials.apiKey)}`,
		});
	};

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/orgs' },
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Grist refused the API key: check it and the server URL' },
			},
		],
	};
}
