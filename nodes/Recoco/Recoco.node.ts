import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as project from './actions/project/Project.resource';
import * as resourceAddon from './actions/resourceAddon/ResourceAddon.resource';
import { router } from './actions/router';
import { searchProjects } from './methods/listSearch';

export class Recoco implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recoco',
		name: 'recoco',
		icon: {
			light: 'file:../../icons/recoco.svg',
			dark: 'file:../../icons/recoco.dark.svg',
		},
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"project:get":"Get a project","project:getMany":"Get many projects","project:getSurveyAnswers":"Get the survey answers of a project","resourceAddon:create":"Create an addon to a resource","resourceAddon:getMany":"Get many addons of resources","resourceAddon:update":"Update an addon of a resource"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Read projects and survey answers, and write resource add-ons, on a Recoco portal',
		defaults: { name: 'Recoco' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'recocoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Project', value: 'project' },
					{ name: 'Resource Add-On', value: 'resourceAddon' },
				],
				default: 'project',
			},
			...project.description,
			...resourceAddon.description,
		],
	};

	methods = {
		listSearch: { searchProjects },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
