import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { newColumnFields } from '../../helpers/columnFields';
import { createTables } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../columnSpec';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId } from '../locators';

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
	const perItem = new Map<number, INodeExecutionData[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const docId = documentId(this, itemIndex);
			const requested = String(this.getNodeParameter('newTableId', itemIndex, '')).trim();
			const columns = readColumnSpec(this, itemIndex).map((spec) => ({ id: spec.id, fields: newColumnFields(spec) }));
			const [assigned] = await createTables(this, docId, [requested ? { id: requested, columns } : { columns }], itemIndex);
			addOutput(perItem, itemIndex, {
				json: { tableId: assigned, requestedTableId: requested, renamed: assigned !== requested, columns: columns.map((column) => column.id) },
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	return inInputOrder(perItem);
}
