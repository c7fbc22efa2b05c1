import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { updatedColumnFields } from '../../helpers/columnFields';
import { patchColumns } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../../helpers/columnSpec';
import { documentId, tableId } from '../../helpers/locators';

const show = { resource: ['column'], operation: ['update'] };

export const description = updateDisplayOptions({ show }, columnSpecFields(show, true));

/** Changes label, type or other fields of existing columns; the column id stays unless the spec sets colId. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const specs = readColumnSpec(this, itemIndex);
		if (!specs.length) throw new NodeOperationError(this.getNode(), 'No column to update', { itemIndex });
		const columns = specs.map((spec) => ({ id: spec.id, fields: updatedColumnFields(spec) }));
		await patchColumns(this, documentId(this, itemIndex), tableId(this, itemIndex), columns, itemIndex);
		return columns.map((column) => ({ id: column.id, ...column.fields }));
	});
}
