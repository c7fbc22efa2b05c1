import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { deleteRecords } from '../../transport/records';
import { addOutput, failedItem, failedItems, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';
import { parameterReader } from '../parameterReader';

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
	const perItem = new Map<number, INodeExecutionData[]>();
	const read = parameterReader(this);
	const targets = new Map<string, { docId: string; tableId: string; rows: Array<{ id: number; itemIndex: number }> }>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
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
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	for (const target of targets.values()) {
		// An id listed twice would make Grist refuse the whole request.
		const unique = [...new Map(target.rows.map((row) => [row.id, row])).values()];
		for (let start = 0; start < unique.length; start += MAX_IDS_PER_REQUEST) {
			const slice = unique.slice(start, start + MAX_IDS_PER_REQUEST);
			const sliceIds = new Set(slice.map((row) => row.id));
			const itemIndexes = [...new Set(target.rows.filter((row) => sliceIds.has(row.id)).map((row) => row.itemIndex))];
			try {
				await deleteRecords(this, target.docId, target.tableId, [...sliceIds], itemIndexes[0]);
				for (const row of target.rows.filter((entry) => sliceIds.has(entry.id))) {
					addOutput(perItem, row.itemIndex, { json: { id: row.id, deleted: true }, pairedItem: { item: row.itemIndex } });
				}
			} catch (error) {
				for (const [itemIndex, output] of failedItems(this, error, itemIndexes)) addOutput(perItem, itemIndex, output);
			}
		}
	}
	return inInputOrder(perItem);
}
