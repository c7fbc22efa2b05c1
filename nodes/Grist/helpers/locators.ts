import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ParameterReader } from './parameterReader';

export function documentId(context: IExecuteFunctions, itemIndex: number, read?: ParameterReader): string {
	const get = read ?? ((name, index, fallback, options) => context.getNodeParameter(name, index, fallback, options));
	const value = String(get('documentId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!value) throw new NodeOperationError(context.getNode(), 'Choose a document', { itemIndex });
	return value;
}

export function tableId(context: IExecuteFunctions, itemIndex: number, read?: ParameterReader): string {
	const get = read ?? ((name, index, fallback, options) => context.getNodeParameter(name, index, fallback, options));
	const value = String(get('tableId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!value) throw new NodeOperationError(context.getNode(), 'Choose a table', { itemIndex });
	return value;
}

/** Reads a table's column types once per execution, however many items use it. */
export class ColumnTypeCache {
	private readonly cache = new Map<string, Promise<Map<string, string>>>();

	constructor(private readonly read: (docId: string, tableId: string, itemIndex: number) => Promise<Map<string, string>>) {}

	get(docId: string, table: string, itemIndex: number): Promise<Map<string, string>> {
		const key = `${docId}\u0000${table}`;
		let types = this.cache.get(key);
		if (!types) {
			types = this.read(docId, table, itemIndex);
			this.cache.set(key, types);
			// A failure (e.g. no such table) stays cached too: every item would get the same answer.
			types.catch(() => undefined);
		}
		return types;
	}
}
