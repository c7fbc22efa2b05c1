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
import { getMappingColumns } from './methods/resourceMapping';

export class GristSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Grist Sync',
		name: 'gristSync',
		icon: { light: 'file:../../icons/grist.svg', dark: 'file:../../icons/grist.dark.svg' },
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"record:create":"Create records","record:upsert":"Create or update records","record:delete":"Delete records","record:getMany":"Get many records","record:update":"Update records","table:create":"Create a table","table:getMany":"Get many tables","column:create":"Create columns","column:ensure":"Ensure columns exist","column:getMany":"Get many columns","column:update":"Update columns","sql:query":"Run an SQL query"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["operation"] }}',
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
		resourceMapping: { getMappingColumns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
