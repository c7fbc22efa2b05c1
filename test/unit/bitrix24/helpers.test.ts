import { asMap, normaliseBatchResult, recordsOf } from '../../../nodes/Bitrix24/helpers/envelope';
import { normaliseParsedListElements, normalisePropertyValue } from '../../../nodes/Bitrix24/helpers/listElement';
import { keysetFor, listParams } from '../../../nodes/Bitrix24/helpers/listMethods';
import { batchCommand, buildQuery, resultReference } from '../../../nodes/Bitrix24/helpers/query';

describe('buildQuery (http_build_query)', () => {
	it('writes nested params with bracket keys, percent-encoded, leaving out null and undefined', () => {
		expect(buildQuery({ entityTypeId: 1030, filter: { '>id': 5, title: 'a&b' }, select: ['id', 'title'], skip: null, none: undefined })).toBe(
			'entityTypeId=1030&filter%5B%3Eid%5D=5&filter%5Btitle%5D=a%26b&select%5B0%5D=id&select%5B1%5D=title',
		);
		expect(buildQuery({ flag: true, off: false })).toBe('flag=1&off=0');
	});

	it('keeps $result references literal so Bitrix24 can substitute them', () => {
		expect(batchCommand('user.get', { FILTER: { '>ID': resultReference('p0', [49, 'ID']) } })).toBe(
			'user.get?FILTER%5B%3EID%5D=$result[p0][49][ID]',
		);
		expect(batchCommand('department.get', {})).toBe('department.get');
	});
});

describe('envelopes', () => {
	it('normalises empty maps serialised as [] to {}', () => {
		expect(asMap([])).toEqual({});
		expect(asMap({ a: 1 })).toEqual({ a: 1 });
		expect(normaliseBatchResult({ result: { result: { a: [1] }, result_error: [], result_total: [], result_next: [], result_time: [] } })).toEqual({
			result: { a: [1] },
			result_error: {},
			result_total: {},
			result_next: {},
			result_time: {},
		});
		expect(normaliseBatchResult({})).toEqual({ result: {}, result_error: {}, result_total: {}, result_next: {}, result_time: {} });
	});

	it('returns one record per entry whatever the envelope', () => {
		expect(recordsOf([{ ID: '1' }, { ID: '2' }])).toEqual([{ ID: '1' }, { ID: '2' }]);
		expect(recordsOf({ items: [{ id: 1 }] })).toEqual([{ id: 1 }]);
		expect(recordsOf({ types: [{ id: 1, entityTypeId: 1030 }] })).toEqual([{ id: 1, entityTypeId: 1030 }]);
		expect(recordsOf({ categories: [{ id: 0 }] })).toEqual([{ id: 0 }]);
		expect(recordsOf({ item: { id: 3 } })).toEqual([{ id: 3 }]);
		expect(recordsOf({ 7: { ID: '7' }, 9: { ID: '9' } })).toEqual([{ ID: '7' }, { ID: '9' }]);
		expect(recordsOf([])).toEqual([]);
		expect(recordsOf(undefined)).toEqual([]);
		expect(recordsOf(true)).toEqual([{ value: true }]);
	});
});

describe('list element properties', () => {
	const element = { ID: '5', NAME: 'Paris', PROPERTY_101: { '3743': '1269' }, PROPERTY_102: { '3745': 'a', '3746': 'b' }, PROPERTY_103: false };

	const normalised = (mode: 'auto' | 'array' | 'raw') => normaliseParsedListElements([JSON.parse(JSON.stringify(element))], mode)[0];
	const auto = { ID: '5', NAME: 'Paris', PROPERTY_101: '1269', PROPERTY_102: ['a', 'b'], PROPERTY_103: null };

	it('turns {valueId: value} into a value, an array, or leaves it raw', () => {
		expect(normalised('auto')).toEqual(auto);
		expect(normalised('array')).toEqual({ ID: '5', NAME: 'Paris', PROPERTY_101: ['1269'], PROPERTY_102: ['a', 'b'], PROPERTY_103: [] });
		expect(normalised('raw')).toEqual(element);
		expect(normalisePropertyValue({ '1': { TEXT: 'x', TYPE: 'HTML' } }, 'auto')).toEqual({ TEXT: 'x', TYPE: 'HTML' });
	});

	it('rewrites freshly parsed answers in place, the same way', () => {
		const parsed = [JSON.parse(JSON.stringify(element))];
		expect(normaliseParsedListElements(parsed, 'auto')[0]).toBe(parsed[0]);
		expect(parsed[0]).toEqual(auto);
		const raw = [JSON.parse(JSON.stringify(element))];
		expect(normaliseParsedListElements(raw, 'raw')).toEqual([element]);
	});
});

describe('list params per method', () => {
	it('uses each method\'s own names', () => {
		expect(listParams('crm.item.list', { entityTypeId: 1030, filter: { stageId: 'X' }, select: ['id'], order: {} })).toEqual({
			entityTypeId: 1030,
			filter: { stageId: 'X' },
			select: ['id'],
		});
		expect(listParams('lists.element.get', { iblockTypeId: 'lists', iblock: '25', filter: { NAME: 'x' }, select: ['ID', 'NAME'] })).toEqual({
			IBLOCK_TYPE_ID: 'lists',
			IBLOCK_ID: 25,
			FILTER: { NAME: 'x' },
			SELECT: ['ID', 'NAME'],
		});
		expect(listParams('lists.element.get', { iblock: 'cities' })).toEqual({ IBLOCK_TYPE_ID: 'lists', IBLOCK_CODE: 'cities' });
		expect(listParams('user.get', { filter: { ACTIVE: true }, order: { LAST_NAME: 'DESC' } })).toEqual({
			FILTER: { ACTIVE: true },
			sort: 'LAST_NAME',
			order: 'DESC',
		});
		expect(listParams('crm.status.list', { statusEntityId: 'SOURCE' })).toEqual({ filter: { ENTITY_ID: 'SOURCE' } });
		expect(listParams('department.get', { filter: { PARENT: '1' }, extra: { x: 1 } })).toEqual({ PARENT: '1', x: 1 });
	});

	it('keyset-pages only where order and filter names allow it', () => {
		expect(keysetFor('crm.item.list', { entityTypeId: 2 })?.idField).toBe('id');
		expect(keysetFor('crm.item.list', { entityTypeId: 2, order: { title: 'ASC' } })).toBeUndefined();
		expect(keysetFor('crm.item.list', { entityTypeId: 2, filter: { '>id': 10 } })).toBeUndefined();
		expect(keysetFor('user.get', { sort: 'ID', order: 'ASC' })?.idField).toBe('ID');
		expect(keysetFor('user.get', { sort: 'NAME' })).toBeUndefined();
		expect(keysetFor('lists.element.get', { IBLOCK_TYPE_ID: 'lists', IBLOCK_ID: 1, ELEMENT_ID: 3 })).toBeUndefined();
		expect(keysetFor('department.get', {})).toBeUndefined();
		expect(keysetFor('crm.status.list', {})).toBeUndefined();
	});
});
