import type { INodeProperties } from 'n8n-workflow';

import { PROJECT_URL_PATTERN } from '../helpers/projectId';

/** A plain ID or link saved before this was a picker is read as the ID mode. */
export const projectIdProperty: INodeProperties = {
	displayName: 'Project',
	name: 'projectId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The Recoco project',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchProjects', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://recoconseil.fr/project/42/overview',
			// The editor checks the link with the pattern the node extracts the ID with.
			validation: [{ type: 'regex', properties: { regex: PROJECT_URL_PATTERN.source, errorMessage: 'Not a link to a Recoco project' } }],
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 42',
		},
	],
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
