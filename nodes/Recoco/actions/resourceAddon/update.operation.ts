import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

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
	const addonId = this.getNodeParameter('addonId', itemIndex) as number;
	return await recocoRequest(this, {
		method: 'PUT',
		path: `/resource-addons/${addonId}/`,
		body: addonBody(this, itemIndex),
		itemIndex,
	});
}
