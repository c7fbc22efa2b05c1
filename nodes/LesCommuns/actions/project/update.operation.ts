import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { projetIdForItem } from '../../helpers/projetId';
import { projetForItem } from '../../helpers/projetInput';
import { lesCommunsRequest } from '../../transport/request';
import {
	collectivitesField,
	inputModeField,
	optionalProjetFields,
	projetIdField,
	projetJsonField,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	projetIdField,
	inputModeField,
	projetJsonField('{ "phase": "Étude", "phaseStatut": "En cours" }'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		// The same fields as Create or Update, every one optional here, in the alphabetical order n8n lists them in.
		options: (
			[
				collectivitesField,
				{
					displayName: 'External ID',
					name: 'externalId',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Name',
					name: 'nom',
					description: 'Les Communs "Nom" (nom)',
					type: 'string',
					default: '',
				},
				...optionalProjetFields,
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		displayOptions: { show: { inputMode: ['defineBelow'] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['project'], operation: ['update'] } }, properties);

async function updateProjet(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = projetIdForItem(this, itemIndex);
	const projet = projetForItem(
		this,
		itemIndex,
		'update',
		() => this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
	);
	const response = await lesCommunsRequest<IDataObject>(this, {
		method: 'PATCH',
		path: `/projets/${encodeURIComponent(id)}`,
		body: projet,
		itemIndex,
		// A PATCH sets the given fields to fixed values and creates nothing: sending it twice changes nothing more.
		idempotent: true,
	});
	return { id: response?.id ?? id };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => await updateProjet.call(this, itemIndex));
}
