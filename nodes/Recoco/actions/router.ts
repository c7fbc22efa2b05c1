import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../common/executeEachItem';
import { surveyColumnDefinitions } from '../transport/survey';
import * as project from './project/Project.resource';
import * as resourceAddon from './resourceAddon/ResourceAddon.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const columnDefinitions = surveyColumnDefinitions(this);
	const output = await executeEachItem(this, this.getInputData(), async (itemIndex): Promise<IDataObject | IDataObject[]> => {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		switch (`${resource}:${operation}`) {
			case 'project:get':
				return await project.get.execute.call(this, itemIndex);
			case 'project:getMany':
				return await project.getMany.execute.call(this, itemIndex);
			case 'project:getSurveyAnswers':
				return await project.getSurveyAnswers.execute.call(this, itemIndex, columnDefinitions);
			case 'resourceAddon:getMany':
				return await resourceAddon.getMany.execute.call(this, itemIndex);
			case 'resourceAddon:create':
				return await resourceAddon.create.execute.call(this, itemIndex);
			case 'resourceAddon:update':
				return await resourceAddon.update.execute.call(this, itemIndex);
			default:
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
					itemIndex,
				});
		}
	});
	return [output];
}
