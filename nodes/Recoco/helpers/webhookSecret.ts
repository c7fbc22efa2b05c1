import type { INodeCredentialTestResult } from 'n8n-workflow';

/**
 * Shape check for the webhook secret, which no Recoco endpoint can validate. Pure; the trigger node returns the
 * result from its `credentialTest` method.
 */
const RECOCO_WEBHOOK_SECRET_MIN_LENGTH = 12;

export function checkRecocoWebhookSecret(secret: unknown): INodeCredentialTestResult {
	if (typeof secret !== 'string' || secret.length === 0) {
		return { status: 'Error', message: 'Enter the webhook secret configured on the Recoco portal' };
	}
	if (secret !== secret.trim()) {
		return { status: 'Error', message: 'The webhook secret starts or ends with a space: remove it' };
	}
	if (secret.length < RECOCO_WEBHOOK_SECRET_MIN_LENGTH) {
		return {
			status: 'Error',
			message: `The webhook secret must be at least ${RECOCO_WEBHOOK_SECRET_MIN_LENGTH} characters long (it has ${secret.length})`,
		};
	}
	return { status: 'OK', message: 'The secret has a valid shape. Recoco cannot check it: send a test event.' };
}
