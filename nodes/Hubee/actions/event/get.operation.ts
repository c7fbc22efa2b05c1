import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { hubeeRequest } from '../../transport';
import { caseIdProperty, eventIdProperty } from '../common.descriptions';
import { requireId } from '../../helpers/parameters';

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, [
	caseIdProperty,
	eventIdProperty,
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const caseId = requireId(this, 'caseId', 'Case ID', itemIndex);
		const eventId = requireId(this, 'eventId', 'Event ID', itemIndex);
		return await hubeeRequest<IDataObject>(this, { method: 'GET', path: `/cases/${caseId}/events/${eventId}`, itemIndex });
	});
}
