import type { INodeProperties } from 'n8n-workflow';

import { PHASE_STATUTS, PROJET_PHASES } from '../helpers/projetRules';

/** Parameters shared by the projet operations: which projet, how it is given, and its optional fields. */

export const projetIdField: INodeProperties = {
	displayName: 'Projet ID',
	name: 'projetId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
	description: 'The Les Communs ID (a UUID) that Create or Update returned',
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
		displayName: 'Projet (JSON)',
		name: 'projetJson',
		type: 'json',
		default: '{}',
		required: true,
		placeholder,
		description:
			'The projet as Les Communs expects it (camelCase keys). Checked before sending: unknown keys, empty collectivites, INSEE codes, phase values and the 100 kB limit.',
		displayOptions: { show: { inputMode: ['json'] } },
	};
}

export const collectivitesField: INodeProperties = {
	displayName: 'Collectivités',
	name: 'collectivites',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Collectivité',
	default: {},
	description: 'The communes (INSEE code) or EPCI (SIREN) the projet belongs to; at least one',
	options: [
		{
			name: 'collectivite',
			displayName: 'Collectivité',
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
	displayName: 'Porteur',
	name: 'porteur',
	type: 'fixedCollection',
	placeholder: 'Add Porteur',
	default: {},
	description: 'Who carries the projet. Les Communs rewrites the whole porteur on every Create or Update.',
	options: [
		{
			name: 'details',
			displayName: 'Porteur',
			values: [
				{
					displayName: 'Code SIRET',
					name: 'codeSiret',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Referent Email',
					name: 'referentEmail',
					type: 'string',
					placeholder: 'name@email.com',
					default: '',
				},
				{
					displayName: 'Referent Fonction',
					name: 'referentFonction',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Referent Nom',
					name: 'referentNom',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Referent Prénom',
					name: 'referentPrenom',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Referent Téléphone',
					name: 'referentTelephone',
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
		displayName: 'Budget Prévisionnel',
		name: 'budgetPrevisionnel',
		type: 'number',
		default: 0,
		description: 'Forecast budget in euros',
	},
	{
		displayName: 'Compétences',
		name: 'competences',
		type: 'string',
		typeOptions: { multipleValues: true },
		default: [],
		placeholder: '90-025',
		description: 'M57 competence codes. Leave them out to keep those Les Communs qualified itself.',
	},
	{
		displayName: 'Date Début Prévisionnelle',
		name: 'dateDebutPrevisionnelle',
		type: 'string',
		default: '',
		placeholder: '2024-03-01',
		description: 'Forecast start date, YYYY-MM-DD',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
	},
	{
		displayName: 'Leviers',
		name: 'leviers',
		type: 'string',
		typeOptions: { multipleValues: true },
		default: [],
		placeholder: 'Sobriété foncière',
		description: 'Leviers de la transition écologique, by their exact label',
	},
	{
		displayName: 'Phase',
		name: 'phase',
		type: 'options',
		options: PROJET_PHASES.map((phase) => ({ name: phase, value: phase })),
		default: 'Idée',
	},
	{
		displayName: 'Phase Statut',
		name: 'phaseStatut',
		type: 'options',
		options: PHASE_STATUTS.map((statut) => ({ name: statut, value: statut })),
		default: 'En cours',
		description: 'Needs a phase. Les Communs sets "En cours" when a phase comes without one.',
	},
	porteurField,
	{
		displayName: 'Programme',
		name: 'programme',
		type: 'string',
		default: '',
	},
];
