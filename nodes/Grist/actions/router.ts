import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as column from './column/Column.resource';
import * as record from './record/Record.resource';
import * as sql from './sql/Sql.resource';
import * as table from './table/Table.resource';

type OperationModule = { execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, OperationModule>> = {
	record: { create: record.create, delete: record.delete, getMany: record.getMany, update: record.update, upsert: record.upsert },
	table: { create: table.create, getMany: table.getMany },
	column: { create: column.create, ensure: column.ensure, getMany: column.getMany, update: column.update },
	sql: { query: sql.query },
};

/**
 * Every operation receives all input items at once, so the bulk ones (Create, Update, Delete, Upsert)
 * can batch them, and pairs each output with its input item itself.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await handler.execute.call(this, items)];
}
