import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { signEcalRequest } from '../nodes/Ecal/transport/signing';
import { needsBaseUrl } from '../nodes/common/baseUrl';
import { ecalApiBase } from '../nodes/Ecal/transport/urls';

/**
 * ECAL signs every request: query `apiKey` plus `apiSign` = md5(secret + sorted key/value pairs + raw body).
 * The secret is never sent. The signing lives in nodes/Ecal/transport/signing.ts, where it is unit-tested.
 */
export class EcalApi implements ICredentialType {
	name = 'ecalApi';

	displayName = 'ECAL API';

	icon: Icon = { light: 'file:../icons/ecal.svg', dark: 'file:../icons/ecal.dark.svg' };

	documentationUrl = 'https://docs.ecal.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Base URL',
			name: 'url',
			type: 'string',
			default: 'https://api.ecal.com/apiv2',
			required: true,
			placeholder: 'e.g. https://api.ecal.com/apiv2',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Used only to sign requests; it is never sent',
		},
	];

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const signed = signEcalRequest(String(credentials.apiKey), String(credentials.apiSecret), requestOptions);
		return needsBaseUrl(signed) ? { ...signed, baseURL: ecalApiBase(credentials) } : signed;
	};

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '/calendar/' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'ECAL refused the request: the API key is inactive or unknown, or the secret does not match it',
				},
			},
		],
	};
}
