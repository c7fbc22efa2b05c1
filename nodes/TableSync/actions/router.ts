import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type OperationTable } from '../../common/router';
import * as table from './table/Table.resource';

export const operations: OperationTable = {
	table: { prepare: table.prepare, plan: table.plan, retryRefused: table.retryRefused, summarize: table.summarize },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
