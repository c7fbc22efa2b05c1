/**
 * The Bitrix24 portal of the dictionaries → MySQL tests (regular mode: test/e2e/bitrix24-dictionaries.e2e.test.ts;
 * queue mode: test/queue/support/bitrix24-dictionaries.ts): two lists, a status list shared with another ENTITY_ID,
 * CRM items pointing at cities, violations pointing at categories, users. One definition, so that the queue test's
 * "same end state as the regular-mode first load" compares with exactly what the regular-mode test loads.
 */
export const CITIES = { iblockTypeId: 'lists', iblockId: 31, iblockCode: 'cities' };
export const VIOLATIONS = { iblockTypeId: 'lists', iblockId: 32, iblockCode: 'violations' };
export const OBJECT_TYPE = 1030;
export const CATEGORY_STATUS = 'VIOLATION_CATEGORY';
export const CATEGORY_PROPERTY = 'PROPERTY_201';
export const QUOTED_CITY = "L'Haÿ-les-Roses; \"Val-de-Marne\" \\ 94";

export const city = (id: number, name = `City ${id}`) => ({ ID: String(id), IBLOCK_ID: '31', NAME: name, CODE: `city-${id}` });
export const category = (id: number) => ({ ID: String(id), ENTITY_ID: CATEGORY_STATUS, STATUS_ID: `VC${id}`, NAME: `Category ${id}`, SORT: 10 * id });
export const object = (id: number, cityId: number, title = `Object ${id}`) => ({
	id,
	entityTypeId: OBJECT_TYPE,
	title,
	ufCrm5Address: `${id} rue de la Paix`,
	ufCrm5CityId: cityId,
});
// Bitrix24 returns list properties as {valueId: value}; the node flattens them.
export const violation = (id: number, categoryId: number) => ({
	ID: String(id),
	IBLOCK_ID: '32',
	NAME: `Violation ${id}`,
	CODE: `violation-${id}`,
	[CATEGORY_PROPERTY]: { [String(90000 + id)]: String(categoryId) },
});
export const user = (id: number, lastName = `Last${id}`) => ({
	ID: String(id),
	ACTIVE: true,
	NAME: `User${id}`,
	LAST_NAME: lastName,
	EMAIL: `user${id}@example.test`,
	USER_TYPE: 'employee',
});

export const objectCity = (id: number) => ((id - 501) % 10) + 1;
export const violationCategory = (id: number) => ((id - 101) % 4) + 1;

/** The fake's seed for the first load: 10 cities (one with a quoted name), 8 violations, 4 categories, 12 objects, 6 users. */
export function firstLoadSeed() {
	return {
		lists: [
			{ ...CITIES, elements: Array.from({ length: 10 }, (_, i) => (i === 5 ? city(6, QUOTED_CITY) : city(i + 1))) },
			{ ...VIOLATIONS, elements: Array.from({ length: 8 }, (_, i) => violation(101 + i, violationCategory(101 + i))) },
		],
		// a reference list of another ENTITY_ID shares crm.status.list: the config's filter must leave it out
		statuses: [...[1, 2, 3, 4].map(category), { ID: '50', ENTITY_ID: 'SOURCE', STATUS_ID: 'WEB', NAME: 'Website', SORT: 10 }],
		crmItems: { [OBJECT_TYPE]: Array.from({ length: 12 }, (_, i) => object(501 + i, objectCity(501 + i))) },
		users: Array.from({ length: 6 }, (_, i) => user(i + 1)),
	};
}
