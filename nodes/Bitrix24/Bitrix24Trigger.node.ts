import {
	NodeConnectionTypes,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkBitrix24ApplicationToken } from './helpers/credentialShapes';
import { manualWebhookMethods } from '../common/manualWebhookMethods';
import {
	acceptedEvents,
	applicationTokenOf,
	isAccepted,
	normaliseEventBody,
	parseFormBody,
	publicEvent,
	tokensMatch,
} from './helpers/outgoingWebhook';

/** Event codes Bitrix24 documents for outgoing webhooks; anything else goes in "Other Events". */
const EVENTS: Array<[string, string]> = [
	['Company Created', 'ONCRMCOMPANYADD'],
	['Company Deleted', 'ONCRMCOMPANYDELETE'],
	['Company Updated', 'ONCRMCOMPANYUPDATE'],
	['Contact Created', 'ONCRMCONTACTADD'],
	['Contact Deleted', 'ONCRMCONTACTDELETE'],
	['Contact Updated', 'ONCRMCONTACTUPDATE'],
	['Deal Created', 'ONCRMDEALADD'],
	['Deal Deleted', 'ONCRMDEALDELETE'],
	['Deal Moved to Another Pipeline', 'ONCRMDEALMOVETOCATEGORY'],
	['Deal Updated', 'ONCRMDEALUPDATE'],
	['Lead Created', 'ONCRMLEADADD'],
	['Lead Deleted', 'ONCRMLEADDELETE'],
	['Lead Updated', 'ONCRMLEADUPDATE'],
	['Smart Process Item Created', 'ONCRMDYNAMICITEMADD'],
	['Smart Process Item Deleted', 'ONCRMDYNAMICITEMDELETE'],
	['Smart Process Item Updated', 'ONCRMDYNAMICITEMUPDATE'],
];

export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ") || "All events"}}',
		description: 'Starts the workflow on Bitrix24 outgoing webhook events (the Bitrix24 node reads and writes CRM items and lists)',
		defaults: { name: 'Bitrix24 Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'bitrix24OutgoingWebhookApi',
				required: true,
				testedBy: 'bitrix24ApplicationTokenCheck',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Bitrix24 never retries a delivery, so answer at once whatever the workflow does.
				responseMode: 'onReceived',
				// Without it n8n 2.41 answers the literal text "firstEntryJson".
				responseData: 'noData',
				path: 'bitrix24',
			},
		],
		properties: [
			{
				displayName:
					'Bitrix24 cannot register this URL itself through an inbound webhook (event.bind needs an app). In Bitrix24 open Developer resources → Other → Outgoing webhook, paste this node\'s Production URL as the handler address, tick the events, save, and copy the Application token it shows into this node\'s credential. Then publish the workflow. Events carry IDs only: fetch the record with the Bitrix24 node. Bitrix24 does not resend an event that failed.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENTS.map(([name, value]) => ({ name: `${name} (${value})`, value })),
				default: [],
				description: 'Only start for these events; leave empty for every event. Other events are answered 200 and start nothing.',
			},
			{
				displayName: 'Other Events',
				name: 'otherEvents',
				type: 'string',
				default: '',
				placeholder: 'ONCRMDYNAMICITEMADD_1030, ONTASKADD',
				description: 'More event codes, comma-separated, e.g. a smart process\'s own ONCRMDYNAMICITEMADD_&lt;entityTypeId&gt;',
			},
		],
	};

	methods = {
		credentialTest: {
			async bitrix24ApplicationTokenCheck(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkBitrix24ApplicationToken(credential.data?.applicationToken);
			},
		},
	};

	// The outgoing webhook is configured by hand in Bitrix24: there is nothing to register here.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const contentType = String(request.headers['content-type'] ?? '');
		const raw = (request as { rawBody?: Buffer }).rawBody;
		const event =
			raw?.length && contentType.includes('application/x-www-form-urlencoded')
				? parseFormBody(raw.toString('utf8'))
				: normaliseEventBody(this.getBodyData());

		const credentials = await this.getCredentials('bitrix24OutgoingWebhookApi');
		if (!tokensMatch(applicationTokenOf(event), credentials.applicationToken)) {
			this.getResponseObject()
				.status(401)
				.json({ error: 'INVALID_TOKEN', error_description: 'The application token does not match this trigger' });
			return { noWebhookResponse: true };
		}

		const accepted = acceptedEvents(
			this.getNodeParameter('events', []) as string[],
			this.getNodeParameter('otherEvents', '') as string,
		);
		if (!isAccepted(event, accepted)) return { webhookResponse: 'ignored' };

		return { workflowData: [this.helpers.returnJsonArray([publicEvent(event)])] };
	}
}
