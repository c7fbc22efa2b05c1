import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem, itemError } from '../../../common/executeEachItem';
import { describeFailure } from '../../../common/httpFailure';
import { hubeeRequest } from '../../transport';
import { requireId } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Notification ID',
		name: 'notificationId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		description: 'The notification to delete (acknowledge). Delete it last, once every side effect is done.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Ignore Missing',
				name: 'ignoreMissing',
				type: 'boolean',
				default: true,
				description: 'Whether a notification already deleted (404, e.g. on a re-run after a crash) counts as done',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['delete'] } }, properties);

/** Deletes sent at once: a DELETE is idempotent (a second one is a 404, counted as done) and touches one notification. */
const DELETE_CONCURRENCY = 3;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const id = requireId(this, 'notificationId', 'Notification ID', itemIndex);
		const { ignoreMissing = true } = this.getNodeParameter('options', itemIndex, {}) as { ignoreMissing?: boolean };
		try {
			await hubeeRequest(this, { method: 'DELETE', path: `/notifications/${id}`, itemIndex });
			return { id, deleted: true };
		} catch (error) {
			if (ignoreMissing && describeFailure(error).status === 404) return { id, deleted: false, alreadyDeleted: true };
			throw itemError(this, error, itemIndex);
		}
	}, { concurrency: DELETE_CONCURRENCY });
}
