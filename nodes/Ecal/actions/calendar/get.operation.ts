import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { calendarPath, ecalData, ecalRequest } from '../../transport/request';
import { calendarIdFor, calendarLocator } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['calendar'], operation: ['get'] } }, [calendarLocator]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const calendarId = calendarIdFor(this, itemIndex);
		const response = await ecalRequest(this, { method: 'GET', path: calendarPath(calendarId), itemIndex });
		return ecalData<IDataObject>(response) ?? {};
	});
}
