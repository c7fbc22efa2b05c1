import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { parseJsonValue } from '../../../common/jsonParameter';
import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { parseSort } from '../../helpers/recordsSql';
import { recordPages } from '../../transport/sql';
import { documentId, tableId } from '../../helpers/locators';

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

/** Column ID → list of allowed values; a single value stands for a list of one. */
function readFilter(context: IExecuteFunctions, raw: unknown, itemIndex: number): Record<string, unknown[]> {
	const value = parseJsonValue<IDataObject>(context, raw, itemIndex, { label: 'Filter', shape: 'object', empty: {} });
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
	return await executeEachItem(this, items, async (itemIndex) => {
		const docId = documentId(this, itemIndex);
		const table = tableId(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const filter = readFilter(this, options.filter, itemIndex);
		const pages = recordPages(
			this,
			docId,
			{ tableId: table, pageSize: Number(options.pageSize ?? 1000), filter, sort: parseSort(String(options.sort ?? '')) },
			limit,
			itemIndex,
		);
		const rows: IDataObject[] = [];
		for await (const page of pages) for (const record of page) rows.push(record);
		return rows;
	});
}
