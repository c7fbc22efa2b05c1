import type { IDataObject } from 'n8n-workflow';

/** Grist table and column ids are Python identifiers; anything else cannot name a column. */
const GRIST_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function quoteIdentifier(identifier: string): string {
	if (!GRIST_IDENTIFIER.test(identifier)) {
		throw new Error(`"${identifier}" is not a Grist table or column id (letters, digits and _ only)`);
	}
	return `"${identifier}"`;
}

export interface SortKey {
	colId: string;
	descending: boolean;
}

/** `name,-created` (Grist's own sort syntax) → sort keys. */
export function parseSort(sort: string): SortKey[] {
	return sort
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) =>
			part.startsWith('-') ? { colId: part.slice(1).trim(), descending: true } : { colId: part, descending: false },
		);
}

export interface PageQueryInput {
	tableId: string;
	pageSize: number;
	/** colId → allowed values, as in Grist's `filter` parameter. */
	filter?: Record<string, unknown[]>;
	sort?: SortKey[];
	/** The last row of the previous page (its sort columns and id); absent for the first page. */
	after?: IDataObject;
}

export interface SqlStatement {
	sql: string;
	args: unknown[];
}

/** The sort keys with the row id as the final tie-breaker, so the order is total. */
export function keysetOrder(sort: readonly SortKey[] = []): SortKey[] {
	const idKey = sort.find((key) => key.colId === 'id');
	return [...sort.filter((key) => key.colId !== 'id'), { colId: 'id', descending: idKey?.descending ?? false }];
}

/**
 * Rows strictly after `last` in the given order. SQLite sorts NULL first, so on an ascending key
 * everything non-null comes after a NULL, and on a descending key NULLs come last.
 */
function afterCondition(order: readonly SortKey[], last: IDataObject, args: unknown[]): string {
	const disjuncts: string[] = [];
	for (let position = 0; position < order.length; position++) {
		const parts: string[] = [];
		const partArgs: unknown[] = [];
		for (const key of order.slice(0, position)) {
			const value = last[key.colId];
			if (value === null || value === undefined) parts.push(`${quoteIdentifier(key.colId)} IS NULL`);
			else {
				parts.push(`${quoteIdentifier(key.colId)} = ?`);
				partArgs.push(value);
			}
		}
		const key = order[position];
		const column = key.colId === 'id' ? 'id' : quoteIdentifier(key.colId);
		const value = last[key.colId];
		if (value === null || value === undefined) {
			if (key.descending) continue;
			parts.push(`${column} IS NOT NULL`);
		} else if (key.descending) {
			parts.push(`(${column} < ? OR ${column} IS NULL)`);
			partArgs.push(value);
		} else {
			parts.push(`${column} > ?`);
			partArgs.push(value);
		}
		disjuncts.push(parts.length > 1 ? `(${parts.join(' AND ')})` : parts[0]);
		args.push(...partArgs);
	}
	return disjuncts.length > 1 ? `(${disjuncts.join(' OR ')})` : disjuncts[0];
}

/**
 * One page of `SELECT *` for POST /sql. `/records` cannot page (limit only, issue grist-core#2531), so we
 * page by keyset: without a sort `id > last ORDER BY id`, with a sort on (sort columns, id). Unlike
 * OFFSET, a keyset neither skips nor repeats rows when others are added or removed between pages.
 */
export function buildPageQuery(input: PageQueryInput): SqlStatement {
	const conditions: string[] = [];
	const args: unknown[] = [];
	for (const [colId, values] of Object.entries(input.filter ?? {})) {
		if (!Array.isArray(values) || !values.length) throw new Error(`filter on "${colId}" must list at least one value`);
		if (values.length === 1) {
			conditions.push(`${quoteIdentifier(colId)} = ?`);
		} else {
			conditions.push(`(${values.map(() => `${quoteIdentifier(colId)} = ?`).join(' OR ')})`);
		}
		args.push(...values);
	}
	const order = keysetOrder(input.sort);
	if (input.after) conditions.push(afterCondition(order, input.after, args));
	const orderBy = order.map((key) => `${key.colId === 'id' ? 'id' : quoteIdentifier(key.colId)} ${key.descending ? 'DESC' : 'ASC'}`);
	let sql = `SELECT * FROM ${quoteIdentifier(input.tableId)}`;
	if (conditions.length) sql += ` WHERE ${conditions.join(' AND ')}`;
	sql += ` ORDER BY ${orderBy.join(', ')} LIMIT ${Math.max(1, Math.floor(input.pageSize))}`;
	return { sql, args };
}

/** Helper columns Grist keeps for its UI, which `SELECT *` returns but `/records` hides. */
export function isHiddenColumn(colId: string): boolean {
	return colId === 'manualSort' || colId.startsWith('gristHelper_');
}

/** `{fields: {id, …}}` from /sql → `{id, …}` without Grist's helper columns. */
export function sqlRowToRecord(row: IDataObject): IDataObject {
	const fields = (row.fields ?? row) as IDataObject;
	const record: IDataObject = {};
	for (const [colId, value] of Object.entries(fields)) {
		if (!isHiddenColumn(colId)) record[colId] = value;
	}
	return record;
}
