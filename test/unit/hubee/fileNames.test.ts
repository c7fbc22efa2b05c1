import { attachmentFileName, joinPath, sanitisePathPart } from '../../../nodes/Hubee/helpers/fileNames';

describe('sanitisePathPart', () => {
	test.each([
		['acte-naissance.pdf', 'acte-naissance.pdf'],
		['../../etc/passwd', 'passwd'],
		['..\\..\\windows\\system.ini', 'system.ini'],
		['..', 'file'],
		['.', 'file'],
		['', 'file'],
		['/', 'file'],
		['.bashrc', 'bashrc'],
		['a\u0000b\nc.pdf', 'a_b_c.pdf'],
		['rapport: "final" <v2>?.pdf', 'rapport_ _final_ _v2__.pdf'],
		['trailing dots...', 'trailing dots'],
		['CON.txt', '_CON.txt'],
		['  spaced   name .pdf  ', 'spaced name .pdf'],
		['Cafe\u0301.pdf', 'Café.pdf'],
	])('%j → %j', (input, expected) => {
		expect(sanitisePathPart(input)).toBe(expected);
	});

	test('long names are capped under 255 bytes, keep their extension and stay distinct', () => {
		const a = sanitisePathPart(`${'é'.repeat(300)}a.pdf`);
		const b = sanitisePathPart(`${'é'.repeat(300)}b.pdf`);
		expect(Buffer.byteLength(a)).toBeLessThanOrEqual(180);
		expect(a.endsWith('.pdf')).toBe(true);
		expect(a).not.toBe(b);
	});

	test('fallback for empty folder parts', () => {
		expect(sanitisePathPart(undefined, 'unknown-case')).toBe('unknown-case');
		expect(sanitisePathPart(null, 'unknown-case')).toBe('unknown-case');
		expect(sanitisePathPart('TD/2026/001')).toBe('001');
	});
});

describe('attachmentFileName and joinPath', () => {
	test('the attachment id keeps two files with the same name apart', () => {
		const one = attachmentFileName('1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'acte.pdf');
		const two = attachmentFileName('6fa459ea-ee8a-3ca4-894e-db77e160355e', 'acte.pdf');
		expect(one).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427__acte.pdf');
		expect(one).not.toBe(two);
		expect(attachmentFileName('../x', '../../y.pdf')).toBe('x__y.pdf');
	});

	test('joinPath appends parts to a resolved root', () => {
		expect(joinPath('/data/hubee', 'EtatCivil', 'TD-1')).toBe('/data/hubee/EtatCivil/TD-1');
		expect(joinPath('/data/hubee/', 'a')).toBe('/data/hubee/a');
		expect(joinPath('/', 'a')).toBe('/a');
	});
});
