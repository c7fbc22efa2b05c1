import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { isTruthy } from '../../helpers/eventFields';
import { toWallClock } from '../../helpers/wallClock';
import { updateEvent } from '../../transport/events';
import { eventIdField, eventIdFor, timeZoneFrom, timezoneField } from '../common.descriptions';
import { eventFieldOptions } from './create.operation';

const properties: INodeProperties[] = [
	eventIdField,
	{ ...timezoneField, description: 'IANA time zone the new start and end are read in, and sent with them' },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...eventFieldOptions,
			{
				displayName: 'End',
				name: 'end',
				type: 'string',
				default: '',
				placeholder: '2026-09-16T12:00:00+02:00',
				description: 'ISO date-time (with an offset, or local to the time zone), or a date for an all-day event',
			},
			{ displayName: 'Location', name: 'location', type: 'string', default: '' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{
				displayName: 'Start',
				name: 'start',
				type: 'string',
				default: '',
				placeholder: '2026-09-16T08:30:00+02:00',
				description: 'ISO date-time (with an offset, or local to the time zone), or a date for an all-day event',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const eventId = eventIdFor(this, itemIndex);
		const timeZone = timeZoneFrom(this, this.getNodeParameter('timezone', itemIndex, 'Europe/Paris'), itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as Record<string, unknown>;
		const body: IDataObject = {};
		for (const name of ['name', 'location', 'details', 'alert', 'reference'] as const) {
			if (fields[name] !== undefined) body[name] = String(fields[name]).trim();
		}
		if (fields.allDay !== undefined) body.allDay = isTruthy(fields.allDay) ? 'yes' : 'no';
		for (const [field, dateKey, timeKey] of [
			['start', 'startDate', 'startTime'],
			['end', 'endDate', 'endTime'],
		] as const) {
			if (fields[field] === undefined || fields[field] === '') continue;
			const wallClock = toWallClock(fields[field], timeZone);
			if (!wallClock) {
				throw new NodeOperationError(this.getNode(), `The ${field} "${String(fields[field])}" is not a date or an ISO date-time`, {
					itemIndex,
				});
			}
			body[dateKey] = wallClock.date;
			if (!isTruthy(fields.allDay)) body[timeKey] = wallClock.time;
			body.timezone = timeZone;
		}
		if (!Object.keys(body).length) {
			throw new NodeOperationError(this.getNode(), 'Add at least one field to update', { itemIndex });
		}
		return (await updateEvent(this, eventId, body, { itemIndex })) ?? { id: eventId, ...body };
	});
}
