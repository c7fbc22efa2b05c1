import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { deleteEvent } from '../../transport/events';
import { eventIdField, eventIdFor } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['delete'] } }, [eventIdField]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const eventId = eventIdFor(this, itemIndex);
		await deleteEvent(this, eventId, { itemIndex });
		return { deleted: true, eventId };
	});
}
