import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { get, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['project'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a projet',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a projet by its Les Communs ID',
				action: 'Get a projet',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change some fields of a projet',
				action: 'Update a projet',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...update.description,
	...get.description,
];
