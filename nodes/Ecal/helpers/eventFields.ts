import type { IDataObject } from 'n8n-workflow';

import { previousDay, toWallClock } from './wallClock';

/** The event fields the node writes; ECAL requires name, location and start/end (times unless all-day). */
export interface EcalEventBody extends IDataObject {
	calendarId: string;
	name: string;
	location: string;
	startDate: string;
	endDate: string;
	startTime?: string;
	endTime?: string;
	/** ECAL documents "yes"/"no". */
	allDay: 'yes' | 'no';
	timezone: string;
	reference?: string;
	details?: string;
	alert?: string;
}

/** An event as ECAL lists it (only the fields the node reads are typed). */
export interface EcalEvent extends IDataObject {
	id: string;
	reference?: string | number | null;
	calendarId?: string;
	name?: string;
	location?: string;
	startDate?: string;
	startTime?: string;
	endDate?: string;
	endTime?: string;
	allDay?: string | boolean | number;
}

export interface EventInput {
	name?: unknown;
	location?: unknown;
	start?: unknown;
	end?: unknown;
	allDay?: unknown;
	details?: unknown;
	alert?: unknown;
	reference?: unknown;
}

/** Fields compared to decide an update. `timezone` is not: the list is asked in our zone (`tz`), so the wall-clock
 * dates and times already say whether the event moved, whatever zone label ECAL keeps. */
const COMPARED_FIELDS = ['name', 'location', 'startDate', 'startTime', 'endDate', 'endTime', 'allDay', 'details', 'alert'] as const;

export function isTruthy(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0;
	return typeof value === 'string' && ['yes', 'true', '1', 'y', 'on'].includes(value.trim().toLowerCase());
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).replace(/\r\n?/g, '\n').trim();
}

/** "8:30", "08:30:00" → "08:30"; anything else trimmed. */
export function normaliseTime(value: unknown): string {
	const match = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(text(value));
	return match ? `${match[1].padStart(2, '0')}:${match[2]}` : text(value);
}

function normalised(field: (typeof COMPARED_FIELDS)[number], value: unknown): string | boolean {
	if (field === 'allDay') return isTruthy(value);
	if (field === 'startTime' || field === 'endTime') return normaliseTime(value);
	if (field === 'startDate' || field === 'endDate') return text(value).slice(0, 10);
	return text(value);
}

/** The fields of `body` whose normalised value differs from the listed event's; times are ignored for all-day events. */
export function changedFields(body: EcalEventBody, existing: IDataObject): string[] {
	const allDay = body.allDay === 'yes';
	return COMPARED_FIELDS.filter((field) => {
		if (body[field] === undefined) return false;
		if (allDay && (field === 'startTime' || field === 'endTime')) return false;
		return normalised(field, body[field]) !== normalised(field, existing[field]);
	});
}

/** The reference as ECAL returns it (a string, sometimes a number for the old tool's events), or '' when there is none. */
export function referenceOf(event: IDataObject): string {
	const reference = event.reference;
	return reference === undefined || reference === null ? '' : String(reference).trim();
}

/**
 * Builds the ECAL body for one event; throws an Error saying which field is wrong. `start`/`end` are ISO date-times
 * with an offset (converted to `timeZone`), local `YYYY-MM-DDTHH:MM` (already in `timeZone`), or `YYYY-MM-DD` for
 * all-day events, whose end may also be the exclusive midnight after the last day.
 */
export function eventBody(input: EventInput, calendarId: string, timeZone: string): EcalEventBody {
	const name = text(input.name);
	const location = text(input.location);
	if (!name) throw new Error('The event has no name');
	if (!location) throw new Error('The event has no location, which ECAL requires');
	const start = toWallClock(input.start, timeZone);
	const end = toWallClock(input.end, timeZone);
	if (!start) throw new Error(`The start "${text(input.start)}" is not a date or an ISO date-time`);
	if (!end) throw new Error(`The end "${text(input.end)}" is not a date or an ISO date-time`);
	const allDay = isTruthy(input.allDay);
	const body: EcalEventBody = {
		calendarId,
		name,
		location,
		startDate: start.date,
		endDate: end.date,
		allDay: allDay ? 'yes' : 'no',
		timezone: timeZone,
	};
	if (allDay) {
		const exclusiveMidnight = end.time === '00:00' && end.date > start.date && /T|\s/.test(String(input.end));
		if (exclusiveMidnight) body.endDate = previousDay(end.date);
	} else {
		body.startTime = start.time;
		body.endTime = end.time;
	}
	if (`${body.endDate} ${body.endTime ?? ''}` < `${body.startDate} ${body.startTime ?? ''}`) {
		throw new Error(`The event ends (${body.endDate} ${body.endTime ?? ''}) before it starts (${body.startDate} ${body.startTime ?? ''})`);
	}
	const reference = text(input.reference);
	if (reference) body.reference = reference;
	if (input.details !== undefined && input.details !== null) body.details = text(input.details);
	if (input.alert !== undefined && input.alert !== null && text(input.alert)) body.alert = text(input.alert);
	return body;
}

/** The slot the old tool's events are recognised by: (name, start, end, location), normalised. */
export function slotKey(event: IDataObject): string {
	const allDay = isTruthy(event.allDay);
	return JSON.stringify([
		text(event.name).toLowerCase(),
		text(event.startDate).slice(0, 10),
		allDay ? '' : normaliseTime(event.startTime),
		text(event.endDate).slice(0, 10),
		allDay ? '' : normaliseTime(event.endTime),
		text(event.location).toLowerCase(),
	]);
}
