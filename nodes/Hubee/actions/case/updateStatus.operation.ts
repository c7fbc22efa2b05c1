import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { updateCaseStatus } from '../../transport/caseStatus';
import { authorOption, caseIdProperty, includeInputFieldsOption, notifyOslOption, statusOptions } from '../common.descriptions';
import { requireId } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	caseIdProperty,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: statusOptions,
		default: 'IN_PROGRESS',
		description:
			'The status to move the case to. Nothing is posted when the case is already there or further; a move backwards or sideways is refused.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			authorOption,
			includeInputFieldsOption('statusUpdate'),
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Text of the STATUS_UPDATE event, shown to the OSL',
			},
			notifyOslOption,
			{
				displayName: 'PATCH the Case First',
				name: 'patchCaseFirst',
				type: 'boolean',
				default: false,
				description:
					'Whether to PATCH /cases/{ID} with the status before posting the STATUS_UPDATE event, as the older contract text describes (DINUM\'s current script only posts the event)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['case'], operation: ['updateStatus'] } }, properties);

/**
 * Cases moved at once. Each move is a read then a write of ONE case, so moves of different cases are independent;
 * items naming the same case run one after the other (the sequence key), so the second one reads what the first
 * posted and never posts the same status twice. The bound stays small: HubEE documents no rate limit.
 */
const STATUS_CONCURRENCY = 3;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex, item) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const target = String(this.getNodeParameter('status', itemIndex) ?? '').trim();
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const outcome = await updateCaseStatus(this, {
			caseId,
			target,
			author: String(options.author ?? 'n8n') || 'n8n',
			message: options.message ? String(options.message) : undefined,
			notifyOsl: options.notifyOsl !== false,
			patchCaseFirst: options.patchCaseFirst === true,
			itemIndex,
		});
		if (outcome.refused) {
			throw new NodeOperationError(this.getNode(), outcome.refused, {
				itemIndex,
				description: 'The case status was read just now; nothing was posted.',
			});
		}
		return options.includeInputFields === true ? { ...item.json, statusUpdate: outcome.result } : outcome.result;
	}, { concurrency: STATUS_CONCURRENCY, sequenceKey: (itemIndex) => String(this.getNodeParameter('caseId', itemIndex, '')).trim() });
}
