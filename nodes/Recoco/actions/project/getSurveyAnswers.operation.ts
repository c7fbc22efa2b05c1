import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { requireProjectId } from '../../helpers/projectId';
import { getProjectSurvey, surveyColumnDefinitions } from '../../transport/survey';
import { projectIdProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	projectIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Column Definitions',
				name: 'includeColumnDefinitions',
				type: 'boolean',
				default: true,
				description:
					'Whether to add "columnDefinitions": one column (ID, label, Grist type) per survey question of the portal, and a _comment column for questions that are not free text. Needs an account that is staff for the portal.',
			},
			{
				displayName: 'Include Raw Answers',
				name: 'includeRawAnswers',
				type: 'boolean',
				default: false,
				description: 'Whether to add the answers as Recoco returns them under "answers"',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['project'], operation: ['getSurveyAnswers'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// The portal's questions are the same for every item: read once per execution.
	const columnDefinitions = surveyColumnDefinitions(this);
	return await executeEachItem(this, items, async (itemIndex): Promise<IDataObject> => {
		const projectId = requireProjectId(this, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const survey = await getProjectSurvey(this, projectId, itemIndex);
		return {
			projectId,
			sessionId: survey.sessionId,
			columns: survey.columns,
			...(options.includeColumnDefinitions !== false ? { columnDefinitions: await columnDefinitions(itemIndex) } : {}),
			...(options.includeRawAnswers === true ? { answers: survey.answers } : {}),
		};
	});
}
