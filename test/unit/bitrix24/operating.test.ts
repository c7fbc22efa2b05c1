import { OperatingBudgets } from '../../../nodes/Bitrix24/transport/operating';

describe('Bitrix24 operating-time tracking', () => {
	const key = 'https://a.bitrix24.com crm.item.list';

	it('sums what answers report and forgets it one window later', () => {
		const budgets = new OperatingBudgets(600_000);
		budgets.note(key, { operating: 100, operating_reset_at: 1_800_000_600 }, 0);
		budgets.note(key, { operating: 250 }, 60_000);
		expect(budgets.estimate(key, 60_000)).toBe(250);
		expect(budgets.estimate(key, 600_000)).toBe(150);
		expect(budgets.estimate(key, 660_000)).toBe(0);
		expect(budgets.resetAt(key)).toBe(1_800_000_600);
	});

	it('waits until enough expires for one more request of the largest cost seen, under 90% of the budget', () => {
		const budgets = new OperatingBudgets(600_000);
		budgets.note(key, { operating: 150 }, 0);
		budgets.noteRequestCost(key, 150);
		budgets.note(key, { operating: 250 }, 10_000);
		expect(budgets.waitMs(key, 480, 10_000)).toBe(0);
		budgets.note(key, { operating: 400 }, 20_000);
		// 400 + 150 > 432: the first 150 must expire, at 600 s.
		expect(budgets.waitMs(key, 480, 20_000)).toBe(580_000);
		expect(budgets.waitMs(key, 480, 600_000)).toBe(0);
		expect(budgets.waitMs(key, 0, 20_000)).toBe(0);
	});

	it('never waits for ever: a request cost above the budget counts as half of it', () => {
		const budgets = new OperatingBudgets(600_000);
		budgets.note(key, { operating: 1000 }, 0);
		budgets.noteRequestCost(key, 1000);
		expect(budgets.waitMs(key, 480, 0)).toBe(600_000);
		expect(budgets.waitMs(key, 480, 600_000)).toBe(0);
	});

	it('ignores answers without an operating figure', () => {
		const budgets = new OperatingBudgets();
		budgets.note(key, undefined, 0);
		budgets.note(key, { operating: 'x' }, 0);
		expect(budgets.estimate(key, 0)).toBe(0);
		expect(budgets.waitMs(key, 480, 0)).toBe(0);
	});
});
