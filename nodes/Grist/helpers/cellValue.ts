import type { IDataObject } from 'n8n-workflow';


/** The part of a Grist column type that decides its storage: `Ref:Projets` → `Ref`, `DateTime:Europe/Paris` → `DateTime`. */
export function storageKind(columnType: string | undefined): string {
	return (columnType ?? 'Any').split(':')[0];
}

/** A field value that cannot go to Grist as it is: it fails its own item, before anything is sent. */
export class CellValueError extends Error {
	constructor(
		readonly colId: string,
		detail: string,
	) {
		super(`Field "${colId}" ${detail}`);
		this.name = 'CellValueError';
	}
}

/** Types whose cells hold a list, which Grist encodes as `["L", item, …]`. */
const LIST_TYPES = new Set(['ChoiceList', 'RefList', 'Attachments']);

function kindOf(value: object): string {
	return Array.isArray(value) ? 'a list' : 'an object';
}

function isPlainObject(value: object): boolean {
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

function listItem(colId: string, columnType: string, item: unknown): unknown {
	const kind = storageKind(columnType);
	if (kind === 'ChoiceList') {
		// A choice is text: Grist shows 7 and "7" as different choices, and the column's choices are strings.
		if (typeof item === 'string') return item;
		if (typeof item === 'number' || typeof item === 'boolean') return String(item);
	} else if (typeof item === 'number' && Number.isInteger(item) && item >= 0) {
		return item;
	} else if (typeof item === 'string' && /^\d+$/.test(item.trim())) {
		return Number(item.trim());
	}
	const shown = item !== null && typeof item === 'object' ? kindOf(item) : JSON.stringify(item) ?? String(item);
	throw new CellValueError(colId, `holds ${shown} in its list, which a ${columnType} column cannot store`);
}

/**
 * A list already in Grist's encoding, as Grist's own `/records` reads return it: `["L", "a", "b"]` is sent as it
 * is. (So a plain list whose first item is the text "L" is read as encoded; such a tag must come as `["L", "L", …]`.)
 */
function isEncodedList(value: object): boolean {
	return Array.isArray(value) && value[0] === 'L' && value.slice(1).every((item) => item === null || typeof item !== 'object');
}

/** Any column: lists as `["L", …]` and objects as `["O", {…}]`, Grist's own encodings, all the way down. */
function anyValue(colId: string, value: unknown, ancestors: object[]): unknown {
	if (value === null || typeof value !== 'object') return primitive(colId, value, 'Any');
	const json = withToJson(value);
	if (json !== value) return anyValue(colId, json, ancestors);
	if (ancestors.includes(value)) throw new CellValueError(colId, 'cannot be serialised: it contains itself (a circular object)');
	const inner = [...ancestors, value];
	if (Array.isArray(value)) return ['L', ...value.map((item) => anyValue(colId, item, inner))];
	if (!isPlainObject(value)) throw new CellValueError(colId, 'is not plain JSON data and cannot be serialised');
	const encoded: IDataObject = {};
	for (const [key, entry] of Object.entries(value)) {
		if (entry !== undefined) encoded[key] = anyValue(colId, entry, inner) as IDataObject[string];
	}
	return ['O', encoded];
}

/** A Date (or a Luxon DateTime, or anything with toJSON) is sent as JSON would carry it. */
function withToJson(value: object): unknown {
	const toJSON = (value as { toJSON?: unknown }).toJSON;
	return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}

function primitive(colId: string, value: unknown, columnType: string): unknown {
	switch (typeof value) {
		case 'bigint': {
			const number = Number(value);
			if (Number.isSafeInteger(number)) return number;
			throw new CellValueError(colId, `holds the integer ${String(value)}, too large for a ${columnType} column`);
		}
		case 'function':
		case 'symbol':
			throw new CellValueError(colId, `holds a ${typeof value}, which cannot be serialised`);
		default:
			return value;
	}
}

/**
 * A field value in the form Grist's API accepts as a CellValue (a number, string, boolean, null, or
 * `[code, …]`). Real Grist refuses a plain JS list or object in any field with `400 Invalid payload`
 * (`body.records[1].fields.tags is not a CellValue`), and with it every record of the request. So a list bound
 * for a Choice List, Reference List or Attachments column becomes `["L", …]`; an Any column takes lists and
 * objects in Grist's encodings; a date becomes epoch seconds in a Date or DateTime column; anything else
 * that is not a plain value fails here, naming the field, before it is sent.
 */
export function encodeCellValue(colId: string, value: unknown, columnType: string | undefined): unknown {
	const type = columnType ?? 'Any';
	if (value === null || typeof value !== 'object') return primitive(colId, value, type);
	const kind = storageKind(type);
	if (value instanceof Date && (kind === 'Date' || kind === 'DateTime')) {
		const millis = value.getTime();
		if (Number.isNaN(millis)) throw new CellValueError(colId, 'holds an invalid date');
		return millis / 1000;
	}
	const json = withToJson(value);
	if (json !== value) return encodeCellValue(colId, json, type);
	if (isEncodedList(value) && (kind === 'Any' || LIST_TYPES.has(kind))) return value;
	if (kind === 'Any') return anyValue(colId, value, []);
	if (Array.isArray(value) && LIST_TYPES.has(kind)) return ['L', ...value.map((item) => listItem(colId, type, item))];
	throw new CellValueError(
		colId,
		`is ${kindOf(value)}, which a ${type} column cannot store: send it as text, or make the column a Choice List, Reference List or Any column`,
	);
}

/** Whether a value needs encodeCellValue (and so the column's type): only lists, objects and such do. */
export function needsEncoding(value: unknown): boolean {
	return value !== null && (typeof value === 'object' || typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol');
}

/**
 * Fields ready to send: values that need it encoded for their column's type; the same object when nothing
 * needed it (bulk writes of plain rows stay allocation-free).
 */
export function encodeFields(fields: IDataObject, columnTypes: ReadonlyMap<string, string> | undefined): IDataObject {
	let encoded: IDataObject | undefined;
	for (const colId in fields) {
		const value = fields[colId];
		if (!needsEncoding(value)) continue;
		encoded ??= { ...fields };
		encoded[colId] = encodeCellValue(colId, value, columnTypes?.get(colId)) as IDataObject[string];
	}
	return encoded ?? fields;
}

/** Whether any field needs its column's type to be encoded (so the types are read only when needed). */
export function anyNeedsEncoding(fields: IDataObject): boolean {
	for (const colId in fields) if (needsEncoding(fields[colId])) return true;
	return false;
}
