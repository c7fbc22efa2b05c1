import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { recocoPaginate } from '../../transport';
import { limitProperty, returnAllProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
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
				displayName: 'Nature',
				name: 'nature',
				type: 'string',
				default: '',
				placeholder: 'e.g. lescommuns',
			},
			{
				displayName: 'Recommendation ID',
				name: 'recommendation',
				type: 'number',
				default: 0,
				description: 'Only the add-ons of this recommendation (task)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['resourceAddon'], operation: ['getMany'] } }, properties);

export function addonListQuery(filters: IDataObject): IDataObject {
	const qs: IDataObject = {};
	if (typeof filters.recommendation === 'number' && filters.recommendation > 0) qs.recommendation = filters.recommendation;
	if (typeof filters.nature === 'string' && filters.nature.trim()) qs.nature = filters.nature.trim();
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return await recocoPaginate(this, '/resource-addons/', {
		qs: addonListQuery(filters),
		maxResults: limit,
		itemIndex,
	});
}
