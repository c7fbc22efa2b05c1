import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { bitrix24Request } from '../../transport/request';
import { rateSettings } from '../common.descriptions';
import { asNodeError } from '../nodeErrors';
import { listAddress, targetProperties, type RecordEntity } from './recordTarget';

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['delete'] } },
	targetProperties('delete'),
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, this.getInputData(), async (itemIndex) => {
		const entity = this.getNodeParameter('entity', itemIndex) as RecordEntity;
		const options = { itemIndex, idempotent: true, rate: rateSettings(this, itemIndex) };
		try {
			if (entity === 'crmItem') {
				const entityTypeId = this.getNodeParameter('entityTypeId', itemIndex) as number;
				const id = String(this.getNodeParameter('itemId', itemIndex)).trim();
				await bitrix24Request(this, 'crm.item.delete', { entityTypeId, id }, options);
				return { id, entityTypeId, deleted: true };
			}
			const elementId = String(this.getNodeParameter('elementId', itemIndex)).trim();
			await bitrix24Request(this, 'lists.element.delete', { ...listAddress(this, itemIndex), ELEMENT_ID: elementId }, options);
			return { ID: elementId, deleted: true };
		} catch (error) {
			throw asNodeError(this, error, itemIndex);
		}
	});
}
