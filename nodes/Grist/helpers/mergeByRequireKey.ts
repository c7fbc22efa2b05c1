import type { IDataObject } from 'n8n-workflow';

export interface UpsertEntry {
	require: IDataObject;
	fields: IDataObject;
	/** Input item this record came from. */
	itemIndex: number;
}

export interface MergedUpsertRecord {
	require: IDataObject;
	fields: IDataObject;
	/** Every input item folded into this record, in input order. */
	itemIndexes: number[];
}

/** Same columns and same values, whatever the key order. Values are compared after type coercion. */
export function requireKey(require: IDataObject): string {
	const colIds = Object.keys(require);
	if (colIds.length > 1) colIds.sort();
	let key = '';
	for (const colId of colIds) {
		const value = require[colId];
		const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
		key += `${colId}\u0001${typeof value}\u0001${text}\u0002`;
	}
	return key;
}

/**
 * Folds records that share a require key into one, later fields winning, as if they had been sent one
 * after the other. Grist rejects two records with one require key in a request only when their field sets
 * also match, and otherwise applies both in an unspecified order, so we never leave that to the server.
 */
export function mergeByRequireKey(entries: readonly UpsertEntry[]): MergedUpsertRecord[] {
	const merged = new Map<string, MergedUpsertRecord>();
	for (const entry of entries) {
		const key = requireKey(entry.require);
		const existing = merged.get(key);
		if (existing) {
			existing.fields = { ...existing.fields, ...entry.fields };
			existing.itemIndexes.push(entry.itemIndex);
		} else {
			merged.set(key, { require: { ...entry.require }, fields: { ...entry.fields }, itemIndexes: [entry.itemIndex] });
		}
	}
	return [...merged.values()];
}
