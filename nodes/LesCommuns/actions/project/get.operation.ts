import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { lesCommunsRequest } from '../../transport/request';
import { projetIdField, projetIdForItem } from './projetId';

export const description = updateDisplayOptions({ show: { resource: ['project'], operation: ['get'] } }, [
	projetIdField,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = projetIdForItem(this, itemIndex);
	return await lesCommunsRequest<IDataObject>(this, {
		method: 'GET',
		path: `/projets/${encodeURIComponent(id)}`,
		itemIndex,
	});
}
