import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { parsePositiveId } from '../../helpers/projectId';

import { recocoRequest } from '../../transport';
import { addonBody, addonFieldProperties } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Add-On ID',
		name: 'addonId',
		type: 'number',
		required: true,
		default: 0,
		description: 'ID of the resource add-on to replace',
	},
	...addonFieldProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['resourceAddon'], operation: ['update'] } }, properties);

/** PUT replaces every field, so sending it twice leaves the same add-on: the transport may retry it. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const addonId = parsePositiveId(this.getNodeParameter('addonId', itemIndex));
	if (addonId === undefined) {
		throw new NodeOperationError(this.getNode(), `Add-On ID must be a positive whole number (item ${itemIndex})`, { itemIndex });
	}
	return await recocoRequest(this, {
		method: 'PUT',
		path: `/resource-addons/${addonId}/`,
		body: addonBody(this, itemIndex),
		itemIndex,
	});
}
