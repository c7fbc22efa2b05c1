import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { crmItemAddress, fieldsParameter, listAddress, targetProperties } from '../../helpers/recordTarget';
import { executeRecordWrite, itemOf } from '../../helpers/recordWrite';

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['update'] } },
	targetProperties('update'),
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeRecordWrite(this, items, {
		// An update writes a fixed state, so sending it twice is harmless.
		idempotent: true,
		crmItem: (context, itemIndex) => ({
			method: 'crm.item.update',
			params: { ...crmItemAddress(context, itemIndex), fields: fieldsParameter(context, 'fields', itemIndex) },
			output: itemOf,
		}),
		listElement: (context, itemIndex) => {
			const elementId = String(context.getNodeParameter('elementId', itemIndex)).trim();
			return {
				method: 'lists.element.update',
				params: { ...listAddress(context, itemIndex), ELEMENT_ID: elementId, FIELDS: fieldsParameter(context, 'elementFields', itemIndex) },
				output: () => ({ ID: elementId, updated: true }),
			};
		},
	});
}
