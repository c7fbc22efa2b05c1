import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as table from './actions/table/Table.resource';
import { router } from './actions/router';

/**
 * Plans a source → MySQL/MariaDB table sync; n8n's MySQL node does every read and write. Two inputs, so that
 * two streams meet along connections: records and current rows (Plan), plan and refused chunks (Retry), plan
 * and row results (Summarize). Prepare uses the first input only.
 */
export class TableSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Table Sync',
		name: 'tableSync',
		icon: { light: 'file:../../icons/tablesync.svg', dark: 'file:../../icons/tablesync.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Plan the writes that sync records from any source into a MySQL or MariaDB table, for the MySQL node',
		defaults: { name: 'Table Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['Records / Plan', 'Current Rows / Write Results'],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Table', value: 'table' }],
				default: 'table',
			},
			...table.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
