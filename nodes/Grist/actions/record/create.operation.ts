import {
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
import { postRecords, readColumnTypes } from '../../transport/records';
import { dataFields } from '../common.descriptions';
import { ColumnTypeCache, documentId, tableId } from '../../helpers/locators';
import { parameterReader } from '../../helpers/parameterReader';

const show = { resource: ['record'], operation: ['create'] };

const properties: INodeProperties[] = [
	...dataFields(show, 'add'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Records per Request',
				name: 'maxRecordsPerRequest',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_RECORDS_PER_REQUEST,
				description: 'Requests also stay under Grist\'s 1 MB body limit, whichever comes first',
			},
			{
				displayName: 'Do Not Parse Strings',
				name: 'noParse',
				type: 'boolean',
				default: false,
				description: 'Whether to store strings as given instead of parsing them per column type (noparse=1)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

interface CreateTarget {
	docId: string;
	tableId: string;
	qs: IDataObject;
	maxRecords: number;
	entries: Array<{ fields: IDataObject; itemIndex: number }>;
}

/**
 * All items are created together, in chunks under 1 MB, grouped by field set (Grist would write null into
 * the columns a record lacks). A create is never retried after an unclear failure: it could duplicate rows.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const read = parameterReader(this);
	const types = new ColumnTypeCache((doc, table) => readColumnTypes(this, doc, table));
	const targets = new Map<string, CreateTarget>();
	const prepare = async (itemIndex: number, item: INodeExecutionData): Promise<void> => {
		const docId = documentId(this, itemIndex, read);
		const table = tableId(this, itemIndex, read);
		const options = read<IDataObject>('options', itemIndex, {});
		const columns = read<ColumnsParameter>('columns', itemIndex, {});
		let fields = itemFields(columns, item.json, read<string>('inputsToIgnore', itemIndex, ''));
		// The column types are read only when a value is a list or an object, which they decide how to send.
		if (anyNeedsEncoding(fields)) fields = encodeFields(fields, await types.get(docId, table, itemIndex));
		const qs: IDataObject = options.noParse ? { noparse: '1' } : {};
		const maxRecords = Number(options.maxRecordsPerRequest ?? DEFAULT_MAX_RECORDS_PER_REQUEST);
		const key = JSON.stringify([docId, table, qs, maxRecords]);
		const target = targets.get(key) ?? { docId, tableId: table, qs, maxRecords, entries: [] };
		targets.set(key, target);
		target.entries.push({ fields, itemIndex });
	};
	const run = async (_entries: unknown[], outputs: ItemOutputs): Promise<void> => {
		for (const target of targets.values()) {
			for (const group of groupByFieldKeys(target.entries)) {
				const chunks = chunkRecords(
					group,
					{ maxRecords: target.maxRecords },
					({ fields }) => ({ fields }),
					(entry, error) => outputs.fail(entry.itemIndex, new Error(`The record cannot be serialised as JSON: ${error.message}`)),
				);
				for (const chunk of chunks) {
					await outputs.forItems(
						chunk.map((entry) => entry.itemIndex),
						async () => {
							const ids = await postRecords(this, target.docId, target.tableId, chunk.map(({ fields }) => ({ fields })), target.qs);
							chunk.forEach((entry, position) => outputs.add(entry.itemIndex, { id: ids[position], ...entry.fields }));
						},
					);
				}
			}
		}
	};
	return await executeBulk(this, items, prepare, run);
}
