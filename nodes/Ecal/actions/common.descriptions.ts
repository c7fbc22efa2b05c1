import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { isTimeZone } from '../helpers/wallClock';

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
	const value = String(context.getNodeParameter('calendarId', itemIndex, '', { extractValue: true }) ?? '').trim();
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
