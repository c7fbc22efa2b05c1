import type { IDataObject } from 'n8n-workflow';

export class CellCoercionError extends Error {
	constructor(
		readonly colId: string,
		readonly value: unknown,
		readonly columnType: string,
	) {
		super(`value ${JSON.stringify(value)} for column "${colId}" cannot be stored as ${columnType}`);
		this.name = 'CellCoercionError';
	}
}

const INTEGER = /^[+-]?\d+(\.0*)?$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The part of a Grist column type that decides its storage: `Ref:Projets` → `Ref`, `DateTime:Europe/Paris` → `DateTime`. */
export function storageKind(columnType: string | undefined): string {
	return (columnType ?? 'Any').split(':')[0];
}

function toInteger(colId: string, value: unknown, columnType: string): number {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && INTEGER.test(value.trim())) return Number(value.trim());
	throw new CellCoercionError(colId, value, columnType);
}

function toNumber(colId: string, value: unknown, columnType: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
	throw new CellCoercionError(colId, value, columnType);
}

function toBool(colId: string, value: unknown, columnType: string): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true' || text === '1') return true;
		if (text === 'false' || text === '0') return false;
	}
	throw new CellCoercionError(colId, value, columnType);
}

/** Grist stores Date and DateTime as epoch seconds (Date at UTC midnight). */
function toEpochSeconds(colId: string, value: unknown, columnType: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (DECIMAL.test(text)) return Number(text);
		// A date-time without an offset would depend on this server's time zone, so it is refused.
		if (DATE_ONLY.test(text) || DATE_TIME_WITH_OFFSET.test(text)) {
			const millis = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
			if (!Number.isNaN(millis)) return millis / 1000;
		}
	}
	throw new CellCoercionError(colId, value, columnType);
}

/**
 * A value in the column's own storage type. Grist compares `require` values raw, so the Int 42218 never
 * matches the Text "42218" and the upsert would add a row each time (grist-core f98cda95).
 */
export function coerceCellValue(colId: string, value: unknown, columnType: string | undefined): unknown {
	if (value === null || value === undefined) return null;
	const type = columnType ?? 'Any';
	switch (storageKind(type)) {
		case 'Int':
		case 'Ref':
		case 'ManualSortPos':
			return toInteger(colId, value, type);
		case 'Numeric':
		case 'PositionNumber':
			return toNumber(colId, value, type);
		case 'Bool':
			return toBool(colId, value, type);
		case 'Date':
		case 'DateTime':
			return toEpochSeconds(colId, value, type);
		case 'Text':
		case 'Choice':
			if (typeof value === 'string') return value;
			if (typeof value === 'number' || typeof value === 'boolean') return String(value);
			throw new CellCoercionError(colId, value, type);
		default:
			return value;
	}
}

/** Every require value coerced to its column's type; `id` is the row id, an Int. */
export function coerceRequire(require: IDataObject, columnTypes: ReadonlyMap<string, string>): IDataObject {
	const coerced: IDataObject = {};
	for (const colId in require) {
		const type = colId === 'id' ? 'Int' : columnTypes.get(colId);
		coerced[colId] = coerceCellValue(colId, require[colId], type) as IDataObject[string];
	}
	return coerced;
}
