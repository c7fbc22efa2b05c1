import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../common/executeEachItem';
import { bitrix24Request } from '../transport/request';
import type { RecordEntity } from './recordTarget';

/** One REST call for one item and how its answer becomes the output item. */
export interface RecordCall {
	method: string;
	params: IDataObject;
	output: (body: IDataObject) => IDataObject;
}

/** What Create, Update and Delete each say; the rest (entity choice, request, pairing, errors) is shared. */
export interface RecordWrite {
	/** False for `*.add`: an add whose answer was lost may have been applied, so it is never sent twice. */
	idempotent: boolean;
	/** Error codes that mean "done" when they answer a retry after a lost answer (a delete's NOT_FOUND). */
	doneOnRetry?: string[];
	crmItem: (context: IExecuteFunctions, itemIndex: number) => RecordCall;
	listElement: (context: IExecuteFunctions, itemIndex: number) => RecordCall;
}

/** The CRM item in a crm.item.add/update answer. */
export function itemOf(body: IDataObject): IDataObject {
	return ((body.result as IDataObject | undefined)?.item as IDataObject) ?? {};
}

export async function executeRecordWrite(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	write: RecordWrite,
): Promise<INodeExecutionData[]> {
	return await executeEachItem(context, items, async (itemIndex) => {
		const entity = context.getNodeParameter('entity', itemIndex) as RecordEntity;
		const call = write[entity](context, itemIndex);
		const body = await bitrix24Request(context, call.method, call.params, {
			itemIndex,
			idempotent: write.idempotent,
			doneOnRetry: write.doneOnRetry,
		});
		return call.output(body);
	});
}
