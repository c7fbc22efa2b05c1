import type { INodeProperties } from 'n8n-workflow';

import * as deleteNotification from './delete.operation';
import * as getMany from './getMany.operation';

export { deleteNotification, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['notification'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a notification',
				description: 'Remove a handled notification from the queue (the final acknowledgement)',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many notifications',
				description: 'Read one batch of the démarche\'s notification queue',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...deleteNotification.description,
];
