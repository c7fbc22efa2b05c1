/**
 * Wigor writes the Paris wall-clock time of a course as if it were UTC, then shows that instant in the Paris
 * offset: a course at 08:30 comes back as `…T10:30:00+02:00` (or `/Date(ms)/` of the same instant). The UTC
 * digits of that instant are the real local time; these functions recover them and give the true instant.
 */

export interface WallClock {
	/** YYYY-MM-DD */
	date: string;
	/** HH:MM:SS */
	time: string;
}

const pad = (value: number, size = 2) => String(value).padStart(size, '0');

function fromUtcDigits(ms: number): WallClock {
	const date = new Date(ms);
	return {
		date: `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`,
		time: `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`,
	};
}

/**
 * The wall clock a Wigor `Start`/`End` stands for: the UTC digits of an ISO date with an offset or of an
 * ASP.NET `/Date(ms)/`; the digits as written when there is no offset. Undefined when unreadable.
 */
export function wigorWallClock(value: unknown): WallClock | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const text = value.trim();
	const aspNet = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(text);
	if (aspNet) return fromUtcDigits(Number(aspNet[1]));
	const plain = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/.exec(text);
	if (plain) return { date: plain[1], time: `${plain[2] ?? '00'}:${plain[3] ?? '00'}:${plain[4] ?? '00'}` };
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : fromUtcDigits(ms);
}

/** A per-process memo of Intl formatters by time zone (pure: same zone, same formatter); cold on any worker is correct. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let cached = formatters.get(timeZone);
	if (!cached) {
		cached = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, cached);
	}
	return cached;
}

/** Throws a RangeError for an unknown IANA zone. */
export function assertTimeZone(timeZone: string): void {
	formatter(timeZone);
}

/** Minutes to add to UTC to get the time in `timeZone` at instant `ms`. */
export function offsetMinutes(ms: number, timeZone: string): number {
	const parts: Record<string, number> = {};
	for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

function offsetText(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const absolute = Math.abs(minutes);
	return `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

/**
 * `2026-03-30T08:30:00+02:00`: the instant the wall clock stands for in `timeZone`, written with that
 * instant's own offset. A time skipped by the spring change (02:30) moves forward by the gap; a time that
 * occurs twice in autumn (02:30) is read as the second one.
 */
export function zonedIso(wallClock: WallClock, timeZone: string): string {
	const [year, month, day] = wallClock.date.split('-').map(Number);
	const [hour, minute, second] = wallClock.time.split(':').map(Number);
	const naive = Date.UTC(year, month - 1, day, hour, minute, second);
	let instant = naive - offsetMinutes(naive, timeZone) * 60000;
	const corrected = naive - offsetMinutes(instant, timeZone) * 60000;
	if (corrected !== instant) instant = corrected;
	const offset = offsetMinutes(instant, timeZone);
	const local = fromUtcDigits(instant + offset * 60000);
	return `${local.date}T${local.time}${offsetText(offset)}`;
}
