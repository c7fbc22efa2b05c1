import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { executeEachItem } from '../../../common/executeEachItem';
import { referenceOf } from '../../helpers/eventFields';
import { toDate } from '../../helpers/wallClock';
import { listEvents } from '../../transport/paging';
import { calendarIdFor, calendarLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	calendarLocator,
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'End Date',
				name: 'endDate',
				type: 'string',
				default: '',
				placeholder: '2026-12-31',
				description: 'Latest start date, inclusive (YYYY-MM-DD)',
			},
			{
				displayName: 'Reference Prefix',
				name: 'referencePrefix',
				type: 'string',
				default: '',
				placeholder: 'moncampus-',
				description: 'Only events whose reference starts with this text, e.g. those a sync owns',
			},
			{
				displayName: 'Show Draft Events',
				name: 'showDraft',
				type: 'boolean',
				default: false,
				description: 'Whether to include draft events',
			},
			{
				displayName: 'Show Past Events',
				name: 'showPastEvents',
				type: 'boolean',
				default: true,
				description: 'Whether to include events that already started (ECAL hides them unless asked)',
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'string',
				default: '',
				placeholder: '2026-09-01',
				description: 'Earliest start date, inclusive (YYYY-MM-DD)',
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Paris',
				description: 'IANA zone ECAL converts dates and times into; empty keeps each event\'s own',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const calendarId = calendarIdFor(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as {
			startDate?: string;
			endDate?: string;
			showPastEvents?: boolean;
			showDraft?: boolean;
			timezone?: string;
			referencePrefix?: string;
		};
		const zone = filters.timezone?.trim() || 'UTC';
		const bound = (name: 'startDate' | 'endDate'): string | undefined => {
			const raw = String(filters[name] ?? '').trim();
			if (!raw) return undefined;
			const date = toDate(raw, zone);
			if (!date) throw new Error(`${name === 'startDate' ? 'Start' : 'End'} Date "${raw}" is not a date (YYYY-MM-DD)`);
			return date;
		};
		const prefix = filters.referencePrefix?.trim() ?? '';
		const events = await listEvents(
			this,
			{
				calendarId,
				startDate: bound('startDate'),
				endDate: bound('endDate'),
				showPastEvents: filters.showPastEvents ?? true,
				showDraft: filters.showDraft ?? false,
				tz: filters.timezone?.trim() || undefined,
			},
			// With a prefix the limit applies after filtering, so every page is read.
			{ itemIndex, max: prefix ? undefined : limit },
		);
		const kept = prefix ? events.filter((event) => referenceOf(event).startsWith(prefix)) : events;
		return limit === undefined ? kept : kept.slice(0, limit);
	});
}
