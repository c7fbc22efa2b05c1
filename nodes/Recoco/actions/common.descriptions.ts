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

/** The writable fields of a Recoco resource add-on, shared by Create and Update. */
export const addonFieldProperties: INodeProperties[] = [
	{
		displayName: 'Recommendation ID',
		name: 'recommendation',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 345',
		description: 'ID of the recommendation (task) the add-on belongs to; its resource must be on this portal',
	},
	{
		displayName: 'Nature',
		name: 'nature',
		type: 'string',
		required: true,
		default: 'lescommuns',
		description: 'Kind of add-on, e.g. lescommuns',
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'json',
		default: '[]',
		description: 'JSON content of the add-on, e.g. the list of Les Communs services',
	},
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether the add-on is shown on the portal',
	},
];

export { limitProperty, returnAllProperty } from '../../common/descriptions';
