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
import { readToleranceSeconds } from './helpers/webhookSignature';
import { recordOutcome, recordRunning, type RedeliveryLedger } from './helpers/redeliveryLedger';

/**
 * The redelivery ledger, per workflow and node, in this process's memory only. It is a cache that makes duplicates
 * cheap, not what makes them safe (the bundled workflows write with upserts): a cold ledger (a restart, another
 * webhook process in queue mode) only lets a duplicate run again. Static data is no home for it: n8n 2.41 drops static
 * data changed in webhook() once the workflow already has some (WorkflowRunner.run re-wraps the object and clears its
 * "changed" flag before the webhook's own save), and a `running` entry saved there would outlive a crash.
 */
const processLedgers = new Map<string, RedeliveryLedger>();

interface ObservableResponse {
	statusCode?: number;
	once?: (event: string, listener: () => void) => unknown;
}

/**
 * With responseMode lastNode, n8n answers the delivery once the run ended: 2xx when it succeeded, 500 when it failed.
 * That answer is the run's outcome: a success is remembered, anything else (a failure, or the client gone first)
 * forgets the body, so that Recoco's retry reaches the write again.
 */
function recordOutcomeWhenAnswered(response: ObservableResponse, key: string, fingerprint: string): void {
	if (typeof response.once !== 'function') return;
	let settled = false;
	const settle = (succeeded: boolean) => {
		if (settled) return;
		settled = true;
		processLedgers.set(key, recordOutcome(processLedgers.get(key) ?? {}, fingerprint, succeeded, Date.now()));
	};
	response.once('finish', () => settle((response.statusCode ?? 500) < 300));
	response.once('close', () => settle(false));
}

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
		description: 'Starts the workflow on a Recoco portal\'s signed webhook events (the Recoco node reads projects and writes add-ons)',
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
				// Answer when the run ends: 200 when it succeeded, 500 when it failed, so that Recoco retries a failed event.
				responseMode: 'lastNode',
				// An empty 200 body; the run's output stays in n8n.
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
							'Whether to skip a delivery whose exact body this n8n process already ran successfully in the last hour (answered 200), and to answer 409 to one whose run is still going (Recoco retries it later). A body whose run failed runs again. Task events carry no timestamp, so two identical task updates within the hour count as one.',
					},
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 300,
						description:
							'Reject a delivery whose signed timestamp is further than this from now, in the past or the future. Must be a number above 0: any other value (e.g. an expression giving NaN) refuses every delivery.',
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
		const response = this.getResponseObject();
		const tolerance = readToleranceSeconds(options.toleranceSeconds);
		if (!tolerance.ok) {
			// A misconfigured freshness check refuses, never lets deliveries through; Recoco retries once it is fixed.
			response.status(500).json({ status: 'rejected', message: `Recoco Trigger misconfigured: ${tolerance.reason}` });
			return { noWebhookResponse: true };
		}
		// From here to recordRunning nothing awaits, so identical deliveries racing in this process see each other.
		const key = ledgerKey(this) ?? '';
		const decision = decideDelivery(
			{
				rawBody: this.getRequestObject().rawBody,
				headers: this.getHeaderData() as Record<string, string | string[] | undefined>,
			},
			{
				secret: String(credentials.secret ?? ''),
				toleranceSeconds: tolerance.seconds,
				objectTypes: this.getNodeParameter('objectTypes', []) as string[],
				actions: this.getNodeParameter('actions', []) as string[],
				ignoreRedeliveries: options.ignoreRedeliveries !== false,
				nowMs: Date.now(),
			},
			processLedgers.get(key) ?? {},
		);

		if (decision.kind === 'reject') {
			response.status(decision.status).json({ status: 'rejected', message: decision.message });
			return { noWebhookResponse: true };
		}
		if (decision.kind === 'busy') {
			response.status(409).set('Retry-After', '60').json({ status: 'in progress', message: decision.message });
			return { noWebhookResponse: true };
		}
		if (decision.kind === 'ignore') {
			return {
				webhookResponse: { status: 'ignored', message: decision.message },
			};
		}
		if (decision.fingerprint) {
			processLedgers.set(key, recordRunning(processLedgers.get(key) ?? {}, decision.fingerprint, Date.now()));
			recordOutcomeWhenAnswered(response as unknown as ObservableResponse, key, decision.fingerprint);
		}
		return { workflowData: [[{ json: decision.item }]] };
	}
}
