import { upsertQuery } from '../../../nodes/Grist/helpers/upsertQuery';

describe('upsertQuery', () => {
	it('sends every set flag as =1, because Grist ignores a bare ?noadd', () => {
		expect(upsertQuery({ onmany: 'all', noadd: true, noupdate: true, allowEmptyRequire: true, noparse: true })).toEqual({
			onmany: 'all',
			noadd: '1',
			noupdate: '1',
			allow_empty_require: '1',
			noparse: '1',
		});
	});

	it('leaves unset flags out entirely rather than sending empty or false values', () => {
		const query = upsertQuery({ noadd: false });
		expect(query).toEqual({ onmany: 'first' });
		expect(Object.values(query)).not.toContain('');
	});

	it('serialises to a query string where each flag has a value', () => {
		const text = new URLSearchParams(upsertQuery({ noadd: true, onmany: 'none' }) as Record<string, string>).toString();
		expect(text).toBe('onmany=none&noadd=1');
	});
});
