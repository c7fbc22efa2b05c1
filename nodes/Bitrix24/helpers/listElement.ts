import type { IDataObject } from 'n8n-workflow';

/**
 * How to present list-element property values, which Bitrix24 returns as objects keyed by value id:
 * `"PROPERTY_951": {"3743": "1269", "3745": "1271"}`.
 * - `auto`: one value → that value, several → an array, none → null.
 * - `array`: always an array (stable type for multi-value properties).
 * - `raw`: unchanged.
 */
export type PropertyValueMode = 'auto' | 'array' | 'raw';

function isValueMap(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function normalisePropertyValue(value: unknown, mode: Exclude<PropertyValueMode, 'raw'>): unknown {
	if (mode === 'auto' && isValueMap(value)) {
		// The common case, one value, without building an array: this runs for every property of every element.
		// Object.keys, not for…in: the value ids are integer keys, which for…in walks on a slow path.
		const keys = Object.keys(value);
		if (keys.length === 1) return value[keys[0]];
	}
	let values: unknown[];
	if (Array.isArray(value)) values = value;
	else if (isValueMap(value)) values = Object.values(value);
	else if (value === null || value === undefined || value === false || value === '') values = [];
	else values = [value];
	if (mode === 'array') return values;
	if (values.length === 0) return null;
	return values.length === 1 ? values[0] : values;
}

const PROPERTY_PREFIX = 'PROPERTY_';

/** `PROPERTY_<digits>`, tested without a regex: it runs for every field of every element. */
function isPropertyKey(key: string): boolean {
	if (key.length <= PROPERTY_PREFIX.length || !key.startsWith(PROPERTY_PREFIX)) return false;
	for (let i = PROPERTY_PREFIX.length; i < key.length; i++) {
		const code = key.charCodeAt(i);
		if (code < 48 || code > 57) return false;
	}
	return true;
}

/**
 * Every `PROPERTY_<id>` of list elements normalised, rewriting the elements of a freshly parsed API answer in place. Get Many uses it on up to
 * 2,500 records per request: a copy of each would double the garbage a 100,000-record read makes.
 * Never call it on n8n input items.
 */
export function normaliseParsedListElements(elements: IDataObject[], mode: PropertyValueMode): IDataObject[] {
	if (mode === 'raw') return elements;
	for (const element of elements) {
		for (const key in element) {
			if (isPropertyKey(key)) element[key] = normalisePropertyValue(element[key], mode) as IDataObject[string];
		}
	}
	return elements;
}
