import type { INodeProperties } from 'n8n-workflow';

import * as acknowledge from './acknowledge.operation';
import * as create from './create.operation';
import * as downloadAttachment from './downloadAttachment.operation';
import * as get from './get.operation';
import * as send from './send.operation';
import * as uploadAttachments from './uploadAttachments.operation';

export { acknowledge, create, downloadAttachment, get, send, uploadAttachments };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Acknowledge',
				value: 'acknowledge',
				action: 'Acknowledge an event',
				description: 'Mark an event RECEIVED once it is handled (before deleting its notification)',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create an event',
				description: 'Post a message, a comment or a status update on a case',
			},
			{
				name: 'Download Attachment',
				value: 'downloadAttachment',
				action: 'Download the attachments of an event',
				description: 'Stream the event\'s files into binary properties, checking HubEE\'s SHA-256 digest',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an event',
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send an event',
				description: 'Release an ATTACH_DEPOSIT event to the OSL once its files are uploaded',
			},
			{
				name: 'Upload Attachments',
				value: 'uploadAttachments',
				action: 'Upload attachments to a case',
				description: 'Send files back to the OSL: an ATTACH_DEPOSIT event, its files, then Send',
			},
		],
		default: 'get',
	},
	...get.description,
	...acknowledge.description,
	...create.description,
	...downloadAttachment.description,
	...uploadAttachments.description,
	...send.description,
];
