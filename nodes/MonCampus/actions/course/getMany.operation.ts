import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { executeEachItem } from '../../../common/executeEachItem';
import { calendarDay, splitRange, type DayRange } from '../../helpers/dateRange';
import { normaliseCourse, type MonCampusCourse } from '../../helpers/normaliseCourse';
import { assertTimeZone } from '../../helpers/wallClock';
import { readTimetable, type MonCampusRun } from '../../transport/timetable';

const properties: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: "={{ $today.toFormat('yyyy-MM-dd') }}",
		description: 'First day of the timetable to read (its calendar date; the time is ignored)',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		required: true,
		default: "={{ $today.plus({ days: 30 }).toFormat('yyyy-MM-dd') }}",
		description: 'Last day of the timetable to read, included',
	},
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Days per Request',
				name: 'daysPerRequest',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description:
					'The range is read in slices of this many days. Lower it when your school caps how much one timetable request returns.',
			},
			{
				displayName: 'Default Location',
				name: 'defaultLocation',
				type: 'string',
				default: '',
				placeholder: 'e.g. Campus',
				description: 'Used as rooms when a course has none (Wigor writes "Aucune"); calendars such as ecal require a location',
			},
			{
				displayName: 'Include Raw Course',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the Wigor record as it came (field raw)',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'Europe/Paris',
				description: 'Time zone of the school: Wigor gives wall-clock times, start and end are written with this zone’s offset',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['course'], operation: ['getMany'] } }, properties);

function dayParameter(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex) as unknown;
	const day = calendarDay(value);
	if (!day) {
		throw new NodeOperationError(context.getNode(), `${label} is not a date: ${JSON.stringify(value)}`, { itemIndex });
	}
	return day;
}

function readRange(context: IExecuteFunctions, itemIndex: number): DayRange {
	const range = { from: dayParameter(context, 'startDate', 'Start Date', itemIndex), to: dayParameter(context, 'endDate', 'End Date', itemIndex) };
	if (range.to < range.from) {
		throw new NodeOperationError(context.getNode(), `End Date ${range.to} is before Start Date ${range.from}`, { itemIndex });
	}
	return range;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const run: MonCampusRun = {};
	return await executeEachItem(this, items, async (itemIndex) => {
		const range = readRange(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const timeZone = String(options.timeZone ?? 'Europe/Paris').trim() || 'Europe/Paris';
		try {
			assertTimeZone(timeZone);
		} catch {
			throw new NodeOperationError(this.getNode(), `Time Zone "${timeZone}" is not an IANA time zone such as Europe/Paris`, { itemIndex });
		}
		const normalise = { timeZone, defaultLocation: String(options.defaultLocation ?? '') };

		// Slices can overlap on a course that spans their boundary: NoCours identifies it once.
		const courses = new Map<string, MonCampusCourse>();
		for (const slice of splitRange(range, Number(options.daysPerRequest ?? 30))) {
			for (const raw of await readTimetable(this, slice, itemIndex, run)) {
				const course = normaliseCourse(raw, normalise);
				if (options.includeRaw) course.raw = { ...raw };
				courses.set(String(course.id), course);
			}
			if (courses.size >= limit) break;
		}
		return [...courses.values()]
			.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || String(a.id).localeCompare(String(b.id), 'en', { numeric: true }))
			.slice(0, limit);
	});
}
