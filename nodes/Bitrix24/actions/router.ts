import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type OperationTable } from '../../common/router';
import * as method from './method/Method.resource';
import * as record from './record/Record.resource';

const operations: OperationTable = {
	method: { call: method.call },
	record: { getMany: record.getMany, create: record.create, update: record.update, delete: record.delete, upsert: record.upsert },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
