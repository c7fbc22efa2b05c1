import type { INodeProperties } from 'n8n-workflow';

import * as query from './query.operation';

export { query };

export const operations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['sql'] } },
	options: [
		{ name: 'Query', value: 'query', description: 'Run a read-only SELECT with arguments', action: 'Run an SQL query' },
	],
	default: 'query',
};

/** The fields of every operation, each shown only for its own. */
export const description: INodeProperties[] = [
	...query.description,
];
