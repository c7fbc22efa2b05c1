import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { newColumnFields } from '../../helpers/columnFields';
import { columnIdProblem } from '../../helpers/columnId';
import { addMissingColumns, listColumns } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../columnSpec';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';

const show = { resource: ['column'], operation: ['ensure'] };

export const description = updateDisplayOptions({ show }, [
	...columnSpecFields(show),
	{
		displayName: 'Output',
		name: 'ensureOutput',
		type: 'options',
		options: [
			{
				name: 'Columns Created and Existing',
				value: 'report',
				description: 'One item per input: {tableId, created, existing}',
			},
			{
				name: 'Input Items Unchanged',
				value: 'passThrough',
				description: 'Pass each input item on as it came, e.g. to an Upsert right after',
			},
		],
		default: 'report',
	},
]);

/**
 * Makes sure every column of the spec exists, adding only the missing ones with their label and type,
 * in one `PUT …/columns?noupdate=1` (atomic: concurrent runs cannot add a column twice). Existing columns
 * are never changed. Column ids are read once per table and execution, so a batch costs one read.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	const known = new Map<string, Set<string>>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const docId = documentId(this, itemIndex);
			const table = tableId(this, itemIndex);
			const specs = readColumnSpec(this, itemIndex);
			const problems = specs.map((spec) => columnIdProblem(spec.id)).filter(Boolean);
			if (problems.length) throw new NodeOperationError(this.getNode(), problems.join('; '), { itemIndex });
			const key = `${docId}\u0000${table}`;
			let existing = known.get(key);
			if (!existing) {
				existing = new Set((await listColumns(this, docId, table, true, itemIndex)).map((column) => column.id));
				known.set(key, existing);
			}
			const missing = specs.filter((spec) => !existing.has(spec.id));
			let created: string[] = [];
			if (missing.length) {
				await addMissingColumns(
					this,
					docId,
					table,
					missing.map((spec) => ({ id: spec.id, fields: newColumnFields(spec) })),
					itemIndex,
				);
				// Re-read so the output lists only columns that now exist, and the next items see them.
				const after = new Set((await listColumns(this, docId, table, true, itemIndex)).map((column) => column.id));
				created = missing.map((spec) => spec.id).filter((id) => after.has(id));
				known.set(key, after);
				const absent = missing.map((spec) => spec.id).filter((id) => !after.has(id));
				if (absent.length) {
					throw new NodeOperationError(this.getNode(), `Grist did not create column ${absent.join(', ')} under that id`, {
						itemIndex,
					});
				}
			}
			const report: IDataObject = {
				tableId: table,
				created,
				existing: specs.map((spec) => spec.id).filter((id) => !created.includes(id)),
			};
			const passThrough = this.getNodeParameter('ensureOutput', itemIndex, 'report') === 'passThrough';
			addOutput(perItem, itemIndex, {
				json: passThrough ? { ...items[itemIndex].json } : report,
				...(passThrough && items[itemIndex].binary ? { binary: items[itemIndex].binary } : {}),
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	return inInputOrder(perItem);
}
