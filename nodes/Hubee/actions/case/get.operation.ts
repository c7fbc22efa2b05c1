import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest } from '../../transport';
import { caseIdProperty } from '../common.descriptions';
import { requireId } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	caseIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Lite',
				name: 'lite',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out the attachment and event lists',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['case'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const { lite = false } = this.getNodeParameter('options', itemIndex, {}) as { lite?: boolean };
		return await hubeeRequest<IDataObject>(this, {
			method: 'GET',
			path: `/cases/${caseId}`,
			qs: lite ? { lite: true } : undefined,
			itemIndex,
		});
	});
}
