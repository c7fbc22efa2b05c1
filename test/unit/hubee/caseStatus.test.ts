import { hasReached, planStatusChange } from '../../../nodes/Hubee/helpers/caseStatus';

describe('planStatusChange (the status-order guard)', () => {
	test.each([
		['HUBEE_NOTIFIED', 'SENT'],
		['HUBEE_NOTIFIED', 'SI_RECEIVED'],
		['SENT', 'IN_PROGRESS'],
		['SI_RECEIVED', 'DONE'],
		['IN_PROGRESS', 'REFUSED'],
		['IN_PROGRESS', 'ADD_AWAITING'],
		['SI_RECEIVED', 'SI_INTG_ERROR'],
		['ADD_AWAITING', 'SI_INTG_ERROR'],
	])('%s → %s is posted', (current, target) => {
		expect(planStatusChange(current, target)).toEqual({ action: 'post' });
	});

	test.each([
		['DONE', 'DONE', 'alreadyAtTarget'],
		['SI_RECEIVED', 'SI_RECEIVED', 'alreadyAtTarget'],
		['DONE', 'IN_PROGRESS', 'alreadyPastTarget'],
		['DONE', 'SI_RECEIVED', 'alreadyPastTarget'],
		['CLOSED', 'DONE', 'alreadyPastTarget'],
		['REFUSED', 'SENT', 'alreadyPastTarget'],
		['SI_INTG_ERROR', 'SI_RECEIVED', 'alreadyPastTarget'],
		['IN_PROGRESS', 'SI_RECEIVED', 'alreadyPastTarget'],
	])('%s → %s is a no-op (%s): a re-run never moves a case backwards', (current, target, reason) => {
		expect(planStatusChange(current, target)).toEqual({ action: 'skip', reason });
		expect(hasReached(current, target)).toBe(true);
	});

	test.each([
		['DONE', 'REFUSED'],
		['REFUSED', 'DONE'],
		['DONE', 'SI_INTG_ERROR'],
		['SI_INTG_ERROR', 'DONE'],
	])('%s → %s is refused as sideways', (current, target) => {
		const plan = planStatusChange(current, target);
		expect(plan.action).toBe('refuse');
		expect(plan).toMatchObject({ message: expect.stringMatching(/sideways/) });
	});

	test('SI_INTG_ERROR below SI_RECEIVED is refused with the way out', () => {
		for (const current of ['HUBEE_NOTIFIED', 'SENT']) {
			expect(planStatusChange(current, 'SI_INTG_ERROR')).toEqual({
				action: 'refuse',
				message: expect.stringMatching(/only be set from SI_RECEIVED on.*move it to SI_RECEIVED first/),
			});
		}
	});

	test('statuses an SI cannot set, and unknown current statuses, are refused', () => {
		expect(planStatusChange('DONE', 'CLOSED').action).toBe('refuse');
		expect(planStatusChange('HUBEE_NOTIFIED', 'HUBEE_COMPLETED').action).toBe('refuse');
		expect(planStatusChange('SOMETHING_NEW', 'DONE').action).toBe('refuse');
		expect(hasReached('IN_PROGRESS', 'DONE')).toBe(false);
	});
});
