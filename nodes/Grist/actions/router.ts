import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type OperationTable } from '../../common/router';
import * as column from './column/Column.resource';
import * as record from './record/Record.resource';
import * as sql from './sql/Sql.resource';
import * as table from './table/Table.resource';

const operations: OperationTable = {
	record: { create: record.create, delete: record.delete, getMany: record.getMany, update: record.update, upsert: record.upsert },
	table: { create: table.create, getMany: table.getMany },
	column: { create: column.create, ensure: column.ensure, getMany: column.getMany, update: column.update },
	sql: { query: sql.query },
};

/** Every operation receives all input items at once, so the bulk ones (Create, Update, Delete, Upsert) can batch them. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
