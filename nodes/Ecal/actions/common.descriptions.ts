import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { locatorIdFor } from '../../common/resourceLocator';
import { isTimeZone } from '../helpers/wallClock';

/** A page of the ECAL admin about one schedule carries its 24-hex ID in the path. */
export const CALENDAR_URL_PATTERN = /^https?:\/\/[^/]+\/.*?\b([0-9a-f]{24})\b/i;

export const calendarLocator: INodeProperties = {
	displayName: 'Calendar',
	name: 'calendarId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The ECAL calendar (a "schedule" in the ECAL admin)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCalendars', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://admin.ecal.com/schedules/5f1a2b3c4d5e6f7a8b9c0d1e/events',
			// The editor checks the link with the pattern the node extracts the ID with.
			validation: [{ type: 'regex', properties: { regex: CALENDAR_URL_PATTERN.source, errorMessage: 'The link carries no 24-character calendar ID' } }],
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: '5f1a2b3c4d5e6f7a8b9c0d1e',
			hint: 'The 24-character ID shown in the breadcrumb of the ECAL admin "Manage Events" page',
		},
	],
};

export const eventIdField: INodeProperties = {
	displayName: 'Event ID or Reference',
	name: 'eventId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '5f1a2b3c4d5e6f7a8b9c0d1e',
	description: "The event's ECAL ID, or the reference it was created with",
};

export const timezoneField: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timezone',
	type: 'string',
	default: 'Europe/Paris',
	placeholder: 'Europe/Paris',
	description: 'IANA time zone of the events: start and end with an offset are converted into it, local ones are read in it',
};

export function calendarIdFor(context: IExecuteFunctions, itemIndex: number): string {
	const value = locatorIdFor(context, 'calendarId', itemIndex, {
		label: 'Calendar',
		urlPattern: CALENDAR_URL_PATTERN,
		urlExample: 'https://admin.ecal.com/schedules/5f1a2b3c4d5e6f7a8b9c0d1e/events',
	});
	if (!value) throw new NodeOperationError(context.getNode(), 'Choose a calendar', { itemIndex });
	return value;
}

export function eventIdFor(context: IExecuteFunctions, itemIndex: number): string {
	const value = String(context.getNodeParameter('eventId', itemIndex, '') ?? '').trim();
	if (!value) throw new NodeOperationError(context.getNode(), 'Give the event ID or reference', { itemIndex });
	return value;
}

export function timeZoneFrom(context: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const timeZone = String(value ?? '').trim() || 'Europe/Paris';
	if (!isTimeZone(timeZone)) {
		throw new NodeOperationError(context.getNode(), `Unknown time zone "${timeZone}": use an IANA name such as Europe/Paris`, {
			itemIndex,
		});
	}
	return timeZone;
}
