import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as ensure from './ensure.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, ensure, getMany, update };

export const operations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['column'] } },
	options: [
		{ name: 'Create', value: 'create', description: 'Add columns', action: 'Create columns' },
		{
			name: 'Ensure',
			value: 'ensure',
			description: 'Add the columns that are missing, atomically, and leave the others as they are',
			action: 'Ensure columns exist',
		},
		{ name: 'Get Many', value: 'getMany', description: 'List the columns of a table', action: 'Get many columns' },
		{ name: 'Update', value: 'update', description: 'Change label, type or other fields of columns', action: 'Update columns' },
	],
	default: 'ensure',
};

/** The fields of every operation, each shown only for its own. */
export const description: INodeProperties[] = [
	...create.description,
	...ensure.description,
	...getMany.description,
	...update.description,
];
