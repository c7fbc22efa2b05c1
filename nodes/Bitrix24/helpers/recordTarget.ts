import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseJsonParameter } from '../../common/jsonParameter';
import { ENTITY_TYPE_URL_PATTERN, LIST_URL_PATTERN, entityTypeIdFor, iblockFor } from './locators';

export type RecordEntity = 'crmItem' | 'listElement';

/** The crm.item entity type (crm.item.* takes entityTypeId; smart processes have their own ids). A number saved before this was a picker is read as the ID mode. */
export const entityTypeIdProperty: INodeProperties = {
	displayName: 'Entity Type',
	name: 'entityTypeId',
	type: 'resourceLocator',
	required: true,
	// Deals (2) were the default before this was a picker and n8n leaves a default value out of the saved workflow:
	// keeping 2 keeps those workflows on deals.
	default: { mode: 'id', value: '2' },
	description: 'The CRM entity type (entityTypeId): lead, deal, contact, company, quote, invoice or a smart process',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchEntityTypes', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://example.bitrix24.com/crm/type/1030/list/category/0/',
			// The editor checks the link with the pattern the node extracts the ID with.
			validation: [{ type: 'regex', properties: { regex: ENTITY_TYPE_URL_PATTERN.source, errorMessage: 'Not a link to a CRM list of the portal' } }],
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 2',
			hint: '1 lead, 2 deal, 3 contact, 4 company, 7 quote, 31 invoice, or a smart process entityTypeId (usually 1030 or more)',
			validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'An entityTypeId is a number' } }],
		},
	],
};

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
			displayName: 'List',
			name: 'iblock',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: 'The universal list (IBLOCK_ID, or IBLOCK_CODE in the ID mode), of the list type above',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchLists', searchable: true },
				},
				{
					displayName: 'By URL',
					name: 'url',
					type: 'string',
					placeholder: 'e.g. https://example.bitrix24.com/company/lists/25/view/0/',
					// The editor checks the link with the pattern the node extracts the ID with.
					validation: [{ type: 'regex', properties: { regex: LIST_URL_PATTERN.source, errorMessage: 'Not a link to a list of the portal' } }],
				},
				{ displayName: 'ID or Code', name: 'id', type: 'string', placeholder: 'e.g. 25 or cities' },
			],
			displayOptions: { show },
		},
	];
}

/** Which record Create/Update/Delete act on: a CRM item (crm.item.*) or a universal list element (lists.element.*). */
export function targetProperties(operation: 'create' | 'update' | 'delete'): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Record Type',
			name: 'entity',
			type: 'options',
			noDataExpression: true,
			default: 'crmItem',
			options: [
				{ name: 'CRM Item', value: 'crmItem', description: 'Lead, deal, contact, company or smart-process item (crm.item.*)' },
				{ name: 'List Element', value: 'listElement', description: 'Element of a universal list (lists.element.*)' },
			],
		},
		{ ...entityTypeIdProperty, displayOptions: { show: { entity: ['crmItem'] } } },
		...listLocationProperties({ entity: ['listElement'] }),
	];
	if (operation === 'create') {
		properties.push({
			displayName: 'Element Code',
			name: 'elementCode',
			type: 'string',
			required: true,
			default: '',
			description: 'ELEMENT_CODE, unique in the list. Bitrix24 refuses a second element with the same code, so a repeated create cannot duplicate it.',
			displayOptions: { show: { entity: ['listElement'] } },
		});
	} else {
		properties.push(
			{
				displayName: 'Item ID',
				name: 'itemId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: { show: { entity: ['crmItem'] } },
			},
			{
				displayName: 'Element ID',
				name: 'elementId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: { show: { entity: ['listElement'] } },
			},
		);
	}
	if (operation !== 'delete') {
		properties.push(
			{
				displayName: 'Fields (JSON)',
				name: 'fields',
				type: 'json',
				required: true,
				default: '{}',
				description: 'CRM item fields in camelCase, e.g. {"title": "Paris", "ufCrm5Code": "75"}',
				displayOptions: { show: { entity: ['crmItem'] } },
			},
			{
				displayName: 'Fields (JSON)',
				name: 'elementFields',
				type: 'json',
				required: true,
				default: '{"NAME": ""}',
				description:
					operation === 'update'
						? 'All fields of the element, e.g. {"NAME": "Paris", "PROPERTY_101": "75"}. Bitrix24 replaces the whole element: a field left out is cleared.'
						: 'e.g. {"NAME": "Paris", "PROPERTY_101": "75"}; a multi-value property takes an array',
				displayOptions: { show: { entity: ['listElement'] } },
			},
		);
	}
	return properties;
}

type ParameterContext = Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;

/** IBLOCK_TYPE_ID plus IBLOCK_ID or IBLOCK_CODE. */
export function listAddress(context: ParameterContext, itemIndex: number): IDataObject {
	const iblock = iblockFor(context, itemIndex);
	return {
		IBLOCK_TYPE_ID: context.getNodeParameter('iblockTypeId', itemIndex, 'lists') as string,
		...(/^\d+$/.test(iblock) ? { IBLOCK_ID: Number(iblock) } : { IBLOCK_CODE: iblock }),
	};
}

/** entityTypeId and id of the CRM item an Update or Delete targets. */
export function crmItemAddress(context: ParameterContext, itemIndex: number): { entityTypeId: number; id: string } {
	return {
		entityTypeId: entityTypeIdFor(context, itemIndex),
		id: String(context.getNodeParameter('itemId', itemIndex)).trim(),
	};
}

export function fieldsParameter(context: ParameterContext, name: 'fields' | 'elementFields', itemIndex: number): IDataObject {
	return parseJsonParameter<IDataObject>(context, name, itemIndex, { label: 'Fields', shape: 'object', empty: {} });
}
