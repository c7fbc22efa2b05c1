import type { IDataObject } from 'n8n-workflow';

/** The list methods Get Many reads. */
export const LIST_METHODS = [
	'crm.item.list',
	'crm.type.list',
	'crm.status.list',
	'crm.category.list',
	'lists.element.get',
	'user.get',
	'department.get',
] as const;

export type ListMethod = (typeof LIST_METHODS)[number];

/**
 * How one method is keyset-paged, in its own parameter names. A misnamed order or filter is silently
 * ignored by Bitrix24 and the loop would re-read page 1, so each method spells them its own way:
 * crm.item.list / crm.type.list `order`/`filter` with lowercase `id`; user.get `sort`/`order`/`FILTER`;
 * lists.element.get `ELEMENT_ORDER`/`FILTER` with `ID`.
 */
export interface KeysetNames {
	idField: 'id' | 'ID';
	/** From a command's `result` to its record array, for `$result[cmd][…][49][id]`. */
	recordsPath: string[];
	/** The params of one keyset page after `after` (none for the first page), `start=-1` so no COUNT runs. */
	page(params: IDataObject, after: unknown): IDataObject;
	/** True when the caller's own order or id bound would be overridden: then offset paging is used. */
	conflicts(params: IDataObject): boolean;
}

function objectParam(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

function hasLowerBound(filter: unknown, idField: string): boolean {
	return Object.keys(objectParam(filter)).some((key) => key === `>${idField}` || key === `>=${idField}`);
}

function ordersOnlyBy(order: unknown, field: string): boolean {
	const entries = Object.entries(objectParam(order));
	return entries.length === 0 || (entries.length === 1 && entries[0][0] === field && String(entries[0][1]).toUpperCase() === 'ASC');
}

/** A select list without the id would leave the `$result[…][49][id]` reference nothing to point at. */
function withId(select: IDataObject[string], idField: string): IDataObject[string] {
	if (!Array.isArray(select) || !select.length) return select;
	const fields = select.map(String);
	return fields.includes('*') || fields.includes(idField) ? select : [idField, ...fields];
}

function crmKeyset(recordsPath: string[]): KeysetNames {
	return {
		idField: 'id',
		recordsPath,
		page: (params, after) => ({
			...params,
			...(params.select ? { select: withId(params.select, 'id') } : {}),
			order: { id: 'ASC' },
			filter: after === undefined ? objectParam(params.filter) : { ...objectParam(params.filter), '>id': after },
			start: -1,
		}),
		conflicts: (params) => !ordersOnlyBy(params.order, 'id') || hasLowerBound(params.filter, 'id'),
	};
}

export const KEYSET: Partial<Record<string, KeysetNames>> = {
	'crm.item.list': crmKeyset(['items']),
	'crm.type.list': crmKeyset(['types']),
	'lists.element.get': {
		idField: 'ID',
		recordsPath: [],
		page: (params, after) => ({
			...params,
			...(params.SELECT ? { SELECT: withId(params.SELECT, 'ID') } : {}),
			ELEMENT_ORDER: { ID: 'ASC' },
			FILTER: after === undefined ? objectParam(params.FILTER) : { ...objectParam(params.FILTER), '>ID': after },
			start: -1,
		}),
		conflicts: (params) =>
			!ordersOnlyBy(params.ELEMENT_ORDER, 'ID') ||
			hasLowerBound(params.FILTER, 'ID') ||
			Boolean(params.ELEMENT_ID) ||
			Boolean(params.ELEMENT_CODE),
	},
	'user.get': {
		idField: 'ID',
		recordsPath: [],
		page: (params, after) => ({
			...params,
			sort: 'ID',
			order: 'ASC',
			FILTER: after === undefined ? objectParam(params.FILTER) : { ...objectParam(params.FILTER), '>ID': after },
			start: -1,
		}),
		conflicts: (params) =>
			(params.sort !== undefined && String(params.sort).toUpperCase() !== 'ID') ||
			(params.order !== undefined && String(params.order).toUpperCase() !== 'ASC') ||
			hasLowerBound(params.FILTER, 'ID'),
	},
};

/** The keyset names for a method and its params, or undefined when it must be paged by start/next. */
export function keysetFor(method: string, params: IDataObject): KeysetNames | undefined {
	const names = KEYSET[method];
	return names && !names.conflicts(params) ? names : undefined;
}

export interface GetManyQuery {
	entityTypeId?: number;
	iblockTypeId?: string;
	/** A numeric IBLOCK_ID or an IBLOCK_CODE. */
	iblock?: string;
	statusEntityId?: string;
	filter?: IDataObject;
	/** `{field: 'ASC'|'DESC'}` */
	order?: IDataObject;
	select?: string[];
	/** Extra params merged last, e.g. `useOriginalUfNames: 'Y'`, `ADMIN_MODE: true`. */
	extra?: IDataObject;
}

function present(object: IDataObject | undefined): IDataObject | undefined {
	return object && Object.keys(object).length ? object : undefined;
}

function withoutEmpty(params: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== ''));
}

/** The method's own params for a Get Many query: each method names filter, order and select differently. */
export function listParams(method: ListMethod, query: GetManyQuery): IDataObject {
	const filter = present(query.filter);
	const order = present(query.order);
	const select = query.select?.length ? query.select : undefined;
	let params: IDataObject;
	switch (method) {
		case 'crm.item.list':
			params = { entityTypeId: query.entityTypeId, filter, order, select };
			break;
		case 'crm.type.list':
			params = { filter, order };
			break;
		case 'crm.status.list':
			params = { filter: present({ ...(query.statusEntityId ? { ENTITY_ID: query.statusEntityId } : {}), ...filter }), order };
			break;
		case 'crm.category.list':
			params = { entityTypeId: query.entityTypeId };
			break;
		case 'lists.element.get': {
			const iblock = String(query.iblock ?? '').trim();
			params = {
				IBLOCK_TYPE_ID: query.iblockTypeId || 'lists',
				...(/^\d+$/.test(iblock) ? { IBLOCK_ID: Number(iblock) } : { IBLOCK_CODE: iblock }),
				FILTER: filter,
				ELEMENT_ORDER: order,
				SELECT: select,
			};
			break;
		}
		case 'user.get': {
			const [sort, direction] = Object.entries(order ?? {})[0] ?? [];
			params = { FILTER: filter, sort, order: direction };
			break;
		}
		case 'department.get': {
			const [sort, direction] = Object.entries(order ?? {})[0] ?? [];
			// department.get takes its filter fields (ID, NAME, PARENT, UF_HEAD) at the top level.
			params = { ...filter, sort, order: direction };
			break;
		}
	}
	return withoutEmpty({ ...params, ...query.extra });
}
