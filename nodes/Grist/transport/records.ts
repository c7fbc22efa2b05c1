import type { IDataObject } from 'n8n-workflow';

import { gristRequest, tablePath, type GristContext } from './gristRequest';

/** A POST that writes (create, delete): see gristWriteOnceProfile for what is retried. */
export async function postWrite<T>(
	context: GristContext,
	path: string,
	body: IDataObject | unknown[],
	itemIndex?: number,
	qs?: IDataObject,
): Promise<T> {
	return await gristRequest<T>(context, { method: 'POST', path, body, qs, writeOnce: true }, { itemIndex });
}

/** Column id → Grist type (`Int`, `Text`, `Ref:Projets`, …) of one table. */
export async function readColumnTypes(
	context: GristContext,
	docId: string,
	tableId: string,
	itemIndex?: number,
): Promise<Map<string, string>> {
	const response = await gristRequest<{ columns?: Array<{ id: string; fields?: IDataObject }> }>(
		context,
		{ method: 'GET', path: tablePath(docId, tableId, '/columns'), qs: { hidden: 'true' } },
		{ itemIndex },
	);
	return new Map((response?.columns ?? []).map((column) => [column.id, String(column.fields?.type ?? 'Any')]));
}

export interface UpsertRecord {
	require: IDataObject;
	fields: IDataObject;
}

/** What PUT …/records answers since Grist 1.7.13; older servers answer `null` (DocApiTypes in grist-core). */
export interface UpsertResult {
	recordIds?: number[][];
	addRecordIds?: number[];
	updateRecordIds?: number[][];
}

/**
 * One PUT …/records (add-or-update). Safe to repeat: the same records converge on the same rows. `body` is
 * `{records: [{require, fields}, …]}`, or that already serialised (see packRecords).
 */
export async function putRecords(
	context: GristContext,
	docId: string,
	tableId: string,
	body: { records: UpsertRecord[] } | string,
	qs: IDataObject,
	itemIndex?: number,
): Promise<UpsertResult | null> {
	return await gristRequest<UpsertResult | null>(
		context,
		{ method: 'PUT', path: tablePath(docId, tableId, '/records'), body: body as unknown as IDataObject, qs },
		{ itemIndex },
	);
}

/** One POST …/records; ids come back in request order. */
export async function postRecords(
	context: GristContext,
	docId: string,
	tableId: string,
	records: ReadonlyArray<{ fields: IDataObject }>,
	qs?: IDataObject,
	itemIndex?: number,
): Promise<number[]> {
	const response = await postWrite<{ records?: Array<{ id: number }> }>(
		context,
		tablePath(docId, tableId, '/records'),
		{ records: records as unknown as IDataObject[] },
		itemIndex,
		qs,
	);
	return (response?.records ?? []).map((record) => record.id);
}

/** One PATCH …/records (all records with the same field set, which Grist requires). Safe to repeat. */
export async function patchRecords(
	context: GristContext,
	docId: string,
	tableId: string,
	records: ReadonlyArray<{ id: number; fields: IDataObject }>,
	qs?: IDataObject,
	itemIndex?: number,
): Promise<void> {
	await gristRequest(
		context,
		{ method: 'PATCH', path: tablePath(docId, tableId, '/records'), body: { records: records as unknown as IDataObject[] }, qs },
		{ itemIndex },
	);
}

/** One POST …/records/delete. */
export async function deleteRecords(
	context: GristContext,
	docId: string,
	tableId: string,
	rowIds: readonly number[],
	itemIndex?: number,
): Promise<void> {
	await postWrite(context, tablePath(docId, tableId, '/records/delete'), [...rowIds], itemIndex);
}
