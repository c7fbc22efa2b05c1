import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseJsonValue } from '../../common/jsonParameter';
import { parsePositiveId } from './projectId';

/** The add-on body Create and Update send, from the node parameters; names the item when Data is not JSON. */
export function addonBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const recommendation = parsePositiveId(context.getNodeParameter('recommendation', itemIndex));
	if (recommendation === undefined) {
		throw new NodeOperationError(context.getNode(), 'Recommendation ID must be a positive whole number', { itemIndex });
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
