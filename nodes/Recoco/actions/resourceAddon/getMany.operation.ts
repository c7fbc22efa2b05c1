import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { parsePositiveId } from '../../helpers/projectId';
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

/** The add-on list query; undefined names the filter that is set but not usable. */
export function addonListQuery(filters: IDataObject): { qs: IDataObject; invalid?: string } {
	const qs: IDataObject = {};
	const recommendation = filters.recommendation;
	if (recommendation !== undefined && recommendation !== '' && recommendation !== 0 && recommendation !== null) {
		const id = parsePositiveId(recommendation);
		// Dropping a bad filter would list every add-on, and a later Update would overwrite the wrong one.
		if (id === undefined)
			return { qs, invalid: `Recommendation ID filter "${String(recommendation)}" is not a positive whole number` };
		qs.recommendation = id;
	}
	if (typeof filters.nature === 'string' && filters.nature.trim()) qs.nature = filters.nature.trim();
	return { qs };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const { qs, invalid } = addonListQuery(filters);
		if (invalid) throw new NodeOperationError(this.getNode(), invalid, { itemIndex });
		return await recocoPaginate(this, '/resource-addons/', { qs, maxResults: limit, itemIndex });
	});
}
