import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { projectColumns } from '../../helpers/projectColumns';
import { recocoPaginate } from '../../transport';
import { limitProperty, outputFormatProperty, returnAllProperty } from '../common.descriptions';

const PROJECT_STATUSES = ['PRE_DRAFT', 'DRAFT', 'TO_PROCESS', 'READY', 'IN_PROGRESS', 'DONE', 'STUCK', 'REJECTED'];

const properties: INodeProperties[] = [
	returnAllProperty,
	limitProperty,
	outputFormatProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Departments',
				name: 'departments',
				type: 'string',
				default: '',
				placeholder: 'e.g. 44,85',
				description: 'Comma-separated department codes',
			},
			{
				displayName: 'Last Activity (Days)',
				name: 'lastActivity',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: 'Only projects active within this many days',
			},
			{
				displayName: 'My Projects Only',
				name: 'myProjects',
				type: 'boolean',
				default: false,
				description: 'Whether to return only the projects the account follows',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Text to look for in the projects',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				// Shown in title case ("Pre Draft"), sent as Recoco's value ("PRE_DRAFT").
				options: PROJECT_STATUSES.map((status) => ({
					name: status
						.split('_')
						.map((word) => word.charAt(0) + word.slice(1).toLowerCase())
						.join(' '),
					value: status,
				})),
				default: [],
				description: 'The project status on this portal',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'e.g. les-communs,friche',
				description: 'Comma-separated tags',
			},
			{
				displayName: 'With Deleted',
				name: 'withDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to include deleted projects (needs the permission to delete projects)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['project'], operation: ['getMany'] } }, properties);

function splitList(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/** The query Recoco's ProjectList reads: tags=a,b, search, departments and status repeated, last_activity (days), my_projects, with-deleted. */
export function projectListQuery(filters: IDataObject): IDataObject {
	const qs: IDataObject = {};
	const tags = splitList(filters.tags);
	if (tags.length) qs.tags = tags.join(',');
	if (typeof filters.search === 'string' && filters.search.trim()) qs.search = filters.search.trim();
	const departments = splitList(filters.departments);
	if (departments.length) qs.departments = departments;
	if (Array.isArray(filters.status) && filters.status.length) qs.status = filters.status;
	if (typeof filters.lastActivity === 'number' && filters.lastActivity > 0) qs.last_activity = filters.lastActivity;
	if (filters.myProjects === true) qs.my_projects = 1;
	if (filters.withDeleted === true) qs['with-deleted'] = 1;
	return qs;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const outputFormat = this.getNodeParameter('outputFormat', itemIndex, 'raw') as string;
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;

		const projects = await recocoPaginate(this, '/projects/', {
			qs: projectListQuery(filters),
			maxResults: limit,
			// Recoco allows up to 1000 projects per page.
			pageSize: 500,
			itemIndex,
		});
		return outputFormat === 'columns' ? projects.map(projectColumns) : projects;
	});
}
