import type { IDataObject } from 'n8n-workflow';

import type { BatchResult } from '../helpers/envelope';
import { recordsOf } from '../helpers/envelope';
import { keysetFor, type KeysetNames } from '../helpers/listMethods';
import { batchCommand, resultReference } from '../helpers/query';

/** List methods answer a fixed 50 rows per page; a batch takes at most 50 commands. */
export const PAGE_SIZE = 50;
export const MAX_BATCH_COMMANDS = 50;
/** Limit errors reported inside a batch are waited out this many times before giving up. */
const MAX_LIMIT_RETRIES = 5;

/** What the pager needs from the transport; tests and the bench pass their own. */
export interface PagerIo {
	call(method: string, params: IDataObject): Promise<IDataObject>;
	batch(commands: Record<string, string>): Promise<BatchResult>;
	/** Called when a command inside a batch hit a portal limit; resolves after the wait. */
	waitForLimit(code: string, method: string, attempt: number): Promise<void>;
}

/** A failed command inside a batch, named so the user can find it. */
export class BatchCommandError extends Error {
	constructor(
		readonly command: string,
		readonly method: string,
		readonly code: string,
		readonly description: string,
	) {
		super(`Bitrix24 batch command "${command}" (${method}) failed: ${code}${description ? `: ${description}` : ''}`);
		this.name = 'BatchCommandError';
	}
}

const LIMIT_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT']);

/**
 * The error of one command, or undefined when it has a result. A command with neither (a cut or malformed
 * answer) is an error too: read as an empty page it would end the read early, silently short.
 */
export function commandError(batch: BatchResult, key: string, method: string): BatchCommandError | undefined {
	const error = batch.result_error[key];
	if (error) return new BatchCommandError(key, method, String(error.error ?? 'ERROR'), String(error.error_description ?? ''));
	if (!Object.prototype.hasOwnProperty.call(batch.result, key)) {
		return new BatchCommandError(key, method, 'RESULT_MISSING', 'the batch answer holds neither a result nor an error for it');
	}
	return undefined;
}

/**
 * The commands of one keyset batch: p0 starts after `after` (or at the beginning), and every later
 * command filters on the last id of the one before through `$result[p{k-1}][…][49][id]`.
 * p1…p49 never change within one read, so a caller that passes the same `chained` array across
 * batches builds each of them once.
 */
export function keysetCommands(
	method: string,
	params: IDataObject,
	names: KeysetNames,
	after: unknown,
	pages: number,
	chained: string[] = [],
): Record<string, string> {
	const commands: Record<string, string> = { p0: batchCommand(method, names.page(params, after)) };
	for (let k = 1; k < pages; k++) {
		chained[k] ??= batchCommand(
			method,
			names.page(params, resultReference(`p${k - 1}`, [...names.recordsPath, PAGE_SIZE - 1, names.idField])),
		);
		commands[`p${k}`] = chained[k];
	}
	return commands;
}

export interface KeysetStep {
	records: IDataObject[];
	after: unknown;
	done: boolean;
	/** A limit error on this command: the records before it are kept and the scan resumes from `after`. */
	limited?: BatchCommandError;
}

/**
 * Reads a keyset batch in command order and stops at the first short page: the later commands'
 * references did not resolve, so they re-read page 1 and are ignored. Also stops when the last id
 * does not advance, and refuses a page that starts at or before the previous bound (an ignored
 * filter), rather than return duplicates.
 */
export function readKeysetBatch(
	method: string,
	names: KeysetNames,
	batch: BatchResult,
	pages: number,
	after: unknown,
): KeysetStep {
	const records: IDataObject[] = [];
	let bound = after;
	for (let k = 0; k < pages; k++) {
		const key = `p${k}`;
		const error = commandError(batch, key, method);
		if (error) {
			if (LIMIT_CODES.has(error.code)) return { records, after: bound, done: false, limited: error };
			throw error;
		}
		const rows = recordsOf(batch.result[key]);
		if (rows.length && bound !== undefined && !(Number(rows[0][names.idField]) > Number(bound))) {
			throw new BatchCommandError(
				key,
				method,
				'KEYSET_FILTER_IGNORED',
				`page starts at id ${String(rows[0][names.idField])}, not after ${String(bound)}; Bitrix24 ignored the id filter`,
			);
		}
		records.push(...rows);
		if (rows.length < PAGE_SIZE) return { records, after: bound, done: true };
		const last = rows[rows.length - 1][names.idField];
		if (last === undefined || last === null || last === '') {
			throw new BatchCommandError(key, method, 'KEYSET_ID_MISSING', `the records carry no "${names.idField}" to page on`);
		}
		if (bound !== undefined && !(Number(last) > Number(bound))) return { records, after: bound, done: true };
		bound = last;
	}
	return { records, after: bound, done: false };
}

function pagesFor(limit: number | undefined, have: number): number {
	if (limit === undefined) return MAX_BATCH_COMMANDS;
	return Math.max(1, Math.min(MAX_BATCH_COMMANDS, Math.ceil((limit - have) / PAGE_SIZE)));
}

/**
 * Applied to each batch's records as soon as they are read (it may rewrite them in place): done per
 * batch rather than on the whole result, what it discards dies young instead of being kept until the end.
 */
export type PrepareRecords = (records: IDataObject[]) => IDataObject[];

const asRead: PrepareRecords = (records) => records;

async function fetchKeyset(
	io: PagerIo,
	method: string,
	params: IDataObject,
	names: KeysetNames,
	limit: number | undefined,
	prepare: PrepareRecords,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const chained: string[] = [];
	let after: unknown;
	let limitedAttempts = 0;
	for (;;) {
		const pages = pagesFor(limit, records.length);
		const batch = await io.batch(keysetCommands(method, params, names, after, pages, chained));
		const step = readKeysetBatch(method, names, batch, pages, after);
		records.push(...prepare(step.records));
		after = step.after;
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (step.done) return records;
		if (step.limited) {
			limitedAttempts = step.records.length ? 1 : limitedAttempts + 1;
			if (limitedAttempts > MAX_LIMIT_RETRIES) throw step.limited;
			await io.waitForLimit(step.limited.code, method, limitedAttempts);
		}
	}
}

/** start/next paging for methods that cannot be keyset-paged, still up to 50 pages per request. */
export function offsetCommands(method: string, params: IDataObject, starts: number[]): Record<string, string> {
	return Object.fromEntries(starts.map((start, k) => [`s${k}`, batchCommand(method, { ...params, start })]));
}

async function fetchOffset(
	io: PagerIo,
	method: string,
	params: IDataObject,
	limit: number | undefined,
	prepare: PrepareRecords,
): Promise<IDataObject[]> {
	const first = await io.call(method, { ...params, start: 0 });
	const records = prepare(recordsOf(first.result));
	// Without a total (not seen, but not promised either) pages are read until a short one.
	const total = first.total === undefined ? Number.POSITIVE_INFINITY : Number(first.total);
	let next = first.next === undefined ? undefined : Number(first.next);
	let limitedAttempts = 0;
	while (next !== undefined && next < total && (limit === undefined || records.length < limit)) {
		const wanted = limit === undefined ? total - next : Math.min(total, limit) - records.length;
		const starts: number[] = [];
		for (let start = next; start < total && starts.length < Math.min(MAX_BATCH_COMMANDS, Math.ceil(wanted / PAGE_SIZE)); start += PAGE_SIZE) {
			starts.push(start);
		}
		const batch = await io.batch(offsetCommands(method, params, starts));
		let limited: BatchCommandError | undefined;
		let stop = false;
		for (let k = 0; k < starts.length; k++) {
			const error = commandError(batch, `s${k}`, method);
			if (error && LIMIT_CODES.has(error.code)) {
				limited = error;
				break;
			}
			if (error) throw error;
			const rows = prepare(recordsOf(batch.result[`s${k}`]));
			records.push(...rows);
			next = starts[k] + PAGE_SIZE;
			if (rows.length < PAGE_SIZE) {
				stop = true;
				break;
			}
		}
		if (stop) break;
		if (limited) {
			limitedAttempts += 1;
			if (limitedAttempts > MAX_LIMIT_RETRIES) throw limited;
			await io.waitForLimit(limited.code, method, limitedAttempts);
		}
	}
	return limit === undefined ? records : records.slice(0, limit);
}

function recordId(record: IDataObject): string | undefined {
	const id = record.ID ?? record.id;
	return id === undefined || id === null || id === '' ? undefined : String(id);
}

/** Records of two reads, each id once (the first copy kept), in first-read order then the second's extras. */
export function unionById(first: IDataObject[], second: IDataObject[]): IDataObject[] {
	const seen = new Set<string>();
	const records: IDataObject[] = [];
	for (const record of [...first, ...second]) {
		const id = recordId(record);
		if (id !== undefined) {
			if (seen.has(id)) continue;
			seen.add(id);
		}
		records.push(record);
	}
	return records;
}

export interface FetchOptions {
	/**
	 * start/next pages shift when the list changes during the scan (an insert or a deletion before the
	 * offset), so a record can be skipped or read twice. Read such a list a second time after the first and
	 * output the union: a record missing from the output was missing from both reads.
	 */
	readOffsetTwice?: boolean;
}

/**
 * Every record of a list method (or the first `limit`): keyset paging with `start=-1` and up to
 * 50 chained pages per batch (2,500 rows per request) where the method allows it, start/next
 * packed into batches otherwise. Requests run one after the other, never in parallel.
 * `prepare` sees every record read, each once, in order.
 */
export async function fetchRecords(
	io: PagerIo,
	method: string,
	params: IDataObject,
	limit?: number,
	prepare: PrepareRecords = asRead,
	options: FetchOptions = {},
): Promise<IDataObject[]> {
	const names = keysetFor(method, params);
	if (names) return await fetchKeyset(io, method, params, names, limit, prepare);
	const first = await fetchOffset(io, method, params, limit, prepare);
	if (!options.readOffsetTwice || limit !== undefined) return first;
	return unionById(first, await fetchOffset(io, method, params, limit, prepare));
}
