import { buildPageQuery, keysetOrder, parseSort, quoteIdentifier, sqlRowToRecord } from '../../../nodes/Grist/helpers/recordsSql';

describe('buildPageQuery', () => {
	it('pages without a sort by keyset on the row id', () => {
		expect(buildPageQuery({ tableId: 'Projets', pageSize: 500 })).toEqual({
			sql: 'SELECT * FROM "Projets" ORDER BY id ASC LIMIT 500',
			args: [],
		});
		expect(buildPageQuery({ tableId: 'Projets', pageSize: 500, after: { id: 1500, name: 'x' } })).toEqual({
			sql: 'SELECT * FROM "Projets" WHERE id > ? ORDER BY id ASC LIMIT 500',
			args: [1500],
		});
	});

	it('combines the filter with the keyset, values as arguments', () => {
		expect(
			buildPageQuery({ tableId: 'Projets', pageSize: 10, filter: { status: ['DONE', 'READY'], code: ['69'] }, after: { id: 3 } }),
		).toEqual({
			sql: 'SELECT * FROM "Projets" WHERE ("status" = ? OR "status" = ?) AND "code" = ? AND id > ? ORDER BY id ASC LIMIT 10',
			args: ['DONE', 'READY', '69', 3],
		});
	});

	it('pages a user sort by keyset on (sort, id), so ties and later pages neither skip nor repeat', () => {
		const sort = parseSort('city,-created');
		expect(buildPageQuery({ tableId: 'T', pageSize: 2, sort })).toEqual({
			sql: 'SELECT * FROM "T" ORDER BY "city" ASC, "created" DESC, id ASC LIMIT 2',
			args: [],
		});
		expect(buildPageQuery({ tableId: 'T', pageSize: 2, sort, after: { id: 9, city: 'Lyon', created: 100 } })).toEqual({
			sql:
				'SELECT * FROM "T" WHERE ("city" > ? OR ("city" = ? AND ("created" < ? OR "created" IS NULL)) OR ' +
				'("city" = ? AND "created" = ? AND id > ?)) ORDER BY "city" ASC, "created" DESC, id ASC LIMIT 2',
			args: ['Lyon', 'Lyon', 100, 'Lyon', 100, 9],
		});
	});

	it('handles NULL sort values the way SQLite orders them (first ascending, last descending)', () => {
		expect(buildPageQuery({ tableId: 'T', pageSize: 5, sort: parseSort('city'), after: { id: 4, city: null } })).toEqual({
			sql: 'SELECT * FROM "T" WHERE ("city" IS NOT NULL OR ("city" IS NULL AND id > ?)) ORDER BY "city" ASC, id ASC LIMIT 5',
			args: [4],
		});
		expect(buildPageQuery({ tableId: 'T', pageSize: 5, sort: parseSort('-city'), after: { id: 4, city: null } })).toEqual({
			sql: 'SELECT * FROM "T" WHERE ("city" IS NULL AND id > ?) ORDER BY "city" DESC, id ASC LIMIT 5',
			args: [4],
		});
	});

	it('honours a sort on the id itself as the final key', () => {
		expect(keysetOrder(parseSort('-id'))).toEqual([{ colId: 'id', descending: true }]);
		expect(buildPageQuery({ tableId: 'T', pageSize: 5, sort: parseSort('-id'), after: { id: 40 } }).sql).toBe(
			'SELECT * FROM "T" WHERE (id < ? OR id IS NULL) ORDER BY id DESC LIMIT 5',
		);
	});

	it('refuses identifiers that are not Grist ids, so nothing can be injected', () => {
		expect(() => quoteIdentifier('Projets; DROP TABLE x')).toThrow('not a Grist table or column id');
		expect(() => buildPageQuery({ tableId: 'T', pageSize: 1, sort: parseSort('a"b') })).toThrow();
		expect(() => buildPageQuery({ tableId: 'T', pageSize: 1, filter: { a: [] } })).toThrow('at least one value');
	});
});

describe('sqlRowToRecord', () => {
	it('flattens fields and drops Grist helper columns', () => {
		expect(sqlRowToRecord({ fields: { id: 1, manualSort: 1, gristHelper_Display: 'x', name: 'A' } })).toEqual({ id: 1, name: 'A' });
	});
});
