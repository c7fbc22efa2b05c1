import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../common/executeEachItem';
import { hubeeRequest } from '../transport';
import { downloadAttachments, type HubeeAttachment } from '../transport/attachments';
import { requireId } from './parameters';

/** Case → Download Attachment and Event → Download Attachment: one output item per input item, files as binaries. */
/**
 * Items downloaded at once. HubEE documents no rate limit (its WSO2 gateway answers 429/503 when pressed, which the
 * shared request core backs off and retries), so the bound stays small: a few streams overlap the network wait of
 * one with the disk writes and hashing of the others, instead of one file at a time.
 */
export const DOWNLOAD_CONCURRENCY = 3;

export async function executeDownload(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	resource: 'case' | 'event',
): Promise<INodeExecutionData[]> {
	return await executeEachItem(context, items, async (itemIndex, item) => {
		const caseId = requireId(context, 'caseId', 'Case ID', itemIndex);
		const eventId = resource === 'event' ? requireId(context, 'eventId', 'Event ID', itemIndex) : undefined;
		const selection = context.getNodeParameter('attachments', itemIndex, 'all') as string;
		const prefix = String(context.getNodeParameter('binaryPropertyPrefix', itemIndex, 'attachment') || 'attachment').trim();
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const onIntegrityFailure = options.onIntegrityFailure === 'report' ? 'report' : 'error';

		// The case gives processCode and externalId (the folder layout); an event lists its own files.
		const theCase = await hubeeRequest<IDataObject>(context, {
			method: 'GET',
			path: `/cases/${caseId}`,
			qs: eventId ? { lite: true } : undefined,
			itemIndex,
		});
		const owner = eventId
			? await hubeeRequest<IDataObject>(context, { method: 'GET', path: `/cases/${caseId}/events/${eventId}`, itemIndex })
			: theCase;
		let listed = (Array.isArray(owner.attachments) ? owner.attachments : []) as unknown as HubeeAttachment[];
		if (selection === 'one') {
			const attachmentId = requireId(context, 'attachmentId', 'Attachment ID', itemIndex);
			listed = listed.filter((attachment) => attachment.id === attachmentId);
			if (!listed.length) {
				throw new NodeOperationError(
					context.getNode(),
					`The ${resource} has no attachment ${attachmentId}`,
					{ itemIndex },
				);
			}
		}
		const downloaded = await downloadAttachments(context, { caseId, eventId }, listed, {
			itemIndex,
			binaryPropertyPrefix: prefix,
			onIntegrityFailure,
		});
		const json: IDataObject = {
			...(options.includeInputFields === false ? {} : { ...item.json }),
			caseId,
			eventId: eventId ?? null,
			processCode: theCase.processCode ?? null,
			externalId: theCase.externalId ?? null,
			caseStatus: theCase.status ?? null,
			attachments: downloaded.attachments,
			retryLater: downloaded.retryLater,
			integrationError: downloaded.integrationError,
		};
		return { json, binary: downloaded.binary };
	}, { concurrency: DOWNLOAD_CONCURRENCY });
}
