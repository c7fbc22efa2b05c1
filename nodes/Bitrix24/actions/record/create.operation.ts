import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { entityTypeIdFor } from '../../helpers/locators';
import { fieldsParameter, listAddress, targetProperties } from '../../helpers/recordTarget';
import { executeRecordWrite, itemOf } from '../../helpers/recordWrite';

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['create'] } },
	targetProperties('create'),
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeRecordWrite(this, items, {
		// An `add` whose answer was lost may have been applied, so it is never retried.
		idempotent: false,
		crmItem: (context, itemIndex) => ({
			method: 'crm.item.add',
			params: {
				entityTypeId: entityTypeIdFor(context, itemIndex),
				fields: fieldsParameter(context, 'fields', itemIndex),
			},
			output: itemOf,
		}),
		listElement: (context, itemIndex) => {
			const code = String(context.getNodeParameter('elementCode', itemIndex)).trim();
			return {
				method: 'lists.element.add',
				params: { ...listAddress(context, itemIndex), ELEMENT_CODE: code, FIELDS: fieldsParameter(context, 'elementFields', itemIndex) },
				output: (body) => ({ ID: String(body.result), CODE: code }),
			};
		},
	});
}
