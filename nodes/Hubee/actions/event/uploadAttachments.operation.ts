import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest, hubeeUpload } from '../../transport';
import { authorOption, caseIdProperty, notifyOslOption } from '../common.descriptions';
import { requireId, splitList } from '../../helpers/parameters';
import { sendEvent } from './send.operation';

const properties: INodeProperties[] = [
	caseIdProperty,
	{
		displayName: 'Binary Properties',
		name: 'binaryPropertyNames',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The input item\'s binary properties to send, comma-separated (e.g. data, attachment_0)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			authorOption,
			{
				displayName: 'Document Type',
				name: 'documentType',
				type: 'string',
				default: '',
				placeholder: 'e.g. EC_ActeNaissance',
				description: 'The business type HubEE shows for each file (the attachment\'s type)',
			},
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				default: '',
			},
			notifyOslOption,
			{
				displayName: 'Send',
				name: 'send',
				type: 'boolean',
				default: true,
				description: 'Whether to PATCH the event to SENT once every file is uploaded (otherwise use Event → Send)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['uploadAttachments'] } }, properties);

/**
 * The SI's own ATTACH_DEPOSIT flow: declare the files in a new event (IN_PROGRESS), PUT each binary, then PATCH
 * the event to SENT. The POST is not retried; a PUT or the PATCH may be.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const names = splitList(this.getNodeParameter('binaryPropertyNames', itemIndex));
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		if (!names.length) throw new NodeOperationError(this.getNode(), 'Binary Properties is empty', { itemIndex });
		const files = [];
		for (const name of names) {
			const binary = this.helpers.assertBinaryData(itemIndex, name);
			// HubEE wants the size declared up front, so the file is read once into memory (SI uploads are documents).
			const content = await this.helpers.getBinaryDataBuffer(itemIndex, name);
			files.push({
				content,
				declared: {
					fileName: binary.fileName || name,
					mimeType: binary.mimeType || 'application/octet-stream',
					size: content.length,
					...(options.documentType ? { type: String(options.documentType) } : {}),
				},
			});
		}
		const body: IDataObject = {
			actionType: 'ATTACH_DEPOSIT',
			author: String(options.author ?? 'n8n') || 'n8n',
			notification: options.notifyOsl !== false,
			attachments: files.map((file) => file.declared),
		};
		if (options.message) body.message = String(options.message);
		const event = await hubeeRequest<IDataObject>(this, { method: 'POST', path: `/cases/${caseId}/events`, body, itemIndex });
		const eventId = String(event.id ?? '');
		const created = (Array.isArray(event.attachments) ? event.attachments : []) as IDataObject[];
		if (!eventId || created.length !== files.length) {
			throw new NodeOperationError(
				this.getNode(),
				`HubEE created event ${eventId || '(no id)'} with ${created.length} attachment(s) for ${files.length} file(s)`,
				{ itemIndex },
			);
		}
		for (const [index, file] of files.entries()) {
			await hubeeUpload(this, `/cases/${caseId}/events/${eventId}/attachments/${String(created[index].id)}`, file.content, itemIndex);
		}
		const send = options.send !== false;
		if (send) await sendEvent(this, caseId, eventId, itemIndex);
		return { ...event, caseId, status: send ? 'SENT' : String(event.status ?? 'IN_PROGRESS') };
	});
}
