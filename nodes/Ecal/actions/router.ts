import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../common/router';
import * as calendar from './calendar/Calendar.resource';
import * as event from './event/Event.resource';

const operations = {
	event: {
		create: event.create,
		delete: event.deleteEvent,
		get: event.get,
		getMany: event.getMany,
		sync: event.sync,
		update: event.update,
	},
	calendar: {
		get: calendar.get,
		getMany: calendar.getMany,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
