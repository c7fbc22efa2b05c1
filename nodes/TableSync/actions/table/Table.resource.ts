import type { INodeProperties } from 'n8n-workflow';

import * as plan from './plan.operation';
import * as prepare from './prepare.operation';
import * as retryRefused from './retryRefused.operation';
import * as summarize from './summarize.operation';

export { plan, prepare, retryRefused, summarize };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['table'] } },
		options: [
			{
				name: 'Plan Writes',
				value: 'plan',
				action: 'Plan the writes of a table sync',
				description:
					'Input 1: fetched records; input 2: current rows. Outputs the multi-row INSERT … ON DUPLICATE KEY UPDATE chunks, foreign-key lookups and deletion marks for the MySQL node, then one report per table.',
			},
			{
				name: 'Prepare Tables',
				value: 'prepare',
				action: 'Prepare the tables of a table sync',
				description: 'Checks the config and outputs one item per table: the source parameters and the SQL that reads its current rows',
			},
			{
				name: 'Retry Refused Chunks',
				value: 'retryRefused',
				action: 'Split refused chunks into rows',
				description: 'Input 1: the plan; input 2: the chunk writer\'s error output. Outputs one statement per row of each refused chunk.',
			},
			{
				name: 'Summarize',
				value: 'summarize',
				action: 'Summarize a table sync',
				description: 'Input 1: Retry Refused Chunks\' output; input 2: the row-by-row writer\'s output. Outputs one count per table.',
			},
		],
		default: 'plan',
	},
	...prepare.description,
	...plan.description,
	...retryRefused.description,
	...summarize.description,
];
