import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { parseJsonValue } from '../common/jsonParameter';
import { DEFAULT_MAX_SEEN } from './helpers/changeCursor';
import { pollChanges, storedCursor } from './helpers/changePoll';
import { entityTypeIdOf } from './helpers/locators';
import { entityTypeIdProperty } from './helpers/recordTarget';
import { searchEntityTypes } from './methods/listSearch';
import { changeReader } from './transport/changes';
import { readerIo } from './transport/request';

const DEFAULT_MAX_RECORDS = 500;
const DEFAULT_OVERLAP_SECONDS = 60;
/** Share of n8n's poll budget spent reading; the rest is left for emitting, and the next poll goes on. */
const BUDGET_SHARE = 0.5;

export class Bitrix24CrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 CRM Trigger',
		name: 'bitrix24CrmTrigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Entity type " + ($parameter["entityTypeId"].value ?? $parameter["entityTypeId"])}}',
		description:
			'Starts the workflow for new and updated Bitrix24 CRM items (deals, leads, contacts, companies, smart processes) by polling: no public URL needed',
		defaults: { name: 'Bitrix24 CRM Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bitrix24InboundWebhookApi', required: true }],
		properties: [
			{
				displayName:
					'Emits each record created or updated since the last poll, once, as crm.item.list returns it (a new record has createdTime equal to updatedTime). Deleted records are not seen: a delete leaves no updatedTime to poll. For deletions use the Bitrix24 Trigger (outgoing webhook) with the "… Deleted" events. The first activation starts from now unless "Emit Existing Records" is on; a test run shows records without moving the cursor.',
				name: 'deletionNotice',
				type: 'notice',
				default: '',
			},
			entityTypeIdProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Emit Existing Records',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description: 'Whether the first activation emits every existing record (in parts of Max Records per Poll) instead of only later changes',
					},
					{
						displayName: 'Filter (JSON)',
						name: 'filter',
						type: 'json',
						default: '{}',
						description:
							'More conditions in crm.item.list\'s field names, for example {"categoryId": 0} or {"@stageId": ["NEW", "PREPARATION"]}. A record that leaves the filter is not emitted for that change.',
					},
					{
						displayName: 'Max Records per Poll',
						name: 'maxRecords',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_RECORDS,
						description: 'More changes than this are emitted by the following polls, oldest first',
					},
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_OVERLAP_SECONDS,
						description:
							'How far before the last change each poll reads again, so that a save that committed late is still seen; what was already emitted is not emitted again',
					},
					{
						displayName: 'Select',
						name: 'select',
						type: 'string',
						default: '',
						placeholder: 'title, stageId, ufCrm5Code',
						description: 'Comma-separated fields to return (the record ID and updatedTime are always added); empty returns the default set',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchEntityTypes },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// The Entity Type is a picker (From List / By URL / ID); a number saved before it was one reads as the ID mode.
		const entityTypeId = entityTypeIdOf(this.getNode(), this.getNodeParameter('entityTypeId', ''), 0);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filter = parseJsonValue<IDataObject>(this, options.filter, 0, { label: 'Filter', shape: 'object', empty: {} });
		const select = String(options.select ?? '')
			.split(',')
			.map((field) => field.trim())
			.filter(Boolean);
		const reader = changeReader(readerIo(this), {
			entityTypeId,
			filter,
			select,
			deadline: Date.now() + this.getPollBudgetMs() * BUDGET_SHARE,
		});
		const staticData = this.getWorkflowStaticData('node');
		const outcome = await pollChanges(reader, storedCursor(staticData.cursor), {
			manual: this.getMode() === 'manual',
			emitExisting: options.emitExisting === true,
			maxRecords: Math.max(1, Math.floor(Number(options.maxRecords ?? DEFAULT_MAX_RECORDS))),
			overlapSeconds: Math.max(0, Number(options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS)),
			maxSeen: DEFAULT_MAX_SEEN,
		});
		if (outcome.cursor) staticData.cursor = outcome.cursor as unknown as IDataObject;
		if (!outcome.records.length) return null;
		return [outcome.records.map((record) => ({ json: record }))];
	}
}
