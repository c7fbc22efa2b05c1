import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getMany from './getMany.operation';

export { create, getMany };

export const operations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['table'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description: 'Add a table with its columns; outputs the ID Grist assigned',
			action: 'Create a table',
		},
		{ name: 'Get Many', value: 'getMany', description: 'List the tables of a document', action: 'Get many tables' },
	],
	default: 'getMany',
};

/** The fields of every operation, each shown only for its own. */
export const description: INodeProperties[] = [
	...create.description,
	...getMany.description,
];
