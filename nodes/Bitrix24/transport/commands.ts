import type { IDataObject } from 'n8n-workflow';

import { chunkCommands } from '../helpers/upsertPlan';
import { commandError, type BatchCommandError, type PagerIo } from './pager';
import { bitrix24Batch, portalOf, readerIo, type RequestContext } from './request';

/** Limit errors inside a batch: the command did not run, so it is sent again after the wait, this many times. */
const MAX_LIMIT_RETRIES = 5;
const LIMIT_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT']);

function isAdd(method: string): boolean {
	return /\.add$/i.test(method);
}

export type CommandOutcome = { result: unknown } | { error: BatchCommandError };

/**
 * Runs named commands in batches of 50, one request after the other, and gives each command's result or
 * error. A command refused by a portal limit did not run, so it alone is sent again once the limit allows,
 * even an add. A failed request rejects: the caller fails the items its commands carried.
 */
export async function runCommands(
	context: RequestContext,
	commands: Array<[string, string]>,
	onOutcome: (key: string, outcome: CommandOutcome) => void,
): Promise<void> {
	const io: Pick<PagerIo, 'waitForLimit'> = readerIo(context);
	const portal = await portalOf(context);
	for (const first of chunkCommands(commands)) {
		let chunk: Record<string, string> = first;
		for (let attempt = 1; ; attempt++) {
			// A batch holding an add is never sent twice after a lost answer: the add may have been applied.
			const idempotent = !Object.values(chunk).some((command) => isAdd(command.split('?')[0]));
			const batch = await bitrix24Batch(context, chunk, { idempotent, portal });
			const limited: Record<string, string> = {};
			let limitedBy: BatchCommandError | undefined;
			for (const [key, command] of Object.entries(chunk)) {
				const method = command.split('?')[0];
				const error = commandError(batch, key, method);
				if (error && LIMIT_CODES.has(error.code) && attempt <= MAX_LIMIT_RETRIES) {
					limited[key] = command;
					limitedBy = error;
				} else if (error) onOutcome(key, { error });
				else onOutcome(key, { result: batch.result[key] as IDataObject });
			}
			if (!limitedBy) break;
			await io.waitForLimit(limitedBy.code, limitedBy.method, attempt);
			chunk = limited;
		}
	}
}
