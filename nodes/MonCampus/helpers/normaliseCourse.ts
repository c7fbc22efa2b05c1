import type { IDataObject } from 'n8n-workflow';

import { wigorWallClock, zonedIso, type WallClock } from './wallClock';

/** One course as the node outputs it. */
export interface MonCampusCourse extends IDataObject {
	/** Wigor's NoCours: one course session, stable across moves. */
	id: number | string;
	title: string;
	subject: string;
	rooms: string;
	teacher: string;
	group: string;
	/** ISO with the zone's offset; `YYYY-MM-DD` for an all-day course. */
	start: string;
	/** ISO with the zone's offset; for an all-day course the last day, `YYYY-MM-DD`. */
	end: string;
	allDay: boolean;
	teamsUrl: string;
	comment: string;
}

export interface NormaliseOptions {
	timeZone: string;
	/** Used as `rooms` when the course has none (ecal requires a location). */
	defaultLocation: string;
}

/** Wigor fills empty fields with these labels; they carry no information. */
const PLACEHOLDERS = new Set(['commentaire', 'aucune', 'aucun', 'null', 'undefined', 'n/a', '-']);

export function cleanText(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = String(value).replace(/\s+/g, ' ').trim();
	return PLACEHOLDERS.has(text.toLowerCase()) ? '' : text;
}

function decodeEntities(text: string): string {
	return text
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** Wigor's TeamsUrl is HTML (`<a href="…"><img src="…MTeams_PRINCIPAL.png"></a>`); some rows hold the bare URL. */
export function teamsLink(value: unknown): string {
	if (typeof value !== 'string' || !value.trim()) return '';
	const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(value);
	const candidate = decodeEntities((href ? (href[1] ?? href[2]) : value).trim());
	return /^https?:\/\/\S+$/i.test(candidate) ? candidate : '';
}

export class CourseShapeError extends Error {}

function wallClockOf(raw: IDataObject, field: 'Start' | 'End'): WallClock {
	const wallClock = wigorWallClock(raw[field]);
	if (!wallClock) {
		throw new CourseShapeError(`MonCampus course ${String(raw.NoCours ?? '?')} has an unreadable ${field}: ${String(raw[field])}`);
	}
	return wallClock;
}

/** One Wigor Home/Get row → the node's course. Never mutates `raw`. */
export function normaliseCourse(raw: IDataObject, options: NormaliseOptions): MonCampusCourse {
	const start = wallClockOf(raw, 'Start');
	const end = wallClockOf(raw, 'End');
	const allDay = raw.IsAllDay === true || String(raw.IsAllDay).toLowerCase() === 'true';
	const comment = cleanText(raw.Commentaire);
	const subject = cleanText(raw.Matiere);
	const title = comment || subject || cleanText(raw.Title) || `Cours ${String(raw.NoCours)}`;
	return {
		id: raw.NoCours as number,
		title,
		subject,
		rooms: cleanText(raw.Salles) || options.defaultLocation.trim(),
		teacher: cleanText(raw.NomProf),
		group: cleanText(raw.LibelleGroupe),
		start: allDay ? start.date : zonedIso(start, options.timeZone),
		// Kendo all-day events end at midnight of their last day.
		end: allDay ? (end.date < start.date ? start.date : end.date) : zonedIso(end, options.timeZone),
		allDay,
		teamsUrl: teamsLink(raw.TeamsUrl ?? raw.TeamsURL),
		comment,
	};
}
