import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseJsonParameter } from '../../common/jsonParameter';

export type RecordEntity = 'crmItem' | 'listElement';

/** The crm.item entity type (crm.item.* takes entityTypeId; smart processes have their own ids). */
export const entityTypeIdProperty: INodeProperties = {
	displayName: 'Entity Type ID',
	name: 'entityTypeId',
	type: 'number',
	required: true,
	default: 2,
	description: '1 lead, 2 deal, 3 contact, 4 company, or a smart process entityTypeId',
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
	const iblock = String(context.getNodeParameter('iblock', itemIndex)).trim();
	return {
		IBLOCK_TYPE_ID: context.getNodeParameter('iblockTypeId', itemIndex, 'lists') as string,
		...(/^\d+$/.test(iblock) ? { IBLOCK_ID: Number(iblock) } : { IBLOCK_CODE: iblock }),
	};
}

/** entityTypeId and id of the CRM item an Update or Delete targets. */
export function crmItemAddress(context: ParameterContext, itemIndex: number): { entityTypeId: number; id: string } {
	return {
		entityTypeId: context.getNodeParameter('entityTypeId', itemIndex) as number,
		id: String(context.getNodeParameter('itemId', itemIndex)).trim(),
	};
}

export function fieldsParameter(context: ParameterContext, name: 'fields' | 'elementFields', itemIndex: number): IDataObject {
	return parseJsonParameter<IDataObject>(context, name, itemIndex, { label: 'Fields', shape: 'object', empty: {} });
}
