import type { INodeProperties } from 'n8n-workflow';

import * as call from './callMethod.operation';

export { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['method'] } },
		default: 'call',
		options: [
			{
				name: 'Call Method',
				value: 'call',
				action: 'Call a REST method',
				description: 'Call any Bitrix24 REST method with JSON params',
			},
		],
	},
	...call.description,
];
