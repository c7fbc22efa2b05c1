import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getSurveyAnswers from './getSurveyAnswers.operation';

export { get, getMany, getSurveyAnswers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['project'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a project',
				description: 'Get one project by ID',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many projects',
				description: 'List the projects the account can see',
			},
			{
				name: 'Get Survey Answers',
				value: 'getSurveyAnswers',
				action: 'Get the survey answers of a project',
				description: "Get a project's survey answers, flattened into columns",
			},
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
	...getSurveyAnswers.description,
];
