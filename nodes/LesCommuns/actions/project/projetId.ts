import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

export const projetIdField: INodeProperties = {
	displayName: 'Projet ID',
	name: 'projetId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
	description: 'The Les Communs ID (a UUID) that Create or Update returned',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Les Communs answers 400 to a non-UUID id; say so before spending a request. */
export function projetIdForItem(context: IExecuteFunctions, itemIndex: number, parameter = 'projetId'): string {
	const id = String(context.getNodeParameter(parameter, itemIndex) ?? '').trim();
	if (!UUID.test(id)) {
		throw new NodeOperationError(
			context.getNode(),
			`Projet ID must be the Les Communs UUID of the projet, got "${id}" (item ${itemIndex})`,
			{ itemIndex },
		);
	}
	return id;
}
