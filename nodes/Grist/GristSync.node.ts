import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as column from './actions/column/Column.resource';
import { documentLocator, tableLocator } from './actions/common.descriptions';
import * as record from './actions/record/Record.resource';
import { router } from './actions/router';
import * as sql from './actions/sql/Sql.resource';
import * as table from './actions/table/Table.resource';
import { searchDocuments, searchTables } from './methods/listSearch';
import { getColumns } from './methods/loadOptions';

export class GristSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Grist Sync',
		name: 'gristSync',
		icon: { light: 'file:../../icons/grist.svg', dark: 'file:../../icons/grist.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Bulk upsert, paging, schema and SQL for Grist: the built-in Grist node plus batching under 1 MB, typed require keys and Ensure Columns',
		defaults: { name: 'Grist Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gristSyncApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Column', value: 'column' },
					{ name: 'Record', value: 'record' },
					{ name: 'SQL', value: 'sql' },
					{ name: 'Table', value: 'table' },
				],
				default: 'record',
			},
			record.operations,
			table.operations,
			column.operations,
			sql.operations,
			documentLocator,
			{ ...tableLocator, displayOptions: { show: { resource: ['record', 'column'] } } },
			...record.description,
			...table.description,
			...column.description,
			...sql.description,
		],
	};

	methods = {
		listSearch: { searchDocuments, searchTables },
		loadOptions: { getColumns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
