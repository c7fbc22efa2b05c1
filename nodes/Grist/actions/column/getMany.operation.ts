import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { listColumns } from '../../transport/schema';
import { documentId, tableId } from '../../helpers/locators';

const properties: INodeProperties[] = [
	{
		displayName: 'Include Hidden Columns',
		name: 'hidden',
		type: 'boolean',
		default: false,
		description: 'Whether to include manualSort and Grist\'s helper columns',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['column'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const hidden = this.getNodeParameter('hidden', itemIndex, false) as boolean;
		const columns = await listColumns(this, documentId(this, itemIndex), tableId(this, itemIndex), hidden, itemIndex);
		return columns.map((column) => ({ id: column.id, ...column.fields }));
	});
}
