import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { redactText } from '../../common/redact';

/**
 * With "Continue On Fail" a failed item becomes `{error}` paired with its input; otherwise the run stops
 * with an error naming the item.
 */
export function failedItem(context: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	if (context.continueOnFail()) {
		return { json: { error: redactText((error as Error).message) }, pairedItem: { item: itemIndex } };
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
	throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** A whole request failed: every item in it fails, each with its own pairing. */
export function failedItems(
	context: IExecuteFunctions,
	error: unknown,
	itemIndexes: readonly number[],
): Array<[number, INodeExecutionData]> {
	if (!context.continueOnFail()) {
		if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex: itemIndexes[0] });
	}
	return itemIndexes.map((itemIndex) => [itemIndex, failedItem(context, error, itemIndex)]);
}

/** Outputs collected per input item, flattened back into input order. */
export function inInputOrder(perItem: Map<number, INodeExecutionData[]>): INodeExecutionData[] {
	return [...perItem.entries()].sort(([a], [b]) => a - b).flatMap(([, items]) => items);
}

export function addOutput(perItem: Map<number, INodeExecutionData[]>, itemIndex: number, output: INodeExecutionData): void {
	const list = perItem.get(itemIndex);
	if (list) list.push(output);
	else perItem.set(itemIndex, [output]);
}
