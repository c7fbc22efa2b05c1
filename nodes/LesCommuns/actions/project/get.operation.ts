import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { projetIdForItem } from '../../helpers/projetId';
import { lesCommunsRequest } from '../../transport/request';
import { projetIdField } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['project'], operation: ['get'] } }, [
	projetIdField,
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const id = projetIdForItem(this, itemIndex);
		return await lesCommunsRequest<IDataObject>(this, {
			method: 'GET',
			path: `/projets/${encodeURIComponent(id)}`,
			itemIndex,
		});
	});
}
