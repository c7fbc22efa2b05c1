import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type OperationTable } from '../../common/router';
import * as project from './project/Project.resource';
import * as service from './service/Service.resource';

const operations: OperationTable = {
	project: {
		get: project.get,
		update: project.update,
		upsert: project.upsert,
	},
	service: {
		getMany: service.getMany,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
