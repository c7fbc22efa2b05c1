import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { docPath, gristRequest, type GristContext } from './gristRequest';
import type { GristWebhookSummary } from '../helpers/webhookRegistration';

/** GET /docs/{doc}/webhooks (owners only): every webhook of the document, with its URL, authorization and usage. */
export async function listWebhooks(context: GristContext, docId: string): Promise<GristWebhookSummary[]> {
	const response = await gristRequest<{ webhooks?: GristWebhookSummary[] }>(context, { method: 'GET', path: docPath(docId, '/webhooks') });
	return response?.webhooks ?? [];
}

/**
 * POST /docs/{doc}/webhooks `{webhooks: [{fields}]}` → `{webhooks: [{id}]}`. A lost reply may hide a registration:
 * not retried (writeOnce); the next activation finds a registration at our URL anyway (findOwnWebhooks).
 */
export async function createWebhook(context: GristContext, docId: string, fields: Record<string, unknown>): Promise<string> {
	const response = await gristRequest<{ webhooks?: Array<{ id: string }> }>(context, {
		method: 'POST',
		path: docPath(docId, '/webhooks'),
		body: { webhooks: [{ fields }] } as never,
		writeOnce: true,
	});
	const id = response?.webhooks?.[0]?.id;
	if (!id) throw new NodeOperationError(context.getNode(), 'Grist answered the webhook registration without a webhook id');
	return id;
}

/** DELETE /docs/{doc}/webhooks/{id} → `{success: true}`; an id Grist no longer knows answers 404 "Webhook not found". */
export async function deleteWebhook(context: GristContext, docId: string, webhookId: string): Promise<boolean> {
	let failure: unknown;
	try {
		await gristRequest(context, { method: 'DELETE', path: docPath(docId, `/webhooks/${encodeURIComponent(webhookId)}`) });
		return true;
	} catch (error) {
		failure = error;
	}
	// Already gone (deleted by hand in Grist's Webhooks page): the state asked for is reached.
	if (failure instanceof NodeApiError && failure.httpCode === '404') return false;
	// Already a NodeApiError naming Grist's answer.
	throw failure;
}
