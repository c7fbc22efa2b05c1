'use strict';
/**
 * Loopback fake of a Bitrix24 portal's REST API behind an inbound webhook
 * as Bitrix24's REST documentation describes it. It routes /rest/{userId}/{code}/{method}[.json],
 * reads JSON, urlencoded (PHP bracket keys) and query-string params, and implements the methods our
 * Bitrix24 node uses: crm.item.*, crm.type.list, crm.status.list, crm.category.list, lists.get, lists.element.*,
 * user.get, department.get and batch (with `$result[cmd][…]` references).
 *
 * Lists are kept sorted by id so that a keyset page (`>id` filter + id order) costs O(page):
 * a 100,000-record bench must measure the client, not the fake.
 *
 * Costs and faults on top of core.cjs: a leaky bucket answering 503 QUERY_LIMIT_EXCEEDED (default 2 req/s,
 * burst 50, as on non-Enterprise plans; a batch counts as one request), server time per command
 * (`commandMs`, so a 50-command batch costs 50 times one call), methods blocked with 429
 * OPERATION_TIME_LIMIT, a `result_error` injected into one command of a batch, a command whose result
 * the answer lacks, and a change to the data between two calls of a scan.
 *
 * Time as a portal keeps it: `createdTime`/`updatedTime` of CRM items are ISO 8601 strings to the second in the
 * portal's time zone (`2026-01-01T10:00:00+03:00`), set by crm.item.add and moved by every crm.item.update (a
 * delete leaves no trace). A filter on such a field (`>=updatedTime`) compares instants to the second, whatever
 * offset the value is written with (none: the portal's zone). Records equal on every ordered field come in no
 * order the caller asked for: the fake gives them newest id first, so a client that needs an order must ask for it.
 * `server.time` answers the portal's clock, which a test may set (`now`).
 */
const { randomBytes } = require('node:crypto');

const { createFakeServer, json } = require('./core.cjs');

const PAGE_SIZE = 50;
const OPERATING_WINDOW_SECONDS = 600;
/** The documentation's examples are written in Moscow time. */
const DEFAULT_ZONE = '+03:00';

// ---------------------------------------------------------------------------------------------
// PHP-style query strings (`filter[>id]=5&select[0]=id`), as http_build_query writes them.

function setPath(target, path, value) {
	let node = target;
	for (let i = 0; i < path.length; i++) {
		let key = path[i];
		if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
		const last = i === path.length - 1;
		if (key === '') key = String(Object.keys(node).length);
		if (last) {
			node[key] = value;
		} else {
			if (!node[key] || typeof node[key] !== 'object') node[key] = {};
			node = node[key];
		}
	}
}

function parsePhpQuery(text) {
	const result = {};
	if (!text) return result;
	for (const part of text.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const rawKey = eq === -1 ? part : part.slice(0, eq);
		const rawValue = eq === -1 ? '' : part.slice(eq + 1);
		const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
		const value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
		const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(key);
		if (!match) {
			setPath(result, [key], value);
			continue;
		}
		const path = [match[1]];
		for (const segment of match[2].matchAll(/\[([^\]]*)\]/g)) path.push(segment[1]);
		setPath(result, path, value);
	}
	return result;
}

/** PHP arrays arrive as objects keyed 0..n-1 from a query string, as arrays from JSON. */
function toList(value) {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value;
	if (typeof value === 'object') return Object.values(value);
	return [value];
}

function toObject(value) {
	return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

// ---------------------------------------------------------------------------------------------
// A page of stored records (50 rows, ~10 kB of JSON) keeps its UTF-8 bytes: a keyset batch of 50 pages
// is otherwise 2,500 records to stringify and encode on every request, the fake's main cost in the
// 100,000-record bench. A kept page is reused only while it still holds the very same record objects
// (so records spliced out of or into a store are seen) and no record was edited in place since: the
// fake's own updates call `editedInPlace()`, and so must a caller that edits a stored record
// (through listElements()/users()/crmItems()) rather than replace it: `fake.changed()`.

let editGeneration = 0;

function editedInPlace() {
	editGeneration += 1;
}

/** Rows arrays that are whole pages of a store's records → their kept bytes. */
const pageRows = new WeakMap();

function keptPage(store, from, rows) {
	let kept = store.pages.get(from);
	if (!kept || kept.generation !== editGeneration || kept.rows.length !== rows.length || kept.rows.some((record, i) => record !== rows[i])) {
		kept = { rows, generation: editGeneration, bytes: Buffer.from(JSON.stringify(rows), 'utf8') };
		if (store.pages.size >= 10_000) store.pages.clear();
		store.pages.set(from, kept);
	}
	pageRows.set(rows, kept.bytes);
}

// A kept page is stringified as this placeholder, then its bytes are spliced in. JSON.stringify
// writes the NUL as `\u0000`, and the random tag keeps a data string from ever looking like one.
const PLACEHOLDER_TAG = randomBytes(8).toString('hex');
const PLACEHOLDER = `\u0000${PLACEHOLDER_TAG}:`;
const PLACEHOLDER_JSON = new RegExp(`"\\\\u0000${PLACEHOLDER_TAG}:(\\d+)"`, 'g');

/** The same bytes as Buffer.from(JSON.stringify(value)), with kept pages reused. */
function encodeJson(value) {
	const pages = [];
	const text = JSON.stringify(value, (_key, entry) => {
		const bytes = Array.isArray(entry) ? pageRows.get(entry) : undefined;
		if (bytes === undefined) return entry;
		pages.push(bytes);
		return `${PLACEHOLDER}${pages.length - 1}`;
	});
	if (!pages.length) return Buffer.from(text, 'utf8');
	const pieces = [];
	let from = 0;
	for (const match of text.matchAll(PLACEHOLDER_JSON)) {
		pieces.push(Buffer.from(text.slice(from, match.index), 'utf8'), pages[Number(match[1])]);
		from = match.index + match[0].length;
	}
	pieces.push(Buffer.from(text.slice(from), 'utf8'));
	return Buffer.concat(pieces);
}

// ---------------------------------------------------------------------------------------------
// A list kept sorted by numeric id.

class Store {
	constructor(idField, idAsString) {
		this.idField = idField;
		this.idAsString = idAsString;
		this.records = [];
		this.fields = new Set([idField]);
		this.nextId = 1;
		/** Kept page bytes by the index of the page's first record (see keptPage). */
		this.pages = new Map();
	}

	idOf(record) {
		return Number(record[this.idField]);
	}

	/** First index whose id is > id (or >= id when inclusive). */
	lowerBound(id, inclusive) {
		let lo = 0;
		let hi = this.records.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			const midId = this.idOf(this.records[mid]);
			if (midId < id || (!inclusive && midId === id)) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	get(id) {
		const index = this.lowerBound(Number(id), true);
		const record = this.records[index];
		return record && this.idOf(record) === Number(id) ? record : undefined;
	}

	insert(fields) {
		const id = fields[this.idField] !== undefined && fields[this.idField] !== '' ? Number(fields[this.idField]) : this.nextId;
		const record = { ...fields, [this.idField]: this.idAsString ? String(id) : id };
		const index = this.lowerBound(id, true);
		if (this.records[index] && this.idOf(this.records[index]) === id) this.records[index] = record;
		else this.records.splice(index, 0, record);
		this.nextId = Math.max(this.nextId, id + 1);
		for (const key of Object.keys(record)) this.fields.add(key);
		return record;
	}

	update(id, fields) {
		const record = this.get(id);
		if (!record) return undefined;
		Object.assign(record, fields, { [this.idField]: record[this.idField] });
		editedInPlace();
		for (const key of Object.keys(record)) this.fields.add(key);
		return record;
	}

	remove(id) {
		const index = this.lowerBound(Number(id), true);
		const record = this.records[index];
		if (!record || this.idOf(record) !== Number(id)) return false;
		this.records.splice(index, 1);
		return true;
	}
}

// ---------------------------------------------------------------------------------------------
// Filters, order and pages, as the list methods apply them.

const OPERATORS = ['>=', '<=', '!=', '!%', '=%', '%=', '!@', '>', '<', '@', '%', '=', '!'];

function parseCondition(key, value) {
	const op = OPERATORS.find((candidate) => key.startsWith(candidate)) ?? '';
	return { op, field: key.slice(op.length), value };
}

/** `2026-01-01T10:00:00+03:00`, `…T10:00:00.123Z` or `2026-01-01T10:00:00` (read in `zone`) → unix seconds. */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/;

function offsetMinutes(zone) {
	if (!zone || zone === 'Z') return 0;
	const match = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
	return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

function dateTimeSeconds(value, zone) {
	if (typeof value !== 'string') return undefined;
	const match = DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const [, y, mo, d, h, mi, sec = '0', offset] = match;
	const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)) / 1000;
	return local - offsetMinutes(offset ?? zone) * 60;
}

/** The portal's way of writing an instant: to the second, with its zone's offset. */
function portalDateTime(ms, zone) {
	const minutes = offsetMinutes(zone);
	const local = new Date(Math.floor(ms / 1000) * 1000 + minutes * 60_000).toISOString().slice(0, 19);
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function compareIn(a, b, zone = DEFAULT_ZONE) {
	const da = dateTimeSeconds(a, zone);
	const db = dateTimeSeconds(b, zone);
	if (da !== undefined && db !== undefined) return da - db;
	const na = Number(a);
	const nb = Number(b);
	if (a !== '' && b !== '' && a !== null && b !== null && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
	return String(a ?? '').localeCompare(String(b ?? ''));
}

function like(value, pattern) {
	return String(value ?? '').toLowerCase().includes(String(pattern).toLowerCase());
}

function testCondition(record, { op, field, value }, zone) {
	const actual = record[field];
	const compare = (x, y) => compareIn(x, y, zone);
	switch (op) {
		case '>':
			return compare(actual, value) > 0;
		case '>=':
			return compare(actual, value) >= 0;
		case '<':
			return compare(actual, value) < 0;
		case '<=':
			return compare(actual, value) <= 0;
		case '!':
		case '!=':
			return compare(actual, value) !== 0;
		case '@':
			return toList(value).some((entry) => compare(actual, entry) === 0);
		case '!@':
			return !toList(value).some((entry) => compare(actual, entry) === 0);
		case '%':
		case '=%':
		case '%=':
			return like(actual, String(value).replace(/%/g, ''));
		case '!%':
			return !like(actual, String(value).replace(/%/g, ''));
		default:
			return toList(value).length > 1
				? toList(value).some((entry) => compare(actual, entry) === 0)
				: compare(actual, value) === 0;
	}
}

/**
 * Bitrix24 silently ignores a condition on a field the entity does not have (a misnamed filter)
 * and, as the fake assumes (not documented), a condition whose value is empty, which is what an unresolved
 * `$result[…]` reference turns into. Both make a keyset loop re-read page 1.
 */
function usableConditions(store, filter) {
	const conditions = [];
	for (const [key, value] of Object.entries(toObject(filter))) {
		const condition = parseCondition(key, value);
		if (!store.fields.has(condition.field)) continue;
		if (value === '' || value === null || value === undefined) continue;
		conditions.push(condition);
	}
	return conditions;
}

function normaliseOrder(store, order) {
	const entries = [];
	for (const [field, direction] of Object.entries(toObject(order))) {
		if (!store.fields.has(field)) continue;
		entries.push([field, String(direction).toUpperCase() === 'DESC' ? -1 : 1]);
	}
	return entries;
}

/**
 * One page of a list method: `start` -1 skips the count (no total/next), otherwise 50 rows from
 * `start` with `total` and `next`. An id-ordered scan starts at the keyset bound by binary search.
 */
function queryPage(store, { filter, order, start, select, zone = DEFAULT_ZONE }) {
	const conditions = usableConditions(store, filter);
	const orderEntries = normaliseOrder(store, order);
	const byIdOnly = orderEntries.length === 0 || (orderEntries.length === 1 && orderEntries[0][0] === store.idField);
	const direction = orderEntries.length === 1 && byIdOnly ? orderEntries[0][1] : 1;

	let candidates = store.records;
	let from = 0;
	let rest = conditions;
	if (byIdOnly && direction === 1) {
		const bound = conditions.find((c) => c.field === store.idField && (c.op === '>' || c.op === '>='));
		if (bound) {
			from = store.lowerBound(Number(bound.value), bound.op === '>=');
			rest = conditions.filter((c) => c !== bound);
		}
	} else if (byIdOnly) {
		candidates = [...store.records].reverse();
	} else {
		candidates = [...store.records].sort((a, b) => {
			for (const [field, dir] of orderEntries) {
				const diff = compareIn(a[field], b[field], zone);
				if (diff) return diff * dir;
			}
			// Rows equal on every ordered field: the database promises no order; newest id first here.
			return store.idOf(b) - store.idOf(a);
		});
	}

	const countMode = Number(start) !== -1;
	const offset = countMode ? Math.max(0, Number(start) || 0) : 0;
	const page = [];
	let matched = 0;
	let total;
	// Where in the store a page of consecutive stored records starts, for keptPage.
	let pageStart;
	if (!rest.length) {
		const available = candidates.length - from;
		if (candidates === store.records) pageStart = from + offset;
		for (let i = from + offset; i < candidates.length && page.length < PAGE_SIZE; i++) page.push(candidates[i]);
		total = available;
	} else {
		for (let i = from; i < candidates.length; i++) {
			const record = candidates[i];
			if (!rest.every((condition) => testCondition(record, condition, zone))) continue;
			if (matched >= offset && page.length < PAGE_SIZE) page.push(record);
			matched += 1;
			if (!countMode && page.length >= PAGE_SIZE) break;
		}
		total = matched;
	}

	const fields = toList(select).filter((field) => field !== '*');
	// Rows are serialised into the HTTP answer before anything can change them, so they are not copied:
	// copying 2,500 records per batch would make the fake, not the client, the bench's bottleneck.
	const rows = page.map((record) => {
		if (!fields.length) return record;
		const picked = { [store.idField]: record[store.idField] };
		for (const field of fields) if (field in record) picked[field] = record[field];
		return picked;
	});
	if (pageStart !== undefined && !fields.length) keptPage(store, pageStart, rows);
	const envelope = { rows };
	if (countMode) {
		envelope.total = total;
		if (offset + PAGE_SIZE < total) envelope.next = offset + PAGE_SIZE;
	}
	return envelope;
}

// ---------------------------------------------------------------------------------------------
// Generators for seeding N records.

const CITY_NAMES = ['Paris', 'Lyon', 'Nantes', 'Lille', 'Nice', 'Rennes', "L'Haÿ-les-Roses", 'Saint-Étienne'];

function generateCrmItems(count, { startId = 1, entityTypeId = 1030 } = {}) {
	const items = [];
	for (let i = 0; i < count; i++) {
		const id = startId + i;
		items.push({
			id,
			entityTypeId,
			title: `Item ${id} ${CITY_NAMES[id % CITY_NAMES.length]}`,
			categoryId: 0,
			stageId: `DT${entityTypeId}_1:NEW`,
			assignedById: 1,
			createdTime: '2026-01-01T10:00:00+03:00',
			updatedTime: '2026-01-01T10:00:00+03:00',
			ufCrm5Code: `C${id}`,
		});
	}
	return items;
}

function generateListElements(count, { startId = 1, iblockId = 25, propertyId = 101, valueIdStart = 5000 } = {}) {
	const elements = [];
	for (let i = 0; i < count; i++) {
		const id = startId + i;
		elements.push({
			ID: String(id),
			IBLOCK_ID: String(iblockId),
			NAME: `Element ${id} "${CITY_NAMES[id % CITY_NAMES.length]}"`,
			CODE: `el-${id}`,
			IBLOCK_SECTION_ID: null,
			CREATED_BY: '1',
			DATE_CREATE: '01.01.2026 10:00:00',
			[`PROPERTY_${propertyId}`]: { [String(valueIdStart + id)]: String(id % 97) },
		});
	}
	return elements;
}

function generateUsers(count, { startId = 1 } = {}) {
	const users = [];
	for (let i = 0; i < count; i++) {
		const id = startId + i;
		users.push({
			ID: String(id),
			ACTIVE: true,
			NAME: `User${id}`,
			LAST_NAME: `Last${id}`,
			EMAIL: `user${id}@example.test`,
			UF_DEPARTMENT: [1],
			USER_TYPE: 'employee',
		});
	}
	return users;
}

function generateDepartments(count, { startId = 1 } = {}) {
	const departments = [];
	for (let i = 0; i < count; i++) {
		const id = startId + i;
		departments.push({ ID: String(id), NAME: `Department ${id}`, SORT: 500, PARENT: id === 1 ? undefined : '1', UF_HEAD: '1' });
	}
	return departments;
}

const GENERATORS = {
	crmItems: generateCrmItems,
	listElements: generateListElements,
	users: generateUsers,
	departments: generateDepartments,
};

/** A seed entry is an array of records or `{count, startId}` for generated ones. */
function recordsFrom(kind, entry, options) {
	if (Array.isArray(entry)) return entry;
	if (entry && typeof entry === 'object' && entry.count !== undefined) {
		return GENERATORS[kind](Number(entry.count), { ...options, ...entry });
	}
	return [];
}

// ---------------------------------------------------------------------------------------------

function initialState() {
	return {
		crmItems: new Map(),
		lists: new Map(),
		users: new Store('ID', true),
		departments: new Store('ID', true),
		types: new Store('id', false),
		statuses: new Store('ID', true),
		categories: new Map(),
		blockedMethods: new Map(),
		commandErrors: [],
		droppedResults: [],
		afterCalls: [],
	};
}

function crmStore(state, entityTypeId) {
	const key = Number(entityTypeId);
	if (!state.crmItems.has(key)) state.crmItems.set(key, new Store('id', false));
	return state.crmItems.get(key);
}

function categoryStore(state, entityTypeId) {
	const key = Number(entityTypeId);
	if (!state.categories.has(key)) state.categories.set(key, new Store('id', false));
	return state.categories.get(key);
}

function listKey(iblockTypeId, iblockId) {
	return `${iblockTypeId}:${iblockId}`;
}

function defineList(state, { iblockTypeId = 'lists', iblockId, iblockCode, name }) {
	const key = listKey(iblockTypeId, iblockId);
	if (!state.lists.has(key)) {
		state.lists.set(key, { iblockTypeId, iblockId: String(iblockId), iblockCode, name, store: new Store('ID', true), valueIds: 100000 });
	}
	const list = state.lists.get(key);
	if (iblockCode) list.iblockCode = iblockCode;
	if (name) list.name = name;
	return list;
}

/** A list as lists.get describes it (string fields, as Bitrix24 sends them). */
function listDescription(list) {
	return {
		ID: list.iblockId,
		IBLOCK_TYPE_ID: list.iblockTypeId,
		CODE: list.iblockCode ?? '',
		NAME: list.name ?? `List ${list.iblockId}`,
		ACTIVE: 'Y',
		SORT: '500',
		DESCRIPTION: '',
	};
}

function seed(state, spec = {}) {
	for (const [entityTypeId, entry] of Object.entries(spec.crmItems ?? {})) {
		const store = crmStore(state, entityTypeId);
		for (const record of recordsFrom('crmItems', entry, { entityTypeId: Number(entityTypeId) })) store.insert(record);
	}
	for (const entry of spec.lists ?? []) {
		const list = defineList(state, entry);
		for (const record of recordsFrom('listElements', entry.elements, { iblockId: Number(entry.iblockId) })) {
			list.store.insert(record);
		}
	}
	for (const record of recordsFrom('users', spec.users)) state.users.insert(record);
	for (const record of recordsFrom('departments', spec.departments)) state.departments.insert(record);
	for (const record of spec.types ?? []) state.types.insert(record);
	for (const record of spec.statuses ?? []) state.statuses.insert(record);
	for (const [entityTypeId, records] of Object.entries(spec.categories ?? {})) {
		const store = categoryStore(state, entityTypeId);
		for (const record of records) store.insert({ entityTypeId: Number(entityTypeId), ...record });
	}
}

// ---------------------------------------------------------------------------------------------
// Methods. Each returns {result, total?, next?} or throws a MethodError.

class MethodError extends Error {
	constructor(status, error, description) {
		super(description);
		this.status = status;
		this.error = error;
		this.description = description;
	}
}

function portalNow(state) {
	return portalDateTime(state.portalTime.now(), state.portalTime.zone);
}

function requireParam(params, name) {
	const value = params[name];
	if (value === undefined || value === null || value === '') {
		throw new MethodError(400, 'INVALID_ARG_VALUE', `Parameter '${name}' is required`);
	}
	return value;
}

function requireEntityType(params) {
	const value = Number(requireParam(params, 'entityTypeId'));
	if (!Number.isInteger(value) || value <= 0) throw new MethodError(400, 'INVALID_ARG_VALUE', 'entityTypeId is invalid');
	return value;
}

function findList(state, params) {
	const iblockTypeId = requireParam(params, 'IBLOCK_TYPE_ID');
	let list;
	if (params.IBLOCK_ID !== undefined && params.IBLOCK_ID !== '') list = state.lists.get(listKey(iblockTypeId, params.IBLOCK_ID));
	else if (params.IBLOCK_CODE) {
		list = [...state.lists.values()].find((l) => l.iblockTypeId === iblockTypeId && l.iblockCode === params.IBLOCK_CODE);
	} else throw new MethodError(400, 'ERROR_REQUIRED_PARAMETERS_MISSING', 'Required parameter IBLOCK_ID or IBLOCK_CODE is missing');
	if (!list) throw new MethodError(400, 'ERROR_IBLOCK_NOT_FOUND', 'Iblock not found');
	return list;
}

function findElement(list, params) {
	if (params.ELEMENT_ID !== undefined && params.ELEMENT_ID !== '') return list.store.get(params.ELEMENT_ID);
	if (params.ELEMENT_CODE) return list.store.records.find((record) => record.CODE === params.ELEMENT_CODE);
	return undefined;
}

/** Property values are written as a value, a list or `{valueId: value}`, and read back as `{valueId: value}`. */
function elementFields(list, fields) {
	const stored = {};
	for (const [key, value] of Object.entries(toObject(fields))) {
		if (!/^PROPERTY_/.test(key)) {
			stored[key] = value;
			continue;
		}
		const values = {};
		if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => /^n?\d+$/.test(k))) {
			for (const entry of Object.values(value)) values[String(++list.valueIds)] = String(entry);
		} else {
			for (const entry of toList(value)) values[String(++list.valueIds)] = String(entry);
		}
		stored[key] = values;
	}
	return stored;
}

function camelFields(fields) {
	return toObject(fields);
}

const METHODS = {
	'crm.item.list'(state, params) {
		const store = crmStore(state, requireEntityType(params));
		const page = queryPage(store, {
			filter: params.filter,
			order: params.order,
			start: params.start,
			select: params.select,
			zone: state.portalTime.zone,
		});
		return { result: { items: page.rows }, total: page.total, next: page.next };
	},
	'crm.item.get'(state, params) {
		const store = crmStore(state, requireEntityType(params));
		const item = store.get(requireParam(params, 'id'));
		if (!item) throw new MethodError(400, 'NOT_FOUND', 'Element not found');
		return { result: { item: JSON.parse(JSON.stringify(item)) } };
	},
	'crm.item.add'(state, params) {
		const entityTypeId = requireEntityType(params);
		const store = crmStore(state, entityTypeId);
		const fields = camelFields(params.fields);
		if (fields.title !== undefined && String(fields.title).length > 255) {
			throw new MethodError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', 'Title is too long');
		}
		const { id: _ignored, ...rest } = fields;
		void _ignored;
		const now = portalNow(state);
		const item = store.insert({ ...rest, id: store.nextId, entityTypeId, createdTime: now, updatedTime: now });
		return { result: { item: JSON.parse(JSON.stringify(item)) } };
	},
	'crm.item.update'(state, params) {
		const store = crmStore(state, requireEntityType(params));
		const id = requireParam(params, 'id');
		const { id: _ignored, ...fields } = camelFields(params.fields);
		void _ignored;
		// Every update moves updatedTime, to the second: two updates within one second leave the same value.
		const item = store.update(id, { ...fields, updatedTime: portalNow(state) });
		if (!item) throw new MethodError(400, 'NOT_FOUND', 'Element not found');
		return { result: { item: JSON.parse(JSON.stringify(item)) } };
	},
	'crm.item.delete'(state, params) {
		const store = crmStore(state, requireEntityType(params));
		if (!store.remove(requireParam(params, 'id'))) throw new MethodError(400, 'NOT_FOUND', 'Element not found');
		return { result: [] };
	},
	'crm.type.list'(state, params) {
		const page = queryPage(state.types, { filter: params.filter, order: params.order, start: params.start, select: params.select });
		return { result: { types: page.rows }, total: page.total, next: page.next };
	},
	'crm.status.list'(state, params) {
		const page = queryPage(state.statuses, { filter: params.filter, order: params.order, start: params.start });
		return { result: page.rows, total: page.total, next: page.next };
	},
	'crm.category.list'(state, params) {
		const store = categoryStore(state, requireEntityType(params));
		const page = queryPage(store, { start: params.start });
		return { result: { categories: page.rows }, total: page.total, next: page.next };
	},
	/**
	 * The lists of one IBLOCK_TYPE_ID, by ID ascending, 50 per page (`start`, `total`, `next`); IBLOCK_ID or
	 * IBLOCK_CODE narrow it to one. It has no name filter: a search by name reads the pages.
	 */
	'lists.get'(state, params) {
		const iblockTypeId = requireParam(params, 'IBLOCK_TYPE_ID');
		let lists = [...state.lists.values()]
			.filter((list) => list.iblockTypeId === iblockTypeId)
			.sort((a, b) => Number(a.iblockId) - Number(b.iblockId));
		if (params.IBLOCK_ID !== undefined && params.IBLOCK_ID !== '') lists = lists.filter((list) => list.iblockId === String(params.IBLOCK_ID));
		else if (params.IBLOCK_CODE) lists = lists.filter((list) => list.iblockCode === params.IBLOCK_CODE);
		const offset = Math.max(0, Number(params.start) || 0);
		const envelope = { result: lists.slice(offset, offset + PAGE_SIZE).map(listDescription), total: lists.length };
		if (offset + PAGE_SIZE < lists.length) envelope.next = offset + PAGE_SIZE;
		return envelope;
	},
	'lists.element.get'(state, params) {
		const list = findList(state, params);
		if (params.ELEMENT_ID || params.ELEMENT_CODE) {
			const element = findElement(list, params);
			return { result: element ? [JSON.parse(JSON.stringify(element))] : [], total: element ? 1 : 0 };
		}
		const page = queryPage(list.store, { filter: params.FILTER, order: params.ELEMENT_ORDER, start: params.start, select: params.SELECT });
		return { result: page.rows, total: page.total, next: page.next };
	},
	'lists.element.add'(state, params) {
		const list = findList(state, params);
		const code = requireParam(params, 'ELEMENT_CODE');
		if (list.store.records.some((record) => record.CODE === code)) {
			throw new MethodError(400, 'ERROR_ELEMENT_ALREADY_EXISTS', 'Element with this code already exists');
		}
		const fields = elementFields(list, params.FIELDS);
		if (!fields.NAME) throw new MethodError(400, 'ERROR_ADD_ELEMENT', 'NAME is required');
		const record = list.store.insert({
			...fields,
			ID: undefined,
			IBLOCK_ID: list.iblockId,
			CODE: code,
			IBLOCK_SECTION_ID: null,
			CREATED_BY: '1',
			DATE_CREATE: '01.01.2026 10:00:00',
		});
		return { result: Number(record.ID) };
	},
	'lists.element.update'(state, params) {
		const list = findList(state, params);
		const element = findElement(list, params);
		if (!element) throw new MethodError(400, 'ERROR_ELEMENT_NOT_FOUND', 'Element not found');
		// Bitrix24 replaces the whole element: fields left out are cleared (reported by integrators, not documented).
		const fields = elementFields(list, params.FIELDS);
		const kept = { ID: element.ID, IBLOCK_ID: element.IBLOCK_ID, CODE: element.CODE, CREATED_BY: element.CREATED_BY, DATE_CREATE: element.DATE_CREATE };
		for (const key of Object.keys(element)) delete element[key];
		Object.assign(element, kept, fields);
		editedInPlace();
		for (const key of Object.keys(element)) list.store.fields.add(key);
		return { result: true };
	},
	'lists.element.delete'(state, params) {
		const list = findList(state, params);
		const element = findElement(list, params);
		if (!element) throw new MethodError(400, 'ERROR_ELEMENT_NOT_FOUND', 'Element not found');
		list.store.remove(element.ID);
		return { result: true };
	},
	'user.get'(state, params) {
		const filter = { ...toObject(params.FILTER) };
		// user.get also takes filter fields at the top level (`user.get?ID=1`).
		for (const [key, value] of Object.entries(params)) {
			if (/^[A-Z_>!<@%=]+$/.test(key) && !['FILTER', 'ADMIN_MODE'].includes(key)) filter[key] = value;
		}
		const order = params.sort ? { [params.sort]: params.order ?? 'ASC' } : undefined;
		const page = queryPage(state.users, { filter, order, start: params.start });
		return { result: page.rows, total: page.total, next: page.next };
	},
	/** The portal's clock, in its own zone. */
	'server.time'(state) {
		return { result: portalNow(state) };
	},
	/** The webhook's user; needs no scope, so the credential test calls it. */
	profile(state) {
		return { result: { ID: state.webhookUserId, ADMIN: true, NAME: 'Webhook', LAST_NAME: 'User', PERSONAL_GENDER: '', TIME_ZONE: '' } };
	},
	'department.get'(state, params) {
		const filter = {};
		for (const key of ['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD']) if (params[key] !== undefined) filter[key] = params[key];
		const order = params.sort ? { [params.sort]: params.order ?? 'ASC' } : undefined;
		const page = queryPage(state.departments, { filter, order, start: params.start });
		return { result: page.rows, total: page.total, next: page.next };
	},
};

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The operating-time limit, when the fake is created with `operating`: each command's server time is summed per
// method over a sliding window; once the sum has reached the budget the method answers 429 OPERATION_TIME_LIMIT
// until enough of it expires. Answers report the sum (`operating`) and when its oldest part frees (`operating_reset_at`).

function operatingSpent(state, method) {
	const model = state.operatingModel;
	const entries = model.spent.get(method) ?? [];
	const horizon = model.now() - model.windowSeconds * 1000;
	while (entries.length && entries[0].at <= horizon) entries.shift();
	model.spent.set(method, entries);
	return entries;
}

function operatingSum(state, method) {
	return operatingSpent(state, method).reduce((sum, entry) => sum + entry.seconds, 0);
}

function chargeOperating(state, method, elapsedMs) {
	const model = state.operatingModel;
	const seconds = model.costSeconds ?? elapsedMs / 1000;
	operatingSpent(state, method).push({ at: model.now(), seconds });
}

function timeBlock(startedAt, state, method) {
	const finish = Date.now();
	const model = state.operatingModel;
	let operating = 0;
	let resetAt = state.blockedMethods.get(method)?.resetAt ?? Math.floor(startedAt / 1000) + OPERATING_WINDOW_SECONDS;
	if (model) {
		const entries = operatingSpent(state, method);
		const oldest = entries.length ? entries[0].at : model.now();
		resetAt = Math.ceil((oldest + model.windowSeconds * 1000) / 1000);
		operating = operatingSum(state, method);
	}
	return {
		start: startedAt / 1000,
		finish: finish / 1000,
		duration: (finish - startedAt) / 1000,
		processing: (finish - startedAt) / 1000,
		date_start: new Date(startedAt).toISOString(),
		date_finish: new Date(finish).toISOString(),
		operating_reset_at: resetAt,
		operating,
	};
}

/** Throws 429 OPERATION_TIME_LIMIT while a method is blocked (by `blockMethod`). */
function checkOperating(state, method) {
	const blocked = state.blockedMethods.get(method);
	if (!blocked) return;
	if (blocked.calls > 0) {
		blocked.calls -= 1;
		if (blocked.calls === 0) state.blockedMethods.delete(method);
		throw new MethodError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
	}
	state.blockedMethods.delete(method);
}

function callMethod(state, method, params) {
	const handler = METHODS[method];
	if (!handler) throw new MethodError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
	checkOperating(state, method);
	const model = state.operatingModel;
	if (model && operatingSum(state, method) >= model.budgetSeconds) {
		model.blocks += 1;
		throw new MethodError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
	}
	const startedAt = Date.now();
	const answer = handler(state, params);
	if (model) chargeOperating(state, method, Date.now() - startedAt);
	// What the list looks like changes between two calls of a scan (see `afterCall`).
	const hook = state.afterCalls.find((entry) => entry.method === method);
	if (hook) {
		hook.times -= 1;
		if (hook.times <= 0) state.afterCalls.splice(state.afterCalls.indexOf(hook), 1);
		hook.change(state, params);
	}
	return answer;
}

function lookupReference(results, path) {
	let node = results;
	for (const key of path) {
		if (node === null || node === undefined || typeof node !== 'object') return undefined;
		node = Array.isArray(node) ? node[Number(key)] : node[key];
	}
	return node;
}

const REFERENCE = /\$(result|result_next|result_total)\[([^\]]+)\]((?:\[[^\]]*\])*)/g;

/**
 * Replaces `$result[cmd][…]` in every parsed value. A reference that does not resolve (an earlier
 * command failed or returned fewer rows) becomes an empty string (an assumption: Bitrix24 documents no error
 * for it), so the command runs with that condition dropped.
 */
function resolveReferences(value, maps) {
	if (typeof value === 'string') {
		if (!value.includes('$')) return value;
		const whole = /^\$(result|result_next|result_total)\[([^\]]+)\]((?:\[[^\]]*\])*)$/.exec(value);
		if (whole) {
			const resolved = lookupReference(maps[whole[1]], [whole[2], ...[...whole[3].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])]);
			return resolved === undefined || resolved === null ? '' : resolved;
		}
		return value.replace(REFERENCE, (_match, kind, key, rest) => {
			const resolved = lookupReference(maps[kind], [key, ...[...rest.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])]);
			return resolved === undefined || resolved === null || typeof resolved === 'object' ? '' : String(resolved);
		});
	}
	if (Array.isArray(value)) return value.map((entry) => resolveReferences(entry, maps));
	if (value && typeof value === 'object') {
		const copy = {};
		for (const [key, entry] of Object.entries(value)) copy[key] = resolveReferences(entry, maps);
		return copy;
	}
	return value;
}

/**
 * Commands p1…p49 of a keyset read are the same text in every batch, so their parse is kept.
 * resolveReferences copies every object and array, so the kept parse is never handed out to change.
 */
const parsedQueries = new Map();

function parsedCommandQuery(query) {
	let parsed = parsedQueries.get(query);
	if (parsed === undefined) {
		if (parsedQueries.size >= 1000) parsedQueries.clear();
		parsed = parsePhpQuery(query);
		parsedQueries.set(query, parsed);
	}
	return parsed;
}

/** Bitrix24 serialises an empty map as `[]`. */
function phpMap(object) {
	return Object.keys(object).length ? object : [];
}

/** The first fault of `faults` matching a command (by key and/or method), used up once. */
function takeFault(faults, key, method) {
	const index = faults.findIndex((fault) => (fault.key === undefined || fault.key === key) && (fault.method === undefined || fault.method === method));
	if (index === -1) return undefined;
	const fault = faults[index];
	fault.times -= 1;
	if (fault.times <= 0) faults.splice(index, 1);
	return fault;
}

/** Commands a request runs: the portal spends its per-command server time on each. */
function commandCount(method, params) {
	if (method !== 'batch') return 1;
	const cmd = params.cmd;
	return Math.max(1, Array.isArray(cmd) ? cmd.length : Object.keys(toObject(cmd)).length);
}

function runBatch(state, params) {
	const cmd = params.cmd;
	const entries = Array.isArray(cmd) ? cmd.map((value, index) => [String(index), value]) : Object.entries(toObject(cmd));
	if (entries.length > 50) throw new MethodError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded');
	const halt = params.halt === true || params.halt === 1 || params.halt === '1' || params.halt === 'Y';
	const maps = { result: {}, result_error: {}, result_total: {}, result_next: {}, result_time: {} };
	for (const [key, command] of entries) {
		const text = String(command);
		const question = text.indexOf('?');
		const method = (question === -1 ? text : text.slice(0, question)).replace(/\.json$/, '').toLowerCase();
		const startedAt = Date.now();
		try {
			if (method === 'batch') throw new MethodError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Batch call is not allowed in batch');
			const fault = takeFault(state.commandErrors, key, method);
			if (fault) throw new MethodError(400, fault.error, fault.error_description);
			const commandParams = resolveReferences(parsedCommandQuery(question === -1 ? '' : text.slice(question + 1)), maps);
			const answer = callMethod(state, method, commandParams);
			// A cut answer: the command ran, but its result is in neither map.
			if (takeFault(state.droppedResults, key, method)) continue;
			maps.result[key] = answer.result;
			if (answer.total !== undefined) maps.result_total[key] = answer.total;
			if (answer.next !== undefined) maps.result_next[key] = answer.next;
			maps.result_time[key] = timeBlock(startedAt, state, method);
		} catch (error) {
			if (!(error instanceof MethodError)) throw error;
			maps.result_error[key] = { error: error.error, error_description: error.description };
			if (halt) break;
		}
	}
	return {
		result: {
			result: phpMap(maps.result),
			result_error: phpMap(maps.result_error),
			result_total: phpMap(maps.result_total),
			result_next: phpMap(maps.result_next),
			result_time: phpMap(maps.result_time),
		},
	};
}

function requestParams(req) {
	const params = parsePhpQuery(req.searchParams.toString());
	const type = String(req.headers['content-type'] || '');
	if (req.rawBody && req.rawBody.length) {
		if (type.includes('application/json')) {
			if (req.body && typeof req.body === 'object' && !req.body.__invalidJson) Object.assign(params, req.body);
			else throw new MethodError(400, 'INVALID_REQUEST', 'Invalid JSON');
		} else {
			Object.assign(params, parsePhpQuery(req.rawBody.toString('utf8')));
		}
	}
	return params;
}

/** The operating-time model's settings, or undefined (then only `blockMethod` answers OPERATION_TIME_LIMIT). */
function operatingModel(operating) {
	if (!operating) return undefined;
	return {
		budgetSeconds: Number(operating.budgetSeconds ?? 480),
		windowSeconds: Number(operating.windowSeconds ?? OPERATING_WINDOW_SECONDS),
		costSeconds: operating.costSeconds === undefined ? undefined : Number(operating.costSeconds),
		now: operating.now ?? (() => Date.now()),
		spent: new Map(),
		blocks: 0,
	};
}

/**
 * @param {object} options
 * @param {{budgetSeconds?:number,windowSeconds?:number,costSeconds?:number,now?:()=>number}} [options.operating]
 *   models the operating-time limit: budget per method per window (480 s per 600 s by default), each command
 *   charged `costSeconds` (default: its real duration), time read from `now` (a test's virtual clock)
 * @param {number|string} [options.userId=1]
 * @param {string} [options.code='fakewebhookcode0001']
 * @param {{rate:number,burst:number}|null} [options.rateLimit]  default 2/s burst 50; null disables it
 * @param {number} [options.latencyMs]  added to every HTTP request
 * @param {number} [options.commandMs]  server time per command: a 50-command batch takes 50 × this
 * @param {object} [options.seed]
 * @param {() => number} [options.now]  the portal's clock (ms), for createdTime/updatedTime and server.time
 * @param {string} [options.timeZone='+03:00']  the portal's offset, in which it writes and reads date-times
 */
function createBitrix24Fake(options = {}) {
	const userId = String(options.userId ?? 1);
	const code = String(options.code ?? 'fakewebhookcode0001');
	const commandMs = Number(options.commandMs ?? 0);

	const fake = createFakeServer({
		name: 'bitrix24',
		initialState: () => ({
			...initialState(),
			webhookUserId: userId,
			operatingModel: operatingModel(options.operating),
			portalTime: { now: options.now ?? (() => Date.now()), zone: options.timeZone ?? DEFAULT_ZONE },
		}),
		seed,
		rateLimitResponse: (ctx) => {
			ctx.limitExceeded = (ctx.limitExceeded ?? 0) + 1;
			return json(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
		},
		async handle(req, ctx) {
			const match = /^\/rest\/([^/]+)\/([^/]+)\/([^/]+?)(?:\.json)?\/?$/.exec(req.path);
			if (!match) return json(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
			if (match[1] !== userId || match[2] !== code) {
				return json(401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' });
			}
			const method = match[3].toLowerCase();
			const startedAt = Date.now();
			try {
				const params = requestParams(req);
				if (commandMs > 0) await new Promise((resolve) => setTimeout(resolve, commandMs * commandCount(method, params)));
				const answer = method === 'batch' ? runBatch(ctx.state, params) : callMethod(ctx.state, method, params);
				const body = { result: answer.result };
				if (answer.total !== undefined) body.total = answer.total;
				if (answer.next !== undefined) body.next = answer.next;
				body.time = timeBlock(startedAt, ctx.state, method);
				return { status: 200, body: encodeJson(body), headers: { 'content-type': 'application/json' } };
			} catch (error) {
				if (!(error instanceof MethodError)) throw error;
				return json(error.status, { error: error.error, error_description: error.description });
			}
		},
	});

	const baseReset = fake.reset;
	const api = Object.assign(fake, {
		userId,
		code,
		reset() {
			baseReset();
			api.setFaults({ rateLimit: defaultRateLimit });
		},
		crmItems(entityTypeId) {
			return crmStore(fake.state, entityTypeId).records;
		},
		listElements(iblockTypeId, iblockId) {
			return defineList(fake.state, { iblockTypeId, iblockId }).store.records;
		},
		users() {
			return fake.state.users.records;
		},
		/** After editing stored records in place: kept page bytes are dropped, so answers show the edit. */
		changed() {
			editedInPlace();
			return api;
		},
		/** The next `calls` calls of `method` (also inside batches) answer 429 OPERATION_TIME_LIMIT until `resetAt` (unix s). */
		blockMethod(method, { calls = 1, resetAt } = {}) {
			fake.state.blockedMethods.set(method, { calls, resetAt });
			return api;
		},
		/** The next `times` matching batch commands fail with this result_error (match by command key and/or method). */
		failCommand({ key, method, error = 'ERROR_CORE', error_description = 'Injected command failure', times = 1 } = {}) {
			fake.state.commandErrors.push({ key, method, error, error_description, times });
			return api;
		},
		/** The next `times` matching batch commands run but their answer holds neither result nor error for them. */
		dropCommandResult({ key, method, times = 1 } = {}) {
			fake.state.droppedResults.push({ key, method, times });
			return api;
		},
		/** After each of the next `times` calls of `method` (batch commands included) is answered, `change(state, params)` runs. */
		afterCall(method, change, { times = 1 } = {}) {
			fake.state.afterCalls.push({ method, change, times });
			return api;
		},
		/** crm.item.add as the portal runs it (createdTime = updatedTime = the portal's now, to the second). */
		addCrmItem(entityTypeId, fields = {}) {
			return METHODS['crm.item.add'](fake.state, { entityTypeId, fields }).result.item;
		},
		/** crm.item.update as the portal runs it: updatedTime moves to the portal's now. */
		updateCrmItem(entityTypeId, id, fields = {}) {
			return METHODS['crm.item.update'](fake.state, { entityTypeId, id, fields }).result.item;
		},
		/** crm.item.delete: the record goes, and nothing with an updatedTime says so. */
		deleteCrmItem(entityTypeId, id) {
			return METHODS['crm.item.delete'](fake.state, { entityTypeId, id });
		},
		/** Requests made to one REST method (`batch`, `crm.item.list`…), control calls excluded. */
		callsTo(method) {
			return fake.log.filter((entry) => new RegExp(`/${method.replace(/\./g, '\\.')}(\\.json)?$`).test(entry.path));
		},
	});

	// How many commands the operating-time model refused with 429 OPERATION_TIME_LIMIT.
	Object.defineProperty(api, 'operatingBlocks', { get: () => fake.state.operatingModel?.blocks ?? 0, enumerable: true });

	// How many requests the leaky bucket refused (503 QUERY_LIMIT_EXCEEDED) since the fake started.
	Object.defineProperty(api, 'limitExceeded', { get: () => fake.ctx.limitExceeded ?? 0, enumerable: true });

	// A getter: Object.assign would have frozen it before start() picks the port.
	Object.defineProperty(api, 'webhookUrl', {
		get: () => `${fake.baseUrl}/rest/${userId}/${code}/`,
		enumerable: true,
	});

	const defaultRateLimit = options.rateLimit === undefined ? { rate: 2, burst: 50 } : options.rateLimit;
	api.setFaults({ rateLimit: defaultRateLimit, latencyMs: options.latencyMs ?? 0 });
	if (options.seed) api.seed(options.seed);
	return api;
}

module.exports = {
	createBitrix24Fake,
	parsePhpQuery,
	generateCrmItems,
	generateListElements,
	generateUsers,
	generateDepartments,
	portalDateTime,
	PAGE_SIZE,
};
