import type { IDataObject } from 'n8n-workflow';

import { deliveryFingerprint, ledgerVerdict, type RedeliveryLedger } from './redeliveryLedger';
import { verifyDelivery } from './webhookSignature';
import { readEnvelope, resolveProjectIds, topicAction } from './webhookEvent';

export interface DeliveryRequest {
	rawBody: Buffer | undefined;
	headers: Record<string, string | string[] | undefined>;
}

export interface DeliverySettings {
	secret: string;
	toleranceSeconds: number;
	/** Object types to let through; empty = all. */
	objectTypes: string[];
	/** Topic actions (create, update, delete) to let through; empty = all. */
	actions: string[];
	ignoreRedeliveries: boolean;
	nowMs: number;
}

/**
 * What the trigger does with one delivery: answer without running (`busy`: the same body's run is going on, so
 * answer non-2xx and let Recoco retry once it is known), or run with one item, recording `fingerprint` in the ledger.
 */
export type DeliveryDecision =
	| { kind: 'reject'; status: 401 | 400; message: string }
	| { kind: 'ignore'; message: string }
	| { kind: 'busy'; message: string }
	| { kind: 'accept'; item: IDataObject; fingerprint?: string };

function header(headers: DeliveryRequest['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The whole decision for one Recoco delivery, free of n8n: signature and freshness (401), envelope
 * (400), filters and successful redeliveries (200, no run), a redelivery racing its own run (409, no run),
 * otherwise the item to emit and the fingerprint to record as running.
 */
export function decideDelivery(request: DeliveryRequest, settings: DeliverySettings, ledger: RedeliveryLedger): DeliveryDecision {
	const rawBody = request.rawBody;
	if (!rawBody || !Buffer.isBuffer(rawBody))
		return {
			kind: 'reject',
			status: 401,
			message: 'no raw body to verify the signature on',
		};
	const timestamp = header(request.headers, 'django-webhook-request-timestamp');
	const verification = verifyDelivery(
		{
			rawBody,
			timestamp,
			signatureHeader: header(request.headers, 'django-webhook-signature-v1'),
		},
		{
			secret: settings.secret,
			toleranceSeconds: settings.toleranceSeconds,
			nowSeconds: settings.nowMs / 1000,
		},
	);
	if (!verification.valid)
		return {
			kind: 'reject',
			status: 401,
			message: `Invalid delivery: ${verification.reason}`,
		};

	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return {
			kind: 'reject',
			status: 400,
			message: 'Malformed delivery: the body is not JSON',
		};
	}
	const envelope = readEnvelope(body);
	if (!envelope.valid)
		return {
			kind: 'reject',
			status: 400,
			message: `Malformed delivery: ${envelope.reason}`,
		};
	const event = envelope.event;

	const action = topicAction(event.topic);
	if (settings.objectTypes.length && !settings.objectTypes.includes(event.object_type)) {
		return {
			kind: 'ignore',
			message: `object type ${event.object_type} is not selected`,
		};
	}
	if (settings.actions.length && !settings.actions.includes(action)) {
		return { kind: 'ignore', message: `topic ${event.topic} is not selected` };
	}

	const fingerprint = deliveryFingerprint(rawBody);
	const verdict = settings.ignoreRedeliveries ? ledgerVerdict(ledger, fingerprint, settings.nowMs) : 'new';
	if (verdict === 'succeeded') {
		return {
			kind: 'ignore',
			message: 'redelivery of an event already processed successfully',
		};
	}
	if (verdict === 'running') {
		return {
			kind: 'busy',
			message: 'an identical delivery is being processed; retry later',
		};
	}

	const { projectId, projectIds } = resolveProjectIds(event.object_type, event.object);
	const item: IDataObject = {
		...event,
		action,
		projectId,
		projectIds,
		deliveredAt: new Date(Number(timestamp) * 1000).toISOString(),
		subscriptionUuid: header(request.headers, 'django-webhook-uuid') ?? null,
		bodySha256: fingerprint,
	};
	return {
		kind: 'accept',
		item,
		fingerprint: settings.ignoreRedeliveries ? fingerprint : undefined,
	};
}
