import { idProblem } from '../../../nodes/Recoco/helpers/addonBody';

describe('an ID field refused at run time names itself and the cause', () => {
	test.each([
		['', 'Add-On ID is empty: set it to the ID to use'],
		['  ', 'Add-On ID is empty: set it to the ID to use'],
		[undefined, 'Add-On ID is empty: set it to the ID to use'],
		['12a', 'Add-On ID must be a positive whole number, not "12a"'],
		[0, 'Add-On ID must be a positive whole number, not "0"'],
	])('%j → %s', (raw, message) => {
		expect(idProblem('Add-On ID', raw)).toBe(message);
	});
});
