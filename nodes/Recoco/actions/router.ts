import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type OperationTable } from '../../common/router';
import * as project from './project/Project.resource';
import * as resourceAddon from './resourceAddon/ResourceAddon.resource';

const operations: OperationTable = {
	project: {
		get: project.get,
		getMany: project.getMany,
		getSurveyAnswers: project.getSurveyAnswers,
	},
	resourceAddon: {
		create: resourceAddon.create,
		getMany: resourceAddon.getMany,
		update: resourceAddon.update,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
