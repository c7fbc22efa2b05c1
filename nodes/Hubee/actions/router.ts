import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type OperationTable } from '../../common/router';
import * as attachment from './attachment/Attachment.resource';
import * as hubeeCase from './case/Case.resource';
import * as event from './event/Event.resource';
import * as notification from './notification/Notification.resource';

export const operations: OperationTable = {
	notification: { getMany: notification.getMany, delete: notification.deleteNotification },
	case: { get: hubeeCase.get, updateStatus: hubeeCase.updateStatus, downloadAttachment: hubeeCase.downloadAttachment },
	event: {
		get: event.get,
		acknowledge: event.acknowledge,
		create: event.create,
		downloadAttachment: event.downloadAttachment,
		uploadAttachments: event.uploadAttachments,
		send: event.send,
	},
	attachment: { saveToFolder: attachment.saveToFolder },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
