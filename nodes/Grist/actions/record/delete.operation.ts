import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeBulk, type ItemOutputs } from '../../../common/executeEachItem';
import { deleteRecords } from '../../transport/records';
import { documentId, tableId } from '../../helpers/locators';
import { parameterReader } from '../../helpers/parameterReader';

const properties: INodeProperties[] = [
	{
		displayName: 'Row IDs',
		name: 'rowIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12',
		description: 'ID of the row to delete; several may be given, comma-separated',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['delete'] } }, properties);

const MAX_IDS_PER_REQUEST = 5000;

/** All items' rows are deleted together, a few thousand ids per request. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const read = parameterReader(this);
	const targets = new Map<string, { docId: string; tableId: string; rows: Array<{ id: number; itemIndex: number }> }>();
	const prepare = (itemIndex: number): void => {
		const docId = documentId(this, itemIndex, read);
		const table = tableId(this, itemIndex, read);
		const ids = String(read<unknown>('rowIds', itemIndex, ''))
			.split(',')
			.map((part) => part.trim())
			.filter(Boolean)
			.map(Number);
		if (!ids.length || ids.some((id) => !Number.isInteger(id) || id <= 0)) {
			throw new NodeOperationError(this.getNode(), 'Row IDs must be positive whole numbers, comma-separated', { itemIndex });
		}
		const key = JSON.stringify([docId, table]);
		const target = targets.get(key) ?? { docId, tableId: table, rows: [] };
		targets.set(key, target);
		for (const id of ids) target.rows.push({ id, itemIndex });
	};
	const run = async (_entries: unknown[], outputs: ItemOutputs): Promise<void> => {
		for (const target of targets.values()) {
			// An id listed twice would make Grist refuse the whole request.
			const unique = [...new Map(target.rows.map((row) => [row.id, row])).values()];
			for (let start = 0; start < unique.length; start += MAX_IDS_PER_REQUEST) {
				const sliceIds = new Set(unique.slice(start, start + MAX_IDS_PER_REQUEST).map((row) => row.id));
				const rows = target.rows.filter((row) => sliceIds.has(row.id));
				await outputs.forItems([...new Set(rows.map((row) => row.itemIndex))], async () => {
					await deleteRecords(this, target.docId, target.tableId, [...sliceIds]);
					for (const row of rows) outputs.add(row.itemIndex, { id: row.id, deleted: true });
				});
			}
		}
	};
	return await executeBulk(this, items, prepare, run);
}
