import { chunkCommands, groupByKey, lookupCommand, lookupOutcome, matchKeyOf, type UpsertEntry } from '../../../nodes/Bitrix24/helpers/upsertPlan';

const entry = (key: string, matchField = 'ufCrm5Code'): UpsertEntry => ({ entityTypeId: 2, matchField, key, fields: { [matchField]: key } });

describe('Bitrix24 upsert plan', () => {
	it('groups items by entity type, field and key, members in input order', () => {
		const groups = groupByKey([
			{ itemIndex: 0, entry: entry('A') },
			{ itemIndex: 1, entry: entry('B') },
			{ itemIndex: 2, entry: entry('A') },
			{ itemIndex: 3, entry: entry('A', 'UF_CRM_CODE') },
		]);
		expect(groups.map((group) => [group.key, group.matchField, group.members.map((member) => member.itemIndex)])).toEqual([
			['A', 'ufCrm5Code', [0, 2]],
			['B', 'ufCrm5Code', [1]],
			['A', 'UF_CRM_CODE', [3]],
		]);
	});

	it('reads the key from the fields: scalars only, trimmed, never empty', () => {
		expect(matchKeyOf({ code: 75 }, 'code')).toBe('75');
		expect(matchKeyOf({ code: ' x ' }, 'code')).toBe('x');
		expect(matchKeyOf({ code: '' }, 'code')).toBeUndefined();
		expect(matchKeyOf({ code: ['a'] }, 'code')).toBeUndefined();
		expect(matchKeyOf({}, 'code')).toBeUndefined();
	});

	it('looks a key up with an exact filter, two columns and no count; UF_ names ask for original names', () => {
		const [group] = groupByKey([{ itemIndex: 0, entry: entry('a&b') }]);
		expect(lookupCommand(group)).toBe('crm.item.list?entityTypeId=2&filter%5B%3DufCrm5Code%5D=a%26b&select%5B0%5D=id&select%5B1%5D=ufCrm5Code&start=-1');
		const [original] = groupByKey([{ itemIndex: 0, entry: entry('x', 'UF_CRM_CODE') }]);
		expect(lookupCommand(original)).toMatch(/&useOriginalUfNames=Y$/);
	});

	it('counts only rows that really hold the key (an ignored filter answers every record)', () => {
		const [group] = groupByKey([{ itemIndex: 0, entry: entry('C1') }]);
		expect(lookupOutcome([], group)).toEqual({ kind: 'none' });
		expect(lookupOutcome([{ id: 1 }, { id: 2 }], group)).toEqual({ kind: 'none' });
		expect(lookupOutcome([{ id: 4, ufCrm5Code: 'C1' }, { id: 5, ufCrm5Code: 'C2' }], group)).toEqual({ kind: 'one', id: '4' });
		expect(lookupOutcome([{ id: 4, ufCrm5Code: 'C1' }, { id: 6, ufCrm5Code: 'C1' }], group)).toEqual({ kind: 'many', ids: ['4', '6'] });
	});

	it('chunks commands by 50 in order', () => {
		const commands = Array.from({ length: 120 }, (_, i): [string, string] => [`k${i}`, 'm']);
		const chunks = chunkCommands(commands);
		expect(chunks.map((chunk) => Object.keys(chunk).length)).toEqual([50, 50, 20]);
		expect(Object.keys(chunks[2])[0]).toBe('k100');
	});
});
