import type { IDataObject } from 'n8n-workflow';

import { buildPageQuery, sqlRowToRecord, type PageQueryInput } from '../helpers/recordsSql';
import { docPath, gristRequest, type GristContext } from './gristRequest';

/** POST /sql only reads (Grist runs SELECT statements only), so it is retried like a GET. */
export async function runSql(
	context: GristContext,
	docId: string,
	sql: string,
	args: unknown[] = [],
	itemIndex?: number,
	timeoutMs?: number,
): Promise<IDataObject[]> {
	const body: IDataObject = { sql, args: args as IDataObject[] };
	if (timeoutMs) body.timeout = timeoutMs;
	const response = await gristRequest<{ records?: IDataObject[] }>(
		context,
		{ method: 'POST', path: docPath(docId, '/sql'), body },
		{ itemIndex, idempotent: true },
	);
	return response?.records ?? [];
}

/** Yields every matching record, page by page (keyset), until `limit` records or the end of the table. */
export async function* recordPages(
	context: GristContext,
	docId: string,
	query: Omit<PageQueryInput, 'after'>,
	limit: number | undefined,
	itemIndex?: number,
): AsyncGenerator<IDataObject[]> {
	let returned = 0;
	let after: IDataObject | undefined;
	for (;;) {
		const pageSize = limit === undefined ? query.pageSize : Math.min(query.pageSize, limit - returned);
		if (pageSize <= 0) return;
		const statement = buildPageQuery({ ...query, pageSize, after });
		const rows = await runSql(context, docId, statement.sql, statement.args, itemIndex);
		if (rows.length) yield rows.map(sqlRowToRecord);
		returned += rows.length;
		if (rows.length < pageSize) return;
		after = (rows[rows.length - 1].fields ?? rows[rows.length - 1]) as IDataObject;
	}
}
