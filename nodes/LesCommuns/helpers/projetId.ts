import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { locatorIdFor } from '../../common/resourceLocator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any link that carries the projet's UUID: the API's `/projets/<uuid>`, or a page of a platform that shows it. */
export const PROJET_URL_PATTERN = /^https?:\/\/[^/]+\/.*?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;

/** Les Communs answers 400 to a non-UUID id; say so before spending a request. */
export function projetIdForItem(context: IExecuteFunctions, itemIndex: number, parameter = 'projetId'): string {
	const id = locatorIdFor(context, parameter, itemIndex, {
		label: 'Projet',
		urlPattern: PROJET_URL_PATTERN,
		urlExample: 'https://<api>/projets/0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
	});
	if (!UUID.test(id)) {
		throw new NodeOperationError(context.getNode(), `Projet ID must be the Les Communs UUID of the projet, got "${id}"`, {
			itemIndex,
		});
	}
	return id;
}
