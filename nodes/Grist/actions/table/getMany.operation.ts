import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { listTables } from '../../transport/schema';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId } from '../locators';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['table'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const tables = await listTables(this, documentId(this, itemIndex), itemIndex);
			perItem.set(
				itemIndex,
				tables.map((table) => ({ json: { id: table.id, ...table.fields }, pairedItem: { item: itemIndex } })),
			);
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	return inInputOrder(perItem);
}
