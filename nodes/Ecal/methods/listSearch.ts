import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { pageOfList } from '../../common/resourceLocator';
import { calendarPath, ecalData, ecalRequest } from '../transport/request';

/** Calendars per picker page. */
export const CALENDAR_PAGE_SIZE = 50;

/**
 * The account's calendars, drafts included (a new schedule is a draft until it is set live). ECAL's calendar list
 * has no paging or search parameter, so the picker filters by name or ID and pages the answer itself.
 */
export async function searchCalendars(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const response = await ecalRequest(this, { method: 'GET', path: calendarPath(), qs: { showDraft: 'true' } });
	const calendars = ecalData<IDataObject[]>(response) ?? [];
	const entries = calendars
		.map((calendar) => ({
			name: `${String(calendar.name ?? calendar.id)}${Number(calendar.draft) ? ' (draft)' : ''}`,
			value: String(calendar.id),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
	return pageOfList(entries, filter, paginationToken, CALENDAR_PAGE_SIZE);
}
