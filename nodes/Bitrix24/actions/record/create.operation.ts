import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { bitrix24Request } from '../../transport/request';
import { rateSettings } from '../common.descriptions';
import { asNodeError } from '../nodeErrors';
import { fieldsParameter, listAddress, targetProperties, type RecordEntity } from './recordTarget';

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['create'] } },
	targetProperties('create'),
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, this.getInputData(), async (itemIndex) => {
		const entity = this.getNodeParameter('entity', itemIndex) as RecordEntity;
		// An `add` whose answer was lost may have been applied, so it is never retried (idempotent: false).
		const options = { itemIndex, idempotent: false, rate: rateSettings(this, itemIndex) };
		try {
			if (entity === 'crmItem') {
				const body = await bitrix24Request(
					this,
					'crm.item.add',
					{
						entityTypeId: this.getNodeParameter('entityTypeId', itemIndex) as number,
						fields: fieldsParameter(this, 'fields', itemIndex),
					},
					options,
				);
				return ((body.result as IDataObject | undefined)?.item as IDataObject) ?? {};
			}
			const code = String(this.getNodeParameter('elementCode', itemIndex)).trim();
			const body = await bitrix24Request(
				this,
				'lists.element.add',
				{ ...listAddress(this, itemIndex), ELEMENT_CODE: code, FIELDS: fieldsParameter(this, 'elementFields', itemIndex) },
				options,
			);
			return { ID: String(body.result), CODE: code };
		} catch (error) {
			throw asNodeError(this, error, itemIndex);
		}
	});
}
