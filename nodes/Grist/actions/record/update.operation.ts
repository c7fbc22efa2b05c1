import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { chunkRecords, DEFAULT_MAX_RECORDS_PER_REQUEST } from '../../helpers/chunkRecords';
import { groupByFieldKeys } from '../../helpers/groupByFieldKeys';
import { itemFields, type DataMode, type FieldValue } from '../../helpers/itemFields';
import { patchRecords } from '../../transport/records';
import { dataFields } from '../common.descriptions';
import { addOutput, failedItem, failedItems, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';
import { parameterReader } from '../parameterReader';

const show = { resource: ['record'], operation: ['update'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Row ID',
		name: 'rowId',
		type: 'number',
		required: true,
		default: 0,
		placeholder: 'e.g. 12',
		description: 'ID of the row to update',
	},
	...dataFields(show),
];

export const description = updateDisplayOptions({ show }, properties);

interface UpdateEntry {
	id: number;
	fields: IDataObject;
	itemIndex: number;
}

/** All items are patched together, grouped by field set (Grist's PATCH requires one field set per request). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	const read = parameterReader(this);
	const targets = new Map<string, { docId: string; tableId: string; entries: UpdateEntry[] }>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const docId = documentId(this, itemIndex, read);
			const table = tableId(this, itemIndex, read);
			const id = Number(read<unknown>('rowId', itemIndex));
			if (!Number.isInteger(id) || id <= 0) {
				throw new NodeOperationError(this.getNode(), 'Row ID must be a positive whole number', { itemIndex });
			}
			const fields = itemFields(
				read<DataMode>('dataMode', itemIndex, 'autoMapInputData'),
				items[itemIndex].json,
				read<string>('inputsToIgnore', itemIndex, ''),
				(read<IDataObject>('fieldsUi', itemIndex, {}).fieldValues ?? []) as FieldValue[],
			);
			delete fields.id;
			if (!Object.keys(fields).length) {
				throw new NodeOperationError(this.getNode(), 'Nothing to update: the item has no column value', { itemIndex });
			}
			const key = JSON.stringify([docId, table]);
			const target = targets.get(key) ?? { docId, tableId: table, entries: [] };
			targets.set(key, target);
			target.entries.push({ id, fields, itemIndex });
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	for (const target of targets.values()) {
		for (const group of groupByFieldKeys(target.entries)) {
			const chunks = chunkRecords(group, { maxRecords: DEFAULT_MAX_RECORDS_PER_REQUEST }, ({ id, fields }) => ({ id, fields }));
			for (const chunk of chunks) {
				const itemIndexes = chunk.map((entry) => entry.itemIndex);
				try {
					await patchRecords(this, target.docId, target.tableId, chunk.map(({ id, fields }) => ({ id, fields })), undefined, itemIndexes[0]);
					for (const entry of chunk) {
						addOutput(perItem, entry.itemIndex, { json: { id: entry.id, ...entry.fields }, pairedItem: { item: entry.itemIndex } });
					}
				} catch (error) {
					for (const [itemIndex, output] of failedItems(this, error, itemIndexes)) addOutput(perItem, itemIndex, output);
				}
			}
		}
	}
	return inInputOrder(perItem);
}
