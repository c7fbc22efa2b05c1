import type { IDataObject } from 'n8n-workflow';

import { advanceCursor, changeKey, cursorFrom, type ChangeCursor, type CursorSettings } from './changeCursor';

/** What one poll reads from the portal; the transport gives it, tests give their own. */
export interface ChangeReader {
	/** The portal's clock, as Bitrix24 writes date-times (server.time). */
	serverTime(): Promise<string>;
	/**
	 * Records with updatedTime at or after `from` (every record when absent), in (updatedTime, id) order,
	 * until `limit` of them pass `accept`; only those are returned.
	 */
	changes(from: string | undefined, accept: (record: IDataObject) => boolean, limit: number): Promise<IDataObject[]>;
	/** The `count` most recently updated records, newest first. */
	latest(count: number): Promise<IDataObject[]>;
}

export interface ChangePollSettings extends CursorSettings {
	/** An editor test run: it shows records and never moves the cursor. */
	manual: boolean;
	/** On the first activation, emit every existing record instead of starting from now. */
	emitExisting: boolean;
	maxRecords: number;
}

export interface ChangePollOutcome {
	records: IDataObject[];
	/** The cursor to store, or undefined to leave the stored one as it is. */
	cursor?: ChangeCursor;
}

/** How many records an editor test run shows. */
export const MANUAL_SAMPLE = 10;

/**
 * One poll. A manual run shows the changes the next poll would emit, or else the latest records, and returns
 * no cursor. A first activation stores a cursor at the portal's now and emits nothing (unless asked for the
 * backlog), which n8n saves: it saves the static data of the activation poll even when it emits nothing. Otherwise the unseen changes since readFrom are emitted, and the cursor moves only with them:
 * n8n does not save the static data of a poll that emits nothing, so a cursor moved then would not last.
 */
export async function pollChanges(reader: ChangeReader, stored: ChangeCursor | undefined, settings: ChangePollSettings): Promise<ChangePollOutcome> {
	if (settings.manual) {
		const cursor = stored ?? (settings.emitExisting ? { seen: [] } : undefined);
		if (cursor) {
			const pending = await reader.changes(cursor.readFrom, unseenBy(cursor), Math.min(settings.maxRecords, MANUAL_SAMPLE));
			if (pending.length) return { records: pending };
		}
		return { records: await reader.latest(MANUAL_SAMPLE) };
	}
	if (!stored && !settings.emitExisting) {
		// Records already saved in the portal's current second are backlog too: their keys are marked seen, so
		// only a save later in that same second is emitted.
		const cursor = cursorFrom(await reader.serverTime());
		const current = await reader.changes(cursor.readFrom, () => true, settings.maxSeen);
		return { records: [], cursor: { ...cursor, seen: current.map(changeKey) } };
	}
	const cursor: ChangeCursor = stored ?? { seen: [] };
	const records = await reader.changes(cursor.readFrom, unseenBy(cursor), settings.maxRecords);
	if (!records.length) return { records, cursor: stored ? undefined : cursor };
	return { records, cursor: advanceCursor(cursor, records, settings) };
}

function unseenBy(cursor: ChangeCursor): (record: IDataObject) => boolean {
	const seen = new Set(cursor.seen);
	return (record) => !seen.has(changeKey(record));
}

/** A stored cursor, or undefined when the static data holds none (first activation, or a renamed node). */
export function storedCursor(value: unknown): ChangeCursor | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const cursor = value as ChangeCursor;
	return Array.isArray(cursor.seen) ? cursor : undefined;
}
