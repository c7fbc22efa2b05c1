import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { executeEachItem } from '../../../common/executeEachItem';
import { calendarPath, ecalData, ecalRequest } from '../../transport/request';

export const description = updateDisplayOptions({ show: { resource: ['calendar'], operation: ['getMany'] } }, [
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Show Draft Calendars',
				name: 'showDraft',
				type: 'boolean',
				default: false,
				description: 'Whether to include calendars not yet set live',
			},
		],
	},
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
		const options = this.getNodeParameter('options', itemIndex, {}) as { showDraft?: boolean };
		// ECAL documents no paging for calendars: one call returns them all (204 when there are none).
		const response = await ecalRequest(this, {
			method: 'GET',
			path: calendarPath(),
			qs: options.showDraft ? { showDraft: 'true' } : {},
			itemIndex,
		});
		const calendars = ecalData<IDataObject[]>(response) ?? [];
		return returnAll ? calendars : calendars.slice(0, limit);
	});
}
