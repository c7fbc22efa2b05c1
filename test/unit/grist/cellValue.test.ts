import { CellValueError, encodeCellValue, encodeFields } from '../../../nodes/Grist/helpers/cellValue';

describe('encodeCellValue: what Grist accepts as a CellValue', () => {
	it('sends lists for Choice List, Reference List and Attachments columns as ["L", …]', () => {
		expect(encodeCellValue('tags', ['a, b', '"q"', 3], 'ChoiceList')).toEqual(['L', 'a, b', '"q"', '3']);
		expect(encodeCellValue('refs', [1, '2'], 'RefList:Projets')).toEqual(['L', 1, 2]);
		expect(encodeCellValue('files', [], 'Attachments')).toEqual(['L']);
		// Already in Grist's encoding (as Grist's /records reads return it): sent as it is.
		expect(encodeCellValue('tags', ['L', 'a'], 'ChoiceList')).toEqual(['L', 'a']);
		expect(() => encodeCellValue('refs', ['x'], 'RefList:Projets')).toThrow('Field "refs" holds "x" in its list, which a RefList:Projets column cannot store');
		expect(() => encodeCellValue('tags', [{ a: 1 }], 'ChoiceList')).toThrow(CellValueError);
	});

	it('encodes lists and objects for an Any column (and an unknown one), all the way down', () => {
		expect(encodeCellValue('x', { a: [1, { b: null }] }, 'Any')).toEqual(['O', { a: ['L', 1, ['O', { b: null }]] }]);
		expect(encodeCellValue('x', [1], undefined)).toEqual(['L', 1]);
	});

	it('refuses a list or object where the column holds one value, and a circular object anywhere, naming the field', () => {
		expect(() => encodeCellValue('name', ['a'], 'Text')).toThrow('Field "name" is a list, which a Text column cannot store');
		expect(() => encodeCellValue('n', { a: 1 }, 'Int')).toThrow('Field "n" is an object, which a Int column cannot store');
		const loop: Record<string, unknown> = {};
		loop.self = loop;
		expect(() => encodeCellValue('extra', loop, 'Any')).toThrow('Field "extra" cannot be serialised: it contains itself');
		expect(() => encodeCellValue('name', loop, 'Text')).toThrow(CellValueError);
	});

	it('sends dates as JSON would, or as epoch seconds in a Date/DateTime column; BigInt as a number when exact', () => {
		const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
		expect(encodeCellValue('at', date, 'DateTime:Europe/Paris')).toBe(date.getTime() / 1000);
		expect(encodeCellValue('at', date, 'Text')).toBe('2024-01-02T03:04:05.000Z');
		expect(encodeCellValue('n', BigInt(42), 'Int')).toBe(42);
		expect(() => encodeCellValue('n', BigInt(2) ** BigInt(70), 'Int')).toThrow(/too large/);
	});

	it('leaves plain values and plain rows as they are (the same object when nothing needed encoding)', () => {
		const fields = { a: 1, b: 'x', c: null, d: true };
		expect(encodeFields(fields, new Map())).toBe(fields);
		expect(encodeFields({ tags: ['a'], n: 1 }, new Map([['tags', 'ChoiceList']]))).toEqual({ tags: ['L', 'a'], n: 1 });
	});
});
