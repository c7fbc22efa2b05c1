import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { splitList } from './helpers/parameters';
import {
	DEFAULT_LEASE_SETTINGS,
	heldCount,
	planPoll,
	type DeliveryLedger,
	type LeaseSettings,
} from './helpers/deliveryLedger';
import { enrichNotification, getNotifications } from './transport/notifications';

const MAX_BATCH = 25;
/** How far past held notifications one poll looks (HubEE takes maxResult as a plain number). */
const MAX_WINDOW = 100;

export class HubeeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubEE Trigger',
		name: 'hubeeTrigger',
		icon: { light: 'file:../../icons/hubee.svg', dark: 'file:../../icons/hubee.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["processCode"]}}',
		description: 'Starts the workflow for each new HubEE notification of a démarche (the HubEE node handles cases, events and files)',
		defaults: { name: 'HubEE Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hubeeApi', required: true }],
		properties: [
			{
				displayName:
					'The trigger never deletes nor acknowledges: the workflow must delete each notification (Notification → Delete) once handled, or HubEE serves it again. A notification is not emitted again while its execution may still run (the lease).',
				name: 'queueNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Process Code',
				name: 'processCode',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. EtatCivil',
				description: 'The démarche to watch (several: comma-separated)',
			},
			{
				displayName: 'Max Results',
				name: 'maxResult',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH },
				default: MAX_BATCH,
				description: 'Max number of results to return',
			},
			{
				displayName: 'Lease Timeout (Minutes)',
				name: 'leaseTimeoutMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 15,
				description: 'How long an emitted notification is not emitted again; set it above the longest run of the workflow',
			},
			{
				displayName: 'Retry Backoff (Minutes)',
				name: 'retryBackoffMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 5,
				description:
					'Extra wait before a notification whose lease expired is emitted again, doubled at each expiry. After 5 expiries it is emitted with poisoned = true.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Include Details',
						name: 'includeDetails',
						type: 'boolean',
						default: true,
						description: 'Whether to add the case or the event and its attachment list to each notification',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const processCodes = splitList(this.getNodeParameter('processCode', ''));
		if (!processCodes.length) {
			throw new NodeOperationError(this.getNode(), 'Process Code is empty', {
				description: 'Give the démarche, e.g. EtatCivil: without it other démarches could fill every batch.',
			});
		}
		const maxResult = Math.min(MAX_BATCH, Math.max(1, Math.floor(Number(this.getNodeParameter('maxResult', MAX_BATCH)))));
		const settings: LeaseSettings = {
			...DEFAULT_LEASE_SETTINGS,
			leaseMs: Math.max(1, Number(this.getNodeParameter('leaseTimeoutMinutes', 15))) * 60_000,
			backoffMs: Math.max(0, Number(this.getNodeParameter('retryBackoffMinutes', 5))) * 60_000,
		};
		const { includeDetails = true } = this.getNodeParameter('options', {}) as { includeDetails?: boolean };
		const staticData = this.getWorkflowStaticData('node');
		const ledger = (staticData.ledger ?? {}) as DeliveryLedger;
		const now = Date.now();

		// The queue has no cursor: held notifications stay at its head, so the GET looks past them.
		const window = Math.min(MAX_WINDOW, maxResult + heldCount(ledger, now, settings));
		const batch = await getNotifications(this, processCodes, window);
		const plan = planPoll(ledger, batch, { now, requested: window, limit: maxResult, settings });
		if (!plan.deliveries.length) {
			if (batch.length >= window && plan.held >= window) {
				throw new NodeOperationError(
					this.getNode(),
					`The first ${batch.length} notifications of the HubEE queue are all held by running or failed executions, so newer ones cannot be seen`,
					{
						description:
							'Executions are not deleting the notifications they were given. Check the workflow\'s executions for errors; each held notification is emitted again after its lease, and flagged poisoned after 5 expiries.',
					},
				);
			}
			// Nothing emitted: static data is not saved by n8n on an empty poll, so the ledger is left as it was.
			return null;
		}
		const items: INodeExecutionData[] = [];
		for (const delivery of plan.deliveries) {
			const json: IDataObject = includeDetails
				? await enrichNotification(this, delivery.notification)
				: { ...delivery.notification };
			json.delivery = {
				attempt: delivery.attempt,
				expiries: delivery.expiries,
				leaseUntil: new Date(delivery.leaseUntil).toISOString(),
			};
			json.poisoned = delivery.poisoned;
			items.push({ json });
		}
		staticData.ledger = plan.ledger;
		return [items];
	}
}
