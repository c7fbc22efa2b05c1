import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { eventBody } from '../../helpers/eventFields';
import { createEvent } from '../../transport/events';
import { calendarIdFor, calendarLocator, timeZoneFrom, timezoneField } from '../common.descriptions';

export const eventFieldOptions: INodeProperties[] = [
	{
		displayName: 'All Day',
		name: 'allDay',
		type: 'boolean',
		default: false,
		description: 'Whether the event lasts whole days (start and end are then dates)',
	},
	{
		displayName: 'Alert',
		name: 'alert',
		type: 'string',
		default: '',
		placeholder: '15M',
		description: 'Reminder before the start, e.g. 5M, 15M, 30M, 1H',
	},
	{
		displayName: 'Details',
		name: 'details',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'Description shown with the event',
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		default: '',
		placeholder: 'moncampus-123456',
		description: 'Your own unique key for the event; ECAL refuses a second event with the same reference',
	},
];

const properties: INodeProperties[] = [
	calendarLocator,
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
	{
		displayName: 'Location',
		name: 'location',
		type: 'string',
		default: '',
		required: true,
		description: 'ECAL requires a location',
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-09-16T08:30:00+02:00',
		description: 'ISO date-time (with an offset, or local to the time zone), or a date for an all-day event',
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-09-16T12:00:00+02:00',
		description: 'ISO date-time (with an offset, or local to the time zone), or a date for an all-day event',
	},
	timezoneField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: eventFieldOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const calendarId = calendarIdFor(this, itemIndex);
		const timeZone = timeZoneFrom(this, this.getNodeParameter('timezone', itemIndex, 'Europe/Paris'), itemIndex);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as Record<string, unknown>;
		let body;
		try {
			body = eventBody(
				{
					name: this.getNodeParameter('name', itemIndex, ''),
					location: this.getNodeParameter('location', itemIndex, ''),
					start: this.getNodeParameter('start', itemIndex, ''),
					end: this.getNodeParameter('end', itemIndex, ''),
					allDay: fields.allDay,
					reference: fields.reference,
					details: fields.details === '' ? undefined : fields.details,
					alert: fields.alert,
				},
				calendarId,
				timeZone,
			);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
		}
		const { event, outcome } = await createEvent(this, body, { itemIndex });
		if (outcome === 'exists') {
			throw new NodeOperationError(
				this.getNode(),
				`An ECAL event already has the reference "${body.reference}" (ID ${String(event.id)}): use Update, or Sync`,
				{ itemIndex },
			);
		}
		return event;
	});
}
