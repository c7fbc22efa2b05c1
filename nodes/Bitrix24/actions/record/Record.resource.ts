import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { create, deleteRecord as delete, getMany, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['record'] } },
		default: 'getMany',
		options: [
			{ name: 'Create', value: 'create', action: 'Create a record', description: 'Create a CRM item or a list element' },
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update CRM items',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a record', description: 'Delete a CRM item or a list element' },
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many records',
				description: 'Read CRM items, smart-process types, reference lists, pipelines, list elements, users or departments',
			},
			{ name: 'Update', value: 'update', action: 'Update a record', description: 'Update a CRM item or a list element' },
		],
	},
	...getMany.description,
	...create.description,
	...update.description,
	...deleteRecord.description,
	...upsert.description,
];
