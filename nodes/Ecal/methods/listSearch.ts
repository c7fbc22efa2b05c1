import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { calendarPath, ecalData, ecalRequest } from '../transport/request';

/** The account's calendars, drafts included (a new schedule is a draft until it is set live). */
export async function searchCalendars(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const response = await ecalRequest(this, { method: 'GET', path: calendarPath(), qs: { showDraft: 'true' } });
	const calendars = ecalData<IDataObject[]>(response) ?? [];
	const needle = (filter ?? '').toLowerCase();
	return {
		results: calendars
			.map((calendar) => ({
				name: `${String(calendar.name ?? calendar.id)}${Number(calendar.draft) ? ' (draft)' : ''}`,
				value: String(calendar.id),
			}))
			.filter((entry) => !needle || entry.name.toLowerCase().includes(needle) || entry.value === filter)
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}
