import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { projetForItem } from '../../helpers/projetInput';
import { lesCommunsRequest } from '../../transport/request';
import { collectivitesField, inputModeField, optionalProjetFields, projetJsonField } from '../common.descriptions';

const properties: INodeProperties[] = [
	inputModeField,
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

async function upsertProjet(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const projet = projetForItem(this, itemIndex, 'create', () => ({
		externalId: this.getNodeParameter('externalId', itemIndex),
		nom: this.getNodeParameter('nom', itemIndex),
		collectivites: this.getNodeParameter('collectivites', itemIndex, {}),
		...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	}));
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
	return { id: response.id, externalId: projet.externalId };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => await upsertProjet.call(this, itemIndex));
}
