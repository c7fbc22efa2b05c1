import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as calendar from './actions/calendar/Calendar.resource';
import * as event from './actions/event/Event.resource';
import { router } from './actions/router';
import { searchCalendars } from './methods/listSearch';

export class Ecal implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ECAL',
		name: 'ecal',
		icon: { light: 'file:../../icons/ecal.svg', dark: 'file:../../icons/ecal.dark.svg' },
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"event:create":"Create an event","event:delete":"Delete an event","event:get":"Get an event","event:getMany":"Get many events","event:sync":"Sync events into a calendar","event:update":"Update an event","calendar:get":"Get a calendar","calendar:getMany":"Get many calendars"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Read and write ECAL calendar events, and sync a calendar window by reference',
		defaults: { name: 'ECAL' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ecalApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Calendar', value: 'calendar' },
					{ name: 'Event', value: 'event' },
				],
				default: 'event',
			},
			...event.description,
			...calendar.description,
		],
	};

	methods = {
		listSearch: { searchCalendars },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
