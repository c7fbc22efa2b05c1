import type { IDataObject } from 'n8n-workflow';

/**
 * Grist sends cells in its wire encoding (app/plugin/GristData.ts, GristObjCode): a plain number, string, boolean or
 * null, or a list whose first element is a one-letter code. A webhook delivers each record exactly as the document
 * stores it, so Choice List, Reference List and Attachments cells arrive as `["L", …]`, and an Any column (the
 * default type of a formula column) may hold `["D", …]`, `["R", …]`, `["E", …]` and the others.
 */
export type DecodedCell = string | number | boolean | null | DecodedCell[] | { [key: string]: DecodedCell };

const ZONE_FORMATS = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat | null {
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
			// Grist accepts any zone name it knows; one this runtime does not know is shown in UTC.
			format = null;
		}
		ZONE_FORMATS.set(timeZone, format);
	}
	return format;
}

/** Minutes the zone is ahead of UTC at that instant (Europe/Paris in summer: 120); 0 for UTC or an unknown zone. */
function offsetMinutes(timeZone: string, millis: number): number {
	const format = zoneFormat(timeZone);
	if (!format) return 0;
	const parts: Record<string, number> = {};
	for (const part of format.formatToParts(new Date(millis))) parts[part.type] = Number(part.value);
	const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return Math.round((wall - Math.floor(millis / 1000) * 1000) / 60000);
}

function pad(value: number, width = 2): string {
	return String(Math.abs(value)).padStart(width, '0');
}

/**
 * `["D", seconds, zone]` as an ISO 8601 date-time at the zone's own offset, so the wall-clock time Grist shows is
 * kept: `["D", 1704945919, "Europe/Paris"]` → `2024-01-11T05:05:19+01:00`. Milliseconds appear only when present.
 */
export function gristDateTimeToIso(seconds: number, timeZone?: string): string {
	const millis = seconds * 1000;
	const offset = timeZone ? offsetMinutes(timeZone, millis) : 0;
	const wall = new Date(millis + offset * 60000).toISOString();
	const base = wall.endsWith('.000Z') ? wall.slice(0, -5) : wall.slice(0, -1);
	if (!offset) return `${base}Z`;
	return `${base}${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** `["d", seconds]` (midnight UTC of the day) → `YYYY-MM-DD`. */
export function gristDateToIso(seconds: number): string {
	return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/**
 * One cell, decoded:
 * - `["L", a, b]` (Choice List, Reference List, Attachments: attachment row ids) → `[a, b]`, items decoded too;
 * - `["O", {…}]` → the object, values decoded;
 * - `["D", seconds, zone]` → ISO date-time at the zone's offset; `["d", seconds]` → `YYYY-MM-DD`;
 * - `["R", table, rowId]` → `{table, id}`; `["r", table, [ids]]` → `{table, ids}` (a row id 0 is an empty reference);
 * - `["E", name, message?, details?]` (a formula's error) → `{error: name, message?, details?}`;
 * - `["P"]` pending, `["C"]` censored by access rules, `["S"]` skip → null; `["U", text]` → the text;
 * - `["l", value, options]` (a lookup, only in actions) → the value.
 * Anything else (an unknown code, a malformed list) is returned as Grist sent it.
 */
export function decodeCellValue(value: unknown): DecodedCell {
	if (!Array.isArray(value)) return value as DecodedCell;
	const [code, ...args] = value as unknown[];
	switch (code) {
		case 'L':
			return args.map(decodeCellValue);
		case 'O': {
			const object = args[0];
			if (object === null || typeof object !== 'object' || Array.isArray(object)) break;
			const decoded: { [key: string]: DecodedCell } = {};
			for (const [key, entry] of Object.entries(object)) decoded[key] = decodeCellValue(entry);
			return decoded;
		}
		case 'D':
			if (!isFiniteNumber(args[0])) break;
			return gristDateTimeToIso(args[0], typeof args[1] === 'string' ? args[1] : undefined);
		case 'd':
			if (!isFiniteNumber(args[0])) break;
			return gristDateToIso(args[0]);
		case 'R':
			if (typeof args[0] !== 'string' || !isFiniteNumber(args[1])) break;
			return { table: args[0], id: args[1] };
		case 'r':
			if (typeof args[0] !== 'string' || !Array.isArray(args[1])) break;
			return { table: args[0], ids: args[1] as DecodedCell[] };
		case 'E': {
			const error: { [key: string]: DecodedCell } = { error: typeof args[0] === 'string' ? args[0] : 'Error' };
			if (args.length > 1 && args[1] !== undefined) error.message = args[1] as DecodedCell;
			if (args.length > 2 && args[2] !== undefined) error.details = args[2] as DecodedCell;
			return error;
		}
		case 'P':
		case 'C':
		case 'S':
			return null;
		case 'U':
			return typeof args[0] === 'string' ? args[0] : (value as DecodedCell);
		case 'l':
			return decodeCellValue(args[0]);
		default:
			break;
	}
	return value as DecodedCell;
}

/** A record as a webhook delivers it (`{id, manualSort, colId: cell, …}`) with every cell decoded; a new object. */
export function decodeRecord(record: IDataObject): IDataObject {
	const decoded: IDataObject = {};
	for (const [colId, cell] of Object.entries(record)) decoded[colId] = decodeCellValue(cell) as IDataObject[string];
	return decoded;
}
