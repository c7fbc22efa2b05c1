import { CellCoercionError, coerceCellValue, coerceRequire } from '../../../nodes/Grist/helpers/coerceCellValue';

describe('coerceCellValue', () => {
	it('sends a numeric string as a number to an Int or Numeric column, and a number as text to a Text column', () => {
		expect(coerceCellValue('object_id', '42218', 'Int')).toBe(42218);
		expect(coerceCellValue('object_id', ' 42218 ', 'Int')).toBe(42218);
		expect(coerceCellValue('object_id', '42218.0', 'Int')).toBe(42218);
		expect(coerceCellValue('lat', '45.75', 'Numeric')).toBe(45.75);
		expect(coerceCellValue('object_id', 42218, 'Text')).toBe('42218');
		expect(coerceCellValue('object_id', '42218', 'Text')).toBe('42218');
		expect(coerceCellValue('ref', '3', 'Ref:Projets')).toBe(3);
	});

	it('refuses a value that could never match the column, instead of adding a row each time', () => {
		expect(() => coerceCellValue('object_id', 'abc', 'Int')).toThrow(CellCoercionError);
		expect(() => coerceCellValue('object_id', 4.5, 'Int')).toThrow('cannot be stored as Int');
		expect(() => coerceCellValue('flag', 'maybe', 'Bool')).toThrow(CellCoercionError);
		expect(() => coerceCellValue('name', { a: 1 }, 'Text')).toThrow(CellCoercionError);
	});

	it('reads booleans and dates the way Grist stores them', () => {
		expect(coerceCellValue('active', 'true', 'Bool')).toBe(true);
		expect(coerceCellValue('active', 0, 'Bool')).toBe(false);
		expect(coerceCellValue('day', '2024-03-01', 'Date')).toBe(1709251200);
		expect(coerceCellValue('at', '2024-03-01T10:00:00+01:00', 'DateTime:Europe/Paris')).toBe(1709283600);
		expect(() => coerceCellValue('at', '2024-03-01T10:00:00', 'DateTime:Europe/Paris')).toThrow(CellCoercionError);
	});

	it('leaves Any, Choice List and unknown types alone, and null as null', () => {
		expect(coerceCellValue('x', '42', 'Any')).toBe('42');
		expect(coerceCellValue('x', ['L', 'a'], 'ChoiceList')).toEqual(['L', 'a']);
		expect(coerceCellValue('x', '42', undefined)).toBe('42');
		expect(coerceCellValue('x', null, 'Int')).toBeNull();
	});
});

describe('coerceRequire', () => {
	it('coerces each require value by its column type, and id as an Int', () => {
		const types = new Map([
			['object_id', 'Int'],
			['code', 'Text'],
		]);
		expect(coerceRequire({ object_id: '42218', code: 69, id: '5' }, types)).toEqual({ object_id: 42218, code: '69', id: 5 });
	});
});

describe('columnIdProblem', () => {
	it('accepts ids Grist keeps and names the reason for ids it would rename', () => {
		const { columnIdProblem } = require('../../../nodes/Grist/helpers/columnId');
		expect(columnIdProblem('object_id')).toBeUndefined();
		expect(columnIdProblem('q_2_comment')).toBeUndefined();
		expect(columnIdProblem('besoin-principal')).toMatch(/not a Grist column id/);
		expect(columnIdProblem('2e_question')).toMatch(/starting with a letter/);
		expect(columnIdProblem('_private')).toMatch(/starting with a letter/);
		expect(columnIdProblem('class')).toMatch(/Python keyword/);
		expect(columnIdProblem('ID')).toMatch(/row id/);
	});
});
