import type { IDataObject } from 'n8n-workflow';

import { gristRequest, docPath, tablePath, type GristContext } from './gristRequest';
import { postWrite } from './records';

export interface GristColumn {
	id: string;
	fields: IDataObject;
}

export async function listTables(context: GristContext, docId: string, itemIndex?: number): Promise<GristColumn[]> {
	const response = await gristRequest<{ tables?: GristColumn[] }>(context, { method: 'GET', path: docPath(docId, '/tables') }, { itemIndex });
	return response?.tables ?? [];
}

/** POST /tables answers the ids Grist assigned: sanitised, capitalised, suffixed when taken. */
export async function createTables(
	context: GristContext,
	docId: string,
	tables: Array<{ id?: string; columns: GristColumn[] }>,
	itemIndex?: number,
): Promise<string[]> {
	const response = await postWrite<{ tables?: Array<{ id: string }> }>(context, docPath(docId, '/tables'), { tables: tables as unknown as IDataObject[] }, itemIndex);
	return (response?.tables ?? []).map((table) => table.id);
}

export async function listColumns(
	context: GristContext,
	docId: string,
	tableId: string,
	hidden: boolean,
	itemIndex?: number,
): Promise<GristColumn[]> {
	const response = await gristRequest<{ columns?: GristColumn[] }>(
		context,
		{ method: 'GET', path: tablePath(docId, tableId, '/columns'), qs: hidden ? { hidden: 'true' } : undefined },
		{ itemIndex },
	);
	return response?.columns ?? [];
}

/** POST /columns answers the ids Grist assigned (a taken id gets a suffix). */
export async function addColumns(
	context: GristContext,
	docId: string,
	tableId: string,
	columns: GristColumn[],
	itemIndex?: number,
): Promise<string[]> {
	const response = await postWrite<{ columns?: Array<{ id: string }> }>(
		context,
		tablePath(docId, tableId, '/columns'),
		{ columns: columns as unknown as IDataObject[] },
		itemIndex,
	);
	return (response?.columns ?? []).map((column) => column.id);
}

export async function patchColumns(
	context: GristContext,
	docId: string,
	tableId: string,
	columns: GristColumn[],
	itemIndex?: number,
): Promise<void> {
	await gristRequest(
		context,
		{ method: 'PATCH', path: tablePath(docId, tableId, '/columns'), body: { columns: columns as unknown as IDataObject[] } },
		{ itemIndex },
	);
}

/**
 * Unties column ids from their labels. Grist's AddColumn drops `untieColIdFromLabel`, so a created column
 * stays tied (renaming its label renames its id) until a PATCH sets the flag; the PATCH persists. Safe to repeat.
 */
export async function untieColumnIds(
	context: GristContext,
	docId: string,
	tableId: string,
	colIds: readonly string[],
	itemIndex?: number,
): Promise<void> {
	if (!colIds.length) return;
	await patchColumns(context, docId, tableId, colIds.map((id) => ({ id, fields: { untieColIdFromLabel: true } })), itemIndex);
}

/**
 * PUT /columns?noupdate=1 adds the columns that do not exist and leaves existing ones untouched, in one
 * action: two runs racing on the same table cannot both add a column (the second finds it).
 */
export async function addMissingColumns(
	context: GristContext,
	docId: string,
	tableId: string,
	columns: GristColumn[],
	itemIndex?: number,
): Promise<void> {
	await gristRequest(
		context,
		{
			method: 'PUT',
			path: tablePath(docId, tableId, '/columns'),
			qs: { noupdate: '1' },
			body: { columns: columns as unknown as IDataObject[] },
		},
		{ itemIndex },
	);
}
