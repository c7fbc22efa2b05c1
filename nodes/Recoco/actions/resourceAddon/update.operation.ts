import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { addonBody, idProblem } from '../../helpers/addonBody';
import { parsePositiveId } from '../../helpers/projectId';
import { recocoRequest } from '../../transport';
import { addonFieldProperties } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Add-On ID',
		name: 'addonId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12',
		description: 'ID of the resource add-on to replace',
	},
	...addonFieldProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['resourceAddon'], operation: ['update'] } }, properties);

/** PUT replaces every field, so sending it twice leaves the same add-on: the transport may retry it. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const raw = this.getNodeParameter('addonId', itemIndex, '') as unknown;
		const addonId = parsePositiveId(raw);
		if (addonId === undefined) {
			throw new NodeOperationError(this.getNode(), idProblem('Add-On ID', raw), { itemIndex });
		}
		return await recocoRequest(this, {
			method: 'PUT',
			path: `/resource-addons/${addonId}/`,
			body: addonBody(this, itemIndex),
			itemIndex,
		});
	});
}
