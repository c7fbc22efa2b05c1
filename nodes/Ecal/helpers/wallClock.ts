/** ECAL stores events as wall-clock date + HH:MM in a time zone; these turn instants and local strings into that. */

export interface WallClock {
	/** YYYY-MM-DD */
	date: string;
	/** HH:MM, 24 h */
	time: string;
}

const DATE_ONLY = /^(\d{4}-\d{2}-\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A per-process memo of Intl formatters by time zone (pure: same zone, same formatter); cold on any worker is correct. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether this runtime knows `timeZone` as an IANA zone. */
export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

function formatter(timeZone: string): Intl.DateTimeFormat {
	let format = formatters.get(timeZone);
	if (!format) {
		if (!isTimeZone(timeZone)) throw new Error(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Paris`);
		format = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
		});
		formatters.set(timeZone, format);
	}
	return format;
}

/** The wall clock of an instant in a zone. */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
	const parts: Record<string, string> = {};
	for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
	return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** A value as a string: luxon DateTime and Date (what n8n expressions may yield) included. */
function asText(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return String((value as { toISO: () => string }).toISO());
	}
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
}

/**
 * `2026-03-30T08:30:00+02:00` (any offset, or Z) → its wall clock in `timeZone`; `2026-03-30T08:30` (no offset) is
 * already wall-clock time in `timeZone`; `2026-03-30` is midnight. Undefined when the value is none of these.
 */
export function toWallClock(value: unknown, timeZone: string): WallClock | undefined {
	const text = asText(value);
	const dateOnly = DATE_ONLY.exec(text);
	if (dateOnly) return isRealDate(dateOnly[1]) ? { date: dateOnly[1], time: '00:00' } : undefined;
	const local = LOCAL_DATE_TIME.exec(text);
	if (local) {
		const time = `${local[2]}:${local[3]}`;
		return isRealDate(local[1]) && isTime(time) ? { date: local[1], time } : undefined;
	}
	if (!WITH_OFFSET.test(text)) return undefined;
	const instant = new Date(text);
	return Number.isNaN(instant.getTime()) ? undefined : wallClockAt(instant, timeZone);
}

/** A window bound: `YYYY-MM-DD`, or any accepted date-time whose date in `timeZone` is taken. */
export function toDate(value: unknown, timeZone: string): string | undefined {
	return toWallClock(value, timeZone)?.date;
}

function isTime(time: string): boolean {
	return /^([01]\d|2[0-3]):[0-5]\d$/.test(time);
}

function isRealDate(date: string): boolean {
	const parsed = new Date(`${date}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** The day before a YYYY-MM-DD date. */
export function previousDay(date: string): string {
	const parsed = new Date(`${date}T00:00:00Z`);
	parsed.setUTCDate(parsed.getUTCDate() - 1);
	return parsed.toISOString().slice(0, 10);
}
