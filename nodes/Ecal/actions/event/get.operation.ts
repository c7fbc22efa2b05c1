import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { ecalData, ecalRequest, eventPath } from '../../transport/request';
import { eventIdField, eventIdFor } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, [
	eventIdField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Paris',
				description: "IANA zone ECAL converts the dates and times into; empty keeps the event's own",
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const eventId = eventIdFor(this, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as { timezone?: string };
		const tz = options.timezone?.trim();
		const response = await ecalRequest(this, {
			method: 'GET',
			path: eventPath(eventId),
			...(tz ? { qs: { tz } } : {}),
			itemIndex,
		});
		return ecalData<IDataObject>(response) ?? {};
	});
}
