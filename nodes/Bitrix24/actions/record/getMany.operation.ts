import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { executeEachItem } from '../../../common/executeEachItem';
import { parseJsonParameter } from '../../../common/jsonParameter';
import { normaliseParsedListElements, type PropertyValueMode } from '../../helpers/listElement';
import { listParams, type ListMethod } from '../../helpers/listMethods';
import { entityTypeIdFor, iblockFor } from '../../helpers/locators';
import { entityTypeIdProperty, listLocationProperties } from '../../helpers/recordTarget';
import { fetchRecords } from '../../transport/pager';
import { readerIo } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'List Method',
		name: 'listMethod',
		type: 'options',
		// Expressions allowed on purpose: the dictionaries workflow reads every list through one node, one config item each.
		default: 'crm.item.list',
		options: [
			{ name: 'CRM Items (crm.item.list)', value: 'crm.item.list', description: 'Leads, deals, contacts, companies and smart processes' },
			{ name: 'CRM Pipelines (crm.category.list)', value: 'crm.category.list' },
			{ name: 'CRM Reference Lists (crm.status.list)', value: 'crm.status.list', description: 'Stages, sources, types… by ENTITY_ID' },
			{ name: 'Departments (department.get)', value: 'department.get' },
			{ name: 'List Elements (lists.element.get)', value: 'lists.element.get', description: 'Elements of a universal list' },
			{ name: 'Smart Process Types (crm.type.list)', value: 'crm.type.list' },
			{ name: 'Users (user.get)', value: 'user.get' },
		],
	},
	{ ...entityTypeIdProperty, displayOptions: { show: { listMethod: ['crm.item.list', 'crm.category.list'] } } },
	...listLocationProperties({ listMethod: ['lists.element.get'] }),
	{
		displayName: 'Reference List (ENTITY_ID)',
		name: 'statusEntityId',
		type: 'string',
		default: '',
		placeholder: 'SOURCE',
		description: 'For example STATUS, SOURCE, DEAL_STAGE or DEAL_STAGE_1; empty reads every reference list',
		displayOptions: { show: { listMethod: ['crm.status.list'] } },
	},
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Extra Params (JSON)',
				name: 'extraParams',
				type: 'json',
				default: '{}',
				description: 'Other params sent as they are, for example {"useOriginalUfNames": "Y"} or {"ADMIN_MODE": true}',
			},
			{
				displayName: 'Filter (JSON)',
				name: 'filter',
				type: 'json',
				default: '{}',
				description:
					'In the method\'s own field names, with Bitrix24 prefixes (&gt;, &gt;=, &lt;, &lt;=, !, %, @), for example {"ACTIVE": true} for users or {"&gt;updatedTime": "2026-01-01"} for CRM items',
			},
			{
				displayName: 'List Property Values',
				name: 'propertyValues',
				type: 'options',
				default: 'auto',
				description: 'How lists.element.get property values, which Bitrix24 returns as {valueId: value} objects, are output',
				options: [
					{ name: 'Value, or Array When Several', value: 'auto' },
					{ name: 'Always an Array', value: 'array' },
					{ name: 'As Bitrix24 Returns Them', value: 'raw' },
				],
			},
			{
				displayName: 'Order (JSON)',
				name: 'order',
				type: 'json',
				default: '{}',
				description: 'For example {"title": "ASC"}. A custom order pages by start/next, which is slower on big lists than the default order by ID.',
			},
			{
				displayName: 'Read Start/Next Lists Twice',
				name: 'readOffsetTwice',
				type: 'boolean',
				default: false,
				description:
					'Whether a list paged by start/next (reference lists, pipelines, departments, or any custom order) is read a second time after the first, and every record of either read is output once. A record that a change during the scan shifted past a page boundary is then still output, so a record missing from the output is missing from both reads. Use it before marking records deleted. Lists paged by ID are never read twice.',
			},
			{
				displayName: 'Select',
				name: 'select',
				type: 'string',
				default: '',
				placeholder: 'title, ufCrm5Code',
				description: 'Comma-separated fields to return (crm.item.list, lists.element.get); empty returns the default set',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const method = this.getNodeParameter('listMethod', itemIndex) as ListMethod;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const usesEntityType = method === 'crm.item.list' || method === 'crm.category.list';
		const isList = method === 'lists.element.get';
		const jsonOption = (name: string, label: string) =>
			parseJsonParameter<IDataObject>(this, `options.${name}`, itemIndex, { label, shape: 'object', empty: {} });
		const params = listParams(method, {
			entityTypeId: usesEntityType ? entityTypeIdFor(this, itemIndex) : undefined,
			iblockTypeId: isList ? (this.getNodeParameter('iblockTypeId', itemIndex, 'lists') as string) : undefined,
			iblock: isList ? iblockFor(this, itemIndex) : undefined,
			statusEntityId: method === 'crm.status.list' ? (this.getNodeParameter('statusEntityId', itemIndex, '') as string) : undefined,
			filter: jsonOption('filter', 'Filter'),
			order: jsonOption('order', 'Order'),
			select: String(options.select ?? '')
				.split(',')
				.map((field) => field.trim())
				.filter(Boolean),
			extra: jsonOption('extraParams', 'Extra Params'),
		});
		const mode = (options.propertyValues as PropertyValueMode | undefined) ?? 'auto';
		return await fetchRecords(
			readerIo(this, itemIndex),
			method,
			params,
			limit,
			// Each batch's elements as they arrive: the {valueId: value} objects they drop then die young.
			isList ? (elements) => normaliseParsedListElements(elements, mode) : undefined,
			{ readOffsetTwice: Boolean(options.readOffsetTwice) },
		);
	});
}
