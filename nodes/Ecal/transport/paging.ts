import type { IDataObject } from 'n8n-workflow';

import type { EcalEvent } from '../helpers/eventFields';
import { ecalData, ecalRequest, eventPath, type RequestCounter } from './request';

/** ECAL's documented maximum page size for event lists. */
export const EVENT_PAGE_LIMIT = 100;

/** Far beyond any real calendar (1,000,000 events): a server that ignored `page` must not loop forever. */
const MAX_PAGES = 10_000;

export interface EventListQuery {
	/** Always given: an unscoped list spans every calendar of the account. */
	calendarId: string;
	startDate?: string;
	endDate?: string;
	showPastEvents?: boolean;
	showDraft?: boolean;
	/** The zone ECAL converts dates and times into. */
	tz?: string;
}

type RequestContext = Parameters<typeof ecalRequest>[0];

/**
 * Lists a calendar's events page by page (limit 100) until ECAL answers 204 (its "no more pages"), or until
 * `max` events were read.
 */
export async function listEvents(
	context: RequestContext,
	query: EventListQuery,
	options: { itemIndex?: number; max?: number; counter?: RequestCounter } = {},
): Promise<EcalEvent[]> {
	const qs: IDataObject = { calendarIds: query.calendarId, limit: EVENT_PAGE_LIMIT };
	if (query.startDate) qs.startDate = query.startDate;
	if (query.endDate) qs.endDate = query.endDate;
	// ECAL hides past events unless asked; booleans go as the strings it documents.
	qs.showPastEvents = query.showPastEvents === false ? 'false' : 'true';
	if (query.showDraft) qs.showDraft = 'true';
	if (query.tz) qs.tz = query.tz;
	const events: EcalEvent[] = [];
	const max = options.max ?? Number.POSITIVE_INFINITY;
	for (let page = 1; page <= MAX_PAGES && events.length < max; page++) {
		const response = await ecalRequest(context, {
			method: 'GET',
			path: eventPath(),
			qs: { ...qs, page },
			itemIndex: options.itemIndex,
			counter: options.counter,
		});
		const data = ecalData<EcalEvent[]>(response);
		if (!Array.isArray(data) || data.length === 0) break;
		events.push(...data);
	}
	return Number.isFinite(max) ? events.slice(0, max) : events;
}
