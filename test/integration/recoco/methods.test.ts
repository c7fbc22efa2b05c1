/** The Recoco project picker against the Recoco fake: DRF paging (limit/offset) and the portal's own search. */
import { RecocoApi } from '../../../credentials/RecocoApi.credentials';
import { PROJECT_PAGE_SIZE, searchProjects } from '../../../nodes/Recoco/methods/listSearch';
import { loadOptionsContext } from '../../harness/loadOptions';

const { createRecocoFake } = require('../../fakes/recoco.cjs');

let fake: any;

beforeAll(async () => {
	fake = createRecocoFake();
	await fake.start();
	fake.generateProjects(120, { startId: 1 });
	fake.seed({ projects: [{ id: 500, name: 'Réhabilitation du pont de Saint-Lô' }] });
});

afterAll(async () => {
	await fake.stop();
});

const context = () =>
	loadOptionsContext(new RecocoApi(), { url: fake.baseUrl, authMethod: 'basic', email: 'admin@recoco.test', password: 'recoco-admin-pw' });

test('pages through every project, 50 at a time, with links to the portal', async () => {
	const seen: string[] = [];
	let token: string | undefined;
	let pages = 0;
	do {
		const page = await searchProjects.call(context(), undefined, token);
		expect(page.results.length).toBeLessThanOrEqual(PROJECT_PAGE_SIZE);
		seen.push(...page.results.map((entry) => String(entry.value)));
		token = page.paginationToken as string | undefined;
		pages += 1;
	} while (token !== undefined && pages < 10);
	expect(pages).toBe(3);
	expect(new Set(seen).size).toBe(121);
	const offsets = fake.log.filter((entry: any) => entry.path === '/api/projects/').map((entry: any) => [entry.query.limit, entry.query.offset]);
	expect(offsets).toEqual([
		['50', '0'],
		['50', '50'],
		['50', '100'],
	]);
	const first = await searchProjects.call(context());
	expect(first.results[0].url).toBe(`${fake.baseUrl}/project/${first.results[0].value}/`);
});

test("searches with the portal's search parameter", async () => {
	fake.clearLog();
	const found = await searchProjects.call(context(), 'saint-lô');
	expect(found.results.map((entry) => entry.value)).toEqual(['500']);
	expect(found.results[0].name).toMatch(/^Réhabilitation du pont de Saint-Lô/);
	expect(found.paginationToken).toBeUndefined();
	expect(fake.log.map((entry: any) => entry.query.search)).toEqual(['saint-lô']);
});
