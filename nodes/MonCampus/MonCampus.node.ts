import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as course from './actions/course/Course.resource';
import { router } from './actions/router';

export class MonCampus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MonCampus',
		name: 'monCampus',
		icon: {
			light: 'file:../../icons/moncampus.svg',
			dark: 'file:../../icons/moncampus.dark.svg',
		},
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"course:getMany":"Get many courses"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Read a MonCampus (Wigor) timetable: one item per course, logged in through the school CAS',
		defaults: { name: 'MonCampus' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'monCampusApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Course', value: 'course' }],
				default: 'course',
			},
			...course.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
