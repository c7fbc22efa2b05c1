import {
	NodeApiError,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { redactText } from './redact';

/** The one way an item is named in an error message: "… (item 3)". */
export function withItemSuffix(message: string, itemIndex: number): string {
	const suffix = `(item ${itemIndex})`;
	return message.includes(suffix) ? message : `${message} ${suffix}`;
}

/**
 * The one place where a thrown error becomes the node error that stops the run: a NodeApiError built by the
 * transport keeps its service message and HTTP code; anything else becomes a NodeOperationError. Either way
 * the message names the item once, and nothing secret survives (the transport redacts; plain errors are
 * redacted here).
 */
export function itemError(context: Pick<IExecuteFunctions, 'getNode'>, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError) {
		// A copy per item: one failed bulk request fails several items, each named by its own index.
		const named = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as NodeApiError, error);
		named.message = withItemSuffix(error.message, itemIndex);
		named.stack = error.stack;
		named.context = { ...(error.context ?? {}), itemIndex };
		return named;
	}
	if (error instanceof NodeOperationError) {
		const rebuilt = new NodeOperationError(context.getNode(), withItemSuffix(error.message, itemIndex), {
			itemIndex,
			description: error.description ?? undefined,
		});
		return rebuilt;
	}
	const message = redactText(error instanceof Error ? error.message : String(error));
	return new NodeOperationError(context.getNode(), withItemSuffix(message, itemIndex), { itemIndex });
}

/** With "Continue On Fail" a failed item becomes `{error}` paired with its input; otherwise the run stops. */
export function failedItem(context: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const named = itemError(context, error, itemIndex);
	if (!context.continueOnFail()) throw named;
	return { json: { error: redactText(named.message) }, pairedItem: { item: itemIndex } };
}

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

function isExecutionData(value: unknown): value is INodeExecutionData {
	return typeof value === 'object' && value !== null && 'json' in value && typeof (value as INodeExecutionData).json === 'object';
}

function pairedOutputs(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(result) ? result : [result]).map((entry) =>
		isExecutionData(entry)
			? { ...entry, pairedItem: { item: itemIndex } }
			: { json: entry as IDataObject, pairedItem: { item: itemIndex } },
	);
}

/**
 * Per-item operations: runs `handler` once per input item and pairs every output with its item. A handler
 * returns plain json objects, or full execution data when it has binary output.
 *
 * `concurrency` > 1 runs up to that many items at once (for I/O-bound items whose order does not matter, such as
 * independent downloads); outputs stay in input order. Items with the same `sequenceKey` (e.g. the same record)
 * still run one after the other, in input order. Without Continue On Fail the first failure stops new items from
 * starting, the items already running finish, and the failure of the lowest item index is thrown.
 */
export async function executeEachItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	handler: (itemIndex: number, item: INodeExecutionData) => Promise<ItemResult>,
	options: { concurrency?: number; sequenceKey?: (itemIndex: number) => string } = {},
): Promise<INodeExecutionData[]> {
	const outputs: INodeExecutionData[][] = new Array(items.length);
	const chains = new Map<string, number[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let key = `#${itemIndex}`;
		try {
			if (options.sequenceKey) key = `=${options.sequenceKey(itemIndex)}`;
		} catch {
			// the handler meets the same error and reports it for this item
		}
		const chain = chains.get(key);
		if (chain) chain.push(itemIndex);
		else chains.set(key, [itemIndex]);
	}
	const pending = [...chains.values()];
	// in an object: TypeScript does not see the workers' assignments and would narrow a plain variable to undefined
	const failure: { stop?: { itemIndex: number; error: unknown } } = {};
	const fail = (itemIndex: number, error: unknown) => {
		if (!failure.stop || itemIndex < failure.stop.itemIndex) failure.stop = { itemIndex, error };
	};
	const worker = async () => {
		for (let chain = pending.shift(); chain && !failure.stop; chain = pending.shift()) {
			for (const itemIndex of chain) {
				if (failure.stop) break;
				try {
					outputs[itemIndex] = pairedOutputs(await handler(itemIndex, items[itemIndex]), itemIndex);
				} catch (error) {
					try {
						outputs[itemIndex] = [failedItem(context, error, itemIndex)];
					} catch (named) {
						fail(itemIndex, named);
					}
				}
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.concurrency ?? 1), pending.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure.stop) throw failure.stop.error;
	return outputs.flat();
}

/**
 * Outputs of a bulk operation (one request for many items), fanned back to each item's index and returned
 * in input order. A failed request fails every item it carried, each under its own index.
 */
export class ItemOutputs {
	private readonly perItem = new Map<number, INodeExecutionData[]>();

	constructor(private readonly context: IExecuteFunctions) {}

	add(itemIndex: number, json: IDataObject, binary?: IBinaryKeyData): void {
		this.push(itemIndex, { json, ...(binary ? { binary } : {}), pairedItem: { item: itemIndex } });
	}

	fail(itemIndex: number, error: unknown): void {
		this.push(itemIndex, failedItem(this.context, error, itemIndex));
	}

	failAll(itemIndexes: readonly number[], error: unknown): void {
		for (const itemIndex of itemIndexes) this.fail(itemIndex, error);
	}

	/** Runs one request for `itemIndexes`; a throw fails each of them. */
	async forItems(itemIndexes: readonly number[], request: () => Promise<void>): Promise<void> {
		try {
			await request();
		} catch (error) {
			this.failAll(itemIndexes, error);
		}
	}

	inInputOrder(): INodeExecutionData[] {
		return [...this.perItem.entries()].sort(([a], [b]) => a - b).flatMap(([, outputs]) => outputs);
	}

	private push(itemIndex: number, output: INodeExecutionData): void {
		const list = this.perItem.get(itemIndex);
		if (list) list.push(output);
		else this.perItem.set(itemIndex, [output]);
	}
}

/**
 * Bulk operations: `prepare` reads and checks each item (a failure there fails that item alone), then `run`
 * makes the batched requests for all prepared entries and records results through `outputs`.
 */
export async function executeBulk<Entry>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (itemIndex: number, item: INodeExecutionData) => Entry | Promise<Entry>,
	run: (entries: Array<{ itemIndex: number; entry: Entry }>, outputs: ItemOutputs) => Promise<void>,
): Promise<INodeExecutionData[]> {
	const outputs = new ItemOutputs(context);
	const entries: Array<{ itemIndex: number; entry: Entry }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			entries.push({ itemIndex, entry: await prepare(itemIndex, items[itemIndex]) });
		} catch (error) {
			outputs.fail(itemIndex, error);
		}
	}
	if (entries.length > 0) await run(entries, outputs);
	return outputs.inInputOrder();
}

