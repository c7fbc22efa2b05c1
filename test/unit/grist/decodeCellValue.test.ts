import { decodeCellValue, decodeRecord, gristDateTimeToIso, gristDateToIso } from '../../../nodes/Grist/helpers/decodeCellValue';

describe('decodeCellValue', () => {
	test('plain values pass as they are', () => {
		for (const value of [0, 12.5, 'text', '', true, false, null]) expect(decodeCellValue(value)).toBe(value);
	});

	test('["L", …] lists: choice lists, reference lists and attachment ids become arrays', () => {
		expect(decodeCellValue(['L', 'urgent', 'ops'])).toEqual(['urgent', 'ops']);
		// An Attachments cell holds the attachment row ids; a Reference List cell the referenced row ids.
		expect(decodeCellValue(['L', 3, 7])).toEqual([3, 7]);
		expect(decodeCellValue(['L'])).toEqual([]);
		// Items are decoded too (an Any column holding a list of dates).
		expect(decodeCellValue(['L', ['d', 1704844800], ['L', 'x']])).toEqual(['2024-01-10', ['x']]);
	});

	test('["D", seconds, zone] keeps the wall-clock time at the zone offset', () => {
		expect(decodeCellValue(['D', 1704945919, 'UTC'])).toBe('2024-01-11T04:05:19Z');
		// Paris is UTC+1 in January and UTC+2 in July.
		expect(decodeCellValue(['D', 1704945919, 'Europe/Paris'])).toBe('2024-01-11T05:05:19+01:00');
		expect(decodeCellValue(['D', 1720000000, 'Europe/Paris'])).toBe('2024-07-03T11:46:40+02:00');
		expect(decodeCellValue(['D', 1704945919, 'America/New_York'])).toBe('2024-01-10T23:05:19-05:00');
		expect(decodeCellValue(['D', 1704945919.25, 'UTC'])).toBe('2024-01-11T04:05:19.250Z');
		// A zone this runtime does not know is shown in UTC rather than failing the delivery.
		expect(decodeCellValue(['D', 1704945919, 'Not/AZone'])).toBe('2024-01-11T04:05:19Z');
		expect(new Date(String(decodeCellValue(['D', 1704945919, 'Asia/Kolkata']))).getTime()).toBe(1704945919000);
	});

	test('["d", seconds] is the day', () => {
		expect(decodeCellValue(['d', 1704844800])).toBe('2024-01-10');
		expect(decodeCellValue(['d', -86400])).toBe('1969-12-31');
	});

	test('references and reference lists keep their table', () => {
		expect(decodeCellValue(['R', 'People', 17])).toEqual({ table: 'People', id: 17 });
		expect(decodeCellValue(['R', 'People', 0])).toEqual({ table: 'People', id: 0 });
		expect(decodeCellValue(['r', 'People', [1, 2]])).toEqual({ table: 'People', ids: [1, 2] });
	});

	test('formula errors become {error, message, details}', () => {
		expect(decodeCellValue(['E', 'ZeroDivisionError', 'division by zero'])).toEqual({ error: 'ZeroDivisionError', message: 'division by zero' });
		expect(decodeCellValue(['E', 'TypeError'])).toEqual({ error: 'TypeError' });
		expect(decodeCellValue(['E', 'ValueError', 'bad', { tracebackText: 'line 1' }])).toEqual({
			error: 'ValueError',
			message: 'bad',
			details: { tracebackText: 'line 1' },
		});
	});

	test('dicts, pending, censored, skip, unmarshallable and lookups', () => {
		expect(decodeCellValue(['O', { a: ['L', 1], b: 'x' }])).toEqual({ a: [1], b: 'x' });
		expect(decodeCellValue(['P'])).toBeNull();
		expect(decodeCellValue(['C'])).toBeNull();
		expect(decodeCellValue(['S'])).toBeNull();
		expect(decodeCellValue(['U', '<object at 0x7f>'])).toBe('<object at 0x7f>');
		expect(decodeCellValue(['l', 5, { column: 'name' }])).toBe(5);
	});

	test('unknown codes and malformed cells are returned as Grist sent them', () => {
		expect(decodeCellValue(['V', { version: 1 }])).toEqual(['V', { version: 1 }]);
		expect(decodeCellValue(['D', 'soon', 'UTC'])).toEqual(['D', 'soon', 'UTC']);
		expect(decodeCellValue(['R', 'People'])).toEqual(['R', 'People']);
		expect(decodeCellValue(['O', 'x'])).toEqual(['O', 'x']);
		expect(decodeCellValue([])).toEqual([]);
	});

	test('date helpers', () => {
		expect(gristDateTimeToIso(0)).toBe('1970-01-01T00:00:00Z');
		expect(gristDateToIso(0)).toBe('1970-01-01');
	});
});

describe('decodeRecord', () => {
	test('decodes every cell of a webhook record into a new object, leaving the input as it was', () => {
		const record = {
			id: 4,
			manualSort: 4,
			Name: 'Bridge',
			Tags: ['L', 'urgent'],
			Due: 1704844800,
			Files: ['L', 11, 12],
			Owner: 3,
			Next: ['D', 1704945919, 'UTC'],
			Ratio: ['E', 'ZeroDivisionError'],
		};
		const copy = JSON.parse(JSON.stringify(record));
		expect(decodeRecord(record)).toEqual({
			id: 4,
			manualSort: 4,
			Name: 'Bridge',
			Tags: ['urgent'],
			Due: 1704844800,
			Files: [11, 12],
			Owner: 3,
			Next: '2024-01-11T04:05:19Z',
			Ratio: { error: 'ZeroDivisionError' },
		});
		expect(record).toEqual(copy);
	});
});
