import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parsePositiveId } from '../../helpers/projectId';

/** The writable fields of a Recoco resource add-on, shared by Create and Update. */
export const addonFieldProperties: INodeProperties[] = [
	{
		displayName: 'Recommendation ID',
		name: 'recommendation',
		type: 'number',
		required: true,
		default: 0,
		description: 'ID of the recommendation (task) the add-on belongs to; its resource must be on this portal',
	},
	{
		displayName: 'Nature',
		name: 'nature',
		type: 'string',
		required: true,
		default: 'lescommuns',
		description: 'Kind of add-on, e.g. lescommuns',
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'json',
		default: '[]',
		description: 'JSON content of the add-on, e.g. the list of Les Communs services',
	},
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether the add-on is shown on the portal',
	},
];

/** The add-on body from the node parameters; names the item when Data is not JSON. */
export function addonBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const recommendation = parsePositiveId(context.getNodeParameter('recommendation', itemIndex));
	if (recommendation === undefined) {
		throw new NodeOperationError(context.getNode(), `Recommendation ID must be a positive whole number (item ${itemIndex})`, {
			itemIndex,
		});
	}
	const rawData = context.getNodeParameter('data', itemIndex, '[]') as unknown;
	let data: unknown = rawData;
	if (typeof rawData === 'string') {
		try {
			data = rawData.trim() ? JSON.parse(rawData) : null;
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `Data is not valid JSON (item ${itemIndex}): ${(error as Error).message}`, {
				itemIndex,
			});
		}
	}
	return {
		recommendation,
		nature: context.getNodeParameter('nature', itemIndex) as string,
		data: data as IDataObject,
		enabled: context.getNodeParameter('enabled', itemIndex, true) as boolean,
	};
}
