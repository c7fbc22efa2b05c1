import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { parseJsonParameter } from '../../../common/jsonParameter';
import { runSql } from '../../transport/sql';
import { documentId } from '../../helpers/locators';

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		// Grist runs the query on its SQLite store.
		typeOptions: { editor: 'sqlEditor', sqlDialect: 'SQLite' },
		required: true,
		default: '',
		placeholder: 'SELECT * FROM Projets WHERE department_code = ? ORDER BY id LIMIT 100',
		description: 'A single SELECT statement (Grist runs nothing else). Use ? for arguments rather than pasting values in.',
	},
	{
		displayName: 'Arguments (JSON)',
		name: 'args',
		type: 'json',
		default: '[]',
		placeholder: '["69"]',
		description: 'Values for the ? placeholders, in order',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'Grist interrupts a statement that runs longer',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['sql'], operation: ['query'] } }, properties);

/** One output item per row; values as SQLite stores them (Bool 1/0, lists as JSON text, dates as epoch seconds). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const sql = String(this.getNodeParameter('query', itemIndex, '')).trim();
		if (!sql) throw new NodeOperationError(this.getNode(), 'Write a SELECT query', { itemIndex });
		const args = parseJsonParameter<unknown[]>(this, 'args', itemIndex, { label: 'Arguments (JSON)', shape: 'array', empty: [] });
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const rows = await runSql(this, documentId(this, itemIndex), sql, args, itemIndex, options.timeout as number | undefined);
		return rows.map((row) => ({ ...((row.fields ?? row) as IDataObject) }));
	});
}
