import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { BUILT_IN_ENTITY_TYPES } from '../helpers/locators';
import { bitrix24Request, portalOf } from '../transport/request';

/** Pages of lists.get a name search reads before it answers: list counts are small, 50 lists per page. */
export const LIST_SEARCH_MAX_PAGES = 20;

function matches(entry: INodeListSearchItems, needle: string): boolean {
	return !needle || entry.name.toLowerCase().includes(needle) || String(entry.value) === needle;
}

/**
 * The built-in entity types (first page only), then the smart processes from crm.type.list: searched by the
 * portal (`%title`, Bitrix24's LIKE), 50 per page, the page token being Bitrix24's `next`.
 */
export async function searchEntityTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const builtIn: INodeListSearchItems[] =
		paginationToken === undefined
			? BUILT_IN_ENTITY_TYPES.map((type) => ({ name: `${type.name} (${type.entityTypeId})`, value: String(type.entityTypeId) })).filter(
					(entry) => matches(entry, needle),
				)
			: [];
	const portal = await portalOf(this);
	const answer = await bitrix24Request(
		this,
		'crm.type.list',
		{
			order: { entityTypeId: 'ASC' },
			...(needle ? { filter: { '%title': filter!.trim() } } : {}),
			start: Number(paginationToken) || 0,
		},
		{ idempotent: true, portal },
	);
	const types = ((answer.result as IDataObject | undefined)?.types as IDataObject[] | undefined) ?? [];
	const smartProcesses = types.map((type) => ({
		name: `${String(type.title ?? type.entityTypeId)} (${String(type.entityTypeId)})`,
		value: String(type.entityTypeId),
		url: `${portal.origin}/crm/type/${String(type.entityTypeId)}/list/`,
	}));
	const next = answer.next;
	return {
		results: [...builtIn, ...smartProcesses],
		...(next !== undefined && next !== null ? { paginationToken: String(next) } : {}),
	};
}

/**
 * The universal lists of the chosen List Type (lists.get, 50 per page). lists.get has no name filter, so a search
 * reads pages until it has matches (at most LIST_SEARCH_MAX_PAGES) and hands on the page token where it stopped.
 */
export async function searchLists(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const iblockTypeId = String(this.getNodeParameter('iblockTypeId', 'lists') || 'lists');
	const needle = (filter ?? '').trim().toLowerCase();
	const portal = await portalOf(this);
	const results: INodeListSearchItems[] = [];
	let start: number | undefined = Number(paginationToken) || 0;
	for (let pages = 0; start !== undefined && pages < LIST_SEARCH_MAX_PAGES && results.length === 0; pages++) {
		const answer = await bitrix24Request(this, 'lists.get', { IBLOCK_TYPE_ID: iblockTypeId, start }, { idempotent: true, portal });
		for (const list of (answer.result as IDataObject[] | undefined) ?? []) {
			const code = String(list.CODE ?? '');
			const entry: INodeListSearchItems = {
				name: `${String(list.NAME ?? list.ID)}${code ? ` (${code})` : ''}`,
				value: String(list.ID),
				url: `${portal.origin}/company/lists/${String(list.ID)}/view/0/`,
			};
			if (matches(entry, needle)) results.push(entry);
		}
		start = answer.next !== undefined && answer.next !== null ? Number(answer.next) : undefined;
		if (!needle) break;
	}
	return { results, ...(start !== undefined ? { paginationToken: String(start) } : {}) };
}
