import { timingSafeEqual } from 'crypto';

/**
 * A document webhook as Grist's `GET /docs/{doc}/webhooks` lists it (WebhookSummary). `authorization` is the header
 * value Grist sends with each delivery; it is kept outside the document (home database) and listed to owners only.
 */
export interface GristWebhookSummary {
	id: string;
	fields: {
		url: string;
		authorization?: string;
		tableId: string | null;
		eventTypes: string[];
		watchedColIds?: Array<string | null>;
		isReadyColumn: string | null;
		enabled: boolean;
		name?: string;
		memo?: string;
	};
	usage?: unknown;
}

export type GristEventType = 'add' | 'update';

/** What the node asks Grist for. */
export interface WebhookSettings {
	url: string;
	tableId: string;
	eventTypes: GristEventType[];
	/** Updates fire only when one of these columns changed; empty = any column. */
	watchedColIds: string[];
	/** A Toggle column: only rows where it is true are sent, and a row that becomes true arrives as an "add". */
	readyColumn: string;
}

/**
 * The fields of `POST /docs/{doc}/webhooks`. The watch list is `watchedColIds`: Grist silently ignores unknown
 * fields such as `columnIds`, and the webhook then fires on every update. `isReadyColumn: null` means none.
 */
export function webhookFields(settings: WebhookSettings, authorization: string, name: string): Record<string, unknown> {
	return {
		url: settings.url,
		authorization,
		tableId: settings.tableId,
		eventTypes: settings.eventTypes,
		watchedColIds: settings.watchedColIds,
		isReadyColumn: settings.readyColumn || null,
		enabled: true,
		name,
		memo: 'Registered by the n8n Grist Sync Trigger; deleted when the workflow is unpublished.',
	};
}

function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
	const left = new Set(a);
	const right = new Set(b);
	return left.size === right.size && [...left].every((entry) => right.has(entry));
}

/** Whether a listed webhook already does what the node asks, with a secret to check deliveries against. */
export function matchesSettings(webhook: GristWebhookSummary, settings: WebhookSettings): boolean {
	const { fields } = webhook;
	return (
		fields.url === settings.url &&
		fields.tableId === settings.tableId &&
		fields.enabled !== false &&
		Boolean(fields.authorization) &&
		sameSet(fields.eventTypes ?? [], settings.eventTypes) &&
		sameSet((fields.watchedColIds ?? []).filter((colId) => colId), settings.watchedColIds) &&
		(fields.isReadyColumn || '') === (settings.readyColumn || '')
	);
}

export interface OwnWebhooks {
	/** The one to keep: the stored id when Grist still lists it at our URL, else the first at our URL. */
	own?: GristWebhookSummary;
	/** Others at our URL (a registration whose id was lost): deleted so that each change is delivered once. */
	duplicates: GristWebhookSummary[];
}

/**
 * Our webhooks among a document's: those whose URL is this node's webhook URL (n8n puts the node's own webhook id in
 * it, so no other node shares it). The stored id is preferred; an id listed at another URL is not ours any more.
 */
export function findOwnWebhooks(webhooks: readonly GristWebhookSummary[], url: string, storedId?: string): OwnWebhooks {
	const atUrl = webhooks.filter((webhook) => webhook.fields?.url === url);
	const own = atUrl.find((webhook) => webhook.id === storedId) ?? atUrl[0];
	return { own, duplicates: atUrl.filter((webhook) => webhook !== own) };
}

/** Constant-time comparison of the delivery's Authorization header with the stored one. */
export function authorizationMatches(received: unknown, expected: unknown): boolean {
	if (typeof received !== 'string' || typeof expected !== 'string' || !expected) return false;
	const a = Buffer.from(received, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}
