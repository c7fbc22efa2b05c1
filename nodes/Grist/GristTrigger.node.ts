import { randomBytes } from 'crypto';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { documentLocator, tableLocator } from './actions/common.descriptions';
import { decodeRecord } from './helpers/decodeCellValue';
import {
	authorizationMatches,
	findOwnWebhooks,
	matchesSettings,
	webhookFields,
	type GristEventType,
	type WebhookSettings,
} from './helpers/webhookRegistration';
import { searchDocuments, searchTables } from './methods/listSearch';
import { getColumns, getToggleColumns } from './methods/loadOptions';
import { createWebhook, deleteWebhook, listWebhooks } from './transport/webhooks';

/** What activation keeps in the node's static data: where the webhook lives and the header Grist sends with it. */
interface RegistrationData {
	webhookId?: string;
	docId?: string;
	authorization?: string;
}

function parameterText(context: IHookFunctions, name: string): string {
	return String(context.getNodeParameter(name, '', { extractValue: true }) ?? '').trim();
}

function readSettings(context: IHookFunctions): { docId: string; settings: WebhookSettings } {
	const docId = parameterText(context, 'documentId');
	const tableId = parameterText(context, 'tableId');
	if (!docId) throw new NodeOperationError(context.getNode(), 'Choose a document');
	if (!tableId) throw new NodeOperationError(context.getNode(), 'Choose a table');
	const eventTypes = (context.getNodeParameter('events', []) as string[]).filter(
		(event): event is GristEventType => event === 'add' || event === 'update',
	);
	if (!eventTypes.length) {
		throw new NodeOperationError(context.getNode(), 'Choose at least one event', {
			description: 'Grist refuses a webhook without event types.',
		});
	}
	const watched = (context.getNodeParameter('watchedColumns', []) as string[]).map((colId) => String(colId).trim()).filter(Boolean);
	return {
		docId,
		settings: {
			url: context.getNodeWebhookUrl('default') ?? '',
			tableId,
			eventTypes,
			watchedColIds: [...new Set(watched)],
			readyColumn: String(context.getNodeParameter('readyColumn', '') ?? '').trim(),
		},
	};
}

function forget(data: IDataObject): void {
	delete data.webhookId;
	delete data.docId;
	delete data.authorization;
}

export class GristTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Grist Sync Trigger',
		name: 'gristTrigger',
		icon: { light: 'file:../../icons/grist.svg', dark: 'file:../../icons/grist.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(" + ") + ": " + ($parameter["tableId"].value || "")}}',
		description: 'Starts the workflow when rows of a Grist table are added or updated, through a document webhook it registers itself',
		defaults: { name: 'Grist Sync Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gristSyncApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answer at once: Grist retries a batch that is not answered 2xx, with waits doubling up to 64 s, so a
				// slow workflow would have its rows sent again.
				responseMode: 'onReceived',
				// Without it n8n 2.41 answers the literal text "firstEntryJson".
				responseData: 'noData',
				path: 'grist',
			},
		],
		properties: [
			{
				displayName:
					'Publishing the workflow registers a webhook on the table (Grist: Settings → Webhooks) and unpublishing deletes it; the API key must be an owner\'s. <b>Self-hosted Grist</b> refuses every webhook URL ("Provided url is forbidden") unless its <code>ALLOWED_WEBHOOK_DOMAINS</code> lists n8n\'s host as in the Production URL, with its port if it has one (e.g. <code>n8n.example.org</code>; subdomains match; https only, plain http only for localhost, or <code>*</code> for any URL). docs.getgrist.com accepts any https URL.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			documentLocator,
			tableLocator,
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Row Added', value: 'add', description: 'A new row; with a Ready Column, a row that becomes ready' },
					{ name: 'Row Updated', value: 'update', description: 'A change to a row that existed (and was ready) before' },
				],
				default: ['add', 'update'],
				required: true,
			},
			{
				displayName: 'Watched Column Names or IDs',
				name: 'watchedColumns',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getColumns', loadOptionsDependsOn: ['tableId.value'] },
				default: [],
				description:
					'Send an update only when one of these columns changed; none = any column. Added rows are always sent. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Ready Column Name or ID',
				name: 'readyColumn',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getToggleColumns', loadOptionsDependsOn: ['tableId.value'] },
				default: '',
				description:
					'A Toggle column: only rows where it is true are sent, and a row arrives as an "add" when it becomes true (so choose Row Added to get it; later changes to a ready row are updates). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Cell Values',
						name: 'cellValues',
						type: 'options',
						options: [
							{
								name: 'Decoded',
								value: 'decoded',
								description:
									'Lists and attachment IDs as arrays, ["D"/"d", …] dates as ISO text, references as {table, ID}, formula errors as {error, message}',
							},
							{ name: 'Raw', value: 'raw', description: 'As Grist sends them, e.g. ["L", "a", "b"]' },
						],
						default: 'decoded',
						description: 'How Grist\'s encoded cells appear in the output',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchDocuments, searchTables },
		loadOptions: { getColumns, getToggleColumns },
	};

	webhookMethods = {
		default: {
			/**
			 * Finds this node's webhook in the document: by the stored id at this node's URL, else by the URL alone (a
			 * registration whose static data was lost). Its authorization is adopted, so no second webhook is registered;
			 * other registrations at the URL, and one whose settings no longer match the node, are deleted.
			 */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as IDataObject & RegistrationData;
				const { docId, settings } = readSettings(this);
				if (data.webhookId && data.docId && data.docId !== docId) {
					// The node now watches another document: the old webhook would keep sending to this URL.
					await deleteWebhook(this, data.docId, data.webhookId);
					forget(data);
				}
				const { own, duplicates } = findOwnWebhooks(await listWebhooks(this, docId), settings.url, data.webhookId);
				for (const duplicate of duplicates) await deleteWebhook(this, docId, duplicate.id);
				if (own && matchesSettings(own, settings)) {
					data.webhookId = own.id;
					data.docId = docId;
					data.authorization = own.fields.authorization;
					return true;
				}
				if (own) await deleteWebhook(this, docId, own.id);
				forget(data);
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as IDataObject & RegistrationData;
				const { docId, settings } = readSettings(this);
				// The shared secret Grist sends as the Authorization header of every delivery (kept in its home database).
				const authorization = `Bearer ${randomBytes(32).toString('hex')}`;
				const name = `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow'} → ${this.getNode().name}`;
				data.webhookId = await createWebhook(this, docId, webhookFields(settings, authorization, name));
				data.docId = docId;
				data.authorization = authorization;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as IDataObject & RegistrationData;
				if (data.webhookId) {
					const docId = data.docId ?? parameterText(this, 'documentId');
					await deleteWebhook(this, docId, data.webhookId);
				}
				forget(data);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const data = this.getWorkflowStaticData('node') as IDataObject & RegistrationData;
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		if (!authorizationMatches(request.headers.authorization, data.authorization)) {
			response.status(401).json({ error: 'Unauthorized' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData() as unknown;
		if (!Array.isArray(body)) {
			response.status(400).json({ error: 'Expected the JSON array of records a Grist webhook sends' });
			return { noWebhookResponse: true };
		}
		const records = body.filter((record): record is IDataObject => record !== null && typeof record === 'object' && !Array.isArray(record));
		if (!records.length) return { webhookResponse: '' };
		const { cellValues = 'decoded' } = this.getNodeParameter('options', {}) as { cellValues?: string };
		const items = records.map((record) => ({ json: cellValues === 'raw' ? { ...record } : decodeRecord(record) }));
		return { workflowData: [items] };
	}
}
