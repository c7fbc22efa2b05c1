import { NodeOperationError, type IDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { ENTERPRISE_RATE, STANDARD_RATE, type RateSettings } from '../transport/request';

/** Shown on every operation: the portal's REST budget, shared by every workflow of this n8n process. */
export const rateLimitProperties: INodeProperties[] = [
	{
		displayName: 'Portal Rate Limit',
		name: 'rateLimit',
		type: 'options',
		noDataExpression: true,
		default: 'standard',
		description:
			'Requests this n8n process sends to the portal, shared by every workflow using it. Bitrix24 blocks a portal that goes faster (QUERY_LIMIT_EXCEEDED).',
		options: [
			{ name: 'Standard Plans (2 Req/s, Burst 50)', value: 'standard' },
			{ name: 'Enterprise (5 Req/s, Burst 250)', value: 'enterprise' },
			{ name: 'Custom', value: 'custom' },
		],
	},
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 2 },
		default: 2,
		displayOptions: { show: { rateLimit: ['custom'] } },
	},
	{
		displayName: 'Burst',
		name: 'burst',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Requests allowed at once before the rate applies',
		displayOptions: { show: { rateLimit: ['custom'] } },
	},
];

export function rateSettings(context: IExecuteFunctions, itemIndex: number): RateSettings {
	const mode = context.getNodeParameter('rateLimit', itemIndex, 'standard') as string;
	if (mode === 'enterprise') return ENTERPRISE_RATE;
	if (mode === 'custom') {
		return {
			ratePerSecond: Number(context.getNodeParameter('requestsPerSecond', itemIndex, 2)),
			burst: Number(context.getNodeParameter('burst', itemIndex, 50)),
		};
	}
	return STANDARD_RATE;
}

/** A JSON parameter as an object; n8n hands it over as text or as an already parsed value. */
export function jsonObjectParameter(
	context: IExecuteFunctions,
	value: unknown,
	name: string,
	itemIndex: number,
): Record<string, unknown> {
	if (value === undefined || value === null || value === '') return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(context.getNode(), `"${name}" is not valid JSON (item ${itemIndex})`, { itemIndex });
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(context.getNode(), `"${name}" must be a JSON object (item ${itemIndex})`, { itemIndex });
	}
	return parsed as Record<string, unknown>;
}

/** Which universal list a lists.element.* call targets: IBLOCK_TYPE_ID plus IBLOCK_ID or IBLOCK_CODE. */
export function listLocationProperties(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'List Type',
			name: 'iblockTypeId',
			type: 'options',
			default: 'lists',
			description: 'IBLOCK_TYPE_ID',
			options: [
				{ name: 'Lists', value: 'lists' },
				{ name: 'Processes', value: 'bitrix_processes' },
				{ name: 'Workgroup Lists', value: 'lists_socnet' },
			],
			displayOptions: { show },
		},
		{
			displayName: 'List ID or Code',
			name: 'iblock',
			type: 'string',
			required: true,
			default: '',
			placeholder: '25',
			description: 'IBLOCK_ID (a number) or IBLOCK_CODE',
			displayOptions: { show },
		},
	];
}
