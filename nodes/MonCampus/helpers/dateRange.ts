/** Date ranges of the timetable, as calendar days (`YYYY-MM-DD`) of the school's time zone. */

export interface DayRange {
	from: string;
	to: string;
}

const DAY_MS = 86_400_000;

/**
 * A date parameter as a calendar day: `2026-03-30`, an ISO date-time (its date as written), a Date or a Luxon
 * DateTime (its date in its own zone). Undefined when unreadable.
 */
export function calendarDay(value: unknown): string | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (typeof value === 'object' && typeof (value as { toISODate?: unknown }).toISODate === 'function') {
		return String((value as { toISODate: () => string }).toISODate());
	}
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
	const text = String(value).trim();
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
	if (!match) return undefined;
	const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	return new Date(ms).toISOString().slice(0, 10) === match[0] ? match[0] : undefined;
}

function dayMs(day: string): number {
	return Date.parse(`${day}T00:00:00.000Z`);
}

function dayOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The days from `from` to `to` (both included) in consecutive ranges of at most `daysPerRange` days. */
export function splitRange(range: DayRange, daysPerRange: number): DayRange[] {
	const size = Math.max(1, Math.floor(daysPerRange));
	const ranges: DayRange[] = [];
	const last = dayMs(range.to);
	for (let start = dayMs(range.from); start <= last; start += size * DAY_MS) {
		ranges.push({ from: dayOf(start), to: dayOf(Math.min(start + (size - 1) * DAY_MS, last)) });
	}
	return ranges;
}

/** Home/Get's bounds: the Paris days written as UTC, the way Wigor stores the wall clock. */
export function homeGetBounds(range: DayRange): { dateDebut: string; dateFin: string } {
	return { dateDebut: `${range.from}T00:00:00.000Z`, dateFin: `${range.to}T23:59:59.000Z` };
}
