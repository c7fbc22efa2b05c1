import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { create, deleteRecord as delete, getMany, update, upsert };

export const operations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['record'] } },
	options: [
		{ name: 'Create', value: 'create', description: 'Add rows, in bulk', action: 'Create records' },
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update records',
		},
		{ name: 'Delete', value: 'delete', description: 'Remove rows by ID', action: 'Delete records' },
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'Read rows with filter and sort, paging through the whole table',
			action: 'Get many records',
		},
		{ name: 'Update', value: 'update', description: 'Change rows by ID', action: 'Update records' },
	],
	default: 'upsert',
};

/** The fields of every operation, each shown only for its own. */
export const description: INodeProperties[] = [
	...create.description,
	...deleteRecord.description,
	...getMany.description,
	...update.description,
	...upsert.description,
];
