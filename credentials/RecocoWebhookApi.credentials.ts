import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret Recoco signs its webhooks with (HMAC-SHA256, header Django-Webhook-Signature-v1).
 *
 * No Recoco endpoint can validate it, so there is no `test` request here: the Recoco Trigger node declares
 * this credential with `testedBy` and runs the shape check `checkRecocoWebhookSecret` from
 * nodes/Recoco/helpers/webhookSecret.ts (≥ 12 characters, no surrounding spaces). n8n's lint rule
 * credential-test-required accepts a credential without `test` exactly when every node that uses it
 * declares a `testedBy`.
 */
export class RecocoWebhookApi implements ICredentialType {
	name = 'recocoWebhookApi';

	displayName = 'Recoco Webhook API';

	icon: Icon = { light: 'file:../icons/recoco.svg', dark: 'file:../icons/recoco.dark.svg' };

	documentationUrl = 'https://github.com/betagouv/recommandations-collaboratives';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret set for this webhook on the Recoco portal, at least 12 characters',
		},
	];
}
