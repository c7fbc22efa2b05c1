import { eventBody, type EcalEvent } from '../../../nodes/Ecal/helpers/eventFields';
import { deleteShare, planSync, type DesiredEvent } from '../../../nodes/Ecal/helpers/syncPlan';

const CAL = 'cal000000000000000000001';
const PREFIX = 'moncampus-';

function desired(n: number, overrides: Record<string, unknown> = {}, itemIndex = n): DesiredEvent {
	const reference = `${PREFIX}${n}`;
	return {
		reference,
		itemIndex,
		body: eventBody(
			{
				reference,
				name: `Cours ${n}`,
				location: 'B110',
				start: `2026-09-${String(10 + n).padStart(2, '0')}T08:30`,
				end: `2026-09-${String(10 + n).padStart(2, '0')}T12:00`,
				...overrides,
			},
			CAL,
			'Europe/Paris',
		),
	};
}

/** An event as ECAL would list it for `desired(n)`. */
function listed(id: string, n: number, overrides: Partial<EcalEvent> = {}): EcalEvent {
	const day = `2026-09-${String(10 + n).padStart(2, '0')}`;
	return {
		id,
		calendarId: CAL,
		reference: `${PREFIX}${n}`,
		name: `Cours ${n}`,
		location: 'B110',
		startDate: day,
		startTime: '08:30',
		endDate: day,
		endTime: '12:00',
		allDay: 'no',
		timezone: 'Europe/Paris',
		details: '',
		...overrides,
	};
}

const ids = (events: EcalEvent[]) => events.map((event) => event.id);

describe('planSync', () => {
	test('creates the missing, updates the changed in place, keeps the unchanged, deletes ours no longer desired', () => {
		const plan = planSync({
			desired: [desired(1), desired(2, { location: 'B204' }), desired(3)],
			listed: [listed('e1', 1), listed('e2', 2), listed('e4', 4)],
			prefix: PREFIX,
		});
		expect(plan.creates.map((event) => event.reference)).toEqual(['moncampus-3']);
		expect(plan.updates).toHaveLength(1);
		expect(plan.updates[0]).toMatchObject({ existing: { id: 'e2' }, changedFields: ['location'] });
		expect(plan.unchanged.map((entry) => entry.existing.id)).toEqual(['e1']);
		expect(ids(plan.deletes)).toEqual(['e4']);
		expect(plan.oursBefore).toBe(3);
	});

	test('no change at all plans zero writes', () => {
		const plan = planSync({ desired: [desired(1), desired(2)], listed: [listed('e1', 1), listed('e2', 2)], prefix: PREFIX });
		expect([plan.creates, plan.updates, plan.deletes, plan.duplicates, plan.adoptions, plan.legacyDuplicates].map((l) => l.length)).toEqual([
			0, 0, 0, 0, 0, 0,
		]);
		expect(plan.unchanged).toHaveLength(2);
	});

	test('events without a reference or with a foreign one are never touched, only reported', () => {
		const plan = planSync({
			desired: [],
			listed: [listed('x1', 1, { reference: '' }), listed('x2', 2, { reference: 'bde-1' }), listed('x3', 3, { reference: null }), listed('x4', 4, { reference: 12345 })],
			prefix: PREFIX,
		});
		expect(ids(plan.notOwned)).toEqual(['x1', 'x2', 'x3', 'x4']);
		expect(plan.deletes).toEqual([]);
		expect(plan.oursBefore).toBe(0);
	});

	test('duplicates of one of our references: one is kept (and compared), the others removed', () => {
		const plan = planSync({
			desired: [desired(1, { name: 'Cours 1 bis' })],
			listed: [listed('first', 1), listed('second', 1), listed('third', 1, { name: 'Cours 1 bis' })],
			prefix: PREFIX,
		});
		expect(plan.updates.map((entry) => entry.existing.id)).toEqual(['first']);
		expect(plan.duplicates).toEqual([
			{ existing: expect.objectContaining({ id: 'second' }), keptId: 'first' },
			{ existing: expect.objectContaining({ id: 'third' }), keptId: 'first' },
		]);
		expect(plan.oursBefore).toBe(1);
	});

	test('duplicates: the copy with the lowest id is kept whatever the listing order, so overlapping runs keep the same one', () => {
		const copies = [listed('5ec0000000000000000000b2', 1), listed('5ec0000000000000000000a1', 1, { name: 'Cours 1 bis' }), listed('5ec0000000000000000000c3', 1)];
		for (const order of [copies, [...copies].reverse(), [copies[2], copies[0], copies[1]]]) {
			const plan = planSync({ desired: [desired(1)], listed: order, prefix: PREFIX });
			expect(plan.updates.map((entry) => entry.existing.id)).toEqual(['5ec0000000000000000000a1']);
			expect(plan.duplicates.map((entry) => [entry.existing.id, entry.keptId]).sort()).toEqual([
				['5ec0000000000000000000b2', '5ec0000000000000000000a1'],
				['5ec0000000000000000000c3', '5ec0000000000000000000a1'],
			]);
			expect(plan.oursBefore).toBe(1);
		}
	});

	test('duplicates of a reference no longer desired: one delete, the copies removed as duplicates', () => {
		const plan = planSync({ desired: [], listed: [listed('a', 5), listed('b', 5)], prefix: PREFIX });
		expect(ids(plan.deletes)).toEqual(['a']);
		expect(plan.duplicates.map((entry) => entry.existing.id)).toEqual(['b']);
	});

	test('protected references (items that failed validation) are not deleted', () => {
		const plan = planSync({ desired: [], listed: [listed('a', 5)], prefix: PREFIX, protectedReferences: new Set(['moncampus-5']) });
		expect(plan.deletes).toEqual([]);
	});

	describe('adopting legacy events', () => {
		const legacyPattern = /^[0-9]+$/;
		const legacy = (id: string, n: number, reference: string, overrides: Partial<EcalEvent> = {}) =>
			listed(id, n, { reference, details: 'Intervenant : None', ...overrides });

		test('off: legacy events are foreign, and the desired event is created', () => {
			const plan = planSync({ desired: [desired(1)], listed: [legacy('l1', 1, '4711')], prefix: PREFIX });
			expect(plan.creates).toHaveLength(1);
			expect(ids(plan.notOwned)).toEqual(['l1']);
		});

		test('on: the first legacy event on the slot gets our reference, further ones on that slot are duplicates', () => {
			const plan = planSync({
				desired: [desired(1, { details: 'Intervenant : X' }), desired(2)],
				listed: [legacy('l1', 1, '4711'), legacy('l2', 1, '99'), legacy('l3', 1, '7', { location: 'B999' }), legacy('l4', 3, '8')],
				prefix: PREFIX,
				legacyReference: legacyPattern,
			});
			expect(plan.adoptions).toHaveLength(1);
			expect(plan.adoptions[0]).toMatchObject({ existing: { id: 'l1' }, changedFields: ['reference', 'details'] });
			expect(plan.legacyDuplicates).toEqual([{ existing: expect.objectContaining({ id: 'l2' }), keptId: 'l1' }]);
			// another slot (other room, other day): not ours, untouched
			expect(ids(plan.notOwned).sort()).toEqual(['l3', 'l4']);
			expect(plan.creates.map((event) => event.reference)).toEqual(['moncampus-2']);
		});

		test('two desired events on one slot (two groups) each adopt one legacy event', () => {
			const plan = planSync({
				desired: [desired(1), { ...desired(1), reference: 'moncampus-1b', body: { ...desired(1).body, reference: 'moncampus-1b' } }],
				listed: [legacy('l1', 1, '1'), legacy('l2', 1, '2')],
				prefix: PREFIX,
				legacyReference: legacyPattern,
			});
			expect(plan.adoptions.map((entry) => [entry.desired.reference, entry.existing.id])).toEqual([
				['moncampus-1', 'l1'],
				['moncampus-1b', 'l2'],
			]);
			expect(plan.legacyDuplicates).toEqual([]);
		});

		test('a legacy copy on a slot we already hold (adopted in an earlier run) is a duplicate', () => {
			const plan = planSync({
				desired: [desired(1)],
				listed: [listed('ours', 1), legacy('l1', 1, '4711')],
				prefix: PREFIX,
				legacyReference: legacyPattern,
			});
			expect(plan.legacyDuplicates).toEqual([{ existing: expect.objectContaining({ id: 'l1' }), keptId: 'ours' }]);
			expect(plan.unchanged).toHaveLength(1);
		});
	});
});

describe('deleteShare (safety stop)', () => {
	const plan = (deletes: number, ours: number) => ({ deletes: Array.from({ length: deletes }, (_, i) => ({ id: `e${i}` })), oursBefore: ours });

	test('refuses more than the allowed share, allows up to it', () => {
		expect(deleteShare(plan(6, 10), 50)).toEqual({ deletes: 6, ours: 10, percent: 60, refused: true });
		expect(deleteShare(plan(5, 10), 50)).toEqual({ deletes: 5, ours: 10, percent: 50, refused: false });
		expect(deleteShare(plan(1, 3), 50).percent).toBe(33.3);
	});

	test('an empty source against a full calendar is refused; 100 % turns the stop off; nothing to delete never refuses', () => {
		expect(deleteShare(plan(2000, 2000), 50).refused).toBe(true);
		expect(deleteShare(plan(2000, 2000), 100).refused).toBe(false);
		expect(deleteShare(plan(0, 0), 0).refused).toBe(false);
		expect(deleteShare(plan(1, 100), 0).refused).toBe(true);
	});

	test('a planned mass delete from an empty desired list is caught', () => {
		const listedEvents = Array.from({ length: 10 }, (_, i) => listed(`e${i}`, i));
		const share = deleteShare(planSync({ desired: [], listed: listedEvents, prefix: PREFIX }), 50);
		expect(share).toMatchObject({ deletes: 10, ours: 10, refused: true });
	});
});
