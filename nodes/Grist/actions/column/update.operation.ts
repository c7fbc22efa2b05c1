import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { updatedColumnFields } from '../../helpers/columnFields';
import { patchColumns } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../columnSpec';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';

const show = { resource: ['column'], operation: ['update'] };

export const description = updateDisplayOptions({ show }, columnSpecFields(show, true));

/** Changes label, type or other fields of existing columns; the column id stays unless the spec sets colId. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const specs = readColumnSpec(this, itemIndex);
			if (!specs.length) throw new NodeOperationError(this.getNode(), 'No column to update', { itemIndex });
			const columns = specs.map((spec) => ({ id: spec.id, fields: updatedColumnFields(spec) }));
			await patchColumns(this, documentId(this, itemIndex), tableId(this, itemIndex), columns, itemIndex);
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
