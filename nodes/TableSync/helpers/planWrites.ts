import { quote, type TableSpec } from './tableConfig';

/** Where an output came from: an item of input 0 (records) or input 1 (current rows). */
export interface Source {
	input: 0 | 1;
	item: number;
}

/** One fetched record (or a failed fetch: `{ error }` alone), with the table it was fetched for. */
export interface FetchedRecord {
	table: number;
	json: Record<string, unknown>;
	item: number;
}

export interface CurrentRow {
	json: Record<string, unknown>;
	item: number;
}

export type Row = Array<string | number | null>;

export interface UpsertWrite {
	kind: 'upsert';
	dictionary: string;
	table: string;
	sql: string;
	rows: Row[];
	actions: Array<'created' | 'updated'>;
}
export interface ResolveParentsWrite {
	kind: 'resolveParents';
	dictionary: string;
	table: string;
	sql: string;
}
export interface MarkDeletedWrite {
	kind: 'markDeleted';
	dictionary: string;
	table: string;
	sql: string;
	rows: number[];
}
export type Write = UpsertWrite | ResolveParentsWrite | MarkDeletedWrite;

export interface ErrorDetail {
	btxid: unknown;
	message: string;
}

/** One per table: what the plan found; the writes' failures are added after them. */
export interface Report {
	kind: 'dictionary';
	dictionary: string;
	table: string;
	fetched: number;
	created: number;
	updated: number;
	unchanged: number;
	errors: number;
	deleted: number;
	sweep: string;
	errorDetails: ErrorDetail[];
	deletedBtxids: number[];
}

export interface Planned<T> {
	json: T;
	sources: Source[];
}

export interface Plan {
	/** In write order: upsert chunks (parents first), one foreign-key lookup per child table, deletion marks. */
	writes: Array<Planned<Write>>;
	reports: Array<Planned<Report>>;
}

/** At most this many deleted IDs are listed in a report (the count is always whole). */
const LISTED_DELETIONS = 1000;

export function sourceId(value: unknown): number | null {
	const text = String(value ?? '').trim();
	const id = Number(text);
	return text !== '' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** A source value as MySQL gets it: booleans as 1/0, one-element arrays as their element, other objects as JSON. */
export function columnValue(value: unknown): string | number | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'number' || typeof value === 'string') return value;
	if (Array.isArray(value) && value.length === 0) return null;
	if (Array.isArray(value) && value.length === 1) return columnValue(value[0]);
	return JSON.stringify(value);
}

/** MySQL hands INT columns back as numbers and text as strings: compare in the column's terms. */
export function sameValue(dbValue: unknown, value: string | number | null): boolean {
	if (dbValue === null || dbValue === undefined) return value === null;
	if (value === null) return false;
	if (typeof dbValue === 'number') return Number(value) === dbValue;
	return String(dbValue) === String(value);
}

const isFetchError = (json: Record<string, unknown>): boolean => {
	const keys = Object.keys(json);
	return keys.length === 1 && keys[0] === 'error';
};

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/**
 * Compares the fetched records with the table's current rows by `btxid` (the source ID) so that only new and
 * changed records are written, checks foreign keys against the parent's btxids (current rows and records
 * planned in this run), and guards deletions: a row counts as deleted only after an error-free fetch with
 * every record's ID valid, and is marked only when no more than `maxDeletedShare` of the table would be.
 */
export function planWrites(tables: TableSpec[], records: FetchedRecord[], rows: CurrentRow[]): Plan {
	const byTable = tables.map(() => ({ records: [] as FetchedRecord[], errors: [] as FetchedRecord[] }));
	for (const record of records) {
		const bucket = byTable[record.table];
		if (!bucket) continue;
		if (isFetchError(record.json)) bucket.errors.push(record);
		else bucket.records.push(record);
	}
	const existing = new Map(tables.map((t) => [t.dictionary, new Map<number, CurrentRow>()]));
	const parentRows = new Map(tables.map((t) => [t.dictionary, new Set<number>()]));
	for (const row of rows) {
		const name = row.json._dictionary;
		if (typeof name !== 'string') continue; // the MySQL node's empty item when a query returns no row
		if (row.json._kind === 'parent') parentRows.get(name)?.add(Number(row.json.btxid));
		else existing.get(name)?.set(Number(row.json.btxid), row);
	}

	const upserts: Array<Planned<Write>> = [];
	const lookups: Array<Planned<Write>> = [];
	const marks: Array<Planned<Write>> = [];
	const reports: Array<Planned<Report>> = [];
	const plannedIds = new Map<string, Set<number>>();

	for (const [index, t] of tables.entries()) {
		const { records: fetched, errors: fetchErrors } = byTable[index];
		const current = existing.get(t.dictionary)!;
		const fieldMap = Object.entries(t.fields);
		const columns = ['btxid', ...fieldMap.map(([, column]) => column), ...(t.parent ? [t.parent.btxidColumn] : [])];
		const report: Report = {
			kind: 'dictionary',
			dictionary: t.dictionary,
			table: t.table,
			fetched: fetched.length,
			created: 0,
			updated: 0,
			unchanged: 0,
			errors: 0,
			deleted: 0,
			sweep: '',
			errorDetails: [],
			deletedBtxids: [],
		};
		const fail = (btxid: unknown, message: string) => {
			report.errors += 1;
			report.errorDetails.push({ btxid, message });
		};
		for (const { json } of fetchErrors) fail(null, `${t.sourceName} fetch failed: ${String(json.error)}`);

		let parentIds: Set<number> | undefined;
		if (t.parent) {
			parentIds = new Set(parentRows.get(t.dictionary));
			for (const id of plannedIds.get(t.parent.dictionary) ?? []) parentIds.add(id);
		}

		const seen = new Set<number>();
		const valid = new Set<number>();
		let incomplete = fetchErrors.length > 0;
		const changed: Array<{ row: Row; action: 'created' | 'updated'; item: number }> = [];
		for (const { json: record, item } of fetched) {
			const rawId = t.idField ? record[t.idField] : (record.ID ?? record.id);
			const btxid = sourceId(rawId);
			if (btxid === null) {
				incomplete = true;
				fail(rawId ?? null, `${t.dictionary}: a record without a valid ID (${JSON.stringify(rawId ?? null)})`);
				continue;
			}
			if (seen.has(btxid)) {
				fail(btxid, `${t.dictionary} ${btxid}: returned twice by ${t.sourceName}, the first copy was used`);
				continue;
			}
			seen.add(btxid);
			const row: Row = [btxid];
			for (const [field] of fieldMap) row.push(columnValue(record[field]));
			if (t.parent) {
				const raw = columnValue(record[t.parent.field]);
				let parentId: number | null = null;
				if (raw !== null && raw !== '' && raw !== 0 && raw !== '0') {
					parentId = sourceId(raw);
					if (parentId === null) {
						fail(btxid, `${t.dictionary} ${btxid}: ${t.parent.field} = ${JSON.stringify(raw)} is not a ${t.parent.dictionary} ID`);
						continue;
					}
					if (!parentIds!.has(parentId)) {
						fail(btxid, `${t.dictionary} ${btxid}: ${t.parent.dictionary} ${parentId} exists neither in ${t.sourceName} nor in table ${t.parent.table}`);
						continue;
					}
				}
				row.push(parentId);
			}
			valid.add(btxid);
			const old = current.get(btxid)?.json;
			if (!old) {
				report.created += 1;
				changed.push({ row, action: 'created', item });
			} else if (Number(old._deleted) === 1 || columns.some((column, i) => i > 0 && !sameValue(old[column], row[i]))) {
				report.updated += 1;
				changed.push({ row, action: 'updated', item });
			} else {
				report.unchanged += 1;
			}
		}
		plannedIds.set(t.dictionary, valid);

		// Protected columns are simply never in the statement: neither inserted nor updated.
		const update = columns.slice(1).map((column) => `${quote(column)} = VALUES(${quote(column)})`);
		const sql =
			`INSERT INTO ${quote(t.table)} (${columns.map(quote).join(', ')}) VALUES $1 ` +
			`ON DUPLICATE KEY UPDATE ${[...update, `${quote('deleted_at')} = NULL`].join(', ')}`;
		for (let start = 0; start < changed.length; start += t.chunkSize) {
			const part = changed.slice(start, start + t.chunkSize);
			upserts.push({
				json: {
					kind: 'upsert',
					dictionary: t.dictionary,
					table: t.table,
					sql,
					rows: part.map((entry) => entry.row),
					actions: part.map((entry) => entry.action),
				},
				sources: part.map((entry) => ({ input: 0, item: entry.item })),
			});
		}
		const tableSources: Source[] = [...fetched, ...fetchErrors].map(({ item }) => ({ input: 0, item }));
		if (t.parent) {
			const p = t.parent;
			lookups.push({
				json: {
					kind: 'resolveParents',
					dictionary: t.dictionary,
					table: t.table,
					sql:
						`UPDATE ${quote(t.table)} c LEFT JOIN ${quote(p.table)} p ON p.${quote('btxid')} = c.${quote(p.btxidColumn)} ` +
						`SET c.${quote(p.idColumn)} = p.${quote('id')} WHERE NOT (c.${quote(p.idColumn)} <=> p.${quote('id')})`,
				},
				sources: tableSources,
			});
		}

		// Deletions: rows not marked deleted whose record did not come back from a complete fetch.
		const active = [...current.values()].filter((row) => Number(row.json._deleted) !== 1);
		const missing = active.filter((row) => !seen.has(Number(row.json.btxid)));
		if (incomplete) {
			report.sweep = `skipped: the ${t.sourceName} fetch had errors, so no row is treated as deleted`;
		} else if (!missing.length) {
			report.sweep = `nothing deleted in ${t.sourceName}`;
		} else {
			report.deleted = missing.length;
			report.deletedBtxids = missing.slice(0, LISTED_DELETIONS).map((row) => Number(row.json.btxid));
			const share = missing.length / active.length;
			if (share > t.maxDeletedShare) {
				report.sweep =
					`skipped: ${missing.length} of ${active.length} rows (${percent(share)}) are gone from ${t.sourceName}, more than the ` +
					`${percent(t.maxDeletedShare)} limit; check the source account's rights, then raise maxDeletedShare if it is real`;
			} else if (!t.markDeleted) {
				report.sweep = `reported only: ${missing.length} rows are gone from ${t.sourceName} (markDeleted is off)`;
			} else {
				report.sweep = `marked ${missing.length} rows deleted`;
				for (let start = 0; start < missing.length; start += t.chunkSize) {
					const part = missing.slice(start, start + t.chunkSize);
					marks.push({
						json: {
							kind: 'markDeleted',
							dictionary: t.dictionary,
							table: t.table,
							sql: `UPDATE ${quote(t.table)} SET ${quote('deleted_at')} = NOW() WHERE ${quote('deleted_at')} IS NULL AND ${quote('btxid')} IN ($1)`,
							rows: part.map((row) => Number(row.json.btxid)),
						},
						sources: part.map((row) => ({ input: 1, item: row.item })),
					});
				}
			}
		}
		const reportSources = tableSources.length
			? tableSources
			: [...current.values()].map((row): Source => ({ input: 1, item: row.item }));
		reports.push({ json: report, sources: reportSources });
	}
	return { writes: [...upserts, ...lookups, ...marks], reports };
}
