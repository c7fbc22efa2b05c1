import type { IDataObject } from 'n8n-workflow';

/**
 * The CRM Trigger's cursor over `crm.item` changes. Bitrix24 writes `updatedTime` to the second in the portal's
 * zone (`2026-01-01T10:00:00+03:00`, the format server.time answers too), moves it on every update and never on a
 * delete. A save can commit after a later one was read, so each poll re-reads from a little before the
 * watermark (the overlap) and drops what it already emitted, by id and updatedTime.
 */
export interface ChangeCursor {
	/** The newest emitted change, as Bitrix24 wrote it, and its id: the watermark with its tie-break. */
	updatedTime?: string;
	id?: number;
	/** Changes older than this (an updatedTime as Bitrix24 writes it) are not read again; absent: read from the start. */
	readFrom?: string;
	/** `id@unixSeconds` of every change emitted with an updatedTime at or after readFrom. */
	seen: string[];
}

export interface CursorSettings {
	overlapSeconds: number;
	/** Past this many seen keys, readFrom moves up whole seconds at a time so that the list stays small. */
	maxSeen: number;
}

export const DEFAULT_MAX_SEEN = 5000;

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Unix seconds of a Bitrix24 date-time, or undefined when it is not one. */
export function instantOf(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const match = DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const ms = Date.parse(value.trim());
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** The same date-time moved by `seconds`, written with its own offset (the portal's zone). */
export function shiftDateTime(value: string, seconds: number): string {
	const match = DATE_TIME.exec(value.trim());
	const instant = instantOf(value);
	if (!match || instant === undefined) throw new Error(`"${value}" is not a Bitrix24 date-time`);
	const zone = match[7];
	const minutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
	const local = new Date((instant + seconds) * 1000 + minutes * 60_000).toISOString().slice(0, 19);
	return `${local}${zone}`;
}

/** What identifies one change: the record and the second it was saved. */
export function changeKey(record: IDataObject): string {
	const instant = instantOf(record.updatedTime);
	return `${String(record.id)}@${instant ?? String(record.updatedTime)}`;
}

function secondsOfKey(key: string): number {
	return Number(key.slice(key.lastIndexOf('@') + 1));
}

/** The cursor of a first activation that skips the backlog: nothing before the portal's `now` is emitted. */
export function cursorFrom(serverTime: string): ChangeCursor {
	if (instantOf(serverTime) === undefined) throw new Error(`Bitrix24 server.time answered "${serverTime}", not a date-time`);
	return { readFrom: serverTime, seen: [] };
}

function later(a: string | undefined, b: string | undefined): string | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return (instantOf(b) ?? 0) > (instantOf(a) ?? 0) ? b : a;
}

/**
 * The cursor after `emitted` (in updatedTime, id order) went out. The watermark is the newest emitted change;
 * readFrom is the watermark less the overlap, never earlier than before (a skipped backlog stays skipped); the
 * seen keys older than readFrom are dropped, since they are not read again.
 */
export function advanceCursor(cursor: ChangeCursor, emitted: IDataObject[], settings: CursorSettings): ChangeCursor {
	if (!emitted.length) return cursor;
	let newest = emitted[emitted.length - 1];
	for (const record of emitted) {
		const [a, b] = [instantOf(record.updatedTime) ?? 0, instantOf(newest.updatedTime) ?? 0];
		if (a > b || (a === b && Number(record.id) > Number(newest.id))) newest = record;
	}
	const newestTime = String(newest.updatedTime);
	const previous =
		cursor.updatedTime !== undefined && (instantOf(cursor.updatedTime) ?? 0) > (instantOf(newestTime) ?? 0)
			? { updatedTime: cursor.updatedTime, id: cursor.id }
			: { updatedTime: newestTime, id: Number(newest.id) };
	let readFrom = later(cursor.readFrom, shiftDateTime(previous.updatedTime, -Math.max(0, settings.overlapSeconds)));
	const from = instantOf(readFrom) ?? Number.NEGATIVE_INFINITY;
	let seen = [...new Set([...cursor.seen, ...emitted.map(changeKey)])].filter((key) => secondsOfKey(key) >= from);
	if (seen.length > settings.maxSeen) {
		// Keep the newest whole seconds: a second kept in part would emit its dropped changes again.
		const seconds = [...new Set(seen.map(secondsOfKey))].sort((a, b) => b - a);
		const kept: string[] = [];
		for (const second of seconds) {
			const keys = seen.filter((key) => secondsOfKey(key) === second);
			if (kept.length && kept.length + keys.length > settings.maxSeen) break;
			kept.push(...keys);
		}
		seen = kept;
		const oldest = Math.min(...kept.map(secondsOfKey));
		readFrom = shiftDateTime(previous.updatedTime, oldest - (instantOf(previous.updatedTime) ?? oldest));
	}
	return { ...previous, readFrom, seen };
}
