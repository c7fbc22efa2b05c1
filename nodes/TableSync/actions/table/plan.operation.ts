import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { planWrites, type CurrentRow, type FetchedRecord } from '../../helpers/planWrites';
import { pairedIndex } from '../../helpers/writeResults';
import { readTables } from './prepare.operation';
import { paired, secondInput, sourcePairing } from '../../helpers/streams';

const properties: INodeProperties[] = [
	{
		displayName: 'Config',
		name: 'config',
		type: 'json',
		default: '',
		required: true,
		description:
			'The same config Prepare Tables got (e.g. an expression reading the config node). Records on input 1 are matched to its tables by the item they are paired to.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['table'], operation: ['plan'] } }, properties);

/**
 * Input 1: the fetched records, each paired to the Prepare Tables item (table) it was fetched for; a failed
 * fetch is an item holding only `error`. Input 2: the tables' current rows from Prepare Tables' `readSql`.
 * Output: the writes for n8n's MySQL node (query `sql`, replacement `rows`), then one report per table.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const tables = readTables(this, 0);
	const pairing = sourcePairing(this, 0, items);
	const records: FetchedRecord[] = items.map((entry, item) => {
		const table = pairedIndex(pairing[item]);
		if (table === undefined || table >= tables.length) {
			throw new NodeOperationError(
				this.getNode(),
				`Record ${item} is not paired to one of the ${tables.length} tables (paired to ${JSON.stringify(pairing[item] ?? null)}): connect the fetch node right after Prepare Tables (item ${item})`,
				{ itemIndex: item },
			);
		}
		return { table, json: entry.json as Record<string, unknown>, item };
	});
	const rows: CurrentRow[] = secondInput(this).map((entry, item) => ({ json: entry.json as Record<string, unknown>, item }));
	const { writes, reports } = planWrites(tables, records, rows);
	return [...writes, ...reports].map(({ json, sources }) => ({
		json: json as unknown as INodeExecutionData['json'],
		pairedItem: paired(sources),
	}));
}
