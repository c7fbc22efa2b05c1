import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { mapRecocoProject, type MapRecocoProjectOptions } from '../../helpers/mapRecocoProject';
import { checkedProjet, projetForItem } from '../../helpers/projetInput';
import { PROJET_PHASES } from '../../helpers/projetRules';
import { lesCommunsRequest } from '../../transport/request';
import { collectivitesField, inputModeField, optionalProjetFields, projetJsonField } from '../common.descriptions';

const upsertInputModeField: INodeProperties = {
	...inputModeField,
	options: [
		...(inputModeField.options ?? []),
		{
			name: 'Recoco Project',
			value: 'recocoProject',
			description:
				'The input item is a Recoco project (Recoco node, Get Project, raw output), mapped as Recoco-sync maps it and upserted on its project ID',
		},
	],
};

const recocoOnly = { displayOptions: { show: { inputMode: ['recocoProject'] } } };

const properties: INodeProperties[] = [
	upsertInputModeField,
	{
		displayName:
			'A project without a commune INSEE code is not sent (Les Communs needs a collectivité): its output item says skipped: true and why',
		name: 'recocoNotice',
		type: 'notice',
		default: '',
		...recocoOnly,
	},
	{
		displayName: 'Porteur From',
		name: 'porteurFrom',
		type: 'options',
		options: [
			{ name: 'First Advisor', value: 'firstAdvisor', description: "The project's first advisor, as Recoco-sync did" },
			{ name: 'None', value: 'none', description: 'Send no porteur' },
			{ name: 'Owner', value: 'owner', description: 'The person who filed the project' },
		],
		default: 'firstAdvisor',
		description: 'Who becomes the porteur of the projet',
		...recocoOnly,
	},
	{
		displayName: 'Phase',
		name: 'phase',
		type: 'options',
		options: PROJET_PHASES.map((phase) => ({ name: phase, value: phase })),
		default: 'Idée',
		description: 'Recoco has no phase: Recoco-sync always sent the first one',
		...recocoOnly,
	},
	projetJsonField('{ "nom": "...", "externalId": "42", "collectivites": [{ "type": "Commune", "code": "44109" }] }'),
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '42',
		description: 'Your own ID for the projet (with a Recoco key: the Recoco project ID). Les Communs upserts on it.',
		displayOptions: { show: { inputMode: ['defineBelow'] } },
	},
	{
		displayName: 'Name',
		name: 'nom',
		type: 'string',
		required: true,
		default: '',
		description: 'Les Communs "Nom" (nom): Name of the projet',
		displayOptions: { show: { inputMode: ['defineBelow'] } },
	},
	{
		...collectivitesField,
		displayOptions: { show: { inputMode: ['defineBelow'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: optionalProjetFields,
		displayOptions: { show: { inputMode: ['defineBelow'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['project'], operation: ['upsert'] } },
	properties,
);

/**
 * Recoco project → Les Communs projet (helpers/mapRecocoProject). A project without a commune is an output item that
 * says it was skipped, not an error: Recoco holds such projects and the run goes on. An item that is not a Recoco
 * project at all is an error.
 */
function projetFromRecoco(context: IExecuteFunctions, itemIndex: number, project: unknown): IDataObject {
	const options: MapRecocoProjectOptions = {
		porteurFrom: context.getNodeParameter('porteurFrom', itemIndex, 'firstAdvisor') as MapRecocoProjectOptions['porteurFrom'],
		phase: context.getNodeParameter('phase', itemIndex, 'Idée') as string,
	};
	const mapped = mapRecocoProject(project, options);
	if (!mapped.skipped) return { projet: checkedProjet(context, itemIndex, mapped.projet, 'create') };
	if (mapped.reason === 'no commune') {
		return { skipped: true, externalId: mapped.externalId, reason: mapped.reason, message: mapped.message };
	}
	throw new NodeOperationError(context.getNode(), `${mapped.message}: Input "Recoco Project" needs a Recoco project with its id`, {
		itemIndex,
	});
}

async function upsertProjet(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<IDataObject> {
	const fromRecoco = this.getNodeParameter('inputMode', itemIndex) === 'recocoProject';
	let projet: IDataObject;
	if (fromRecoco) {
		const mapped = projetFromRecoco(this, itemIndex, item.json);
		if (mapped.skipped === true) return mapped;
		projet = mapped.projet as IDataObject;
	} else {
		projet = projetForItem(this, itemIndex, 'create', () => ({
			externalId: this.getNodeParameter('externalId', itemIndex),
			nom: this.getNodeParameter('nom', itemIndex),
			collectivites: this.getNodeParameter('collectivites', itemIndex, {}),
			...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
		}));
	}
	const response = await lesCommunsRequest<IDataObject>(this, {
		method: 'POST',
		path: '/projets',
		body: projet,
		itemIndex,
		// POST /projets is an upsert on externalId (INSERT … ON CONFLICT DO UPDATE, ADR API_CREATE): sending it twice
		// leaves one projet with the same content, so a lost reply or a 429 may safely be retried.
		idempotent: true,
	});
	if (typeof response?.id !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Les Communs answered without a projet id', { itemIndex });
	}
	return { id: response.id, externalId: projet.externalId, ...(fromRecoco ? { skipped: false } : {}) };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex, item) => await upsertProjet.call(this, itemIndex, item));
}
