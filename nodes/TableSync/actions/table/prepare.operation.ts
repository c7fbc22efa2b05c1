import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseJsonParameter } from '../../../common/jsonParameter';
import { TableSyncConfigError, tablesFromConfig, type TableSpec } from '../../helpers/tableConfig';

const properties: INodeProperties[] = [
	{
		displayName: 'Config',
		name: 'config',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description:
			'The sync as data: { sourceName, sync, markDeleted, maxDeletedShare, chunkSize, dictionaries: { name: { table, source, fields, parent, protectedColumns } } }',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['table'], operation: ['prepare'] } }, properties);

/** The config read from item 0, checked; every error names the field. Shared by Prepare and Plan. */
export function readTables(context: IExecuteFunctions, itemIndex: number): TableSpec[] {
	const config = parseJsonParameter(context, 'config', itemIndex, { label: 'Config', shape: 'object' });
	try {
		return tablesFromConfig(config);
	} catch (error) {
		const message = error instanceof TableSyncConfigError ? error.message : (error as Error).message;
		throw new NodeOperationError(context.getNode(), `Config: ${message} (item ${itemIndex})`, { itemIndex });
	}
}

/** One item per table to sync, in config order: what the fetch and the read of current rows need. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		for (const table of readTables(this, itemIndex)) {
			output.push({ json: { ...table } as unknown as INodeExecutionData['json'], pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
