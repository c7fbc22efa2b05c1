import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { parseSort } from '../../helpers/recordsSql';
import { recordPages } from '../../transport/sql';
import { addOutput, failedItem, inInputOrder } from '../itemErrors';
import { documentId, tableId } from '../locators';

const properties: INodeProperties[] = [
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Filter',
				name: 'filter',
				type: 'json',
				default: '{}',
				placeholder: '{"status": ["DONE", "READY"]}',
				description: 'Column ID → list of allowed values, as in Grist\'s own filter parameter',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'Rows fetched per request while paging',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'string',
				default: '',
				placeholder: 'department_code,-modified',
				description: 'Comma-separated column IDs; a leading minus sorts descending. Ties are ordered by row ID.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['getMany'] } }, properties);

function readFilter(context: IExecuteFunctions, raw: unknown, itemIndex: number): Record<string, unknown[]> {
	const value = typeof raw === 'string' ? (raw.trim() ? (JSON.parse(raw) as unknown) : {}) : (raw ?? {});
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(context.getNode(), 'Filter must be a JSON object of column ID → list of values', { itemIndex });
	}
	const filter: Record<string, unknown[]> = {};
	for (const [colId, values] of Object.entries(value as IDataObject)) {
		filter[colId] = Array.isArray(values) ? values : [values];
	}
	return filter;
}

/**
 * Pages through POST /sql (keyset on the sort columns and row id) because `/records` has no paging.
 * Values are as SQLite stores them: Bool as 1/0, Choice List as JSON text, dates as epoch seconds.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const perItem = new Map<number, INodeExecutionData[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const docId = documentId(this, itemIndex);
			const table = tableId(this, itemIndex);
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			let filter: Record<string, unknown[]>;
			try {
				filter = readFilter(this, options.filter, itemIndex);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Filter: ${(error as Error).message}`, { itemIndex });
			}
			const pages = recordPages(
				this,
				docId,
				{
					tableId: table,
					pageSize: Number(options.pageSize ?? 1000),
					filter,
					sort: parseSort(String(options.sort ?? '')),
				},
				limit,
				itemIndex,
			);
			const rows: INodeExecutionData[] = [];
			for await (const page of pages) {
				for (const record of page) rows.push({ json: record, pairedItem: { item: itemIndex } });
			}
			perItem.set(itemIndex, rows);
		} catch (error) {
			addOutput(perItem, itemIndex, failedItem(this, error, itemIndex));
		}
	}
	return inInputOrder(perItem);
}
