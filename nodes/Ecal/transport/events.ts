import type { IDataObject } from 'n8n-workflow';

import type { EcalEvent, EcalEventBody } from '../helpers/eventFields';
import { ecalData, ecalRequest, eventPath, type RequestCounter } from './request';

type RequestContext = Parameters<typeof ecalRequest>[0];

interface CallOptions {
	itemIndex?: number;
	counter?: RequestCounter;
}

/** The HTTP status a transport error carries, if a reply arrived. */
export function httpStatusOf(error: unknown): number | undefined {
	const code = Number((error as { httpCode?: unknown })?.httpCode);
	return code >= 100 && code < 600 ? code : undefined;
}

/** GET /event/{reference}: ECAL finds an event by its ID or its reference; 404 → undefined. */
export async function findEvent(context: RequestContext, idOrReference: string, options: CallOptions & { tz?: string }) {
	let failure: unknown;
	try {
		const response = await ecalRequest(context, {
			method: 'GET',
			path: eventPath(idOrReference),
			...(options.tz ? { qs: { tz: options.tz } } : {}),
			itemIndex: options.itemIndex,
			counter: options.counter,
		});
		return ecalData<EcalEvent>(response);
	} catch (error) {
		failure = error;
	}
	// Already a NodeApiError from the transport, naming ECAL and the cause.
	if (httpStatusOf(failure) === 404) return undefined;
	throw failure;
}

export type CreateOutcome =
	/** ECAL answered with the new event. */
	| 'created'
	/** The reply was lost, and a re-read by reference found the event: it had been created. */
	| 'recovered'
	/** ECAL answered 409: an event already holds that reference. */
	| 'exists';

async function post(context: RequestContext, body: EcalEventBody, options: CallOptions): Promise<EcalEvent> {
	const response = await ecalRequest(context, {
		method: 'POST',
		path: eventPath(),
		body,
		create: true,
		itemIndex: options.itemIndex,
		counter: options.counter,
	});
	const event = ecalData<EcalEvent>(response);
	return event && typeof event === 'object' ? event : ({ ...body, id: '' } as EcalEvent);
}

/**
 * Creates an event without ever doubling it. A POST is not retried blindly: when its reply is lost (no answer, or a
 * 5xx after which the write may have happened) the event is re-read by its reference, and posted again only if it is
 * still missing. A 409 (the reference is taken) returns the event holding it. Without a reference the failure stands.
 */
export async function createEvent(
	context: RequestContext,
	body: EcalEventBody,
	options: CallOptions & { tz?: string },
): Promise<{ event: EcalEvent; outcome: CreateOutcome }> {
	const reference = body.reference;
	for (let attempt = 1; ; attempt++) {
		let failure: unknown;
		try {
			return { event: await post(context, body, options), outcome: 'created' };
		} catch (error) {
			failure = error;
		}
		// `failure` is already a NodeApiError from the transport, naming ECAL and the cause.
		const status = httpStatusOf(failure);
		if (!reference) throw failure;
		if (status === 409) {
			const existing = await findEvent(context, reference, options);
			if (existing) return { event: existing, outcome: 'exists' };
			throw failure;
		}
		const replyMayBeLost = status === undefined || status >= 500;
		if (!replyMayBeLost || attempt >= 2) throw failure;
		const existing = await findEvent(context, reference, options);
		if (existing) return { event: existing, outcome: 'recovered' };
	}
}

export async function updateEvent(
	context: RequestContext,
	id: string,
	body: IDataObject,
	options: CallOptions,
): Promise<EcalEvent | undefined> {
	const response = await ecalRequest(context, {
		method: 'PUT',
		path: eventPath(id),
		body,
		itemIndex: options.itemIndex,
		counter: options.counter,
	});
	return ecalData<EcalEvent>(response);
}

/**
 * With `missingOk` a 404 counts as done: the sync deletes events it has just listed, so a 404 means its first reply
 * was lost and the transport's retry came after the delete.
 */
export async function deleteEvent(
	context: RequestContext,
	id: string,
	options: CallOptions & { missingOk?: boolean },
): Promise<'deleted' | 'alreadyGone'> {
	let failure: unknown;
	try {
		await ecalRequest(context, { method: 'DELETE', path: eventPath(id), itemIndex: options.itemIndex, counter: options.counter });
		return 'deleted';
	} catch (error) {
		failure = error;
	}
	if (options.missingOk && httpStatusOf(failure) === 404) return 'alreadyGone';
	throw failure;
}
