/** The pickers' By URL patterns and how a locator parameter (or a plain value saved before it was one) is read. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { ENTITY_TYPE_URL_PATTERN, LIST_URL_PATTERN, entityTypeIdFor, entityTypeIdFromUrl, iblockFor } from '../../../nodes/Bitrix24/helpers/locators';
import { idFromUrl, locatorIdFor, locatorValue, pageOfList } from '../../../nodes/common/resourceLocator';
import { CALENDAR_URL_PATTERN, calendarIdFor } from '../../../nodes/Ecal/actions/common.descriptions';
import { PROJET_URL_PATTERN, projetIdForItem } from '../../../nodes/LesCommuns/helpers/projetId';
import { PROJECT_URL_PATTERN, requireProjectId } from '../../../nodes/Recoco/helpers/projectId';

function context(parameters: Record<string, unknown>) {
	return {
		getNode: () => ({ id: 'n', name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => parameters[name] ?? fallback,
	} as unknown as IExecuteFunctions;
}

const rl = (mode: string, value: unknown) => ({ __rl: true, mode, value });

describe('URL patterns', () => {
	test.each([
		['https://recoconseil.fr/project/42/overview', '42'],
		['https://sosponts.recoconseil.fr/projects/7/', '7'],
		['https://urbanvitaliz.fr/project/1234?tab=tasks', '1234'],
		['https://urbanvitaliz.fr/project/1234', '1234'],
	])('Recoco %s → %s', (url, id) => expect(idFromUrl(url, PROJECT_URL_PATTERN)).toBe(id));
	test.each(['https://recoconseil.fr/projects/', 'https://recoconseil.fr/project/abc/', 'recoconseil.fr/project/42/'])('Recoco %s → none', (url) =>
		expect(idFromUrl(url, PROJECT_URL_PATTERN)).toBeUndefined(),
	);

	const uuid = '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55';
	test.each([`https://api.example.org/projets/${uuid}`, `https://site.example.org/projets/${uuid}/services?x=1`, `https://x.org/p/${uuid.toUpperCase()}`])(
		'Les Communs %s',
		(url) => expect(idFromUrl(url, PROJET_URL_PATTERN)?.toLowerCase()).toBe(uuid),
	);
	test('Les Communs: a link without a UUID', () => expect(idFromUrl('https://api.example.org/projets/42', PROJET_URL_PATTERN)).toBeUndefined());

	test.each([
		['https://admin.ecal.com/schedules/5f1a2b3c4d5e6f7a8b9c0d1e/events', '5f1a2b3c4d5e6f7a8b9c0d1e'],
		['https://admin.ecal.com/#/events?calendar=5f1a2b3c4d5e6f7a8b9c0d1e', '5f1a2b3c4d5e6f7a8b9c0d1e'],
	])('ecal %s', (url, id) => expect(idFromUrl(url, CALENDAR_URL_PATTERN)).toBe(id));
	test('ecal: 23 or 25 hex characters are not an ID', () => {
		expect(idFromUrl('https://admin.ecal.com/schedules/5f1a2b3c4d5e6f7a8b9c0d1/events', CALENDAR_URL_PATTERN)).toBeUndefined();
		expect(idFromUrl('https://admin.ecal.com/schedules/5f1a2b3c4d5e6f7a8b9c0d1e0/events', CALENDAR_URL_PATTERN)).toBeUndefined();
	});

	test.each([
		['https://example.bitrix24.com/crm/type/1030/list/category/0/', 1030],
		['https://example.bitrix24.com/crm/type/31/details/5/', 31],
		['https://example.bitrix24.com/crm/deal/list/', 2],
		['https://example.bitrix24.com/crm/lead/details/12/', 1],
		['https://example.bitrix24.com/crm/contact/', 3],
		['https://b24.example.org/crm/company/list/', 4],
		['https://b24.example.org/crm/quote/', 7],
	])('Bitrix24 entity type %s → %d', (url, id) => expect(entityTypeIdFromUrl(url)).toBe(id));
	test('Bitrix24: not a CRM list link', () => {
		expect(entityTypeIdFromUrl('https://example.bitrix24.com/company/lists/25/view/0/')).toBeUndefined();
		expect(ENTITY_TYPE_URL_PATTERN.test('https://example.bitrix24.com/crm/deals/')).toBe(false);
	});
	test.each([
		['https://example.bitrix24.com/company/lists/25/view/0/', '25'],
		['https://example.bitrix24.com/workgroups/group/5/lists/41/view/0/', '41'],
		['https://example.bitrix24.com/bizproc/processes/77/view/0/', '77'],
	])('Bitrix24 list %s → %s', (url, id) => expect(idFromUrl(url, LIST_URL_PATTERN)).toBe(id));
});

describe('reading a locator', () => {
	test('a locator or the plain value saved before it was one', () => {
		expect(locatorValue(rl('list', ' 42 '))).toEqual({ mode: 'list', value: '42' });
		expect(locatorValue(2)).toEqual({ mode: 'id', value: '2' });
		expect(locatorValue('abc')).toEqual({ mode: 'id', value: 'abc' });
		expect(locatorValue(undefined)).toEqual({ mode: 'id', value: '' });
	});

	test('Recoco project: every mode, and the old plain value', () => {
		expect(requireProjectId(context({ projectId: rl('list', '42') }), 0)).toBe(42);
		expect(requireProjectId(context({ projectId: rl('url', 'https://recoconseil.fr/project/42/overview') }), 0)).toBe(42);
		expect(requireProjectId(context({ projectId: 42 }), 0)).toBe(42);
		expect(() => requireProjectId(context({ projectId: rl('id', 'x') }), 3)).toThrow('"x" is not a Recoco project ID');
	});

	test('a By URL link the ID cannot be read from names the item and what was given', () => {
		let error: any;
		try {
			locatorIdFor(context({ calendarId: rl('url', 'https://admin.ecal.com/') }), 'calendarId', 4, {
				label: 'Calendar',
				urlPattern: CALENDAR_URL_PATTERN,
				urlExample: 'e.g.',
			});
		} catch (caught) {
			error = caught;
		}
		expect(error.message).toBe('Calendar: "https://admin.ecal.com/" is not a link the ID can be read from');
		expect(error.context.itemIndex).toBe(4);
	});

	test('ecal calendar and Les Communs projet', () => {
		expect(calendarIdFor(context({ calendarId: rl('url', 'https://admin.ecal.com/schedules/5f1a2b3c4d5e6f7a8b9c0d1e/') }), 0)).toBe('5f1a2b3c4d5e6f7a8b9c0d1e');
		expect(() => calendarIdFor(context({ calendarId: rl('list', '') }), 0)).toThrow('Choose a calendar');
		const uuid = '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55';
		expect(projetIdForItem(context({ projetId: rl('url', `https://api.example.org/projets/${uuid}`) }), 0)).toBe(uuid);
		expect(projetIdForItem(context({ projetId: uuid }), 0)).toBe(uuid);
		expect(() => projetIdForItem(context({ projetId: rl('id', '42') }), 0)).toThrow('Projet ID must be the Les Communs UUID');
	});

	test('Bitrix24 entity type and list', () => {
		expect(entityTypeIdFor(context({ entityTypeId: 2 }), 0)).toBe(2);
		expect(entityTypeIdFor(context({ entityTypeId: rl('list', '1030') }), 0)).toBe(1030);
		expect(entityTypeIdFor(context({ entityTypeId: rl('url', 'https://x.bitrix24.com/crm/deal/list/') }), 0)).toBe(2);
		expect(() => entityTypeIdFor(context({ entityTypeId: rl('id', 'deal') }), 1)).toThrow('Entity Type: "deal" is not an entityTypeId');
		expect(() => entityTypeIdFor(context({ entityTypeId: rl('url', 'https://x.bitrix24.com/crm/') }), 1)).toThrow('is not an entityTypeId');
		expect(iblockFor(context({ iblock: 'cities' }), 0)).toBe('cities');
		expect(iblockFor(context({ iblock: rl('url', 'https://x.bitrix24.com/company/lists/25/view/0/') }), 0)).toBe('25');
		expect(() => iblockFor(context({ iblock: rl('list', '') }), 0)).toThrow('List: give the list');
	});
});

describe('pageOfList', () => {
	const entries = Array.from({ length: 7 }, (_, n) => ({ name: `Item ${n}`, value: `id${n}` }));
	test('pages with a token, filters by name or exact id', () => {
		expect(pageOfList(entries, undefined, undefined, 3)).toEqual({ results: entries.slice(0, 3), paginationToken: '3' });
		expect(pageOfList(entries, undefined, '6', 3)).toEqual({ results: entries.slice(6) });
		expect(pageOfList(entries, 'item 4', undefined, 3)).toEqual({ results: [entries[4]] });
		expect(pageOfList(entries, 'ID5', undefined, 3)).toEqual({ results: [entries[5]] });
	});
});
