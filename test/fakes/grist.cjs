'use strict';
/**
 * Grist REST API fake, checked against grist-core 1.7.17 (app/server/lib/DocApi.ts, app/plugin/TableOperationsImpl.ts,
 * sandbox/grist/useractions.py, identifiers.py, usertypes.py) and against a running grist-core 1.7.17 server.
 *
 * Faithful points:
 * - `Authorization: Bearer <key>`; other schemes 401; errors are `{error, details?}`.
 * - JSON bodies over 1 MB → 413 `{error: "request entity too large"}` (express.json limit "1mb").
 * - POST /tables sanitises ids like identifiers.py (accents stripped, `[^A-Za-z0-9_]` → `_`, leading `_` dropped,
 *   digit start → `T` prefix, first letter capitalised, taken id (case-insensitive) → `2`, `3`… suffix).
 * - PUT /records (BulkAddOrUpdateRecord): records are grouped by (sorted require keys, sorted fields keys), groups run
 *   in key order; within a group lookups happen before any add; require values are compared RAW against stored
 *   cells (so Int 42218 never matches Text "42218", which Grist stored as text); duplicate require tuples in one
 *   group → 400 and nothing is applied; `onmany` first|none|all; `noadd`, `noupdate`, `allow_empty_require`
 *   count only when 1/on/true/yes; the reply is `{recordIds, addRecordIds, updateRecordIds}`.
 * - Strings are parsed per column type before use (Int/Numeric numbers, Date/DateTime ISO strings, ChoiceList
 *   "a,b"), unless `noparse`; then cells are converted on store like usertypes.py (Text turns 42218 into "42218").
 *   `typeConversion: false` stores values exactly as sent.
 * - POST /records with uneven field sets fills the missing fields with null, not the column default.
 * - 429 "Too many backlogged requests…" and "Exceeded daily limit…" on demand (`failNextWithBacklog`, `exceedDailyLimit`).
 * - Every cell in a written record must be a CellValue (number, string, boolean, null or `[code, …]` such as
 *   `["L", "a", "b"]`): a plain JS list or object refuses the whole request with
 *   `400 {error: "Invalid payload", details: {userError: "Error: body.records[1].fields.tags is not a CellValue"}}`.
 * - AddColumn drops `untieColIdFromLabel`: every created column is tied to its label, and a label change renames a
 *   tied column's id (useractions.py `_adjust_one_column_update`); a column PATCH of `untieColIdFromLabel` persists.
 * - A column created without a type is Text (cells ''); `columns?hidden=true` lists `manualSort` first.
 * - Deleting a row id that does not exist answers `200 null`.
 * - A date-time without an offset is read in the column's time zone (`DateTime:Europe/Paris`); fractional seconds
 *   keep their microseconds.
 * - `/sql` runs any read-only SELECT on a real SQLite (sql.js, compiled to WebAssembly), wrapped like DocApi does:
 *   rows come back as SQLite holds them (`id`, `manualSort`, then the columns; Bool 1/0, lists as JSON text).
 * - `GET /orgs` without Authorization answers `200 []` (the anonymous user sees no org).
 * - Document webhooks (`/api/docs/:doc/webhooks`) and their deliveries: see gristWebhooks.cjs.
 * - Optional cost model (`setCostModel`), measured on grist-core 1.7.17 (2 cores, loopback, no formulas): a request
 *   takes a fixed time plus a time per row, by what the rows did (added, changed, or written unchanged); the fake's own
 *   work on the request counts towards that time.
 */
const initSqlJs = require('sql.js');

const { createFakeServer, json } = require('./core.cjs');
const { createWebhookSupport, WebhookApiError } = require('./gristWebhooks.cjs');

const BODY_LIMIT = 1024 * 1024;
const PYTHON_KEYWORDS = new Set(
	'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
		' ',
	),
);
const TRUTHY = new Set(['1', 'on', 'true', 'yes']);
const BOOL_TRUE = new Set(['true', 'yes', 'y', 'on', '1']);
const BOOL_FALSE = new Set(['false', 'no', 'n', 'off', '0']);
/** GristObjCode: the first element of an encoded cell (`["L", …]` list, `["O", {…}]` dict, `["R", …]` reference…). */
const GRIST_OBJ_CODES = new Set(['L', 'l', 'O', 'D', 'd', 'R', 'r', 'E', 'P', 'U', 'C', 'S', 'V']);
/** SQLite column types of Grist's tables (sandbox/grist/schema.py, usertypes.py `sql_type`). */
const SQL_TYPES = {
	Any: 'BLOB',
	Attachments: 'TEXT',
	Bool: 'BOOLEAN',
	Choice: 'TEXT',
	ChoiceList: 'TEXT',
	Date: 'DATE',
	DateTime: 'DATETIME',
	Int: 'INTEGER',
	ManualSortPos: 'NUMERIC',
	Numeric: 'NUMERIC',
	PositionNumber: 'NUMERIC',
	Ref: 'INTEGER',
	RefList: 'TEXT',
	Text: 'TEXT',
};

function isAffirmative(value) {
	return TRUTHY.has(String(value).toLowerCase());
}

class GristError extends Error {
	constructor(status, message, details) {
		super(message);
		this.status = status;
		this.details = details;
	}
}

function sandboxError(message) {
	return new GristError(400, `Error manipulating data: [Sandbox] ${message}`);
}

// ---------------------------------------------------------------- identifiers (sandbox/grist/identifiers.py)

function sanitizeIdent(ident, prefix, capitalize) {
	let text = ident === null || ident === undefined ? '' : String(ident);
	text = text.normalize('NFKD').replace(/\p{Mn}/gu, '');
	text = text.replace(/[^a-zA-Z0-9_]+/g, '_').replace(/^_+/, '');
	text = text.replace(/^(?=[0-9_])/, prefix);
	if (!text) return text;
	if (capitalize) text = text[0].toUpperCase() + text.slice(1);
	while (PYTHON_KEYWORDS.has(text)) text = prefix + text;
	return text;
}

function addSuffix(base, avoid, next) {
	const stem = /\d$/.test(base) ? `${base}_` : base;
	for (let n = next; ; n += 1) {
		const candidate = `${stem}${n}`;
		if (!avoid.has(candidate.toUpperCase())) return candidate;
	}
}

function upperSet(names) {
	return new Set([...names].map((name) => String(name).toUpperCase()));
}

function pickTableIdent(ident, taken = []) {
	const avoid = upperSet(taken);
	const clean = sanitizeIdent(ident, 'T', true);
	if (!clean) return addSuffix('Table', avoid, 1);
	return avoid.has(clean.toUpperCase()) ? addSuffix(clean, avoid, 2) : clean;
}

function* letters() {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
	for (let length = 1; ; length += 1) {
		const indexes = new Array(length).fill(0);
		for (;;) {
			yield indexes.map((i) => alphabet[i]).join('');
			let pos = length - 1;
			while (pos >= 0 && indexes[pos] === 25) {
				indexes[pos] = 0;
				pos -= 1;
			}
			if (pos < 0) break;
			indexes[pos] += 1;
		}
	}
}

function pickColIdent(ident, taken = []) {
	const avoid = upperSet(taken);
	const clean = sanitizeIdent(ident, 'c', false);
	if (!clean) {
		for (const candidate of letters()) if (!avoid.has(candidate)) return candidate;
	}
	return avoid.has(clean.toUpperCase()) ? addSuffix(clean, avoid, 2) : clean;
}

// ---------------------------------------------------------------- values

const BASE_TYPES = new Map();

/** `Ref:People` → `Ref`. Memoised: it runs for every cell a request parses or converts. */
function baseType(type) {
	let base = BASE_TYPES.get(type);
	if (base === undefined) {
		base = String(type || 'Any').split(':')[0];
		BASE_TYPES.set(type, base);
	}
	return base;
}

function typeDefault(type) {
	switch (baseType(type)) {
		case 'Text':
		case 'Choice':
			return '';
		case 'Int':
		case 'Numeric':
		case 'Ref':
			return 0;
		case 'Bool':
			return false;
		default:
			return null;
	}
}

function numericText(value) {
	const text = value.trim();
	if (text === '') return undefined;
	const number = Number(text);
	return Number.isFinite(number) ? number : undefined;
}

/** The client-side ValueParser step (only strings are parsed). */
function parseCell(type, value) {
	return typeof value === 'string' ? parseText(type, value) : value;
}

const ZONE_FORMATS = new Map();

/** Minutes the zone is ahead of UTC at `utcMillis` (Europe/Paris in summer: 120). Unknown zones count as UTC. */
function zoneOffsetMinutes(timeZone, utcMillis) {
	let format = ZONE_FORMATS.get(timeZone);
	if (format === undefined) {
		try {
			format = new Intl.DateTimeFormat('en-US', {
				timeZone,
				hourCycle: 'h23',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
				second: 'numeric',
			});
		} catch {
			format = null;
		}
		ZONE_FORMATS.set(timeZone, format);
	}
	if (!format) return 0;
	const parts = {};
	for (const part of format.formatToParts(new Date(utcMillis))) parts[part.type] = Number(part.value);
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return (asUtc - Math.floor(utcMillis / 1000) * 1000) / 60000;
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch seconds of an ISO date or date-time, as Grist's parser reads it: with an offset, at that offset; without one,
 * in the column's time zone (`DateTime:Europe/Paris`; a Date column is UTC). Fractional seconds keep every digit.
 */
function parseDateText(type, value) {
	const match = DATE_TEXT.exec(value.trim());
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
	const local = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
	if (Number.isNaN(local)) return undefined;
	let offsetMinutes = 0;
	if (offset && offset.toUpperCase() !== 'Z') {
		const digits = offset.replace(':', '');
		offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
	} else if (!offset && baseType(type) === 'DateTime') {
		const zone = String(type).split(':').slice(1).join(':');
		if (zone) {
			// The zone's offset at that wall-clock time (two passes settle the day a DST change happens).
			offsetMinutes = zoneOffsetMinutes(zone, local);
			offsetMinutes = zoneOffsetMinutes(zone, local - offsetMinutes * 60000);
		}
	}
	return (local - offsetMinutes * 60000) / 1000 + (fraction ? Number(`0${fraction}`) : 0);
}

function parseText(type, value) {
	const base = baseType(type);
	switch (base) {
		case 'Int':
		case 'Numeric': {
			const number = numericText(value.includes(',') ? value.replace(/,/g, '') : value);
			return number === undefined ? value : number;
		}
		case 'Date':
		case 'DateTime': {
			const seconds = parseDateText(type, value);
			return seconds === undefined ? value : seconds;
		}
		case 'ChoiceList': {
			const trimmed = value.trim();
			if (trimmed.startsWith('[')) {
				try {
					const list = JSON.parse(trimmed);
					if (Array.isArray(list)) return ['L', ...list];
				} catch {
					return value;
				}
			}
			return trimmed === '' ? null : ['L', ...trimmed.split(',').map((part) => part.trim()).filter(Boolean)];
		}
		default:
			return value;
	}
}

function pythonNumberText(value) {
	if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value);
	return String(Number(value.toPrecision(15)));
}

/** What usertypes.py's convert() stores; values it cannot convert stay as they are (alt-text). */
function convertCell(type, value) {
	return convertBase(baseType(type), value);
}

function convertBase(base, value) {
	switch (base) {
		case 'Text':
		case 'Choice':
			if (value === null || value === undefined) return null;
			if (typeof value === 'boolean') return value ? 'True' : 'False';
			if (typeof value === 'number') return pythonNumberText(value);
			if (typeof value === 'string') return value;
			return JSON.stringify(value);
		case 'Int': {
			if (value === null || value === undefined || value === '') return null;
			if (typeof value === 'boolean') return value ? 1 : 0;
			const number = typeof value === 'number' ? value : typeof value === 'string' ? numericText(value) : undefined;
			return number === undefined || !Number.isFinite(number) ? value : Math.trunc(number);
		}
		case 'Numeric':
		case 'Date':
		case 'DateTime': {
			if (value === null || value === undefined || value === '') return null;
			if (typeof value === 'boolean') return value ? 1 : 0;
			const number = typeof value === 'number' ? value : typeof value === 'string' ? numericText(value) : undefined;
			return number === undefined ? value : number;
		}
		case 'Bool': {
			if (!value) return false;
			if (typeof value === 'boolean') return value;
			if (typeof value === 'number') return true;
			if (typeof value === 'string') {
				if (BOOL_FALSE.has(value.toLowerCase())) return false;
				if (BOOL_TRUE.has(value.toLowerCase())) return true;
			}
			return value;
		}
		default:
			return value;
	}
}

/** Python equality for lookups: 1 == 1.0 == True, "1" != 1. */
function valueKey(value) {
	if (value === null || value === undefined) return 'z';
	if (typeof value === 'boolean') return `n:${value ? 1 : 0}`;
	if (typeof value === 'number') return `n:${value}`;
	if (typeof value === 'string') return `s:${value}`;
	return `j:${JSON.stringify(value)}`;
}

function sameKeys(a, b) {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
	return true;
}

// ---------------------------------------------------------------- tables

class GristTable {
	constructor(id, doc) {
		this.id = id;
		this.doc = doc;
		this.tableRef = doc.nextTableRef++;
		// The hidden column every table has; its colRef comes first.
		this.manualSortRef = doc.nextColRef++;
		this.columns = [];
		this.rows = new Map();
		this.nextRowId = 1;
		this.ordered = true;
		this.indexes = new Map();
	}

	toJSON() {
		return {
			id: this.id,
			columns: this.columns.map(({ id, label, type }) => ({ id, label, type })),
			records: this.records(),
		};
	}

	column(colId) {
		return this.columns.find((column) => column.id === colId);
	}

	/** AddColumn: without a type a data column is Text; `untieColIdFromLabel` is dropped (the column stays tied). */
	addColumn(colId, fields = {}) {
		const column = {
			id: colId,
			colRef: this.doc.nextColRef++,
			label: fields.label ?? colId,
			type: fields.type || 'Text',
			isFormula: false,
			formula: '',
			widgetOptions: fields.widgetOptions ?? '',
			untieColIdFromLabel: false,
		};
		this.columns.push(column);
		const fill = typeDefault(column.type);
		for (const row of this.rows.values()) row[colId] = fill;
		this.indexes.clear();
		return column;
	}

	removeColumn(colId) {
		this.columns = this.columns.filter((column) => column.id !== colId);
		for (const row of this.rows.values()) delete row[colId];
		this.indexes.clear();
	}

	/**
	 * A column update as useractions.py `_adjust_one_column_update` does it: a new label renames a tied column's id
	 * (unless the update sets colId), and setting `untieColIdFromLabel` to false syncs the id to the label.
	 */
	updateColumn(column, fields, convert) {
		let colId = fields.colId;
		const untie = fields.untieColIdFromLabel !== undefined ? Boolean(fields.untieColIdFromLabel) : column.untieColIdFromLabel;
		if (colId === undefined && fields.label !== undefined && !untie) colId = fields.label;
		if (colId === undefined && fields.untieColIdFromLabel === false) colId = fields.label ?? column.label;
		if (colId !== undefined && colId !== column.id) {
			const taken = this.columns.filter((c) => c !== column).map((c) => c.id);
			const newId = pickColIdent(colId, [...taken, 'id', 'manualSort']);
			if (newId !== column.id) {
				for (const row of this.rows.values()) {
					row[newId] = row[column.id];
					delete row[column.id];
				}
				column.id = newId;
				this.indexes.clear();
			}
		}
		if (fields.untieColIdFromLabel !== undefined) column.untieColIdFromLabel = Boolean(fields.untieColIdFromLabel);
		if (fields.label !== undefined) column.label = fields.label;
		if (fields.widgetOptions !== undefined) column.widgetOptions = fields.widgetOptions;
		if (fields.type !== undefined && fields.type !== column.type) {
			column.type = fields.type;
			if (convert) for (const row of this.rows.values()) row[column.id] = convertCell(column.type, parseCell(column.type, row[column.id]));
			this.indexes.clear();
		}
	}

	sortedIds() {
		const ids = [...this.rows.keys()];
		if (!this.ordered) ids.sort((a, b) => a - b);
		return ids;
	}

	records() {
		return this.sortedIds().map((id) => ({ id, fields: { ...this.rows.get(id) } }));
	}

	index(colIds) {
		const signature = colIds.join('\u0001');
		let index = this.indexes.get(signature);
		if (!index) {
			index = { colIds, map: new Map() };
			for (const id of this.sortedIds()) this.indexAdd(index, id, this.rows.get(id));
			this.indexes.set(signature, index);
		}
		return index;
	}

	keyOf(colIds, values) {
		if (colIds.length === 1) return valueKey(values[colIds[0]]);
		return colIds.map((colId) => valueKey(values[colId])).join('\u0001');
	}

	indexAdd(index, id, row) {
		const key = this.keyOf(index.colIds, row);
		const list = index.map.get(key);
		if (!list) index.map.set(key, [id]);
		else if (list[list.length - 1] < id) list.push(id);
		else {
			list.push(id);
			list.sort((a, b) => a - b);
		}
	}

	indexRemove(index, id, row) {
		const key = this.keyOf(index.colIds, row);
		const list = index.map.get(key);
		if (!list) return;
		const at = list.indexOf(id);
		if (at >= 0) list.splice(at, 1);
		if (!list.length) index.map.delete(key);
	}

	/** table.lookup_records(**require): row ids in ascending order. */
	lookup(require) {
		const colIds = Object.keys(require).sort();
		if (colIds.includes('id')) {
			const row = this.rows.get(require.id);
			if (!row) return [];
			const others = colIds.filter((colId) => colId !== 'id');
			return others.every((colId) => valueKey(row[colId]) === valueKey(require[colId])) ? [require.id] : [];
		}
		if (!colIds.length) return this.sortedIds();
		const index = this.index(colIds);
		return [...(index.map.get(this.keyOf(colIds, require)) || [])];
	}

	addRow(values, explicitId) {
		const row = {};
		for (const column of this.columns) row[column.id] = Object.hasOwn(values, column.id) ? values[column.id] : typeDefault(column.type);
		return this.insertRow(row, explicitId);
	}

	/** `row` holds every column, in column order. */
	insertRow(row, explicitId) {
		const id = explicitId ?? this.nextRowId;
		if (this.rows.has(id)) throw sandboxError(`AssertionError Row id ${id} already exists`);
		if (explicitId !== undefined && explicitId !== null && explicitId < this.nextRowId) this.ordered = false;
		this.nextRowId = Math.max(this.nextRowId, id + 1);
		this.rows.set(id, row);
		for (const index of this.indexes.values()) this.indexAdd(index, id, row);
		return id;
	}

	updateRow(id, values) {
		const row = this.rows.get(id);
		const touched = [];
		for (const index of this.indexes.values()) if (index.colIds.some((colId) => colId in values)) touched.push(index);
		for (const index of touched) this.indexRemove(index, id, row);
		Object.assign(row, values);
		for (const index of touched) this.indexAdd(index, id, row);
	}

	/** The indexes that writing these columns moves a row in. */
	indexesOver(colIds) {
		return [...this.indexes.values()].filter((index) => index.colIds.some((colId) => colIds.includes(colId)));
	}

	/** updateRow() for many rows with the same columns: `touched` is indexesOver(colIds), taken once. */
	writeCells(id, colIds, values, touched) {
		const row = this.rows.get(id);
		for (const index of touched) this.indexRemove(index, id, row);
		for (let i = 0; i < colIds.length; i += 1) row[colIds[i]] = values[i];
		for (const index of touched) this.indexAdd(index, id, row);
	}

	removeRow(id) {
		const row = this.rows.get(id);
		for (const index of this.indexes.values()) this.indexRemove(index, id, row);
		this.rows.delete(id);
	}
}

// ---------------------------------------------------------------- SQL

/** SQLite storage class order: NULL < numbers < text < everything else. */
function sqlRank(value) {
	if (value === null || value === undefined) return 0;
	if (typeof value === 'number') return 1;
	if (typeof value === 'string') return 2;
	return 3;
}

function sqlCompare(a, b) {
	const rankA = sqlRank(a);
	const rankB = sqlRank(b);
	if (rankA !== rankB) return rankA - rankB;
	if (rankA === 0) return 0;
	if (a < b) return -1;
	if (a > b) return 1;
	return 0;
}

function sqlValue(value) {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (Array.isArray(value)) return JSON.stringify(value[0] === 'L' ? value.slice(1) : value);
	if (value !== null && typeof value === 'object') return JSON.stringify(value);
	return value ?? null;
}

let sqlEngine;

/** SQLite (sql.js), loaded once per process. */
function sqlite() {
	sqlEngine ??= initSqlJs();
	return sqlEngine;
}

function quoteSqlName(name) {
	return `"${String(name).replace(/"/g, '""')}"`;
}

/** The document as Grist keeps it in SQLite: one table per Grist table, `id`, `manualSort`, then the columns. */
function buildDatabase(SQL, doc) {
	const db = new SQL.Database();
	db.run('BEGIN');
	for (const table of Object.values(doc.tables)) {
		const columns = table.columns.map((column) => `${quoteSqlName(column.id)} ${SQL_TYPES[baseType(column.type)] || 'BLOB'}`);
		db.run(`CREATE TABLE ${quoteSqlName(table.id)} ("id" INTEGER PRIMARY KEY, "manualSort" NUMERIC${columns.map((c) => `, ${c}`).join('')})`);
		if (!table.rows.size) continue;
		const placeholders = ['?', '?', ...table.columns.map(() => '?')].join(', ');
		const insert = db.prepare(`INSERT INTO ${quoteSqlName(table.id)} VALUES (${placeholders})`);
		for (const id of table.sortedIds()) {
			const row = table.rows.get(id);
			insert.run([id, id, ...table.columns.map((column) => sqlValue(row[column.id]))]);
		}
		insert.free();
	}
	db.run('COMMIT');
	return db;
}

/** A bound argument as SQLite takes it. */
function sqlArgument(value) {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (value === undefined) return null;
	if (value !== null && typeof value === 'object') return JSON.stringify(value);
	return value;
}

/**
 * DocApi's /sql: a trailing semicolon is dropped, anything without "select" is refused, and the statement runs wrapped
 * in a CTE, so only a SELECT can run. Errors come back as SQLite words them.
 */
async function runSql(doc, sql, args) {
	const statement = String(sql).replace(/;\s*$/, '');
	if (!statement.toLowerCase().includes('select')) throw new GristError(400, 'only select statements are supported');
	const SQL = await sqlite();
	if (!doc.sqlite || doc.sqlite.version !== doc.version) {
		doc.sqlite?.db.close();
		doc.sqlite = { db: buildDatabase(SQL, doc), version: doc.version };
	}
	let prepared;
	try {
		prepared = doc.sqlite.db.prepare(`WITH __grist_sql_result__ AS (${statement}) SELECT * FROM __grist_sql_result__`);
		prepared.bind((args || []).map(sqlArgument));
		const records = [];
		while (prepared.step()) records.push({ fields: prepared.getAsObject() });
		return records;
	} catch (error) {
		const message = String(error.message || error);
		throw new GristError(400, /^SQLITE_/.test(message) ? message : `SQLITE_ERROR: ${message}`);
	} finally {
		prepared?.free();
	}
}

// ---------------------------------------------------------------- the fake

function initialState() {
	const now = new Date().toISOString();
	return {
		orgs: [{ id: 1, name: 'Demo', domain: 'demo', owner: null, access: 'owners', createdAt: now, updatedAt: now, host: null }],
		workspaces: [{ id: 1, name: 'Home', orgId: 1, access: 'owners', createdAt: now, updatedAt: now }],
		docs: {},
		backlogFailures: 0,
		dailyLimitExceeded: false,
		costModel: undefined,
	};
}

function newDoc(state, id, name, workspaceId = 1) {
	const doc = { id, name: name || id, workspaceId, tables: {}, nextTableRef: 1, nextColRef: 1 };
	Object.defineProperty(doc, 'nextTableRef', { enumerable: false, writable: true, value: 1 });
	Object.defineProperty(doc, 'nextColRef', { enumerable: false, writable: true, value: 1 });
	// Bumped by every write; /sql rebuilds its SQLite copy of the document when it changed.
	Object.defineProperty(doc, 'version', { enumerable: false, writable: true, value: 0 });
	Object.defineProperty(doc, 'sqlite', { enumerable: false, writable: true, value: undefined });
	state.docs[id] = doc;
	return doc;
}

function seedDocs(state, seed) {
	if (seed.demo) seedDocs(state, DEMO_SEED);
	for (const docSeed of seed.docs || []) {
		const doc = state.docs[docSeed.id] || newDoc(state, docSeed.id, docSeed.name, docSeed.workspaceId);
		doc.version += 1;
		for (const tableSeed of docSeed.tables || []) {
			const table = doc.tables[tableSeed.id] || (doc.tables[tableSeed.id] = new GristTable(tableSeed.id, doc));
			for (const column of tableSeed.columns || []) {
				if (!table.column(column.id)) table.addColumn(column.id, column.fields || column);
			}
			for (const record of tableSeed.records || []) table.addRow({ ...(record.fields || {}) }, record.id);
		}
	}
}

/** For `npm start`: the table the Recoco → Grist workflow writes to; its columns are ensured by the workflow. */
const DEMO_SEED = {
	docs: [{ id: 'demoDoc', name: 'Demo', tables: [{ id: 'Projets', columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }] }] }],
};

function payloadError(message) {
	return new GristError(400, 'Invalid payload', { userError: message });
}

/** The API's CellValue: number, string, boolean, null, or an encoded value `[GristObjCode, …]`. */
function isCellValue(value) {
	if (value === null) return true;
	const type = typeof value;
	if (type === 'number' || type === 'string' || type === 'boolean') return true;
	return Array.isArray(value) && typeof value[0] === 'string' && GRIST_OBJ_CODES.has(value[0]);
}

/** DocApi validates the body before anything runs: one cell that is not a CellValue refuses the whole request. */
function checkCellValues(records, parts) {
	for (let i = 0; i < records.length; i += 1) {
		for (const part of parts) {
			const cells = records[i] && records[i][part];
			if (!cells || typeof cells !== 'object') continue;
			for (const colId of Object.keys(cells)) {
				if (!isCellValue(cells[colId])) throw payloadError(`Error: body.records[${i}].${part}.${colId} is not a CellValue`);
			}
		}
	}
}

function createGristFake(options = {}) {
	const apiKeys = new Set(options.apiKeys || [options.apiKey || 'grist-demo-key']);
	const typeConversion = options.typeConversion !== false;
	const profile = { id: 1, email: 'demo@grist.test', name: 'Demo User', picture: null, ref: 'demoUserRef', locale: null };

	function freshState() {
		const state = initialState();
		newDoc(state, 'demoDoc', 'Demo');
		return state;
	}

	function store(type, value, parse) {
		const parsed = parse ? parseCell(type, value) : value;
		return typeConversion ? convertCell(type, parsed) : parsed;
	}

	function requireTable(doc, tableId) {
		const table = doc.tables[tableId];
		if (!table) throw new GristError(404, `Table not found "${tableId}"`);
		return table;
	}

	function checkColumns(table, colIds) {
		for (const colId of colIds) {
			if (colId !== 'id' && !table.column(colId)) throw new GristError(400, `Invalid column "${colId}"`);
		}
	}

	function listOf(body, key) {
		if (!body || typeof body !== 'object' || !Array.isArray(body[key])) throw payloadError(`"${key}" is missing or not an array`);
		return body[key];
	}

	function orgJson(org) {
		const { id, name, domain, owner, access, createdAt, updatedAt, host } = org;
		return { id, name, domain, owner, access, createdAt, updatedAt, host };
	}

	function docJson(doc) {
		return { id: doc.id, name: doc.name, access: 'owners', isPinned: false, urlId: null, type: null, removedAt: null };
	}

	function workspaceJson(state, workspace) {
		const org = state.orgs.find((o) => o.id === workspace.orgId);
		return {
			id: workspace.id,
			name: workspace.name,
			access: workspace.access,
			createdAt: workspace.createdAt,
			updatedAt: workspace.updatedAt,
			docs: Object.values(state.docs)
				.filter((doc) => doc.workspaceId === workspace.id)
				.map(docJson),
			org: org && orgJson(org),
		};
	}

	// --- records

	function recordsGet(table, req) {
		let filters = {};
		if (req.query.filter) {
			try {
				filters = JSON.parse(req.query.filter);
			} catch (error) {
				throw new GristError(400, `Invalid filter: ${error.message}`);
			}
		}
		if (!filters || typeof filters !== 'object' || !Object.keys(filters).every((colId) => Array.isArray(filters[colId]))) {
			throw new GristError(400, 'Invalid query: filter values must be arrays');
		}
		checkColumns(table, Object.keys(filters));
		const wanted = Object.entries(filters).map(([colId, values]) => [colId, new Set(values.map(valueKey))]);
		let records = table
			.sortedIds()
			.filter((id) => {
				const row = table.rows.get(id);
				return wanted.every(([colId, keys]) => keys.has(valueKey(colId === 'id' ? id : row[colId])));
			})
			.map((id) => ({ id, fields: { ...table.rows.get(id) } }));
		const sort = req.query.sort || req.headers['x-sort'];
		if (sort) {
			const keys = String(sort)
				.split(',')
				.map((spec) => spec.trim())
				.filter(Boolean)
				.map((spec) => (spec.startsWith('-') ? { colId: spec.slice(1), direction: -1 } : { colId: spec, direction: 1 }));
			checkColumns(table, keys.map((key) => key.colId));
			records.sort((a, b) => {
				for (const { colId, direction } of keys) {
					const order = sqlCompare(sqlValue(colId === 'id' ? a.id : a.fields[colId]), sqlValue(colId === 'id' ? b.id : b.fields[colId]));
					if (order) return order * direction;
				}
				return 0;
			});
		}
		const limit = Number(req.query.limit || req.headers['x-limit']);
		if (Number.isInteger(limit) && limit > 0) records = records.slice(0, limit);
		return json(200, { records });
	}

	function recordsPost(table, req) {
		let body = req.body;
		if (isAffirmative(req.query.flat) && Array.isArray(body)) {
			body = { records: body.map((record) => (record && record.fields ? record : { fields: { ...record, id: undefined } })) };
			for (const record of body.records) delete record.fields.id;
		}
		const records = listOf(body, 'records');
		if (!records.length) throw payloadError('"records" must not be empty');
		checkCellValues(records, ['fields']);
		const colIds = [...new Set(records.flatMap((record) => Object.keys((record && record.fields) || {})))];
		checkColumns(table, colIds);
		if (colIds.includes('id')) throw new GristError(400, 'Invalid column "id"');
		const parse = !isAffirmative(req.query.noparse);
		const ids = records.map((record) => {
			const values = {};
			// One BulkAddRecord: every named column gets a value, null where a record lacks it.
			for (const colId of colIds) values[colId] = store(table.column(colId).type, record.fields?.[colId] ?? null, parse);
			return table.addRow(values);
		});
		return costed(json(200, { records: ids.map((id) => ({ id })) }), { added: ids.length });
	}

	function recordsPatch(table, req) {
		const records = listOf(req.body, 'records');
		checkCellValues(records, ['fields']);
		const first = JSON.stringify(Object.keys(records[0]?.fields || {}).sort());
		if (!records.every((record) => JSON.stringify(Object.keys(record.fields || {}).sort()) === first)) {
			throw new GristError(400, 'PATCH requires all records to have same fields');
		}
		if (!records.length || !records.every((record) => record && Number.isInteger(record.id))) {
			throw new GristError(400, 'PATCH requires a valid record object');
		}
		checkColumns(table, Object.keys(records[0].fields || {}));
		for (const record of records) if (!table.rows.has(record.id)) throw new GristError(400, `Invalid row id ${record.id}`);
		const parse = !isAffirmative(req.query.noparse);
		for (const record of records) {
			const values = {};
			for (const [colId, value] of Object.entries(record.fields || {})) {
				if (colId !== 'id') values[colId] = store(table.column(colId).type, value, parse);
			}
			table.updateRow(record.id, values);
		}
		return costed(json(200, null), { changed: records.length });
	}

	/**
	 * PUT /records costs O(records × named columns): keys are grouped by shape once per run of same-shaped records,
	 * each value is parsed and converted once, and lookups go through the table's require-key index.
	 */
	function recordsPut(table, req) {
		const records = listOf(req.body, 'records');
		if (!records.length) throw payloadError('"records" must not be empty');
		for (let i = 0; i < records.length; i += 1) {
			const record = records[i];
			if (!record || typeof record.require !== 'object' || record.require === null || Array.isArray(record.require)) {
				throw payloadError(`records[${i}].require is missing`);
			}
		}
		checkCellValues(records, ['require', 'fields']);
		const onmanyParam = req.query.onmany || 'first';
		if (!['first', 'none', 'all'].includes(onmanyParam)) {
			throw new GristError(400, `onmany parameter ${onmanyParam} should be one of first,none,all`);
		}
		const add = !isAffirmative(req.query.noadd);
		const update = !isAffirmative(req.query.noupdate);
		const allowEmptyRequire = isAffirmative(req.query.allow_empty_require);
		const parse = !isAffirmative(req.query.noparse);

		// Groups by (sorted require keys, sorted fields keys); a record shaped like the one before joins its group
		// without sorting again. Column ids are collected in first-seen order, so the same one is reported invalid.
		const colIds = new Set();
		const groups = new Map();
		let previous;
		for (let index = 0; index < records.length; index += 1) {
			const record = records[index];
			const requireRaw = Object.keys(record.require);
			const fieldRaw = Object.keys(record.fields || {});
			let group;
			if (previous && sameKeys(requireRaw, previous.requireRaw) && sameKeys(fieldRaw, previous.fieldRaw)) {
				group = previous.group;
			} else {
				for (const colId of fieldRaw) colIds.add(colId);
				for (const colId of requireRaw) colIds.add(colId);
				const requireKeys = [...requireRaw].sort();
				const fieldKeys = [...fieldRaw].sort();
				const groupKey = `${requireKeys.join(',')}:${fieldKeys.join(',')}`;
				group = groups.get(groupKey);
				if (!group) {
					group = { requireKeys, fieldKeys, rows: [], keys: [] };
					groups.set(groupKey, group);
				}
				previous = { requireRaw, fieldRaw, group };
			}
			group.rows.push(index);
		}
		checkColumns(table, [...colIds]);
		const columnsById = new Map();
		for (const column of table.columns) if (!columnsById.has(column.id)) columnsById.set(column.id, column);
		// "Bases" hold the full column type: parsing a date-time needs the column's time zone.
		const baseOf = (colId) => (colId === 'id' ? 'Int' : columnsById.get(colId).type);
		const parsed = parse ? (type, value) => (typeof value === 'string' ? parseText(type, value) : value) : (type, value) => value;
		const stored = typeConversion ? (type, value) => convertBase(baseType(type), value) : (type, value) => value;
		const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
		for (const group of ordered) {
			group.requireBases = group.requireKeys.map(baseOf);
			group.fieldBases = group.fieldKeys.map(baseOf);
		}

		/** table.keyOf() of the parsed require values. */
		function requireKey(group, require) {
			const { requireKeys, requireBases } = group;
			let key = '';
			for (let i = 0; i < requireKeys.length; i += 1) {
				if (i) key += '\u0001';
				key += valueKey(parsed(requireBases[i], require[requireKeys[i]] ?? null));
			}
			return key;
		}

		function parsedRequire(group, require) {
			return Object.fromEntries(group.requireKeys.map((key, i) => [key, parsed(group.requireBases[i], require[key] ?? null)]));
		}

		// Every check runs before any change: Grist applies the whole request as one bundle.
		for (const group of ordered) {
			if (!group.requireKeys.length && !allowEmptyRequire) {
				throw sandboxError("ValueError require is empty but allow_empty_require isn't set");
			}
			if (group.requireKeys.length) {
				for (const index of group.rows) group.keys.push(requireKey(group, records[index].require));
				if (new Set(group.keys).size < group.rows.length) throw sandboxError('ValueError require values must be unique');
			}
		}

		const result = { recordIds: new Array(records.length), addRecordIds: [], updateRecordIds: [] };
		let changed = 0;
		let unchanged = 0;
		for (const group of ordered) {
			const { requireKeys, fieldKeys, fieldBases, rows, keys } = group;
			if (!requireKeys.length && !fieldKeys.length) continue;
			// A require on `id` is answered from the row itself, an empty one by every row (table.lookup).
			const index = requireKeys.length && !requireKeys.includes('id') ? table.index(requireKeys) : undefined;
			const toAdd = [];
			const toUpdate = [];
			for (let n = 0; n < rows.length; n += 1) {
				const at = rows[n];
				let matches;
				if (index) {
					const list = index.map.get(keys[n]);
					matches = list ? [...list] : [];
				} else {
					matches = table.lookup(parsedRequire(group, records[at].require));
				}
				if (!matches.length && add) toAdd.push(at);
				if (matches.length && update) {
					if (matches.length > 1 && onmanyParam === 'first') matches = matches.slice(0, 1);
					else if (matches.length > 1 && onmanyParam === 'none') continue;
					toUpdate.push([at, matches]);
					result.recordIds[at] = matches;
					result.updateRecordIds.push(matches);
				}
			}
			if (toAdd.length) {
				// Each column's value comes from fields, else require (fields win, as in {...require, ...fields}), else
				// the column default; `id` is the row id, never a cell. Rows start as a copy of the defaults row, so
				// they get every column in order without growing one property at a time.
				const template = {};
				const plan = [];
				for (const column of table.columns) {
					template[column.id] = typeDefault(column.type);
					const fieldAt = column.id === 'id' ? -1 : fieldKeys.indexOf(column.id);
					if (fieldAt >= 0) plan.push({ colId: column.id, base: column.type, from: 'fields', key: fieldKeys[fieldAt] });
					const requireAt = column.id === 'id' || fieldAt >= 0 ? -1 : requireKeys.indexOf(column.id);
					if (requireAt >= 0) plan.push({ colId: column.id, base: column.type, from: 'require', key: requireKeys[requireAt] });
				}
				const requireIdAt = requireKeys.indexOf('id');
				const fieldIdAt = fieldKeys.indexOf('id');
				for (const at of toAdd) {
					const record = records[at];
					const { require, fields } = record;
					const row = { ...template };
					for (const { colId, base, from, key } of plan) row[colId] = stored(base, parsed(base, record[from][key] ?? null));
					const explicitId =
						(requireIdAt >= 0 ? parsed('Int', require.id ?? null) : undefined) ??
						(fieldIdAt >= 0 ? parsed('Int', fields.id ?? null) : undefined) ??
						undefined;
					const id = table.insertRow(row, explicitId);
					result.recordIds[at] = [id];
					result.addRecordIds.push(id);
				}
			}
			if (toUpdate.length) {
				const cellIds = [];
				const cellBases = [];
				fieldKeys.forEach((colId, i) => {
					if (colId === 'id') return;
					cellIds.push(colId);
					cellBases.push(fieldBases[i]);
				});
				const touched = table.indexesOver(cellIds);
				for (const [at, matches] of toUpdate) {
					const { fields } = records[at];
					const values = cellIds.map((colId, i) => stored(cellBases[i], parsed(cellBases[i], fields[colId] ?? null)));
					for (const id of matches) {
						const row = table.rows.get(id);
						if (cellIds.some((colId, i) => valueKey(row[colId]) !== valueKey(values[i]))) changed += 1;
						else unchanged += 1;
						table.writeCells(id, cellIds, values, touched);
					}
				}
			}
		}
		for (let i = 0; i < result.recordIds.length; i += 1) result.recordIds[i] ??= [];
		return costed(json(200, result), { added: result.addRecordIds.length, changed, unchanged });
	}

	/** BulkRemoveRecord skips ids that are not in the table: deleting a missing row answers 200 null. */
	function recordsDelete(table, req) {
		const ids = req.body;
		if (!Array.isArray(ids)) throw payloadError('expected an array of row ids');
		for (const id of ids) if (table.rows.has(id)) table.removeRow(id);
		return json(200, null);
	}

	/**
	 * The time Grist would take for a records write, under the cost model if one is set: a fixed time per request and
	 * a time per row, by what the rows did. Applied by handle() before it answers.
	 */
	function costed(reply, { added = 0, changed = 0, unchanged = 0 }) {
		const model = fake.ctx.state.costModel;
		if (!model) return reply;
		const fixed = added ? model.add.fixedMs : changed ? model.update.fixedMs : model.unchanged.fixedMs;
		reply.delayMs = fixed + added * model.add.perRowMs + changed * model.update.perRowMs + unchanged * model.unchanged.perRowMs;
		return reply;
	}

	// --- columns and tables

	function columnJson(table, column) {
		const { colRef, label, type, isFormula, formula, widgetOptions, untieColIdFromLabel } = column;
		return {
			id: column.id,
			fields: { colRef, parentId: table.tableRef, label, type, isFormula, formula, widgetOptions, untieColIdFromLabel },
		};
	}

	/** The hidden column every table has, listed (first) by `columns?hidden=true`. */
	function manualSortJson(table) {
		return {
			id: 'manualSort',
			fields: {
				colRef: table.manualSortRef,
				parentId: table.tableRef,
				label: 'manualSort',
				type: 'ManualSortPos',
				isFormula: false,
				formula: '',
				widgetOptions: '',
				untieColIdFromLabel: false,
			},
		};
	}

	function addVisibleColumn(table, colId, fields) {
		// `id` and the hidden `manualSort` column are taken in every table.
		const id = pickColIdent(colId, [...table.columns.map((column) => column.id), 'id', 'manualSort']);
		return table.addColumn(id, fields || {});
	}

	function columnsRoute(doc, table, req) {
		switch (req.method) {
			case 'GET': {
				const columns = table.columns.map((column) => columnJson(table, column));
				return json(200, { columns: isAffirmative(req.query.hidden) ? [manualSortJson(table), ...columns] : columns });
			}
			case 'POST': {
				const columns = listOf(req.body, 'columns');
				const added = columns.map((column) => addVisibleColumn(table, column.id, column.fields));
				return json(200, { columns: added.map((column) => ({ id: column.id })) });
			}
			case 'PATCH': {
				const columns = listOf(req.body, 'columns');
				const targets = columns.map((column) => {
					const target = table.column(column.id);
					if (!target) throw new GristError(404, `Column not found "${column.id}"`);
					return [target, column.fields || {}];
				});
				for (const [target, fields] of targets) table.updateColumn(target, fields, typeConversion);
				return json(200, null);
			}
			case 'PUT': {
				const columns = listOf(req.body, 'columns');
				const updates = [];
				const adds = [];
				const kept = new Set();
				for (const column of columns) {
					const target = table.column(column.id);
					if (target) {
						updates.push([target, column.fields || {}]);
						kept.add(target);
					} else adds.push(column);
				}
				const removals = isAffirmative(req.query.replaceall) ? table.columns.filter((column) => !kept.has(column)) : [];
				if (!isAffirmative(req.query.noupdate)) for (const [target, fields] of updates) table.updateColumn(target, fields, typeConversion);
				if (!isAffirmative(req.query.noadd)) for (const column of adds) addVisibleColumn(table, column.id, column.fields);
				for (const column of removals) table.removeColumn(column.id);
				return json(200, null);
			}
			default:
				return undefined;
		}
	}

	function tablesRoute(doc, req) {
		if (req.method === 'GET') {
			return json(200, {
				tables: Object.values(doc.tables).map((table) => ({
					id: table.id,
					fields: { tableRef: table.tableRef, onDemand: false, primaryViewId: table.tableRef, summarySourceTable: 0 },
				})),
			});
		}
		if (req.method === 'POST') {
			const tables = listOf(req.body, 'tables');
			tables.forEach((table, i) => {
				if (!table || !Array.isArray(table.columns)) throw payloadError(`tables[${i}].columns is missing`);
			});
			const created = tables.map((spec) => {
				const id = pickTableIdent(spec.id, Object.keys(doc.tables));
				const table = new GristTable(id, doc);
				doc.tables[id] = table;
				const taken = ['id', 'manualSort'];
				for (const column of spec.columns) {
					const colId = pickColIdent(column.id, taken);
					taken.push(colId);
					table.addColumn(colId, column.fields || {});
				}
				return { id };
			});
			return json(200, { tables: created });
		}
		if (req.method === 'PATCH') {
			const tables = listOf(req.body, 'tables');
			for (const spec of tables) requireTable(doc, spec.id);
			return json(200, null);
		}
		return undefined;
	}

	// --- routing

	function docRoute(state, doc, rest, req) {
		if (state.dailyLimitExceeded) throw new GristError(429, `Exceeded daily limit for document ${doc.id}`);
		if (state.backlogFailures > 0) {
			state.backlogFailures -= 1;
			throw new GristError(429, `Too many backlogged requests for document ${doc.id} - try again later?`);
		}
		if (req.method !== 'GET' && rest[0] !== 'sql') doc.version += 1;
		if (!rest.length && req.method === 'GET') {
			const workspace = state.workspaces.find((w) => w.id === doc.workspaceId);
			return json(200, { ...docJson(doc), workspace: workspace && workspaceJson(state, workspace) });
		}
		if (rest[0] === 'sql' && rest.length === 1) {
			if (req.method === 'GET') {
				if (typeof req.query.q !== 'string') throw new GristError(400, 'q parameter is required');
				return runSql(doc, req.query.q, []).then((records) => json(200, { statement: req.query.q, records }));
			}
			if (req.method === 'POST') {
				const body = req.body || {};
				if (typeof body.sql !== 'string') throw payloadError('"sql" is required');
				if (body.args !== undefined && body.args !== null && !Array.isArray(body.args)) throw payloadError('"args" must be an array');
				return runSql(doc, body.sql, body.args || []).then((records) => json(200, { statement: body.sql, records }));
			}
		}
		if (rest[0] === 'webhooks') {
			try {
				return webhooks.route(doc, rest, req);
			} catch (error) {
				if (error instanceof WebhookApiError) throw new GristError(error.status, error.message, error.details);
				throw error;
			}
		}
		if (rest[0] !== 'tables') return undefined;
		if (rest.length === 1) return tablesRoute(doc, req);
		const table = requireTable(doc, rest[1]);
		const tail = rest.slice(2).join('/');
		if (tail === 'records') {
			if (req.method === 'GET') return recordsGet(table, req);
			const write = { POST: recordsPost, PATCH: recordsPatch, PUT: recordsPut }[req.method];
			if (write) {
				// A write that throws applied nothing and fires nothing.
				const before = webhooks.beforeWrite(doc, table);
				const reply = write(table, req);
				webhooks.afterWrite(table, before);
				return reply;
			}
		}
		if ((tail === 'records/delete' || tail === 'data/delete') && req.method === 'POST') return recordsDelete(table, req);
		if (tail === 'columns') return columnsRoute(doc, table, req);
		if (rest[2] === 'columns' && rest.length === 4 && req.method === 'DELETE') {
			if (!table.column(rest[3])) throw new GristError(400, `Invalid column "${rest[3]}"`);
			table.removeColumn(rest[3]);
			return json(200, null);
		}
		return undefined;
	}

	function route(state, req) {
		let path = req.path.replace(/\/+$/, '');
		path = path.replace(/^\/o\/[^/]+(?=\/api\/)/, '');
		if (!path.startsWith('/api/')) return undefined;
		const parts = path.slice('/api/'.length).split('/').map(decodeURIComponent);
		if (parts[0] === 'orgs' && parts.length === 1 && req.method === 'GET') return json(200, state.orgs.map(orgJson));
		if (parts[0] === 'orgs' && parts.length >= 2) {
			const org = state.orgs.find((o) => String(o.id) === parts[1] || o.domain === parts[1] || parts[1] === 'current');
			if (!org) throw new GristError(404, 'organization not found');
			if (parts.length === 2 && req.method === 'GET') return json(200, orgJson(org));
			if (parts[2] === 'workspaces' && parts.length === 3 && req.method === 'GET') {
				return json(200, state.workspaces.filter((w) => w.orgId === org.id).map((w) => workspaceJson(state, w)));
			}
		}
		if (parts[0] === 'workspaces' && parts.length >= 2) {
			const workspace = state.workspaces.find((w) => String(w.id) === parts[1]);
			if (!workspace) throw new GristError(404, 'workspace not found');
			if (parts.length === 2 && req.method === 'GET') return json(200, workspaceJson(state, workspace));
			if (parts[2] === 'docs' && req.method === 'POST') {
				const id = `doc${Object.keys(state.docs).length + 1}${Math.random().toString(36).slice(2, 8)}`;
				newDoc(state, id, req.body?.name || 'Untitled', workspace.id);
				return json(200, id);
			}
		}
		if (parts[0] === 'profile' && parts[1] === 'user' && req.method === 'GET') return json(200, profile);
		if (parts[0] === 'docs' && parts.length >= 2) {
			const doc = state.docs[parts[1]];
			if (!doc) throw new GristError(404, 'document not found');
			return docRoute(state, doc, parts.slice(2), req);
		}
		return undefined;
	}

	function authenticate(req) {
		const header = req.headers.authorization;
		if (!header) throw new GristError(401, 'user not authorized');
		const [scheme, key] = String(header).split(' ');
		if (scheme !== 'Bearer') throw new GristError(401, "Bad request: unsupported Authorization scheme, expected 'Bearer'");
		if (!key || !apiKeys.has(key)) throw new GristError(401, 'Bad request: invalid API key');
	}

	async function handle(req, ctx) {
		const started = Date.now();
		try {
			const isJson = String(req.headers['content-type'] || '').includes('json');
			if (isJson && req.rawBody.length > BODY_LIMIT) return json(413, { error: 'request entity too large' });
			if (req.body && req.body.__invalidJson !== undefined) return json(400, { error: 'Unexpected token in JSON body' });
			// The anonymous user is a member of no org.
			if (!req.headers.authorization && req.method === 'GET' && /^\/api\/orgs\/?$/.test(req.path)) return json(200, []);
			authenticate(req);
			const reply = (await route(ctx.state, req)) || json(404, { error: `not found: ${req.path}` });
			const model = ctx.state.costModel;
			// The modelled cost is the whole server time of the request: the fake's own work counts towards it.
			const costMs = reply.delayMs ?? (model && req.path.includes('/docs/') ? model.otherMs : 0);
			const delayMs = costMs - (Date.now() - started);
			if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
			return reply;
		} catch (error) {
			if (error instanceof GristError) {
				return json(error.status, error.details ? { error: error.message, details: error.details } : { error: error.message });
			}
			throw error;
		}
	}

	const webhooks = createWebhookSupport(
		{
			get ctx() {
				return fake.ctx;
			},
		},
		options,
	);

	const fake = createFakeServer({
		name: 'grist',
		initialState: freshState,
		handle,
		seed: seedDocs,
		rateLimitResponse: (ctx) => json(429, { error: `Too many backlogged requests for document ${Object.keys(ctx.state.docs)[0]} - try again later?` }),
	});

	const doc = (docId) => {
		const found = fake.ctx.state.docs[docId];
		if (!found) throw new Error(`fake grist: no document ${docId}`);
		return found;
	};

	Object.defineProperty(fake, 'apiBaseUrl', { get: () => `${fake.baseUrl}/api` });
	Object.assign(fake, {
		apiKey: [...apiKeys][0],
		addDoc(id, name) {
			newDoc(fake.ctx.state, id, name);
			return fake;
		},
		addTable(docId, tableId, columns = []) {
			const target = doc(docId);
			const id = pickTableIdent(tableId, Object.keys(target.tables));
			const table = new GristTable(id, target);
			target.tables[id] = table;
			for (const column of columns) table.addColumn(column.id, column.fields || column);
			target.version += 1;
			return id;
		},
		records(docId, tableId) {
			const table = doc(docId).tables[tableId];
			if (!table) throw new Error(`fake grist: no table ${tableId}`);
			return table.records();
		},
		columns(docId, tableId) {
			const table = doc(docId).tables[tableId];
			if (!table) throw new Error(`fake grist: no table ${tableId}`);
			return table.columns.map(({ id, label, type }) => ({ id, label, type }));
		},
		/** Column ids still tied to their label (a label rename would rename them). */
		tiedColumns(docId, tableId) {
			const table = doc(docId).tables[tableId];
			if (!table) throw new Error(`fake grist: no table ${tableId}`);
			return table.columns.filter((column) => !column.untieColIdFromLabel).map((column) => column.id);
		},
		/**
		 * Costs per request, as measured on a real server: `{add, update, unchanged}` each `{fixedMs, perRowMs}` (a
		 * records write pays the fixed cost of the costliest kind of row it holds, plus each row's cost), and `otherMs`
		 * for any other document request. `undefined` turns it off.
		 */
		setCostModel(model) {
			fake.ctx.state.costModel = model;
			return fake;
		},
		tableIds(docId) {
			return Object.keys(doc(docId).tables);
		},
		seedDemo() {
			seedDocs(fake.ctx.state, DEMO_SEED);
			return fake;
		},
		failNextWithBacklog(count = 1) {
			fake.ctx.state.backlogFailures = count;
			return fake;
		},
		exceedDailyLimit(on = true) {
			fake.ctx.state.dailyLimitExceeded = on;
			return fake;
		},
		/** ALLOWED_WEBHOOK_DOMAINS (undefined, the default: every webhook URL is refused, as on a fresh self-hosted Grist). */
		allowWebhookDomains(value) {
			webhooks.setAllowedDomains(value);
			return fake;
		},
		/** The registered webhooks (all documents, or one), as the fake holds them. */
		webhooks: (docId) => webhooks.webhooks(docId),
		/** Every delivery attempt: {webhookId, url, attempt, at, size, status | error}. */
		webhookDeliveries: () => webhooks.deliveries(),
		queuedWebhookEvents: () => webhooks.queued(),
		/** Resolves once every queued webhook event was sent (or postponed and sent). */
		webhooksIdle: (timeoutMs) => webhooks.idle(timeoutMs),
	});
	const stopServer = fake.stop;
	fake.stop = async () => {
		webhooks.stop();
		await stopServer();
	};
	if (options.seed) fake.seed(options.seed);
	return fake;
}

module.exports = { createGristFake, pickTableIdent, pickColIdent, parseCell, convertCell };
