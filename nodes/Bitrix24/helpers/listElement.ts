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
	let values: unknown[];
	if (Array.isArray(value)) values = value;
	else if (isValueMap(value)) values = Object.values(value);
	else if (value === null || value === undefined || value === false || value === '') values = [];
	else values = [value];
	if (mode === 'array') return values;
	if (values.length === 0) return null;
	return values.length === 1 ? values[0] : values;
}

/** A new element with every `PROPERTY_<id>` normalised; other fields are copied as they are. */
export function normaliseListElement(element: IDataObject, mode: PropertyValueMode): IDataObject {
	if (mode === 'raw') return { ...element };
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(element)) {
		result[key] = /^PROPERTY_\d+$/.test(key) ? (normalisePropertyValue(value, mode) as IDataObject[string]) : value;
	}
	return result;
}

/**
 * The same, rewriting the elements of a freshly parsed API answer in place. Get Many uses it on up to
 * 2,500 records per request: a copy of each would double the garbage a 100,000-record read makes.
 * Never call it on n8n input items.
 */
export function normaliseParsedListElements(elements: IDataObject[], mode: PropertyValueMode): IDataObject[] {
	if (mode === 'raw') return elements;
	for (const element of elements) {
		for (const key of Object.keys(element)) {
			if (/^PROPERTY_\d+$/.test(key)) element[key] = normalisePropertyValue(element[key], mode) as IDataObject[string];
		}
	}
	return elements;
}
