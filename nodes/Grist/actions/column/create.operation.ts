import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { newColumnFields } from '../../helpers/columnFields';
import { addColumns } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../columnSpec';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';

const show = { resource: ['column'], operation: ['create'] };

export const description = updateDisplayOptions({ show }, columnSpecFields(show));

/** Adds the columns; a taken id gets a suffix, so the output lists the ids Grist assigned. Use Ensure to add only missing ones. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const specs = readColumnSpec(this, itemIndex);
			if (!specs.length) throw new NodeOperationError(this.getNode(), 'No column to create', { itemIndex });
			const columns = specs.map((spec) => ({ id: spec.id, fields: newColumnFields(spec) }));
			const ids = await addColumns(this, documentId(this, itemIndex), tableId(this, itemIndex), columns, itemIndex);
			perItem.set(
				itemIndex,
				ids.map((id, position) => ({
					json: { id, requestedId: specs[position]?.id, renamed: id !== specs[position]?.id },
					pairedItem: { item: itemIndex },
				})),
			);
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	return inInputOrder(perItem);
}
