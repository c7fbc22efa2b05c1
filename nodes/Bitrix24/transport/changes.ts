import type { IDataObject } from 'n8n-workflow';

import type { ChangeReader } from '../helpers/changePoll';
import { instantOf } from '../helpers/changeCursor';
import { recordsOf } from '../helpers/envelope';
import { batchCommand } from '../helpers/query';
import { BatchCommandError, commandError, PAGE_SIZE, type PagerIo } from './pager';

const METHOD = 'crm.item.list';
const LIMIT_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT']);
const MAX_LIMIT_RETRIES = 5;

export interface ChangeQuery {
	entityTypeId: number;
	/** More conditions, in crm.item.list's own names; the updatedTime and id bounds are the reader's. */
	filter?: IDataObject;
	/** Fields to return; id and updatedTime are always added, the cursor needs them. */
	select?: string[];
	/** Stop reading (and return what was accepted) once Date.now() passes this. */
	deadline?: number;
}

function selectWithCursorFields(select: string[] | undefined): string[] | undefined {
	if (!select?.length || select.includes('*')) return select?.length ? select : undefined;
	return [...new Set(['id', 'updatedTime', ...select])];
}

function fails(message: string): BatchCommandError {
	return new BatchCommandError('changes', METHOD, 'CHANGE_FILTER_IGNORED', message);
}

/**
 * crm.item.list read in (updatedTime, id) order, 50 rows a page, `start=-1` so no COUNT runs. updatedTime
 * is to the second, so many records can share one value: after a full page ending at (T, I) the next request
 * is one batch of two commands, the rest of second T after id I (`>=updatedTime` T, `<=updatedTime` T, `>id`
 * I, by id) and the first page after T (`>updatedTime` T). A filter on updatedTime alone would read the same
 * page again whenever more than 50 records share a second.
 */
export function changeReader(io: PagerIo, query: ChangeQuery): ChangeReader {
	const base: IDataObject = { entityTypeId: query.entityTypeId, select: selectWithCursorFields(query.select), start: -1 };
	const userFilter = query.filter ?? {};
	const params = (filter: IDataObject, order: IDataObject): IDataObject => ({ ...base, filter: { ...userFilter, ...filter }, order });
	const byChange = { updatedTime: 'ASC', id: 'ASC' };

	async function batchPages(commands: Record<string, IDataObject>): Promise<Record<string, IDataObject[]>> {
		const texts = Object.fromEntries(Object.entries(commands).map(([key, value]) => [key, batchCommand(METHOD, value)]));
		for (let attempt = 1; ; attempt++) {
			const batch = await io.batch(texts);
			const errors = Object.keys(texts).map((key) => commandError(batch, key, METHOD));
			const limited = errors.find((error) => error && LIMIT_CODES.has(error.code));
			if (limited && attempt <= MAX_LIMIT_RETRIES) {
				await io.waitForLimit(limited.code, METHOD, attempt);
				continue;
			}
			const failed = errors.find(Boolean);
			if (failed) throw failed;
			return Object.fromEntries(Object.keys(texts).map((key) => [key, recordsOf(batch.result[key])]));
		}
	}

	return {
		async serverTime() {
			const answer = await io.call('server.time', {});
			return String(answer.result ?? '');
		},

		async latest(count) {
			const answer = await io.call(METHOD, params({}, { updatedTime: 'DESC', id: 'DESC' }));
			return recordsOf(answer.result).slice(0, count);
		},

		async changes(from, accept, limit) {
			const accepted: IDataObject[] = [];
			const take = (rows: IDataObject[]): boolean => {
				for (const row of rows) {
					if (!accept(row)) continue;
					accepted.push(row);
					if (accepted.length >= limit) return true;
				}
				return false;
			};
			const outOfTime = () => query.deadline !== undefined && Date.now() > query.deadline;
			const first = recordsOf((await io.call(METHOD, params(from === undefined ? {} : { '>=updatedTime': from }, byChange))).result);
			if (take(first) || first.length < PAGE_SIZE) return accepted;
			let last = first[first.length - 1];
			while (!outOfTime()) {
				const time = String(last.updatedTime);
				const second = instantOf(time);
				if (second === undefined) throw fails(`record ${String(last.id)} has no updatedTime to page on ("${time}")`);
				const pages = await batchPages({
					tie: params({ '>=updatedTime': time, '<=updatedTime': time, '>id': last.id }, { id: 'ASC' }),
					next: params({ '>updatedTime': time }, byChange),
				});
				if (pages.tie.some((row) => instantOf(row.updatedTime) !== second || !(Number(row.id) > Number(last.id)))) {
					throw fails(`the rest of second ${time} after id ${String(last.id)} holds other records: Bitrix24 ignored the filter`);
				}
				if (take(pages.tie)) return accepted;
				if (pages.tie.length === PAGE_SIZE) {
					last = pages.tie[pages.tie.length - 1];
					continue;
				}
				if (pages.next.length && !((instantOf(pages.next[0].updatedTime) ?? second) > second)) {
					throw fails(`the page after ${time} starts at ${String(pages.next[0].updatedTime)}: Bitrix24 ignored the filter`);
				}
				if (take(pages.next) || pages.next.length < PAGE_SIZE) return accepted;
				last = pages.next[pages.next.length - 1];
			}
			return accepted;
		},
	};
}
