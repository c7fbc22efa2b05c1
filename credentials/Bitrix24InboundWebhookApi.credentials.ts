import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { checkBitrix24WebhookUrl } from '../nodes/Bitrix24/helpers/credentialShapes';

/**
 * A Bitrix24 inbound webhook: the URL itself (https://{portal}/rest/{userId}/{code}/) is the secret, so it is a
 * password field, and authenticate turns it into `baseURL`: nodes pass only `url: '<method>.json'` and never
 * see it. Plain http is accepted only for loopback hosts (tests and the demo).
 */
export class Bitrix24InboundWebhookApi implements ICredentialType {
	name = 'bitrix24InboundWebhookApi';

	displayName = 'Bitrix24 Inbound Webhook API';

	icon: Icon = { light: 'file:../icons/bitrix24.svg', dark: 'file:../icons/bitrix24.dark.svg' };

	documentationUrl = 'https://apidocs.bitrix24.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'Self-Hosted Portal (Own Domain)',
			name: 'selfHosted',
			type: 'boolean',
			default: false,
			description:
				'Whether the portal is a self-hosted Bitrix24 ("box") on its own domain. Off, only Bitrix24 cloud hosts (*.bitrix24.com, .eu, .de, .ru…) are accepted, so the webhook code is never sent to another host by mistake. On, the URL\'s host is trusted as is: check it.',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhookSecretUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. https://example.bitrix24.com/rest/1/abcdefghij123456/',
			description:
				'Developer resources → Other → Inbound webhook in Bitrix24. Its permissions (CRM, lists, users…) limit what the nodes can do.',
		},
		{
			displayName: 'Portal Rate Limit',
			name: 'rateLimit',
			type: 'options',
			default: 'standard',
			description:
				'The portal\'s plan. Every node of this n8n process shares one request budget per portal; when two credentials of one portal disagree, the stricter applies. Bitrix24 blocks a portal that goes faster (QUERY_LIMIT_EXCEEDED).',
			options: [
				{ name: 'Standard Plans (2 Req/s, Burst 50)', value: 'standard' },
				{ name: 'Enterprise (5 Req/s, Burst 250)', value: 'enterprise' },
				{ name: 'Custom', value: 'custom' },
				{ name: 'None (Self-Hosted Portal Without a Limit)', value: 'none' },
			],
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 2 },
			default: 2,
			displayOptions: { show: { rateLimit: ['custom'] } },
		},
		{
			displayName: 'Burst',
			name: 'burst',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Requests the portal accepts at once before the rate applies',
			displayOptions: { show: { rateLimit: ['custom'] } },
		},
		{
			displayName: 'Method Time Budget (Seconds per 10 Minutes)',
			name: 'operatingBudget',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 480,
			description:
				'Server time one REST method may spend for this webhook in 10 minutes before Bitrix24 blocks that method (OPERATION_TIME_LIMIT). The nodes slow down before reaching it. 480 on cloud portals; self-hosted portals set their own (420 by default when the limit is on). 0 turns the tracking off.',
		},
		{
			displayName: 'Processes Sharing This Portal',
			name: 'processesSharingPortal',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description:
				'How many n8n processes send requests to this portal at once: in queue mode, the number of workers (plus the main and webhook processes when they run Bitrix24 nodes). Each process keeps to its share of the plan (rate and burst divided by this number), so together they stay within it.',
		},
	];

	// An own property, not a method: n8n copies a community package's credential type with `{...type}` before it writes
	// the editor's type list, which drops prototype methods, and the HTTP Request node offers a "Predefined Credential
	// Type" only when that list shows `authenticate`.
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const check = checkBitrix24WebhookUrl(credentials.webhookSecretUrl, { selfHosted: credentials.selfHosted === true });
		if (!check.ok) throw new Error(`The Bitrix24 inbound webhook URL is not valid: ${check.reason}`);
		return { ...requestOptions, baseURL: check.url };
	};

	// `profile` needs no scope, so it works with any webhook (inferred from its documentation, which names none).
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: 'profile.json' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Bitrix24 does not know this webhook (NO_AUTH_FOUND): copy the URL again, the code may have changed',
				},
			},
		],
	};
}
