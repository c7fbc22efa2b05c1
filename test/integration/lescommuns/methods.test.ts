/** The Les Communs projet picker against the fake: GET /projets answers every projet, the picker filters and pages. */
import { LesCommunsApi } from '../../../credentials/LesCommunsApi.credentials';
import { PROJET_PAGE_SIZE, searchProjets } from '../../../nodes/LesCommuns/methods/listSearch';
import { loadOptionsContext } from '../../harness/loadOptions';

const { createLesCommunsFake } = require('../../fakes/lescommuns.cjs');

let fake: any;

beforeAll(async () => {
	fake = createLesCommunsFake();
	await fake.start();
	const projets = [];
	for (let n = 1; n <= 70; n++) {
		projets.push({ nom: `Projet ${String(n).padStart(2, '0')}`, externalId: String(n), collectivites: [{ type: 'Commune', code: '69123' }] });
	}
	projets.push({ nom: 'Piste cyclable des Berges', externalId: '900', collectivites: [{ type: 'Commune', code: '69123' }] });
	fake.seed({ projets });
});

afterAll(async () => {
	await fake.stop();
});

const context = () => loadOptionsContext(new LesCommunsApi(), { environment: 'custom', url: fake.baseUrl, apiKey: fake.apiKey });

test('pages the projets, sorted by name, each page from one GET /projets', async () => {
	fake.clearLog();
	const first = await searchProjets.call(context());
	expect(first.results).toHaveLength(PROJET_PAGE_SIZE);
	expect(first.paginationToken).toBe(String(PROJET_PAGE_SIZE));
	const second = await searchProjets.call(context(), undefined, first.paginationToken as string);
	expect(second.results).toHaveLength(71 - PROJET_PAGE_SIZE);
	expect(second.paginationToken).toBeUndefined();
	const names = [...first.results, ...second.results].map((entry) => entry.name);
	expect(names[0]).toMatch(/^Piste cyclable des Berges/);
	expect(new Set([...first.results, ...second.results].map((entry) => entry.value)).size).toBe(71);
	expect(fake.log.map((entry: any) => `${entry.method} ${entry.path}`)).toEqual(['GET /projets', 'GET /projets']);
});

test('filters by name, and finds a projet by its UUID', async () => {
	const byName = await searchProjets.call(context(), 'cyclable');
	expect(byName.results).toHaveLength(1);
	const uuid = String(byName.results[0].value);
	expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
	const byId = await searchProjets.call(context(), uuid);
	expect(byId.results.map((entry) => entry.value)).toEqual([uuid]);
});
