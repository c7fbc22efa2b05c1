import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { idFromUrl, locatorIdFor, locatorValue } from '../../common/resourceLocator';

/**
 * The CRM entity types crm.item.* serves without a smart process of their own (crm.type.list lists only smart
 * processes): leads 1, deals 2, contacts 3, companies 4, quotes 7, invoices 31 (the new, smart-process-based ones).
 */
export const BUILT_IN_ENTITY_TYPES = [
	{ entityTypeId: 1, name: 'Lead', path: 'lead' },
	{ entityTypeId: 2, name: 'Deal', path: 'deal' },
	{ entityTypeId: 3, name: 'Contact', path: 'contact' },
	{ entityTypeId: 4, name: 'Company', path: 'company' },
	{ entityTypeId: 7, name: 'Quote', path: 'quote' },
	{ entityTypeId: 31, name: 'Invoice', path: 'type/31' },
] as const;

/**
 * A portal page of an entity type: `/crm/type/<entityTypeId>/…` for smart processes and invoices,
 * `/crm/deal/…`, `/crm/lead/…`, `/crm/contact/…`, `/crm/company/…`, `/crm/quote/…` for the others.
 */
export const ENTITY_TYPE_URL_PATTERN = /^https?:\/\/[^/]+\/crm\/(type\/\d+|lead|deal|contact|company|quote)(?:[/?#]|$)/i;

/** A universal list's page: `/company/lists/<IBLOCK_ID>/…`, `/workgroups/group/<g>/lists/<IBLOCK_ID>/…`, `/bizproc/processes/<IBLOCK_ID>/…`. */
export const LIST_URL_PATTERN = /^https?:\/\/[^/]+\/(?:.*\/)?(?:lists|processes)\/(\d+)(?:[/?#]|$)/i;

/** The entityTypeId a portal link names, or undefined. */
export function entityTypeIdFromUrl(url: string): number | undefined {
	const segment = idFromUrl(url, ENTITY_TYPE_URL_PATTERN)?.toLowerCase();
	if (segment === undefined) return undefined;
	if (segment.startsWith('type/')) return Number(segment.slice('type/'.length));
	return BUILT_IN_ENTITY_TYPES.find((type) => type.path === segment)?.entityTypeId;
}

/** The Entity Type parameter of one item: a locator, or the number saved before it was one. */
export function entityTypeIdFor(context: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>, itemIndex: number): number {
	return entityTypeIdOf(context.getNode(), context.getNodeParameter('entityTypeId', itemIndex, ''), itemIndex);
}

/** The entityTypeId an Entity Type parameter value names (the polling trigger reads it without items); a failure names the item. */
export function entityTypeIdOf(node: INode, raw: unknown, itemIndex: number): number {
	const { mode, value } = locatorValue(raw);
	const entityTypeId = mode === 'url' ? entityTypeIdFromUrl(value) : /^\d+$/.test(value) ? Number(value) : undefined;
	if (entityTypeId === undefined || entityTypeId <= 0) {
		throw new NodeOperationError(node, `Entity Type: "${value}" is not an entityTypeId`, {
			itemIndex,
			description:
				mode === 'url'
					? 'Give the link of a CRM list page, such as https://<portal>/crm/type/1030/list/ or https://<portal>/crm/deal/list/.'
					: 'Give a number: 1 lead, 2 deal, 3 contact, 4 company, 7 quote, 31 invoice, or a smart process entityTypeId.',
		});
	}
	return entityTypeId;
}

/** The List parameter of one item: IBLOCK_ID (digits) or IBLOCK_CODE. */
export function iblockFor(context: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>, itemIndex: number): string {
	const iblock = locatorIdFor(context, 'iblock', itemIndex, {
		label: 'List',
		urlPattern: LIST_URL_PATTERN,
		urlExample: 'https://<portal>/company/lists/25/view/0/',
	});
	if (!iblock) throw new NodeOperationError(context.getNode(), 'List: give the list (its IBLOCK_ID or IBLOCK_CODE)', { itemIndex });
	return iblock;
}
