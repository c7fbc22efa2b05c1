import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

/** One operation: its description (built with updateDisplayOptions) and an execute that gets all input items. */
export interface OperationModule {
	execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
}

export type OperationTable = Record<string, Record<string, OperationModule>>;

/**
 * Every node's router: resource and operation (read once, from item 0, as n8n's own v2 nodes do) pick an
 * operation module, which receives all input items so bulk operations can batch and pairs each output itself.
 */
export async function routeOperation(
	context: IExecuteFunctions,
	operations: OperationTable,
): Promise<INodeExecutionData[][]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const module = operations[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await module.execute.call(context, context.getInputData())];
}
