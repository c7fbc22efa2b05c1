import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest } from '../../transport';
import { authorOption, caseIdProperty, notifyOslOption, statusOptions } from '../common.descriptions';
import { requireId } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	caseIdProperty,
	{
		displayName: 'Type',
		name: 'actionType',
		type: 'options',
		options: [
			{ name: 'Message (SENDING_MESSAGE)', value: 'SENDING_MESSAGE', description: 'A message to the applicant through the OSL' },
			{ name: 'Comment (COM_ADD)', value: 'COM_ADD' },
			{
				name: 'Status Update (STATUS_UPDATE)',
				value: 'STATUS_UPDATE',
				description: 'Posted as is, without the order check of Case → Update Status',
			},
		],
		default: 'SENDING_MESSAGE',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
	},
	{
		displayName: 'New Status',
		name: 'caseNewStatus',
		type: 'options',
		options: statusOptions,
		default: 'IN_PROGRESS',
		displayOptions: { show: { actionType: ['STATUS_UPDATE'] } },
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
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				default: '',
				description: 'An internal comment, visible to SIs only',
			},
			notifyOslOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['create'] } }, properties);

/** POST /cases/{id}/events creates an event: never retried automatically (a lost answer may hide a success). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const actionType = this.getNodeParameter('actionType', itemIndex) as string;
		const message = String(this.getNodeParameter('message', itemIndex, '') ?? '');
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const body: IDataObject = {
			actionType,
			author: String(options.author ?? 'n8n') || 'n8n',
			notification: options.notifyOsl !== false,
		};
		if (message) body.message = message;
		if (options.comment) body.comment = String(options.comment);
		if (actionType === 'STATUS_UPDATE') {
			body.caseNewStatus = this.getNodeParameter('caseNewStatus', itemIndex) as string;
		} else if (!message) {
			throw new NodeOperationError(this.getNode(), 'Message is empty', { itemIndex });
		}
		return await hubeeRequest<IDataObject>(this, { method: 'POST', path: `/cases/${caseId}/events`, body, itemIndex });
	});
}
