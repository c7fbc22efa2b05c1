import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { newColumnFields } from '../../helpers/columnFields';
import { addColumns, untieColumnIds } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../../helpers/columnSpec';
import { documentId, tableId } from '../../helpers/locators';

const show = { resource: ['column'], operation: ['create'] };

export const description = updateDisplayOptions({ show }, columnSpecFields(show));

/** Adds the columns; a taken id gets a suffix, so the output lists the ids Grist assigned. Use Ensure to add only missing ones. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const specs = readColumnSpec(this, itemIndex);
		if (!specs.length) throw new NodeOperationError(this.getNode(), 'No column to create', { itemIndex });
		const columns = specs.map((spec) => ({ id: spec.id, fields: newColumnFields(spec) }));
		const docId = documentId(this, itemIndex);
		const table = tableId(this, itemIndex);
		const ids = await addColumns(this, docId, table, columns, itemIndex);
		// Grist's AddColumn drops untieColIdFromLabel: without this PATCH a label rename would rename the id.
		await untieColumnIds(this, docId, table, ids, itemIndex);
		return ids.map((id, position) => ({ id, requestedId: specs[position]?.id, renamed: id !== specs[position]?.id }));
	});
}
