import { jsonByteLength, utf8ByteLength } from './byteLength';

/** Grist parses bodies with `express.json({limit: '1mb'})`: a body longer than this is refused with 413. */
export const GRIST_MAX_BODY_BYTES = 1_048_576;

/**
 * Grist applies one request as one action in its sandbox; very large actions are slow and hold the
 * document lock, so a request also stops at a record count. Grist documents no such limit: this default keeps
 * the byte limit the binding one for ordinary rows.
 */
export const DEFAULT_MAX_RECORDS_PER_REQUEST = 5000;

export interface ChunkLimits {
	maxBodyBytes?: number;
	maxRecords?: number;
}

/** `{"records":[` + `]}` around the records, joined by commas. */
const ENVELOPE_BYTES = jsonByteLength({ records: [] });

export interface PackedRequest<T> {
	records: T[];
	/** The request body, `{"records":[…]}`, serialised once: the bytes counted are the bytes sent. */
	body: string;
}

function serialised<T>(toBody: (record: T) => unknown, record: T): string | Error {
	try {
		return JSON.stringify(toBody(record)) ?? 'null';
	} catch (error) {
		return error as Error;
	}
}

/**
 * Packs records, one request at a time, in order, into the fewest consecutive `{"records": [...]}` bodies that each stay within the
 * byte and count limits. `toBody` gives a record as it goes on the wire. Each record is serialised once and
 * its exact UTF-8 size counted, so multi-byte text counts fully. A record too large on its own travels
 * alone, so that Grist refuses only it.
 */
export function* packRecordsLazily<T>(
	records: readonly T[],
	limits: ChunkLimits = {},
	toBody: (record: T) => unknown = (record) => record,
	unserialisable?: (record: T, error: Error) => void,
): Generator<PackedRequest<T>> {
	const maxBodyBytes = limits.maxBodyBytes ?? GRIST_MAX_BODY_BYTES;
	const maxRecords = limits.maxRecords && limits.maxRecords > 0 ? limits.maxRecords : Infinity;
	let current: T[] = [];
	let parts: string[] = [];
	let currentBytes = ENVELOPE_BYTES;
	for (const record of records) {
		// A record JSON cannot carry (a circular object, a BigInt) is left out and reported alone.
		const json = unserialisable ? serialised(toBody, record) : JSON.stringify(toBody(record)) ?? 'null';
		if (json instanceof Error) {
			unserialisable?.(record, json);
			continue;
		}
		const bytes = utf8ByteLength(json);
		if (current.length && (currentBytes + bytes + 1 > maxBodyBytes || current.length >= maxRecords)) {
			yield { records: current, body: `{"records":[${parts.join(',')}]}` };
			current = [];
			parts = [];
			currentBytes = ENVELOPE_BYTES;
		}
		currentBytes += current.length ? bytes + 1 : bytes;
		current.push(record);
		parts.push(json);
	}
	if (current.length) yield { records: current, body: `{"records":[${parts.join(',')}]}` };
}

/** All the requests of packRecordsLazily at once. */
export function packRecords<T>(
	records: readonly T[],
	limits: ChunkLimits = {},
	toBody: (record: T) => unknown = (record) => record,
	unserialisable?: (record: T, error: Error) => void,
): Array<PackedRequest<T>> {
	return [...packRecordsLazily(records, limits, toBody, unserialisable)];
}

/** The same split as packRecords, records only. */
export function chunkRecords<T>(
	records: readonly T[],
	limits: ChunkLimits = {},
	toBody: (record: T) => unknown = (record) => record,
	unserialisable?: (record: T, error: Error) => void,
): T[][] {
	return packRecords(records, limits, toBody, unserialisable).map((request) => request.records);
}
