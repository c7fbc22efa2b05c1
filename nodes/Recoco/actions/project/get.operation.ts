import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { projectColumns } from '../../helpers/projectColumns';
import { requireProjectId } from '../../helpers/projectId';
import { recocoRequest } from '../../transport';
import { getProjectSurvey } from '../../transport/survey';
import { outputFormatProperty, projectIdProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	projectIdProperty,
	outputFormatProperty,
	{
		displayName: 'Include Survey Answers',
		name: 'includeSurveyAnswers',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the project\'s survey answers as columns (Recoco-sync\'s flattening). With Flat Columns they are merged into the record; otherwise they go under "surveyColumns".',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['project'], operation: ['get'] } }, properties);

async function getProject(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const projectId = requireProjectId(this, itemIndex);
	const outputFormat = this.getNodeParameter('outputFormat', itemIndex, 'raw') as string;
	const includeSurveyAnswers = this.getNodeParameter('includeSurveyAnswers', itemIndex, false) as boolean;

	const project = await recocoRequest(this, {
		method: 'GET',
		path: `/projects/${projectId}/`,
		itemIndex,
	});
	const survey = includeSurveyAnswers ? await getProjectSurvey(this, projectId, itemIndex) : undefined;

	if (outputFormat === 'columns') return { ...projectColumns(project), ...(survey?.columns ?? {}) };
	return survey
		? {
				...project,
				surveySessionId: survey.sessionId,
				surveyColumns: survey.columns,
			}
		: project;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => await getProject.call(this, itemIndex));
}
