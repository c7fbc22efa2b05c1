import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseJsonValue } from '../../common/jsonParameter';
import { parsePositiveId } from './projectId';

/** The add-on body Create and Update send, from the node parameters; names the item when Data is not JSON. */
export function addonBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter('recommendation', itemIndex, '') as unknown;
	const recommendation = parsePositiveId(raw);
	if (recommendation === undefined) {
		throw new NodeOperationError(context.getNode(), idProblem('Recommendation ID', raw), { itemIndex });
	}
	// An empty Data field sends `data: null`.
	const data = parseJsonValue<IDataObject | null>(context, context.getNodeParameter('data', itemIndex, '[]'), itemIndex, {
		label: 'Data',
		empty: null,
	});
	return {
		recommendation,
		nature: context.getNodeParameter('nature', itemIndex) as string,
		data: data as IDataObject,
		enabled: context.getNodeParameter('enabled', itemIndex, true) as boolean,
	};
}

/** Why an ID field was refused, naming the field: empty, or not a positive whole number. */
export function idProblem(label: string, raw: unknown): string {
	const text = String(raw ?? '').trim();
	return text ? `${label} must be a positive whole number, not "${text}"` : `${label} is empty: set it to the ID to use`;
}
