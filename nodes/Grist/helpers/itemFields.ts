import type { IDataObject } from 'n8n-workflow';

export type DataMode = 'autoMapInputData' | 'defineBelow';

/** The Columns parameter as n8n's resource mapper stores it; `value` holds the columns set one by one. */
export interface ColumnsParameter {
	mappingMode?: DataMode;
	value?: IDataObject | null;
	matchingColumns?: string[];
}

// A per-process memo of the last parsed "Inputs to Ignore" text (pure: same text, same set); cold on any worker is
// correct, and nothing else is kept between items or executions.
let lastIgnoreText: string | undefined;
let lastIgnored = new Set<string>();

/** `"a, b"` → {a, b}; bulk operations ask for the same text thousands of times. */
function ignoredKeys(inputsToIgnore: string): Set<string> {
	if (inputsToIgnore !== lastIgnoreText) {
		lastIgnoreText = inputsToIgnore;
		lastIgnored = new Set(
			inputsToIgnore
				.split(',')
				.map((key) => key.trim())
				.filter(Boolean),
		);
	}
	return lastIgnored;
}

/**
 * Column values built from an item: auto-mapped from its JSON (minus ignored keys) or set one by one in the
 * mapper, where a column left empty (null) is not sent.
 */
export function itemFields(columns: ColumnsParameter, json: IDataObject, inputsToIgnore: string): IDataObject {
	const fields: IDataObject = {};
	if (columns.mappingMode === 'defineBelow') {
		for (const [columnId, value] of Object.entries(columns.value ?? {})) {
			if (columnId && value !== null && value !== undefined) fields[columnId] = value;
		}
		return fields;
	}
	const ignored = ignoredKeys(inputsToIgnore);
	for (const key in json) {
		if (!ignored.has(key)) fields[key] = json[key];
	}
	return fields;
}

/** Splits a record into Grist's `require` (the key columns) and `fields` (everything else). */
export function splitRequire(record: IDataObject, requireColumns: readonly string[]): { require: IDataObject; fields: IDataObject } {
	const require: IDataObject = {};
	const fields: IDataObject = {};
	for (const key in record) {
		if (requireColumns.includes(key)) require[key] = record[key];
		else fields[key] = record[key];
	}
	return { require, fields };
}

/** A column spec: `[{id, label?, type?}]`, or `{colId: {label, type}}` as in Recoco-sync's column specs. */
export interface ColumnSpec {
	id: string;
	fields: IDataObject;
}

export function parseColumnSpec(spec: unknown): ColumnSpec[] {
	const value = typeof spec === 'string' ? (spec.trim() ? (JSON.parse(spec) as unknown) : []) : spec;
	const entries: Array<[string, IDataObject]> = Array.isArray(value)
		? value.map((column: IDataObject) => {
				const { id, colId, fields, ...rest } = column ?? {};
				return [String(id ?? colId ?? ''), { ...(rest as IDataObject), ...((fields as IDataObject) ?? {}) }];
			})
		: Object.entries((value ?? {}) as IDataObject).map(([id, fields]) => [id, { ...((fields as IDataObject) ?? {}) }]);
	return entries.map(([id, fields]) => {
		if (!id) throw new Error('a column in the spec has no id');
		const cleaned: IDataObject = {};
		for (const [key, entry] of Object.entries(fields)) {
			if (entry !== undefined && entry !== '') cleaned[key] = entry;
		}
		return { id, fields: cleaned };
	});
}
