import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeBulk, type ItemOutputs } from '../../../common/executeEachItem';
import { anyNeedsEncoding, encodeFields } from '../../helpers/cellValue';
import { chunkRecords, DEFAULT_MAX_RECORDS_PER_REQUEST } from '../../helpers/chunkRecords';
import { groupByFieldKeys } from '../../helpers/groupByFieldKeys';
import { itemFields, type ColumnsParameter } from '../../helpers/itemFields';
import { patchRecords, readColumnTypes } from '../../transport/records';
import { dataFields } from '../common.descriptions';
import { ColumnTypeCache, documentId, tableId } from '../../helpers/locators';
import { parameterReader } from '../../helpers/parameterReader';

const show = { resource: ['record'], operation: ['update'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Row ID',
		name: 'rowId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12',
		description: 'ID of the row to update (the row ID Grist gives every row)',
	},
	...dataFields(show, 'update'),
];

export const description = updateDisplayOptions({ show }, properties);

interface UpdateEntry {
	id: number;
	fields: IDataObject;
	itemIndex: number;
}

/** All items are patched together, grouped by field set (Grist's PATCH requires one field set per request). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const read = parameterReader(this);
	const types = new ColumnTypeCache((doc, table) => readColumnTypes(this, doc, table));
	const targets = new Map<string, { docId: string; tableId: string; entries: UpdateEntry[] }>();
	const prepare = async (itemIndex: number, item: INodeExecutionData): Promise<void> => {
		const docId = documentId(this, itemIndex, read);
		const table = tableId(this, itemIndex, read);
		const rowId = String(read<unknown>('rowId', itemIndex, '') ?? '').trim();
		const id = Number(rowId);
		if (!rowId || !Number.isInteger(id) || id <= 0) {
			throw new NodeOperationError(
				this.getNode(),
				rowId ? `Row ID must be a positive whole number, not "${rowId}"` : 'Row ID is empty: set the ID of the row to update',
				{ itemIndex },
			);
		}
		const columns = read<ColumnsParameter>('columns', itemIndex, {});
		let fields = itemFields(columns, item.json, read<string>('inputsToIgnore', itemIndex, ''));
		delete fields.id;
		if (!Object.keys(fields).length) {
			throw new NodeOperationError(this.getNode(), 'Nothing to update: the item has no column value', { itemIndex });
		}
		// The column types are read only when a value is a list or an object, which they decide how to send.
		if (anyNeedsEncoding(fields)) fields = encodeFields(fields, await types.get(docId, table, itemIndex));
		const key = JSON.stringify([docId, table]);
		const target = targets.get(key) ?? { docId, tableId: table, entries: [] };
		targets.set(key, target);
		target.entries.push({ id, fields, itemIndex });
	};
	const run = async (_entries: unknown[], outputs: ItemOutputs): Promise<void> => {
		for (const target of targets.values()) {
			for (const group of groupByFieldKeys(target.entries)) {
				const chunks = chunkRecords(
					group,
					{ maxRecords: DEFAULT_MAX_RECORDS_PER_REQUEST },
					({ id, fields }) => ({ id, fields }),
					(entry, error) => outputs.fail(entry.itemIndex, new Error(`The record cannot be serialised as JSON: ${error.message}`)),
				);
				for (const chunk of chunks) {
					await outputs.forItems(
						chunk.map((entry) => entry.itemIndex),
						async () => {
							await patchRecords(this, target.docId, target.tableId, chunk.map(({ id, fields }) => ({ id, fields })));
							for (const entry of chunk) outputs.add(entry.itemIndex, { id: entry.id, ...entry.fields });
						},
					);
				}
			}
		}
	};
	return await executeBulk(this, items, prepare, run);
}
