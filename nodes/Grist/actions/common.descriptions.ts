import type { INodeProperties } from 'n8n-workflow';

export const documentLocator: INodeProperties = {
	displayName: 'Document',
	name: 'documentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Grist document',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchDocuments', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://docs.getgrist.com/hQHXqAQXceeQ/Projets',
			extractValue: { type: 'regex', regex: 'https?://[^/]+(?:/o/[^/]+)?/(?:doc/)?([A-Za-z0-9_-]{8,})' },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https?://[^/]+(?:/o/[^/]+)?/(?:doc/)?[A-Za-z0-9_-]{8,}.*',
						errorMessage: 'Not a Grist document URL',
					},
				},
			],
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'hQHXqAQXceeQ',
			hint: 'The document ID from its URL or from Settings → API',
		},
	],
};

export const tableLocator: INodeProperties = {
	displayName: 'Table',
	name: 'tableId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The table, by its ID (as in formulas), not its page name',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTables', searchable: true },
		},
		{ displayName: 'ID', name: 'id', type: 'string', placeholder: 'Projets' },
	],
};

/**
 * Shared by Create, Update and Upsert: the columns as n8n's resource mapper (as Airtable and Postgres have),
 * mapped automatically from the input's field names or set one by one. Its values are read at run time, not
 * checked against the loaded columns, so a document or table given by an expression needs no lookup in the
 * editor; Upsert's columns to match on are Grist's `require` columns.
 */
export function dataFields(
	show: { resource: string[]; operation: string[] },
	mode: 'add' | 'update' | 'upsert',
): INodeProperties[] {
	return [
		{
			displayName: 'Columns',
			name: 'columns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'autoMapInputData', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['documentId.value', 'tableId.value'],
				resourceMapper: {
					resourceMapperMethod: 'getMappingColumns',
					mode,
					fieldWords: { singular: 'column', plural: 'columns' },
					addAllFields: true,
					multiKeyMatch: true,
					supportAutoMap: true,
					...(mode === 'upsert'
						? {
								matchingFieldsLabels: {
									title: 'Require Columns',
									description:
										'Columns that identify a row (e.g. object_id), sent as Grist\'s "require": a row with these values is updated, or added if none exists. Values are converted to each column\'s type first.',
								},
							}
						: {}),
				},
			},
			displayOptions: { show },
		},
		{
			displayName: 'Inputs to Ignore',
			name: 'inputsToIgnore',
			type: 'string',
			displayOptions: { show },
			default: '',
			description: 'Comma-separated input fields not to send when the columns are mapped automatically',
			placeholder: 'comment, _attachment',
		},
	];
}

export const columnTypeOptions = [
	{ name: 'Any', value: 'Any' },
	{ name: 'Attachments', value: 'Attachments' },
	{ name: 'Choice', value: 'Choice' },
	{ name: 'Choice List', value: 'ChoiceList' },
	{ name: 'Date', value: 'Date' },
	{ name: 'Date Time', value: 'DateTime' },
	{ name: 'Integer', value: 'Int' },
	{ name: 'Numeric', value: 'Numeric' },
	{ name: 'Text', value: 'Text' },
	{ name: 'Toggle (Bool)', value: 'Bool' },
];

const typeOfNewColumn: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: columnTypeOptions,
	default: 'Text',
	description: 'For a time zone or a referenced table, use Column Spec (JSON), e.g. "DateTime:Europe/Paris" or "Ref:Projets"',
};

const typeToKeepOrChange: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: [{ name: 'Keep Current Type', value: '' }, ...columnTypeOptions],
	default: '',
	description: 'For a time zone or a referenced table, use Column Spec (JSON), e.g. "DateTime:Europe/Paris" or "Ref:Projets"',
};

/** Columns typed in one by one; Ensure and Table Create also accept a JSON spec from an expression. */
export function columnList(show: Record<string, string[]>, forUpdate = false): INodeProperties {
	return {
		displayName: 'Columns',
		name: 'columnsUi',
		type: 'fixedCollection',
		typeOptions: { multipleValueButtonText: 'Add Column', multipleValues: true },
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Column',
				name: 'column',
				values: [
					{ displayName: 'Column ID', name: 'id', type: 'string', default: '', placeholder: 'object_id' },
					{ displayName: 'Label', name: 'label', type: 'string', default: '', placeholder: 'ID' },
					forUpdate ? typeToKeepOrChange : typeOfNewColumn,
				],
			},
		],
	};
}

/** Where a column list comes from: typed below, or JSON (e.g. built by an earlier node from survey questions). */
export function columnSpecFields(show: { resource: string[]; operation: string[] }, forUpdate = false): INodeProperties[] {
	return [
		{
			displayName: 'Columns From',
			name: 'columnSource',
			type: 'options',
			options: [
				{ name: 'List Below', value: 'list' },
				{
					name: 'Column Spec (JSON)',
					value: 'json',
					description: 'An array of {ID, label, type} or an object {colId: {label, type}}',
				},
			],
			displayOptions: { show },
			default: 'list',
		},
		columnList({ ...show, columnSource: ['list'] }, forUpdate),
		{
			displayName: 'Column Spec (JSON)',
			name: 'columnsJson',
			type: 'json',
			displayOptions: { show: { ...show, columnSource: ['json'] } },
			default: '[{"id": "object_id", "label": "ID", "type": "Int"}]',
			description: 'Other column fields (formula, widgetOptions, …) are passed through as Grist reads them',
		},
	];
}
