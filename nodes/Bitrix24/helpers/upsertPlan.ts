import type { IDataObject } from 'n8n-workflow';

import { batchCommand } from './query';

/** One input item of Create or Update, read and checked. */
export interface UpsertEntry {
	entityTypeId: number;
	/** The field the records are matched on, in the name the fields use (`ufCrm5Code`, or `UF_CRM_5_CODE`). */
	matchField: string;
	/** The match field's value in this item's fields, as text. */
	key: string;
	fields: IDataObject;
}

/** Items that share entity type, match field and key: the first is created (or all updated), the rest update after. */
export interface UpsertGroup {
	entityTypeId: number;
	matchField: string;
	key: string;
	/** In input order. */
	members: Array<{ itemIndex: number; entry: UpsertEntry }>;
}

/** A `UF_…` name only matches with `useOriginalUfNames=Y`; crm.item.* otherwise names user fields `ufCrm…`. */
export function usesOriginalUfNames(matchField: string): boolean {
	return /^UF_/.test(matchField);
}

/** The key of an item: its match field's value, which must be a non-empty scalar. */
export function matchKeyOf(fields: IDataObject, matchField: string): string | undefined {
	const value = fields[matchField];
	if (value === undefined || value === null || typeof value === 'object') return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

export function groupByKey(entries: Array<{ itemIndex: number; entry: UpsertEntry }>): UpsertGroup[] {
	const groups = new Map<string, UpsertGroup>();
	for (const member of entries) {
		const { entityTypeId, matchField, key } = member.entry;
		const id = JSON.stringify([entityTypeId, matchField, key]);
		let group = groups.get(id);
		if (!group) {
			group = { entityTypeId, matchField, key, members: [] };
			groups.set(id, group);
		}
		group.members.push(member);
	}
	return [...groups.values()];
}

function ufNames(matchField: string): IDataObject {
	return usesOriginalUfNames(matchField) ? { useOriginalUfNames: 'Y' } : {};
}

/**
 * The lookup of one key: `crm.item.list` filtered on the field, selecting only id and the field. start=-1
 * skips the row count; two rows are enough to know the key is ambiguous.
 */
export function lookupCommand(group: UpsertGroup): string {
	return batchCommand('crm.item.list', {
		entityTypeId: group.entityTypeId,
		filter: { [`=${group.matchField}`]: group.key },
		select: ['id', group.matchField],
		start: -1,
		...ufNames(group.matchField),
	});
}

export function addCommand(entry: UpsertEntry): string {
	return batchCommand('crm.item.add', { entityTypeId: entry.entityTypeId, fields: entry.fields, ...ufNames(entry.matchField) });
}

export function updateCommand(entry: UpsertEntry, id: string): string {
	return batchCommand('crm.item.update', { entityTypeId: entry.entityTypeId, id, fields: entry.fields, ...ufNames(entry.matchField) });
}

export type LookupOutcome = { kind: 'none' } | { kind: 'one'; id: string } | { kind: 'many'; ids: string[] };

/**
 * Which records a lookup found. Bitrix24 silently drops a filter on a field the entity does not have and
 * answers every record, so only rows whose field really holds the key count: a misnamed field finds nothing
 * rather than a wrong record to update.
 */
export function lookupOutcome(rows: IDataObject[], group: UpsertGroup): LookupOutcome {
	const ids = rows
		.filter((row) => {
			const value = row[group.matchField];
			return value !== undefined && value !== null && String(value).trim() === group.key;
		})
		.map((row) => String(row.id ?? row.ID));
	if (ids.length === 0) return { kind: 'none' };
	if (ids.length === 1) return { kind: 'one', id: ids[0] };
	return { kind: 'many', ids };
}

/** Splits named commands into batches of at most `size`, keeping their order. */
export function chunkCommands(commands: Array<[string, string]>, size = 50): Array<Record<string, string>> {
	const chunks: Array<Record<string, string>> = [];
	for (let from = 0; from < commands.length; from += size) chunks.push(Object.fromEntries(commands.slice(from, from + size)));
	return chunks;
}
