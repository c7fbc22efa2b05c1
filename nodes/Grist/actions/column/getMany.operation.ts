import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listColumns } from '../../transport/schema';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';

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
	const perItem = new Map<number, INodeExecutionData[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const hidden = this.getNodeParameter('hidden', itemIndex, false) as boolean;
			const columns = await listColumns(this, documentId(this, itemIndex), tableId(this, itemIndex), hidden, itemIndex);
			perItem.set(
				itemIndex,
				columns.map((column) => ({ json: { id: column.id, ...column.fields }, pairedItem: { item: itemIndex } })),
			);
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	return inInputOrder(perItem);
}
