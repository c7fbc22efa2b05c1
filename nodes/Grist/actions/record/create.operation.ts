import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { chunkRecords, DEFAULT_MAX_RECORDS_PER_REQUEST } from '../../helpers/chunkRecords';
import { groupByFieldKeys } from '../../helpers/groupByFieldKeys';
import { itemFields, type DataMode, type FieldValue } from '../../helpers/itemFields';
import { postRecords } from '../../transport/records';
import { dataFields } from '../common.descriptions';
import { addOutput, failedItem, failedItems, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';
import { parameterReader } from '../parameterReader';

const show = { resource: ['record'], operation: ['create'] };

const properties: INodeProperties[] = [
	...dataFields(show),
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

interface CreateEntry {
	fields: IDataObject;
	itemIndex: number;
}

/**
 * All items are created together, in chunks under 1 MB, grouped by field set (Grist would write null into
 * the columns a record lacks). A create is never retried after an unclear failure: it could duplicate rows.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	const read = parameterReader(this);
	const targets = new Map<string, { docId: string; tableId: string; qs: IDataObject; maxRecords: number; entries: CreateEntry[] }>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const docId = documentId(this, itemIndex, read);
			const table = tableId(this, itemIndex, read);
			const options = read<IDataObject>('options', itemIndex, {});
			const fields = itemFields(
				read<DataMode>('dataMode', itemIndex, 'autoMapInputData'),
				items[itemIndex].json,
				read<string>('inputsToIgnore', itemIndex, ''),
				(read<IDataObject>('fieldsUi', itemIndex, {}).fieldValues ?? []) as FieldValue[],
			);
			const qs: IDataObject = options.noParse ? { noparse: '1' } : {};
			const maxRecords = Number(options.maxRecordsPerRequest ?? DEFAULT_MAX_RECORDS_PER_REQUEST);
			const key = JSON.stringify([docId, table, qs, maxRecords]);
			const target = targets.get(key) ?? { docId, tableId: table, qs, maxRecords, entries: [] };
			targets.set(key, target);
			target.entries.push({ fields, itemIndex });
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	for (const target of targets.values()) {
		for (const group of groupByFieldKeys(target.entries)) {
			for (const chunk of chunkRecords(group, { maxRecords: target.maxRecords }, ({ fields }) => ({ fields }))) {
				const itemIndexes = chunk.map((entry) => entry.itemIndex);
				try {
					const ids = await postRecords(
						this,
						target.docId,
						target.tableId,
						chunk.map(({ fields }) => ({ fields })),
						target.qs,
						itemIndexes[0],
					);
					chunk.forEach((entry, position) =>
						addOutput(perItem, entry.itemIndex, {
							json: { id: ids[position], ...entry.fields },
							pairedItem: { item: entry.itemIndex },
						}),
					);
				} catch (error) {
					for (const [itemIndex, output] of failedItems(this, error, itemIndexes)) addOutput(perItem, itemIndex, output);
				}
			}
		}
	}
	return inInputOrder(perItem);
}
