import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { BatchCommandError } from '../transport/pager';

/** Errors the transport already built (NodeApiError) pass through; others get the item named. */
export function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof BatchCommandError || !(error as Error)?.name?.startsWith('Node')) {
		return new NodeOperationError(context.getNode(), `${(error as Error).message} (item ${itemIndex})`, { itemIndex });
	}
	return error as Error;
}
