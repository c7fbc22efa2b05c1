import type { IDataObject } from 'n8n-workflow';

export type OnMany = 'first' | 'none' | 'all';

export interface UpsertOptions {
	onmany?: OnMany;
	noadd?: boolean;
	noupdate?: boolean;
	allowEmptyRequire?: boolean;
	noparse?: boolean;
}

/**
 * Query string of `PUT …/records`. Grist reads these flags with `isAffirmative`, so a bare `?noadd`
 * (empty value) counts as false: a set flag is always sent as `=1`, an unset one not at all.
 */
export function upsertQuery(options: UpsertOptions): IDataObject {
	const query: IDataObject = {};
	query.onmany = options.onmany ?? 'first';
	if (options.noadd) query.noadd = '1';
	if (options.noupdate) query.noupdate = '1';
	if (options.allowEmptyRequire) query.allow_empty_require = '1';
	if (options.noparse) query.noparse = '1';
	return query;
}
