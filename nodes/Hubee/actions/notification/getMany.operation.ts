import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest } from '../../transport';
import { splitList } from '../../helpers/parameters';

/** DINUM: batches of 25 at most ("do not change without reason"). */
export const MAX_BATCH = 25;

const properties: INodeProperties[] = [
	{
		displayName:
			'One batch per run: HubEE has no cursor and serves a notification again until it is deleted, so delete each one once handled and call again until a batch is shorter than Max Results',
		name: 'batchNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Process Code',
		name: 'processCode',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. EtatCivil',
		description:
			'The démarche whose notifications to read (several: comma-separated). Always sent, so notifications of other démarches never fill the batch.',
	},
	{
		displayName: 'Max Results',
		name: 'maxResult',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_BATCH },
		default: MAX_BATCH,
		description: 'Max number of results to return',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const processCodes = splitList(this.getNodeParameter('processCode', itemIndex));
		if (!processCodes.length) {
			throw new NodeOperationError(this.getNode(), 'Process Code is empty', {
				itemIndex,
				description: 'Give the démarche, e.g. EtatCivil: without it the batch may fill with other démarches.',
			});
		}
		const maxResult = Math.min(MAX_BATCH, Math.max(1, Math.floor(Number(this.getNodeParameter('maxResult', itemIndex, MAX_BATCH)))));
		const batch = await hubeeRequest<IDataObject[]>(this, {
			method: 'GET',
			path: '/notifications',
			// eventDetails adds eventActionType and eventStatus (not in swagger 1.2.7, used by DINUM and the contract).
			qs: { maxResult, eventDetails: true, processCode: processCodes },
			itemIndex,
		});
		return Array.isArray(batch) ? batch : [];
	});
}
