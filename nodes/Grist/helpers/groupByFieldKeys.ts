import type { IDataObject } from 'n8n-workflow';

/**
 * Grist's PATCH refuses records with different field sets in one request, and its POST fills a missing
 * field with null instead of the column default (grist-core f98cda95). So records travel in groups that share
 * one field set, in order of first appearance.
 */
export function groupByFieldKeys<T extends { fields: IDataObject }>(records: readonly T[]): T[][] {
	const groups = new Map<string, T[]>();
	for (const record of records) {
		const key = Object.keys(record.fields).sort().join('\u0000');
		const group = groups.get(key);
		if (group) group.push(record);
		else groups.set(key, [record]);
	}
	return [...groups.values()];
}
