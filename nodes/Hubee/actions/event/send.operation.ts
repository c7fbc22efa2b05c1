import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest } from '../../transport';
import { caseIdProperty } from '../common.descriptions';
import { requireId } from '../../helpers/parameters';

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['send'] } }, [
	caseIdProperty,
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		description: 'The ATTACH_DEPOSIT event whose files are all uploaded (the output of Upload Attachments carries it as ID)',
	},
]);

/** PATCH {status: SENT}: releases an ATTACH_DEPOSIT event to the OSL once its files are uploaded. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const eventId = requireId(this, 'eventId', 'Event ID', itemIndex);
		await sendEvent(this, caseId, eventId, itemIndex);
		return { caseId, eventId, status: 'SENT' };
	});
}

export async function sendEvent(context: IExecuteFunctions, caseId: string, eventId: string, itemIndex: number): Promise<void> {
	await hubeeRequest(context, {
		method: 'PATCH',
		path: `/cases/${caseId}/events/${eventId}`,
		body: { status: 'SENT' },
		idempotent: true,
		itemIndex,
	});
}
