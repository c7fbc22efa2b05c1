import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as project from './actions/project/Project.resource';
import { router } from './actions/router';
import * as service from './actions/service/Service.resource';
import { searchProjets } from './methods/listSearch';

export class LesCommuns implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Les Communs',
		name: 'lesCommuns',
		icon: {
			light: 'file:../../icons/lescommuns.svg',
			dark: 'file:../../icons/lescommuns.dark.svg',
		},
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"project:upsert":"Create or update a projet","project:get":"Get a projet","project:update":"Update a projet","service:getMany":"Get many services for a projet"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description:
			'Push projets to Les communs de la transition écologique des collectivités and read the services it matches to them',
		defaults: { name: 'Les Communs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lesCommunsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Project', value: 'project' },
					{ name: 'Service', value: 'service' },
				],
				default: 'project',
			},
			...project.description,
			...service.description,
		],
	};

	methods = {
		listSearch: { searchProjets },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
