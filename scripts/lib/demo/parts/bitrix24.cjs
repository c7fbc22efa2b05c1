'use strict';
/** Bitrix24 in the demo: its fake (the real portal's rate limit) seeded for the dictionaries workflow, and its two credentials. */

/**
 * Bitrix24 demo data shaped for workflows/bitrix24-dictionaries-to-mysql.json as shipped: the `cities` and
 * `violations` lists, the VIOLATION_CATEGORY reference list, smart-process 1030 objects, users. Used only while the
 * fake has no seedDemo() of its own.
 */
function seedBitrix24(fake) {
	const cities = ['Paris', 'Lyon', 'Nantes', 'Lille', 'Marseille', "L'Haÿ-les-Roses"];
	const categories = ['Voirie', 'Propreté', 'Bruit', 'Stationnement'];
	const violations = ['Dépôt sauvage', 'Nid-de-poule', 'Tag', 'Tapage nocturne', 'Stationnement gênant', 'Éclairage en panne'];
	fake.seed({
		lists: [
			{
				iblockTypeId: 'lists',
				iblockId: 31,
				iblockCode: 'cities',
				elements: cities.map((name, i) => ({ ID: String(i + 1), IBLOCK_ID: '31', NAME: name, CODE: `city-${i + 1}` })),
			},
			{
				iblockTypeId: 'lists',
				iblockId: 32,
				iblockCode: 'violations',
				elements: violations.map((name, i) => ({
					ID: String(101 + i),
					IBLOCK_ID: '32',
					NAME: name,
					CODE: `violation-${101 + i}`,
					PROPERTY_201: { [String(90101 + i)]: String((i % categories.length) + 1) },
				})),
			},
		],
		statuses: categories.map((name, i) => ({
			ID: String(i + 1),
			ENTITY_ID: 'VIOLATION_CATEGORY',
			STATUS_ID: `VC${i + 1}`,
			NAME: name,
			SORT: 10 * (i + 1),
		})),
		crmItems: {
			1030: Array.from({ length: 12 }, (_, i) => ({
				id: 501 + i,
				entityTypeId: 1030,
				title: `Objet ${501 + i}`,
				ufCrm5Address: `${i + 1} rue de la République`,
				ufCrm5CityId: (i % cities.length) + 1,
			})),
		},
		users: ['Camille Martin', 'Léa Bernard', 'Hugo Petit', 'Inès Durand'].map((full, i) => {
			const [first, last] = full.split(' ');
			return { ID: String(i + 1), ACTIVE: true, NAME: first, LAST_NAME: last, EMAIL: `${first.toLowerCase()}@demo.test`, USER_TYPE: 'employee' };
		}),
	});
}

module.exports = {
	key: 'bitrix24',
	service: { factory: 'createBitrix24Fake', port: 5707, options: { rateLimit: { rate: 2, burst: 50 } }, seed: seedBitrix24 },
	secrets: { bitrix24ApplicationToken: 'demoapplicationtoken0123456789' },
	credentials: {
		bitrix24InboundWebhookApi: {
			id: 'bitrix24Demo001',
			name: 'Bitrix24 (demo)',
			fake: 'bitrix24',
			data: ({ bitrix24 }) => ({ webhookSecretUrl: bitrix24.webhookUrl }),
		},
		bitrix24OutgoingWebhookApi: {
			id: 'bitrix24HookDem',
			name: 'Bitrix24 outgoing webhook (demo)',
			data: (_running, secrets) => ({ applicationToken: secrets.bitrix24ApplicationToken }),
		},
	},
	workflows: {
		bitrix24DictSync: {
			howTo: (workflow, { mariadb }) => [
				'      run: open it and click "Execute workflow" (Run by hand); it fills MariaDB from the Bitrix24 demo',
				mariadb
					? `      see: mysql -h 127.0.0.1 -P ${mariadb.port} -u ${mariadb.user} -p${mariadb.password} ${mariadb.database} -e 'SELECT * FROM object'`
					: '      needs MariaDB, which is not running',
			],
		},
	},
	summary: {
		data: ['Bitrix24 lists, statuses, objects and users for the dictionaries sync'],
		secrets: (secrets) => [`Bitrix24 application token "${secrets.bitrix24ApplicationToken}"`],
	},
	seedBitrix24,
};
