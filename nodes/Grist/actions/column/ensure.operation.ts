import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { newColumnFields } from '../../helpers/columnFields';
import { columnIdProblem } from '../../helpers/columnId';
import { addMissingColumns, listColumns, untieColumnIds, type GristColumn } from '../../transport/schema';
import { columnSpecFields } from '../common.descriptions';
import { readColumnSpec } from '../../helpers/columnSpec';
import { documentId, tableId } from '../../helpers/locators';

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
 * keep their label and type. Column ids are read once per table and execution, so a batch costs one read.
 *
 * Every column of the spec ends up untied from its label: Grist drops `untieColIdFromLabel` when it adds a
 * column, and a tied column is renamed with its label (`ID` → `ID Recoco` makes `object_id` `ID_Recoco`), so
 * the next sync would re-create `object_id` and add every row again. One PATCH sets the flag, which persists.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const known = new Map<string, Map<string, GristColumn>>();
	const readColumns = async (docId: string, table: string, itemIndex: number) =>
		new Map((await listColumns(this, docId, table, true, itemIndex)).map((column) => [column.id, column]));
	return await executeEachItem(this, items, async (itemIndex, item) => {
		const docId = documentId(this, itemIndex);
		const table = tableId(this, itemIndex);
		const specs = readColumnSpec(this, itemIndex);
		const problems = specs.map((spec) => columnIdProblem(spec.id)).filter(Boolean);
		if (problems.length) throw new NodeOperationError(this.getNode(), problems.join('; '), { itemIndex });
		const key = `${docId}\u0000${table}`;
		let existing = known.get(key) ?? (await readColumns(docId, table, itemIndex));
		known.set(key, existing);
		const before = existing;
		const missing = specs.filter((spec) => !before.has(spec.id));
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
			const after = await readColumns(docId, table, itemIndex);
			created = missing.map((spec) => spec.id).filter((id) => after.has(id));
			known.set(key, after);
			existing = after;
			const absent = missing.map((spec) => spec.id).filter((id) => !after.has(id));
			if (absent.length) {
				throw new NodeOperationError(this.getNode(), `Grist did not create column ${absent.join(', ')} under that id`, {
					itemIndex,
				});
			}
		}
		const current = existing;
		const tied = specs
			.map((spec) => current.get(spec.id))
			.filter((column): column is GristColumn => column !== undefined && column.fields.untieColIdFromLabel !== true);
		if (tied.length) {
			await untieColumnIds(this, docId, table, tied.map((column) => column.id), itemIndex);
			for (const column of tied) column.fields = { ...column.fields, untieColIdFromLabel: true };
		}
		const report: IDataObject = {
			tableId: table,
			created,
			existing: specs.map((spec) => spec.id).filter((id) => !created.includes(id)),
		};
		if (this.getNodeParameter('ensureOutput', itemIndex, 'report') !== 'passThrough') return report;
		return { json: { ...item.json }, ...(item.binary ? { binary: item.binary } : {}) };
	});
}
