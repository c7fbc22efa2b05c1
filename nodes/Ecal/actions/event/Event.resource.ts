import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteEvent from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as sync from './sync.operation';
import * as update from './update.operation';

export { create, deleteEvent, get, getMany, sync, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create an event', action: 'Create an event' },
			{ name: 'Delete', value: 'delete', description: 'Delete an event', action: 'Delete an event' },
			{ name: 'Get', value: 'get', description: 'Get an event by ID or reference', action: 'Get an event' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List a calendar's events, page by page",
				action: 'Get many events',
			},
			{
				name: 'Sync',
				value: 'sync',
				description:
					'Make a calendar window hold exactly the input events: create, update and delete by reference, remove duplicates',
				action: 'Sync events into a calendar',
			},
			{ name: 'Update', value: 'update', description: 'Change some fields of an event', action: 'Update an event' },
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...create.description,
	...update.description,
	...deleteEvent.description,
	...sync.description,
];
