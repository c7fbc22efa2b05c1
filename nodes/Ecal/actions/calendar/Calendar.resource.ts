import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['calendar'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a calendar', action: 'Get a calendar' },
			{ name: 'Get Many', value: 'getMany', description: "List the account's calendars", action: 'Get many calendars' },
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
];
