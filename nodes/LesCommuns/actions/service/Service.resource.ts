import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['service'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the services Les Communs matches to a projet',
				action: 'Get many services for a projet',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
