import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The application token Bitrix24 shows for an outgoing webhook; each event it posts carries it as
 * auth[application_token], and the Bitrix24 Trigger compares the two.
 *
 * No Bitrix24 endpoint can validate it, so there is no `test` request here: the Bitrix24 Trigger node declares
 * this credential with `testedBy` and runs the shape check `checkBitrix24ApplicationToken` from
 * nodes/Bitrix24/helpers/credentialShapes.ts. n8n's lint rule credential-test-required accepts a credential without
 * `test` exactly when every node that uses it declares a `testedBy`.
 */
export class Bitrix24OutgoingWebhookApi implements ICredentialType {
	name = 'bitrix24OutgoingWebhookApi';

	displayName = 'Bitrix24 Outgoing Webhook API';

	icon: Icon = { light: 'file:../icons/bitrix24.svg', dark: 'file:../icons/bitrix24.dark.svg' };

	documentationUrl = 'https://apidocs.bitrix24.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown by Bitrix24 under Developer resources → Other → Outgoing webhook',
		},
	];
}
