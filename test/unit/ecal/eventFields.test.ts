import { changedFields, eventBody, normaliseTime, slotKey } from '../../../nodes/Ecal/helpers/eventFields';
import { toDate, toWallClock } from '../../../nodes/Ecal/helpers/wallClock';

const CAL = 'cal000000000000000000001';

describe('ecal wall clock', () => {
	test('an ISO date-time with an offset is converted to the zone, across both DST changes', () => {
		// Sunday 29 March 2026, 01:00 UTC is 03:00 in Paris (summer time starts); 25 October 2026 01:00 UTC is 02:00 (winter).
		expect(toWallClock('2026-03-29T01:00:00Z', 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '03:00' });
		expect(toWallClock('2026-03-28T23:30:00+00:00', 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '00:30' });
		expect(toWallClock('2026-10-25T01:00:00Z', 'Europe/Paris')).toEqual({ date: '2026-10-25', time: '02:00' });
		expect(toWallClock('2026-09-16T08:30:00+02:00', 'Europe/Paris')).toEqual({ date: '2026-09-16', time: '08:30' });
		expect(toWallClock('2026-09-16T08:30:00+02:00', 'America/New_York')).toEqual({ date: '2026-09-16', time: '02:30' });
	});

	test('a local date-time is already wall-clock time; a date is midnight; nonsense is undefined', () => {
		expect(toWallClock('2026-09-16T08:30', 'Europe/Paris')).toEqual({ date: '2026-09-16', time: '08:30' });
		expect(toWallClock('2026-09-16 08:30:00', 'Asia/Tokyo')).toEqual({ date: '2026-09-16', time: '08:30' });
		expect(toWallClock('2026-09-16', 'Europe/Paris')).toEqual({ date: '2026-09-16', time: '00:00' });
		expect(toWallClock('2026-02-30', 'Europe/Paris')).toBeUndefined();
		expect(toWallClock('16/09/2026', 'Europe/Paris')).toBeUndefined();
		expect(toWallClock('', 'Europe/Paris')).toBeUndefined();
		expect(toDate(new Date('2026-12-31T23:30:00Z'), 'Europe/Paris')).toBe('2027-01-01');
	});
});

describe('ecal event body', () => {
	test('maps a timed event to ECAL fields in the zone, trimmed, optional fields only when given', () => {
		expect(
			eventBody(
				{
					reference: ' moncampus-1 ',
					name: ' Anglais ',
					location: 'B110',
					start: '2026-10-25T08:30:00+01:00',
					end: '2026-10-25T12:00:00+01:00',
				},
				CAL,
				'Europe/Paris',
			),
		).toEqual({
			calendarId: CAL,
			reference: 'moncampus-1',
			name: 'Anglais',
			location: 'B110',
			startDate: '2026-10-25',
			startTime: '08:30',
			endDate: '2026-10-25',
			endTime: '12:00',
			allDay: 'no',
			timezone: 'Europe/Paris',
		});
	});

	test('an all-day event has no times, and an exclusive midnight end becomes the last day', () => {
		const body = eventBody(
			{ name: 'Examens', location: 'Campus', start: '2026-06-01', end: '2026-06-03T00:00', allDay: true, details: '' },
			CAL,
			'Europe/Paris',
		);
		expect(body).toMatchObject({ startDate: '2026-06-01', endDate: '2026-06-02', allDay: 'yes', details: '' });
		expect(body.startTime).toBeUndefined();
		expect(eventBody({ name: 'J', location: 'C', start: '2026-06-01', end: '2026-06-01', allDay: 'yes' }, CAL, 'UTC').endDate).toBe(
			'2026-06-01',
		);
	});

	test('refuses what ECAL would refuse, saying which field', () => {
		const ok = { name: 'A', location: 'B', start: '2026-01-01T08:00', end: '2026-01-01T09:00' };
		expect(() => eventBody({ ...ok, location: '  ' }, CAL, 'UTC')).toThrow(/no location/);
		expect(() => eventBody({ ...ok, name: '' }, CAL, 'UTC')).toThrow(/no name/);
		expect(() => eventBody({ ...ok, start: 'tomorrow' }, CAL, 'UTC')).toThrow(/start "tomorrow"/);
		expect(() => eventBody({ ...ok, end: '2026-01-01T07:00' }, CAL, 'UTC')).toThrow(/ends .* before it starts/);
	});
});

describe('ecal field comparison', () => {
	const body = eventBody(
		{ name: 'Anglais', location: 'B110', start: '2026-09-16T08:30', end: '2026-09-16T12:00', details: 'Prof : X' },
		CAL,
		'Europe/Paris',
	);

	test('normalised values compare equal: trimmed strings, HH:MM, booleans, CRLF', () => {
		const listed = {
			id: 'e1',
			name: 'Anglais ',
			location: ' B110',
			startDate: '2026-09-16',
			startTime: '8:30',
			endDate: '2026-09-16',
			endTime: '12:00:00',
			allDay: false,
			details: 'Prof : X\r\n',
			timezone: 'Europe/London',
			alert: '1H',
		};
		expect(changedFields(body, listed)).toEqual([]);
		expect(normaliseTime('8:05')).toBe('08:05');
	});

	test('reports exactly the fields we set that differ; fields we do not set are ignored', () => {
		expect(changedFields(body, { name: 'Anglais', location: 'B111', startDate: '2026-09-16', startTime: '09:30', endDate: '2026-09-16', endTime: '12:00', allDay: 'no', details: 'Prof : X' })).toEqual(['location', 'startTime']);
		expect(changedFields(body, { name: 'Anglais', location: 'B110', startDate: '2026-09-16', startTime: '08:30', endDate: '2026-09-16', endTime: '12:00', allDay: 'yes', details: 'Prof : X' })).toEqual(['allDay']);
		expect(changedFields(body, { name: 'Anglais', location: 'B110', startDate: '2026-09-16', startTime: '08:30', endDate: '2026-09-16', endTime: '12:00' })).toEqual(['details']);
	});

	test('the legacy slot is (name, start, end, location), case- and space-insensitive', () => {
		expect(slotKey({ name: 'anglais ', location: 'b110', startDate: '2026-09-16', startTime: '8:30', endDate: '2026-09-16', endTime: '12:00' })).toBe(
			slotKey(body),
		);
		expect(slotKey({ ...body, location: 'B111' })).not.toBe(slotKey(body));
	});
});
