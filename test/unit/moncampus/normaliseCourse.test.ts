import { calendarDay, homeGetBounds, splitRange } from '../../../nodes/MonCampus/helpers/dateRange';
import { cleanText, normaliseCourse, teamsLink } from '../../../nodes/MonCampus/helpers/normaliseCourse';
import { offsetMinutes, wigorWallClock, zonedIso } from '../../../nodes/MonCampus/helpers/wallClock';
import { timetableRows } from '../../../nodes/MonCampus/transport/timetable';

const { wigorDateTime } = require('../../fakes/moncampus.cjs');

const PARIS = { timeZone: 'Europe/Paris', defaultLocation: '' };

/** A Wigor row as Home/Get returns it: Paris wall clock written as UTC digits, shown in the Paris offset. */
function row(date: string, startTime: string, endTime: string, extra: Record<string, unknown> = {}) {
	return {
		NoCours: 4711,
		Title: 'G1 Administration des BDD',
		Commentaire: 'Administration des BDD',
		Matiere: 'COMMENTAIRE',
		Salles: 'B110-S(Bâtiment B)',
		NomProf: 'DUPONT Marie',
		LibelleGroupe: 'IPI - Bachelor CDA G1',
		Start: wigorDateTime(date, startTime),
		End: wigorDateTime(date, endTime),
		IsAllDay: false,
		TeamsUrl: null,
		...extra,
	};
}

describe('course normalisation across the daylight-saving changes', () => {
	// 2026: summer time starts Sunday 29 March (02:00 → 03:00) and ends Sunday 25 October (03:00 → 02:00).
	it.each([
		['Friday before the spring change', '2026-03-27', '08:30', '12:00', '2026-03-27T08:30:00+01:00', '2026-03-27T12:00:00+01:00'],
		['Saturday evening before the spring change', '2026-03-28', '21:00', '23:30', '2026-03-28T21:00:00+01:00', '2026-03-28T23:30:00+01:00'],
		['the spring-change Sunday', '2026-03-29', '08:30', '12:00', '2026-03-29T08:30:00+02:00', '2026-03-29T12:00:00+02:00'],
		['Monday after the spring change', '2026-03-30', '08:30', '12:00', '2026-03-30T08:30:00+02:00', '2026-03-30T12:00:00+02:00'],
		['Saturday before the autumn change', '2026-10-24', '13:30', '17:00', '2026-10-24T13:30:00+02:00', '2026-10-24T17:00:00+02:00'],
		['the autumn-change Sunday', '2026-10-25', '08:30', '12:00', '2026-10-25T08:30:00+01:00', '2026-10-25T12:00:00+01:00'],
		['Monday after the autumn change', '2026-10-26', '08:30', '12:00', '2026-10-26T08:30:00+01:00', '2026-10-26T12:00:00+01:00'],
	])('%s: %s %s–%s Paris', (_label, date, from, to, start, end) => {
		const course = normaliseCourse(row(date, from, to), PARIS);
		expect(course).toMatchObject({ start, end, allDay: false });
		// the instant is the real one: 08:30 Paris, whatever offset Wigor displayed
		expect(new Date(course.start).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })).toBe(from);
	});

	it('does not keep the offset Wigor displayed (the naive reading is off by one or two hours)', () => {
		const wigor = wigorDateTime('2026-03-28', '23:30');
		expect(wigor).toBe('2026-03-29T00:30:00+01:00');
		expect(normaliseCourse(row('2026-03-28', '22:00', '23:30'), PARIS).end).toBe('2026-03-28T23:30:00+01:00');
	});

	it('reads ASP.NET /Date(ms)/ values the same way', () => {
		const ms = Date.parse(wigorDateTime('2026-10-25', '08:30'));
		const course = normaliseCourse(row('2026-10-25', '08:30', '12:00', { Start: `/Date(${ms})/` }), PARIS);
		expect(course.start).toBe('2026-10-25T08:30:00+01:00');
	});

	it('a wall-clock time skipped in spring moves forward; a repeated one in autumn is the second occurrence', () => {
		expect(zonedIso({ date: '2026-03-29', time: '02:30:00' }, 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
		expect(zonedIso({ date: '2026-10-25', time: '02:30:00' }, 'Europe/Paris')).toBe('2026-10-25T02:30:00+01:00');
		expect(offsetMinutes(Date.parse('2026-07-01T00:00:00Z'), 'Europe/Paris')).toBe(120);
		expect(offsetMinutes(Date.parse('2026-01-01T00:00:00Z'), 'America/New_York')).toBe(-300);
	});

	it('takes the digits as written when Wigor gives no offset, and refuses garbage', () => {
		expect(wigorWallClock('2026-03-30T08:30:00')).toEqual({ date: '2026-03-30', time: '08:30:00' });
		expect(wigorWallClock('soon')).toBeUndefined();
		expect(() => normaliseCourse(row('2026-03-30', '08:30', '12:00', { Start: 'soon' }), PARIS)).toThrow(
			'MonCampus course 4711 has an unreadable Start: soon',
		);
	});
});

describe('all-day courses', () => {
	it('are dates: first and last day, even across a change of time', () => {
		const course = normaliseCourse(
			row('2026-03-28', '00:00', '00:00', { IsAllDay: true, End: wigorDateTime('2026-03-30', '00:00') }),
			PARIS,
		);
		expect(course).toMatchObject({ allDay: true, start: '2026-03-28', end: '2026-03-30' });
	});

	it('a one-day course ends on its own day', () => {
		const course = normaliseCourse(row('2026-10-25', '00:00', '00:00', { IsAllDay: true }), PARIS);
		expect(course).toMatchObject({ allDay: true, start: '2026-10-25', end: '2026-10-25' });
	});
});

describe('fields', () => {
	it('maps a full row to the node shape', () => {
		const course = normaliseCourse(
			row('2026-01-12', '08:30', '12:00', {
				TeamsUrl:
					'<a href="https://teams.microsoft.com/l/meetup-join/19%3ameeting_1%40thread.v2/0?a=1&amp;b=2" target="_blank"><img src="/Content/img/MTeams_PRINCIPAL.png"></a>',
			}),
			PARIS,
		);
		expect(course).toEqual({
			id: 4711,
			title: 'Administration des BDD',
			subject: '',
			rooms: 'B110-S(Bâtiment B)',
			teacher: 'DUPONT Marie',
			group: 'IPI - Bachelor CDA G1',
			start: '2026-01-12T08:30:00+01:00',
			end: '2026-01-12T12:00:00+01:00',
			allDay: false,
			teamsUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_1%40thread.v2/0?a=1&b=2',
			comment: 'Administration des BDD',
		});
	});

	it('turns placeholders into empty fields and fills the room with the default location', () => {
		const course = normaliseCourse(
			row('2026-01-12', '08:30', '12:00', { Commentaire: 'COMMENTAIRE', Matiere: ' Anglais ', Salles: 'Aucune', NomProf: null, LibelleGroupe: null }),
			{ timeZone: 'Europe/Paris', defaultLocation: 'Campus Lyon' },
		);
		expect(course).toMatchObject({ title: 'Anglais', subject: 'Anglais', comment: '', rooms: 'Campus Lyon', teacher: '', group: '' });
	});

	it('falls back to Title, then to the course number, for the title', () => {
		expect(normaliseCourse(row('2026-01-12', '08:30', '12:00', { Commentaire: null }), PARIS).title).toBe('G1 Administration des BDD');
		expect(normaliseCourse(row('2026-01-12', '08:30', '12:00', { Commentaire: null, Title: null }), PARIS).title).toBe('Cours 4711');
	});

	it('reads TeamsURL too and keeps only http(s) links', () => {
		expect(teamsLink('https://teams.microsoft.com/l/x')).toBe('https://teams.microsoft.com/l/x');
		expect(teamsLink("<a href='javascript:alert(1)'>x</a>")).toBe('');
		expect(normaliseCourse(row('2026-01-12', '08:30', '12:00', { TeamsURL: '<a href="https://t.example/a">T</a>' }), PARIS).teamsUrl).toBe(
			'https://t.example/a',
		);
		expect(cleanText('  Aucune ')).toBe('');
	});

	it('does not mutate the Wigor row', () => {
		const raw = row('2026-01-12', '08:30', '12:00');
		const copy = JSON.parse(JSON.stringify(raw));
		normaliseCourse(raw, PARIS);
		expect(raw).toEqual(copy);
	});
});

describe('date ranges', () => {
	it('splits a range into slices of at most N days, both ends included', () => {
		expect(splitRange({ from: '2026-03-25', to: '2026-04-05' }, 5)).toEqual([
			{ from: '2026-03-25', to: '2026-03-29' },
			{ from: '2026-03-30', to: '2026-04-03' },
			{ from: '2026-04-04', to: '2026-04-05' },
		]);
		expect(splitRange({ from: '2026-03-25', to: '2026-03-25' }, 30)).toEqual([{ from: '2026-03-25', to: '2026-03-25' }]);
	});

	it('reads dates, date-times, Dates and Luxon-like values as calendar days', () => {
		expect(calendarDay('2026-03-29')).toBe('2026-03-29');
		expect(calendarDay('2026-03-29T23:30:00+02:00')).toBe('2026-03-29');
		expect(calendarDay({ toISODate: () => '2026-10-25' })).toBe('2026-10-25');
		expect(calendarDay(new Date('2026-10-25T10:00:00Z'))).toBe('2026-10-25');
		expect(calendarDay('2026-02-30')).toBeUndefined();
		expect(calendarDay('tomorrow')).toBeUndefined();
	});

	it('asks Home/Get for whole Paris days written as UTC', () => {
		expect(homeGetBounds({ from: '2026-03-29', to: '2026-03-30' })).toEqual({
			dateDebut: '2026-03-29T00:00:00.000Z',
			dateFin: '2026-03-30T23:59:59.000Z',
		});
	});
});

describe('timetable answers', () => {
	it('accepts the Kendo shape (object or JSON text) and rejects a login page', () => {
		expect(timetableRows({ Data: [{ NoCours: 1 }], Total: 1 })).toEqual([{ NoCours: 1 }]);
		expect(timetableRows('{"Data":[],"Total":0}')).toEqual([]);
		expect(timetableRows('<html><form action="/cas/login"></form></html>')).toBeUndefined();
		expect(timetableRows({ error: 'x' })).toBeUndefined();
	});
});
