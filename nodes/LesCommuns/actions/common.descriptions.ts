import type { INodeProperties } from 'n8n-workflow';

import { PROJET_URL_PATTERN } from '../helpers/projetId';
import { PHASE_STATUTS, PROJET_PHASES } from '../helpers/projetRules';

/** Parameters shared by the projet operations: which projet, how it is given, and its optional fields. */

/** A plain UUID saved before this was a picker is read as the ID mode. */
export const projetIdField: INodeProperties = {
	displayName: 'Project',
	name: 'projetId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'Les Communs "Projet" (projetId): the projet; its ID is the UUID that Create or Update returned',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchProjets', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://<api>/projets/0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
			// The editor checks the link with the pattern the node extracts the ID with.
			validation: [{ type: 'regex', properties: { regex: PROJET_URL_PATTERN.source, errorMessage: 'The link carries no projet UUID' } }],
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$',
						errorMessage: 'A Les Communs projet ID is a UUID',
					},
				},
			],
		},
	],
};

export const inputModeField: INodeProperties = {
	displayName: 'Input',
	name: 'inputMode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Define Below',
			value: 'defineBelow',
			description: 'Fill in the projet field by field',
		},
		{
			name: 'JSON',
			value: 'json',
			description: 'Give the whole projet body as JSON, e.g. from a mapping Code node',
		},
	],
	default: 'defineBelow',
};

export function projetJsonField(placeholder: string): INodeProperties {
	return {
		displayName: 'Project (JSON)',
		name: 'projetJson',
		type: 'json',
		default: '{}',
		required: true,
		placeholder,
		description:
			'Les Communs "Projet" (projetJson): the projet as Les Communs expects it (camelCase keys). Checked before sending: unknown keys, empty collectivites, INSEE codes, phase values and the 100 kB limit.',
		displayOptions: { show: { inputMode: ['json'] } },
	};
}

export const collectivitesField: INodeProperties = {
	displayName: 'Local Authorities',
	name: 'collectivites',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Local Authority',
	default: {},
	description: 'Les Communs "Collectivités" (collectivites): the communes (INSEE code) or EPCI (SIREN) the projet belongs to; at least one',
	options: [
		{
			name: 'collectivite',
			displayName: 'Local Authority',
			values: [
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					options: [
						{ name: 'Commune', value: 'Commune' },
						{ name: 'EPCI', value: 'EPCI' },
					],
					default: 'Commune',
				},
				{
					displayName: 'Code',
					name: 'code',
					type: 'string',
					default: '',
					placeholder: '44109',
					description: 'INSEE code for a commune (5 characters, e.g. 2A004 in Corsica), SIREN for an EPCI (9 digits)',
				},
			],
		},
	],
};

const porteurField: INodeProperties = {
	displayName: 'Project Owner',
	name: 'porteur',
	type: 'fixedCollection',
	placeholder: 'Add Porteur',
	default: {},
	description: 'Les Communs "Porteur" (porteur): who carries the projet. Les Communs rewrites the whole porteur on every Create or Update.',
	options: [
		{
			name: 'details',
			displayName: 'Project Owner',
			values: [
				{
					displayName: 'Contact Email',
					name: 'referentEmail',
					description: 'Les Communs \'Référent email\' (referentEmail)',
					type: 'string',
					placeholder: 'name@email.com',
					default: '',
				},
				{
					displayName: 'Contact First Name',
					name: 'referentPrenom',
					description: 'Les Communs \'Référent prénom\' (referentPrenom)',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Contact Last Name',
					name: 'referentNom',
					description: 'Les Communs \'Référent nom\' (referentNom)',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Contact Phone',
					name: 'referentTelephone',
					description: 'Les Communs \'Référent téléphone\' (referentTelephone)',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Contact Role',
					name: 'referentFonction',
					description: 'Les Communs \'Référent fonction\' (referentFonction)',
					type: 'string',
					default: '',
				},
				{
					displayName: 'SIRET Code',
					name: 'codeSiret',
					description: 'Les Communs \'Code SIRET\' (codeSiret)',
					type: 'string',
					default: '',
				},
			],
		},
	],
};

/** Optional projet fields, in the order Les Communs documents them. */
export const optionalProjetFields: INodeProperties[] = [
	{
		displayName: 'Forecast Budget',
		name: 'budgetPrevisionnel',
		type: 'number',
		default: 0,
		description: 'Les Communs "Budget Prévisionnel" (budgetPrevisionnel): forecast budget in euros',
	},
	{
		displayName: 'Competences',
		name: 'competences',
		type: 'string',
		typeOptions: { multipleValues: true },
		default: [],
		placeholder: '90-025',
		description: 'Les Communs "Compétences" (competences): M57 competence codes. Leave them out to keep those Les Communs qualified itself.',
	},
	{
		displayName: 'Forecast Start Date',
		name: 'dateDebutPrevisionnelle',
		type: 'string',
		default: '',
		placeholder: '2024-03-01',
		description: 'Les Communs "Date Début Prévisionnelle" (dateDebutPrevisionnelle): forecast start date, YYYY-MM-DD',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
	},
	{
		displayName: 'Levers',
		name: 'leviers',
		type: 'string',
		typeOptions: { multipleValues: true },
		default: [],
		placeholder: 'Sobriété foncière',
		description: 'Les Communs "Leviers" (leviers): Leviers de la transition écologique, by their exact label',
	},
	{
		displayName: 'Phase',
		name: 'phase',
		type: 'options',
		options: PROJET_PHASES.map((phase) => ({ name: phase, value: phase })),
		default: 'Idée',
	},
	{
		displayName: 'Phase Status',
		name: 'phaseStatut',
		type: 'options',
		options: PHASE_STATUTS.map((statut) => ({ name: statut, value: statut })),
		default: 'En cours',
		description: 'Les Communs "Phase Statut" (phaseStatut): needs a phase. Les Communs sets "En cours" when a phase comes without one.',
	},
	porteurField,
	{
		displayName: 'Programme',
		name: 'programme',
		type: 'string',
		default: '',
	},
];
