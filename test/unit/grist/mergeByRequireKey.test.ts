import { mergeByRequireKey, requireKey } from '../../../nodes/Grist/helpers/mergeByRequireKey';

describe('mergeByRequireKey', () => {
	it('folds records with the same require key into one, later fields winning, and remembers every item', () => {
		const merged = mergeByRequireKey([
			{ require: { object_id: 7 }, fields: { name: 'A', city: 'Lyon' }, itemIndex: 0 },
			{ require: { object_id: 8 }, fields: { name: 'B' }, itemIndex: 1 },
			{ require: { object_id: 7 }, fields: { name: 'A2', status: 'DONE' }, itemIndex: 2 },
			{ require: { object_id: 7 }, fields: { name: 'A3' }, itemIndex: 3 },
		]);
		expect(merged).toEqual([
			{ require: { object_id: 7 }, fields: { name: 'A3', city: 'Lyon', status: 'DONE' }, itemIndexes: [0, 2, 3] },
			{ require: { object_id: 8 }, fields: { name: 'B' }, itemIndexes: [1] },
		]);
	});

	it('treats key order as irrelevant and values as typed', () => {
		expect(requireKey({ a: 1, b: 'x' })).toBe(requireKey({ b: 'x', a: 1 }));
		expect(requireKey({ a: 1 })).not.toBe(requireKey({ a: '1' }));
		const merged = mergeByRequireKey([
			{ require: { a: 1, b: 'x' }, fields: { v: 1 }, itemIndex: 0 },
			{ require: { b: 'x', a: 1 }, fields: { v: 2 }, itemIndex: 1 },
		]);
		expect(merged).toHaveLength(1);
		expect(merged[0].fields).toEqual({ v: 2 });
	});

	it('keeps records whose require columns differ apart', () => {
		const merged = mergeByRequireKey([
			{ require: { a: 1 }, fields: {}, itemIndex: 0 },
			{ require: { a: 1, b: 2 }, fields: {}, itemIndex: 1 },
		]);
		expect(merged).toHaveLength(2);
	});

	it('does not mutate its input', () => {
		const entry = { require: { a: 1 }, fields: { x: 1 }, itemIndex: 0 };
		mergeByRequireKey([entry, { require: { a: 1 }, fields: { x: 2 }, itemIndex: 1 }]);
		expect(entry.fields).toEqual({ x: 1 });
	});
});
