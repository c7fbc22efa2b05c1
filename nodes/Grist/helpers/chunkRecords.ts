import { jsonByteLength } from './byteLength';

/** Grist parses bodies with `express.json({limit: '1mb'})`: a body longer than this is refused with 413. */
export const GRIST_MAX_BODY_BYTES = 1_048_576;

/**
 * Grist applies one request as one action in its sandbox; very large actions are slow and hold the
 * document lock, so a request also stops at a record count. [I] no documented limit: a default that keeps
 * the byte limit the binding one for ordinary rows.
 */
export const DEFAULT_MAX_RECORDS_PER_REQUEST = 5000;

export interface ChunkLimits {
	maxBodyBytes?: number;
	maxRecords?: number;
}

/** `{"records":[` + `]}` around the records, joined by commas. */
const ENVELOPE_BYTES = jsonByteLength({ records: [] });

/**
 * Splits records, in order, into the fewest consecutive `{records: [...]}` bodies that each stay within
 * the byte and count limits. `toBody` gives a record as it goes on the wire. Sizes are exact UTF-8 bytes
 * of the JSON, so multi-byte text counts fully. A record too large on its own travels alone, so that
 * Grist refuses only it.
 */
export function chunkRecords<T>(
	records: readonly T[],
	limits: ChunkLimits = {},
	toBody: (record: T) => unknown = (record) => record,
): T[][] {
	const maxBodyBytes = limits.maxBodyBytes ?? GRIST_MAX_BODY_BYTES;
	const maxRecords = limits.maxRecords && limits.maxRecords > 0 ? limits.maxRecords : Infinity;
	const chunks: T[][] = [];
	let current: T[] = [];
	let currentBytes = ENVELOPE_BYTES;
	records.forEach((record) => {
		const bytes = jsonByteLength(toBody(record));
		const added = current.length ? bytes + 1 : bytes;
		if (current.length && (currentBytes + added > maxBodyBytes || current.length >= maxRecords)) {
			chunks.push(current);
			current = [];
			currentBytes = ENVELOPE_BYTES;
		}
		currentBytes += current.length ? bytes + 1 : bytes;
		current.push(record);
	});
	if (current.length) chunks.push(current);
	return chunks;
}

/** Whether one record fits in a request on its own. */
export function fitsInOneRequest(body: unknown, maxBodyBytes = GRIST_MAX_BODY_BYTES): boolean {
	return ENVELOPE_BYTES + jsonByteLength(body) <= maxBodyBytes;
}
