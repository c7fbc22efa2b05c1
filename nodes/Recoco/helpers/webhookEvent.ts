import type { IDataObject } from 'n8n-workflow';

/** The object types Recoco sends webhooks for (`DJANGO_WEBHOOK.MODELS`). */
export const RECOCO_OBJECT_TYPES = [
	'projects.Project',
	'tasks.Task',
	'survey.Answer',
	'taggit.TaggedItem',
	'home.UserProfile',
] as const;

export type RecocoObjectType = (typeof RECOCO_OBJECT_TYPES)[number];

/** django-webhook's envelope: `{topic, object, object_type, webhook_uuid}`. */
export interface RecocoWebhookEvent extends IDataObject {
	topic: string;
	object: IDataObject;
	object_type: string;
	webhook_uuid?: string;
}

export type EnvelopeCheck = { valid: true; event: RecocoWebhookEvent } | { valid: false; reason: string };

/** Checks the parsed body has the envelope's shape; anything else is a malformed delivery (400). */
export function readEnvelope(body: unknown): EnvelopeCheck {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { valid: false, reason: 'the body is not a JSON object' };
	const event = body as IDataObject;
	if (typeof event.topic !== 'string' || !event.topic) return { valid: false, reason: 'the body has no "topic"' };
	if (typeof event.object_type !== 'string' || !event.object_type)
		return { valid: false, reason: 'the body has no "object_type"' };
	if (!event.object || typeof event.object !== 'object' || Array.isArray(event.object)) {
		return { valid: false, reason: 'the body has no "object"' };
	}
	return { valid: true, event: event as RecocoWebhookEvent };
}

function asProjectId(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	// Defensive, never seen from Recoco: a nested project object rather than its id.
	if (value && typeof value === 'object' && !Array.isArray(value)) return asProjectId((value as IDataObject).id);
	return undefined;
}

export interface ResolvedProject {
	/** The one project the event is about, when there is one. */
	projectId: number | null;
	/** Every project the event is about: one for most types, the owned projects for a user profile. */
	projectIds: number[];
}

/**
 * Which Recoco project(s) an event concerns. A TaggedItem event carries the tagged *project* itself
 * (so `object.id`), not a tag row with a `project` key: Recoco-sync got this wrong.
 */
export function resolveProjectIds(objectType: string, object: IDataObject): ResolvedProject {
	let ids: Array<number | undefined>;
	switch (objectType) {
		case 'projects.Project':
		case 'taggit.TaggedItem':
			ids = [asProjectId(object.id)];
			break;
		case 'survey.Answer':
		case 'tasks.Task':
			ids = [asProjectId(object.project)];
			break;
		case 'home.UserProfile':
			ids = Array.isArray(object.projects) ? object.projects.map(asProjectId) : [];
			break;
		default:
			ids = [];
	}
	const projectIds = ids.filter((id): id is number => id !== undefined);
	return {
		projectId: objectType === 'home.UserProfile' ? null : (projectIds[0] ?? null),
		projectIds,
	};
}

/** `projects.Project/update` → `update`. */
export function topicAction(topic: string): string {
	const slash = topic.lastIndexOf('/');
	return slash >= 0 ? topic.slice(slash + 1) : topic;
}
