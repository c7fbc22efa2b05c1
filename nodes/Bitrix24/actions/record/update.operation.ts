import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { bitrix24Request } from '../../transport/request';
import { rateSettings } from '../common.descriptions';
import { asNodeError } from '../nodeErrors';
import { fieldsParameter, listAddress, targetProperties, type RecordEntity } from './recordTarget';

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['update'] } },
	targetProperties('update'),
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, this.getInputData(), async (itemIndex) => {
		const entity = this.getNodeParameter('entity', itemIndex) as RecordEntity;
		// An update writes a fixed state, so sending it twice is harmless.
		const options = { itemIndex, idempotent: true, rate: rateSettings(this, itemIndex) };
		try {
			if (entity === 'crmItem') {
				const body = await bitrix24Request(
					this,
					'crm.item.update',
					{
						entityTypeId: this.getNodeParameter('entityTypeId', itemIndex) as number,
						id: String(this.getNodeParameter('itemId', itemIndex)).trim(),
						fields: fieldsParameter(this, 'fields', itemIndex),
					},
					options,
				);
				return ((body.result as IDataObject | undefined)?.item as IDataObject) ?? {};
			}
			const elementId = String(this.getNodeParameter('elementId', itemIndex)).trim();
			await bitrix24Request(
				this,
				'lists.element.update',
				{ ...listAddress(this, itemIndex), ELEMENT_ID: elementId, FIELDS: fieldsParameter(this, 'elementFields', itemIndex) },
				options,
			);
			return { ID: elementId, updated: true };
		} catch (error) {
			throw asNodeError(this, error, itemIndex);
		}
	});
}
