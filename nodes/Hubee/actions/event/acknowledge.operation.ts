import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest } from '../../transport';
import { caseIdProperty, eventIdProperty, includeInputFieldsOption } from '../common.descriptions';
import { requireId } from '../../helpers/parameters';

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['acknowledge'] } }, [
	caseIdProperty,
	eventIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [includeInputFieldsOption('acknowledgement')],
	},
]);

/**
 * PATCH {status: RECEIVED}: the durable marker of a handled event. HubEE then serves its notification with
 * eventStatus RECEIVED, to be deleted (the two-phase ack). Setting a fixed state, it may be sent twice.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex, item) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const eventId = requireId(this, 'eventId', 'Event ID', itemIndex);
		await hubeeRequest(this, {
			method: 'PATCH',
			path: `/cases/${caseId}/events/${eventId}`,
			body: { status: 'RECEIVED' },
			idempotent: true,
			itemIndex,
		});
		const result = { caseId, eventId, status: 'RECEIVED' };
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return options.includeInputFields === true ? { ...item.json, acknowledgement: result } : result;
	});
}
