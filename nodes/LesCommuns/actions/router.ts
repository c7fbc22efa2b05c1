import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../common/executeEachItem';
import * as project from './project/Project.resource';
import * as service from './service/Service.resource';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, Operation>> = {
	project: {
		createOrUpdate: project.createOrUpdate.execute,
		get: project.get.execute,
		update: project.update.execute,
	},
	service: {
		getMany: service.getMany.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await executeEachItem(this, this.getInputData(), async (itemIndex) => await run.call(this, itemIndex))];
}
