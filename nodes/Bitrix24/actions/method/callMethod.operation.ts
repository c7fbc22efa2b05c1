import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { parseJsonParameter } from '../../../common/jsonParameter';
import { normaliseBatchResult, recordsOf } from '../../helpers/envelope';
import { bitrix24Request, isReadMethod } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'methodName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'crm.item.fields',
		description: 'Any Bitrix24 REST method the webhook\'s scopes allow, e.g. crm.item.fields, tasks.task.list, batch',
	},
	{
		displayName: 'Params (JSON)',
		name: 'params',
		type: 'json',
		default: '{}',
		description: 'The method\'s params as JSON, e.g. {"entityTypeId": 2}',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Split Result Into Items',
				name: 'splitResult',
				type: 'boolean',
				default: false,
				description: 'Whether to output one item per record of the result (result[], result.items[]…) instead of one item with the whole answer. Only the page Bitrix24 answered is read.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['method'], operation: ['call'] } }, properties);

const METHOD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/i;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const method = String(this.getNodeParameter('methodName', itemIndex)).trim().replace(/\.json$/i, '');
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		// The method becomes part of the URL path under the secret webhook base, so only REST-shaped names pass.
		if (!METHOD_NAME.test(method)) {
			throw new NodeOperationError(this.getNode(), `"${method}" is not a Bitrix24 REST method name`, { itemIndex });
		}
		const params = parseJsonParameter<IDataObject>(this, 'params', itemIndex, { label: 'Params', shape: 'object', empty: {} });
		const body = await bitrix24Request(this, method, params, {
			itemIndex,
			// Reads may be asked again after a lost answer; anything that may write is sent once.
			idempotent: isReadMethod(method),
		});
		if (options.splitResult) return recordsOf(body.result);
		if (method.toLowerCase() === 'batch') return { ...normaliseBatchResult(body) } as unknown as IDataObject;
		const output: IDataObject = { result: body.result as IDataObject };
		if (body.total !== undefined) output.total = body.total;
		if (body.next !== undefined) output.next = body.next;
		return output;
	});
}
