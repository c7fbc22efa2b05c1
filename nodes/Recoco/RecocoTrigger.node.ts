import {
	NodeConnectionTypes,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkRecocoWebhookSecret } from './helpers/webhookSecret';
import { manualWebhookMethods } from '../common/manualWebhookMethods';
import { decideDelivery } from './helpers/webhookDelivery';
import { RECOCO_OBJECT_TYPES } from './helpers/webhookEvent';
import type { RedeliveryLedger } from './helpers/redeliveryLedger';

/**
 * n8n 2.41 drops static data changed in webhook() once the workflow already has static data: WorkflowRunner.run
 * re-wraps the same object (ObservableObject.create) and clears its "changed" flag before the webhook's own save,
 * so only the first accepted delivery reached the database. The ledger is therefore also kept in process memory,
 * per workflow and node, which catches redeliveries for as long as this n8n process runs.
 */
const processLedgers = new Map<string, RedeliveryLedger>();

function ledgerKey(context: IWebhookFunctions): string | undefined {
	if (typeof context.getWorkflow !== 'function' || typeof context.getNode !== 'function') return undefined;
	const workflowId = context.getWorkflow().id;
	const node = context.getNode();
	return workflowId ? `${workflowId}\u0000${node.id ?? node.name}` : undefined;
}

const OBJECT_TYPE_NAMES: Record<(typeof RECOCO_OBJECT_TYPES)[number], string> = {
	'projects.Project': 'Project (projects.Project)',
	'tasks.Task': 'Recommendation (tasks.Task)',
	'survey.Answer': 'Survey Answer (survey.Answer)',
	'taggit.TaggedItem': 'Project Tags (taggit.TaggedItem)',
	'home.UserProfile': 'User Profile (home.UserProfile)',
};

export class RecocoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recoco Trigger',
		name: 'recocoTrigger',
		icon: {
			light: 'file:../../icons/recoco.svg',
			dark: 'file:../../icons/recoco.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["objectTypes"] || []).join(", ") || "All events"}}',
		description: 'Starts the workflow when a Recoco portal sends a signed webhook event',
		defaults: { name: 'Recoco Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'recocoWebhookApi',
				required: true,
				testedBy: 'recocoWebhookSecretCheck',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answer 200 at once: a failed execution must not make Recoco redeliver an accepted event.
				responseMode: 'onReceived',
				// Without it n8n 2.41 answers the literal text "firstEntryJson".
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Recoco webhooks are registered by hand. In the portal's Django admin (<code>/nimda/</code>), under Django Webhook, add a Webhook whose URL is this node's Production URL, pick its topics, add a Webhook Secret equal to this credential's secret (at least 12 characters), link it to the portal's site (Webhook site), and activate it. Then publish this workflow.",
				name: 'registrationNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Object Types',
				name: 'objectTypes',
				type: 'multiOptions',
				options: RECOCO_OBJECT_TYPES.map((value) => ({
					name: OBJECT_TYPE_NAMES[value],
					value,
				})),
				default: [],
				description:
					'Only start for events about these objects. Leave empty for all. Other events are answered 200 and start nothing.',
			},
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'multiOptions',
				options: [
					{ name: 'Create', value: 'create' },
					{ name: 'Update', value: 'update' },
					{ name: 'Delete', value: 'delete' },
				],
				default: [],
				description:
					'Only start for these topic actions (the part after "/" in a topic such as projects.Project/update). Leave empty for all.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ignore Redeliveries',
						name: 'ignoreRedeliveries',
						type: 'boolean',
						default: true,
						description:
							'Whether to skip a delivery whose exact body was already accepted in the last hour. Recoco re-sends a failed delivery up to 5 times with the same body. Task events carry no timestamp, so two identical task updates within the hour count as one.',
					},
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 300,
						description: 'Reject a delivery whose signed timestamp is further than this from now, in the past or the future',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async recocoWebhookSecretCheck(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkRecocoWebhookSecret(credential.data?.secret);
			},
		},
	};

	// Recoco has no API to register webhooks: an admin adds the URL in the portal, so there is nothing to do here.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials('recocoWebhookApi');
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const staticData = this.getWorkflowStaticData('node');
		const key = ledgerKey(this);
		const ledger = {
			...((staticData.acceptedDeliveries ?? {}) as RedeliveryLedger),
			...((key && processLedgers.get(key)) || {}),
		};
		const request = this.getRequestObject();

		const decision = decideDelivery(
			{
				rawBody: request.rawBody,
				headers: this.getHeaderData() as Record<string, string | string[] | undefined>,
			},
			{
				secret: String(credentials.secret ?? ''),
				toleranceSeconds: Number(options.toleranceSeconds ?? 300),
				objectTypes: this.getNodeParameter('objectTypes', []) as string[],
				actions: this.getNodeParameter('actions', []) as string[],
				ignoreRedeliveries: options.ignoreRedeliveries !== false,
				nowMs: Date.now(),
			},
			ledger,
		);

		if (decision.kind === 'reject') {
			this.getResponseObject().status(decision.status).json({ status: 'rejected', message: decision.message });
			return { noWebhookResponse: true };
		}
		if (decision.kind === 'ignore') {
			return {
				webhookResponse: { status: 'ignored', message: decision.message },
			};
		}
		if (decision.ledger) {
			staticData.acceptedDeliveries = decision.ledger;
			if (key) processLedgers.set(key, decision.ledger);
		}
		return { workflowData: [[{ json: decision.item }]] };
	}
}
