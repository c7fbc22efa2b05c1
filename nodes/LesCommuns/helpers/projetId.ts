import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Les Communs answers 400 to a non-UUID id; say so before spending a request. */
export function projetIdForItem(context: IExecuteFunctions, itemIndex: number, parameter = 'projetId'): string {
	const id = String(context.getNodeParameter(parameter, itemIndex) ?? '').trim();
	if (!UUID.test(id)) {
		throw new NodeOperationError(context.getNode(), `Projet ID must be the Les Communs UUID of the projet, got "${id}"`, {
			itemIndex,
		});
	}
	return id;
}
