import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as attachment from './actions/attachment/Attachment.resource';
import * as hubeeCase from './actions/case/Case.resource';
import * as event from './actions/event/Event.resource';
import * as notification from './actions/notification/Notification.resource';
import { router } from './actions/router';

export class Hubee implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubEE',
		name: 'hubee',
		icon: { light: 'file:../../icons/hubee.svg', dark: 'file:../../icons/hubee.dark.svg' },
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"notification:delete":"Delete a notification","notification:getMany":"Get many notifications","case:downloadAttachment":"Download the attachments of a case","case:get":"Get a case","case:updateStatus":"Update the status of a case","event:acknowledge":"Acknowledge an event","event:create":"Create an event","event:downloadAttachment":"Download the attachments of an event","event:get":"Get an event","event:send":"Send an event","event:uploadAttachments":"Upload attachments to a case","attachment:saveToFolder":"Save attachments to a folder"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Receive télédossiers from HubEE as a service instructeur: notifications, cases, statuses, events and files',
		defaults: { name: 'HubEE' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hubeeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Attachment', value: 'attachment' },
					{ name: 'Case', value: 'case' },
					{ name: 'Event', value: 'event' },
					{ name: 'Notification', value: 'notification' },
				],
				default: 'notification',
			},
			...notification.description,
			...hubeeCase.description,
			...event.description,
			...attachment.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
