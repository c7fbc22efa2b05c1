/**
 * The table sync's configuration, as data: which named tables ("dictionaries") to sync, how each maps source
 * fields to columns, its foreign key and protected columns, and the deletion guard. Validated here so that
 * every error names the field at fault.
 */
export interface ParentSpec {
	/** The parent's name in `dictionaries`; listed before the child. */
	dictionary: string;
	/** The source field holding the parent's source ID. */
	field: string;
	/** Column that stores the parent's source ID (compared and written). */
	btxidColumn: string;
	/** Column that gets the parent's local `id`, looked up from `btxidColumn` after the writes. */
	idColumn: string;
	/** The parent's table (filled in from the parent's spec). */
	table: string;
}

export interface TableSpec {
	dictionary: string;
	table: string;
	/** Passed through untouched for the node that fetches the records (e.g. Bitrix24 list method and params). */
	source: Record<string, unknown>;
	/** Source field holding the record's ID; `ID` (or `id`) when null. */
	idField: string | null;
	/** Source field → column. */
	fields: Record<string, string>;
	parent: ParentSpec | null;
	protectedColumns: string[];
	markDeleted: boolean;
	maxDeletedShare: number;
	chunkSize: number;
	/** The source's name in reports ("Bitrix24 fetch failed: …"). */
	sourceName: string;
	/** The SELECT that reads the table's current rows (and, for a child, the parent table's btxids). */
	readSql: string;
}

export class TableSyncConfigError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(`${field}: ${message}`);
		this.name = 'TableSyncConfigError';
	}
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Columns the sync manages itself: the local key, the upsert key and the soft-delete mark. */
const MANAGED = ['id', 'btxid', 'deleted_at'];

export const quote = (name: string): string => '`' + name + '`';

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function identifier(value: unknown, field: string, what: string): string {
	if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
		throw new TableSyncConfigError(field, `${JSON.stringify(value ?? null)} is not a plain ${what} name (letters, digits and _)`);
	}
	return value;
}

function readSqlOf(dictionary: string, table: string, columns: string[], parent: ParentSpec | null): string {
	// What the plan compares: the mapped columns, the parent's btxid and whether the row is marked deleted.
	// For a child, the parent table's btxids come along so that an unknown parent is caught before writing.
	const compared = [...columns, ...(parent ? [parent.btxidColumn] : [])];
	let sql =
		`SELECT '${dictionary}' AS _dictionary, 'row' AS _kind, ${quote('btxid')}, ${compared.map(quote).join(', ')}, ` +
		`(${quote('deleted_at')} IS NOT NULL) AS _deleted FROM ${quote(table)}`;
	if (parent) {
		sql +=
			` UNION ALL SELECT '${dictionary}', 'parent', ${quote('btxid')}, ${compared.map(() => 'NULL').join(', ')}, 0` +
			` FROM ${quote(parent.table)}`;
	}
	return sql;
}

/** The tables to sync, in config order (parents before their children), each checked. */
export function tablesFromConfig(config: unknown): TableSpec[] {
	if (!isObject(config)) throw new TableSyncConfigError('config', 'must be an object');
	const dictionaries = config.dictionaries;
	if (!isObject(dictionaries) || !Object.keys(dictionaries).length) {
		throw new TableSyncConfigError('dictionaries', 'must be an object with at least one table');
	}
	const names = Object.keys(dictionaries);
	const sync = config.sync ?? names;
	if (!Array.isArray(sync) || !sync.length) throw new TableSyncConfigError('sync', 'must be a non-empty list of dictionary names');
	const unknown = sync.filter((name) => !names.includes(String(name)));
	if (unknown.length) throw new TableSyncConfigError('sync', `unknown dictionaries ${unknown.join(', ')}; known: ${names.join(', ')}`);
	const markDeleted = config.markDeleted ?? true;
	if (typeof markDeleted !== 'boolean') throw new TableSyncConfigError('markDeleted', 'must be true or false');
	const maxDeletedShare = config.maxDeletedShare ?? 0.2;
	if (typeof maxDeletedShare !== 'number' || !(maxDeletedShare >= 0 && maxDeletedShare <= 1)) {
		throw new TableSyncConfigError('maxDeletedShare', 'must be a number between 0 and 1');
	}
	// n8n's MySQL node takes a chunk's rows through an expression; about 2000 rows stay within its memory limit.
	const chunkSize = config.chunkSize ?? 2000;
	if (typeof chunkSize !== 'number' || !Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 5000) {
		throw new TableSyncConfigError('chunkSize', 'must be a whole number between 1 and 5000');
	}

	const sourceName = config.sourceName ?? 'the source';
	if (typeof sourceName !== 'string' || !sourceName.trim()) throw new TableSyncConfigError('sourceName', 'must be a non-empty text');

	const tables: TableSpec[] = [];
	const tableNames = new Set<string>();
	for (const [position, name] of names.entries()) {
		if (!sync.includes(name)) continue;
		const at = `dictionaries.${name}`;
		identifier(name, at, 'dictionary');
		const d = dictionaries[name];
		if (!isObject(d)) throw new TableSyncConfigError(at, 'must be an object');
		const table = identifier(d.table, `${at}.table`, 'table');
		if (tableNames.has(table)) throw new TableSyncConfigError(`${at}.table`, `table ${table} is synced twice`);
		tableNames.add(table);
		if (!isObject(d.fields) || !Object.keys(d.fields).length) {
			throw new TableSyncConfigError(`${at}.fields`, 'must map at least one source field to a column');
		}
		const protectedColumns = d.protectedColumns ?? [];
		if (!Array.isArray(protectedColumns)) throw new TableSyncConfigError(`${at}.protectedColumns`, 'must be a list of column names');
		protectedColumns.forEach((column, i) => identifier(column, `${at}.protectedColumns[${i}]`, 'column'));
		const fields: Record<string, string> = {};
		for (const [field, column] of Object.entries(d.fields)) {
			const where = `${at}.fields.${field}`;
			identifier(column, where, 'column');
			if (MANAGED.includes(column as string)) throw new TableSyncConfigError(where, `the sync manages "${column}" itself`);
			if (protectedColumns.includes(column)) throw new TableSyncConfigError(where, `"${column}" is protected and is never written`);
			if (Object.values(fields).includes(column as string)) throw new TableSyncConfigError(where, `two fields map to column "${column}"`);
			fields[field] = column as string;
		}
		if (d.idField !== undefined && d.idField !== null && typeof d.idField !== 'string') {
			throw new TableSyncConfigError(`${at}.idField`, 'must be a field name');
		}
		const source = d.source ?? d.bitrix ?? {};
		if (!isObject(source)) throw new TableSyncConfigError(`${at}.source`, 'must be an object');

		let parent: ParentSpec | null = null;
		if (d.parent !== undefined && d.parent !== null) {
			if (!isObject(d.parent)) throw new TableSyncConfigError(`${at}.parent`, 'must be an object');
			const parentName = String(d.parent.dictionary ?? '');
			const parentSpec = dictionaries[parentName];
			if (!isObject(parentSpec)) throw new TableSyncConfigError(`${at}.parent.dictionary`, `"${parentName}" is not a dictionary`);
			if (names.indexOf(parentName) > position) {
				throw new TableSyncConfigError(`${at}.parent.dictionary`, `list "${parentName}" before "${name}"`);
			}
			if (typeof d.parent.field !== 'string' || !d.parent.field) throw new TableSyncConfigError(`${at}.parent.field`, 'must be a field name');
			const btxidColumn = identifier(d.parent.btxidColumn, `${at}.parent.btxidColumn`, 'column');
			const idColumn = identifier(d.parent.idColumn, `${at}.parent.idColumn`, 'column');
			for (const [key, column] of [['btxidColumn', btxidColumn], ['idColumn', idColumn]]) {
				if (MANAGED.includes(column) || Object.values(fields).includes(column) || protectedColumns.includes(column)) {
					throw new TableSyncConfigError(`${at}.parent.${key}`, `"${column}" is already used by the field map, the sync or protectedColumns`);
				}
			}
			parent = { dictionary: parentName, field: d.parent.field, btxidColumn, idColumn, table: identifier(parentSpec.table, `dictionaries.${parentName}.table`, 'table') };
		}
		tables.push({
			dictionary: name,
			table,
			source: { ...source },
			idField: (d.idField as string | undefined) ?? null,
			fields,
			parent,
			protectedColumns: protectedColumns as string[],
			markDeleted,
			maxDeletedShare,
			chunkSize,
			sourceName,
			readSql: readSqlOf(name, table, Object.values(fields), parent),
		});
	}
	return tables;
}
