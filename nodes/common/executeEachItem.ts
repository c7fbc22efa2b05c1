import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { redactText } from './redact';

/**
 * Runs `handler` once per input item and pairs every output with its item. With "Continue On Fail"
 * a failed item yields `{error}` and the run goes on; otherwise the error (already naming the item) stops it.
 */
export async function executeEachItem(
	context: IExecuteFunctions,
	handler: (itemIndex: number, item: INodeExecutionData) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await handler(itemIndex, items[itemIndex]);
			for (const json of Array.isArray(result) ? result : [result]) {
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (context.continueOnFail()) {
				output.push({ json: { error: redactText((error as Error).message) }, pairedItem: { item: itemIndex } });
				continue;
			}
			// Both constructors hand back an error that is already theirs, so nothing is wrapped twice.
			if (error instanceof NodeApiError) throw new NodeApiError(context.getNode(), error as unknown as JsonObject);
			throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		}
	}
	return output;
}
