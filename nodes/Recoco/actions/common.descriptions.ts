import type { INodeProperties } from 'n8n-workflow';

export const projectIdProperty: INodeProperties = {
	displayName: 'Project ID',
	name: 'projectId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 42',
	description: 'The Recoco project ID, or a link to the project on the portal',
};

export const outputFormatProperty: INodeProperties = {
	displayName: 'Output Format',
	name: 'outputFormat',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Recoco Project',
			value: 'raw',
			description: 'The project as the Recoco API returns it',
		},
		{
			name: 'Flat Columns',
			value: 'columns',
			description:
				'One flat record per project, with the column names Recoco-sync uses for Grist (object_id, name, city, insee, tags…)',
		},
	],
	default: 'raw',
};

export { limitProperty, returnAllProperty } from '../../common/descriptions';
