import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { crmItemAddress, listAddress, targetProperties } from '../../helpers/recordTarget';
import { executeRecordWrite } from '../../helpers/recordWrite';

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['delete'] } },
	targetProperties('delete'),
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeRecordWrite(this, items, {
		idempotent: true,
		// A retry after a lost answer that finds the record gone: the first attempt deleted it.
		doneOnRetry: ['NOT_FOUND', 'ERROR_ELEMENT_NOT_FOUND'],
		crmItem: (context, itemIndex) => {
			const { entityTypeId, id } = crmItemAddress(context, itemIndex);
			return { method: 'crm.item.delete', params: { entityTypeId, id }, output: () => ({ id, entityTypeId, deleted: true }) };
		},
		listElement: (context, itemIndex) => {
			const elementId = String(context.getNodeParameter('elementId', itemIndex)).trim();
			return {
				method: 'lists.element.delete',
				params: { ...listAddress(context, itemIndex), ELEMENT_ID: elementId },
				output: () => ({ ID: elementId, deleted: true }),
			};
		},
	});
}
