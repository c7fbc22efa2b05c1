import type { Report, Write } from './planWrites';

/** A statement to run again alone; `btxid` and `action` name the record for a one-row upsert. */
export type Retry = Write & { btxid?: number | null; action?: 'created' | 'updated'; retryOf: number };

/** A write the MySQL node refused, as its error output gives it: the index of the statement among the writes. */
export interface Refusal {
	writeIndex: number | undefined;
	message: string;
}

/** The index a MySQL node's output item is paired to (its input item), if any. */
export function pairedIndex(pairedItem: unknown): number | undefined {
	const paired = Array.isArray(pairedItem) ? pairedItem[0] : pairedItem;
	if (typeof paired === 'number') return paired;
	if (paired && typeof paired === 'object' && typeof (paired as { item?: unknown }).item === 'number') {
		return (paired as { item: number }).item;
	}
	return undefined;
}

/** The message of a MySQL node's error item (`{ error, message }` under Continue On Fail). */
export function errorMessage(json: Record<string, unknown>): string | undefined {
	const error = json.error;
	if (error === undefined) return undefined;
	if (typeof error === 'string') return error;
	const message = json.message ?? (error as { message?: unknown })?.message;
	return String(message ?? JSON.stringify(error));
}

function copyReport(report: Report): Report {
	return { ...report, errorDetails: [...report.errorDetails], deletedBtxids: [...report.deletedBtxids] };
}

/** A failure that names no statement (the database refused the connection): nothing planned was written. */
function failUnattributed(reports: Report[], message: string): void {
	for (const report of reports) {
		const lost = report.created + report.updated;
		if (!lost) continue;
		report.errors += lost;
		report.created = 0;
		report.updated = 0;
		report.errorDetails.push({ btxid: null, message: `${lost} rows not written: ${message}` });
	}
}

/**
 * A chunk MySQL refused (one bad record fails its whole multi-row statement) becomes one statement per row, so
 * that only the bad record fails; a refused foreign-key lookup or deletion mark is retried as it is. When rows
 * are retried, every table's foreign keys are looked up again: the parent rows written just now may be the ones
 * its children point to.
 */
export function retriesOf(writes: Write[], reportsIn: Report[], refusals: Refusal[]): { retries: Retry[]; reports: Report[] } {
	const reports = reportsIn.map(copyReport);
	const retries: Retry[] = [];
	let rowsRetried = false;
	for (const { writeIndex, message } of refusals) {
		const failed = writeIndex === undefined ? undefined : writes[writeIndex];
		if (!failed) {
			failUnattributed(reports, message);
			continue;
		}
		if (failed.kind === 'upsert') {
			rowsRetried = true;
			failed.rows.forEach((row, i) => {
				retries.push({ ...failed, rows: [row], actions: [failed.actions[i]], btxid: row[0] as number, action: failed.actions[i], retryOf: writeIndex! });
			});
		} else {
			retries.push({ ...failed, retryOf: writeIndex! });
		}
	}
	if (rowsRetried) {
		writes.forEach((write, index) => {
			if (write.kind === 'resolveParents' && !retries.some((r) => r.kind === 'resolveParents' && r.table === write.table)) {
				retries.push({ ...write, retryOf: index });
			}
		});
	}
	return { retries, reports };
}

/** A statement of the row-by-row pass and what MySQL answered: an error message, or undefined when it passed. */
export interface RetryResult {
	retryIndex: number | undefined;
	message: string | undefined;
}

/**
 * The final count per table: a record whose row MySQL refused moves from created/updated to errors, with its
 * source ID and MySQL's message in errorDetails.
 */
export function summarize(reportsIn: Report[], retries: Retry[], results: RetryResult[]): Report[] {
	const reports = reportsIn.map(copyReport);
	const byName = new Map(reports.map((report) => [report.dictionary, report]));
	for (const { retryIndex, message } of results) {
		if (message === undefined) continue;
		const source = retryIndex === undefined ? undefined : retries[retryIndex];
		if (!source) {
			failUnattributed(reports, message);
			continue;
		}
		const report = byName.get(source.dictionary);
		if (!report) continue;
		report.errors += 1;
		if (source.kind === 'upsert') {
			report[source.action ?? 'created'] -= 1;
			report.errorDetails.push({ btxid: source.btxid ?? null, message: `${source.dictionary} ${source.btxid}: ${message}` });
		} else if (source.kind === 'markDeleted') {
			report.errorDetails.push({ btxid: null, message: `marking deleted rows failed: ${message}` });
			report.sweep = `failed: ${message}`;
		} else {
			report.errorDetails.push({ btxid: null, message: `looking up ${source.table} foreign keys failed: ${message}` });
		}
	}
	return reports;
}
