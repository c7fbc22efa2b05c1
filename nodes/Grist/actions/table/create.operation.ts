import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { newColumnFields } from '../../helpers/columnFields';
import { createTables, listColumns, untieColumnIds } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../../helpers/columnSpec';
import { documentId } from '../../helpers/locators';

const show = { resource: ['table'], operation: ['create'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Table ID',
		name: 'newTableId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Projets',
		description:
			'Grist capitalises the first letter and adds a number when the ID is taken: use the ID in the output, not this one',
	},
	...columnSpecFields(show),
];

export const description = updateDisplayOptions({ show }, properties);

/** Outputs the table id Grist assigned (`projets` → `Projets`, `Projets` taken → `Projets2`). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const docId = documentId(this, itemIndex);
		const requested = String(this.getNodeParameter('newTableId', itemIndex, '')).trim();
		const columns = readColumnSpec(this, itemIndex).map((spec) => ({ id: spec.id, fields: newColumnFields(spec) }));
		const [assigned] = await createTables(this, docId, [requested ? { id: requested, columns } : { columns }], itemIndex);
		// Grist's AddTable drops untieColIdFromLabel: without this PATCH a label rename would rename the id.
		const created = await listColumns(this, docId, assigned, false, itemIndex);
		await untieColumnIds(this, docId, assigned, created.map((column) => column.id), itemIndex);
		return { tableId: assigned, requestedTableId: requested, renamed: assigned !== requested, columns: columns.map((column) => column.id) };
	});
}
