import type { IDataObject } from 'n8n-workflow';

/** The five maps of a `batch` answer, each keyed by command name. */
export interface BatchResult {
	result: IDataObject;
	result_error: Record<string, { error?: string; error_description?: string }>;
	result_total: Record<string, number>;
	result_next: Record<string, number>;
	result_time: Record<string, IDataObject>;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Bitrix24 serialises an empty map as `[]` (PHP arrays), so every map is read through this. */
export function asMap<T = unknown>(value: unknown): Record<string, T> {
	if (isObject(value)) return value as Record<string, T>;
	if (Array.isArray(value)) return Object.fromEntries(value.map((entry, index) => [String(index), entry])) as Record<string, T>;
	return {};
}

/** `body.result` of a batch call with every map normalised from `[]` to `{}`. */
export function normaliseBatchResult(body: unknown): BatchResult {
	const outer = isObject(body) ? body.result : undefined;
	const maps = isObject(outer) ? outer : {};
	return {
		result: asMap(maps.result),
		result_error: asMap(maps.result_error),
		result_total: asMap(maps.result_total),
		result_next: asMap(maps.result_next),
		result_time: asMap(maps.result_time),
	};
}

const RECORD_LIST_KEYS = ['items', 'types', 'categories'];

/**
 * The records of a method result, whatever its envelope: `result[]` (user.get, lists.element.get,
 * crm.status.list, department.get), `result.items[]` (crm.item.list), `result.types[]`,
 * `result.categories[]`, a single `result.item`, or a map keyed by id.
 */
export function recordsOf(result: unknown): IDataObject[] {
	if (result === undefined || result === null) return [];
	if (Array.isArray(result)) return result.map((entry) => (isObject(entry) ? entry : { value: entry as IDataObject[string] }));
	if (!isObject(result)) return [{ value: result as IDataObject[string] }];
	for (const key of RECORD_LIST_KEYS) {
		if (Array.isArray(result[key])) return recordsOf(result[key]);
	}
	const keys = Object.keys(result);
	if (keys.length === 1 && keys[0] === 'item' && isObject(result.item)) return [result.item];
	if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key)) && keys.every((key) => isObject(result[key]))) {
		return keys.map((key) => result[key] as IDataObject);
	}
	return [result];
}
