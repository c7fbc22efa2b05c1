import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['resourceAddon'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an addon to a resource',
				description: 'Add an add-on to a recommendation',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many addons of resources',
				description: 'List add-ons, by recommendation and nature',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update an addon of a resource',
				description: "Replace an add-on's fields",
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...create.description,
	...update.description,
];
