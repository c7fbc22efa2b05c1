import type { INodeProperties } from 'n8n-workflow';

import * as downloadAttachment from './downloadAttachment.operation';
import * as get from './get.operation';
import * as updateStatus from './updateStatus.operation';

export { downloadAttachment, get, updateStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['case'] } },
		options: [
			{
				name: 'Download Attachment',
				value: 'downloadAttachment',
				action: 'Download the attachments of a case',
				description: 'Stream the case\'s files into binary properties, checking HubEE\'s SHA-256 digest',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a case',
				description: 'Get one case (télédossier) with its attachments and events',
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				action: 'Update the status of a case',
				description: 'Move the case forward (never backwards) and post the STATUS_UPDATE event',
			},
		],
		default: 'get',
	},
	...get.description,
	...updateStatus.description,
	...downloadAttachment.description,
];
