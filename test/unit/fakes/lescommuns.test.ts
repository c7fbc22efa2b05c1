/* The Les Communs fake must refuse what the NestJS API refuses (whitelist validation, INSEE lookup, per-route
 * throttling, body limit) and upsert on externalId, with services that only appear once the projet is qualified. */
const { createLesCommunsFake } = require('../../fakes/lescommuns.cjs');

export {};

const KEY = 'lc-test-key';

const PROJET = {
	nom: 'Rénovation de l’école',
	description: 'Isolation et chauffage',
	collectivites: [{ type: 'Commune', code: '42218' }],
	externalId: '12',
	phase: 'Idée',
	phaseStatut: 'En cours',
	porteur: { referentEmail: 'conseil@recoco.test', referentPrenom: null, referentNom: null, codeSiret: null, referentFonction: null },
	budgetPrevisionnel: null,
	dateDebutPrevisionnelle: '2025-01-15',
	programme: null,
	competences: [],
	leviers: [],
};

describe('les communs fake', () => {
	let fake: any;

	async function call(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${KEY}`) {
		const response = await fetch(`${fake.baseUrl}${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
	}

	beforeEach(async () => {
		fake = await createLesCommunsFake({ apiKeys: [KEY], servicesDelayMs: 60000 }).start();
	});
	afterEach(async () => {
		await fake.stop();
	});

	test('Bearer API key: wrong key or header format → 401 with the NestJS body', async () => {
		expect(await call('POST', '/projets', PROJET, 'Bearer nope')).toMatchObject({
			status: 401,
			body: { statusCode: 401, message: 'Invalid API key', error: 'Unauthorized' },
		});
		expect((await call('GET', '/projets', undefined, `Basic ${KEY}`)).body.message).toBe('Invalid authorization header format');
		expect((await call('GET', '/nowhere')).body).toEqual({ statusCode: 404, message: 'Cannot GET /nowhere', error: 'Not Found' });
	});

	test('POST /projets is an upsert on externalId: same id back, porteur rewritten with nulls when absent', async () => {
		const created = await call('POST', '/projets', PROJET);
		expect(created.status).toBe(201);
		const { id } = created.body;
		const again = await call('POST', '/projets', { ...PROJET, nom: 'Nouveau nom', porteur: undefined, phaseStatut: undefined });
		expect(again.body).toEqual({ id });
		expect(fake.projets()).toHaveLength(1);
		const stored = (await call('GET', `/projets/${id}`)).body;
		expect(stored).toMatchObject({
			id,
			nom: 'Nouveau nom',
			recocoId: '12',
			phase: 'Idée',
			phaseStatut: 'En cours',
			porteur: { referentEmail: null, referentPrenom: null, codeSiret: null },
			collectivites: [{ type: 'Commune', codeInsee: '42218' }],
		});
		expect(fake.projetByExternalId('12').id).toBe(id);

		expect((await call('PATCH', `/projets/${id}`, { phase: 'Étude', phaseStatut: 'En pause' })).body).toEqual({ id });
		expect(fake.projetByExternalId('12')).toMatchObject({ nom: 'Nouveau nom', phase: 'Étude', phaseStatut: 'En pause' });
		expect((await call('GET', '/projets/not-a-uuid')).body).toEqual({ statusCode: 400, message: ['id must be a UUID'], error: 'Bad Request' });
		expect((await call('PATCH', '/projets/0191f3a2-7c1e-7a3b-9c4d-5e6f7a8b9cff', { nom: 'x' })).status).toBe(404);
	});

	test('ValidationPipe: unknown properties, empty collectivités, phases, phaseStatut without phase → 400 with messages', async () => {
		const invalid = await call('POST', '/projets', {
			...PROJET,
			tags: ['les-communs'],
			collectivites: [],
			phase: undefined,
			porteur: { referentEmail: 'a@b.fr', firstname: 'Jean' },
		});
		expect(invalid.status).toBe(400);
		expect(invalid.body.error).toBe('Bad Request');
		expect(invalid.body.message).toEqual(
			expect.arrayContaining([
				'property tags should not exist',
				'porteur.property firstname should not exist',
				'At least one commune insee code must be provided',
				'Cannot specify phaseStatut without a phase',
			]),
		);
		const phases = await call('POST', '/projets', { ...PROJET, phase: 'Idee', collectivites: [{ type: 'Region', code: '84' }], nom: '' });
		expect(phases.body.message).toEqual(
			expect.arrayContaining([
				'phase must be one of the following values: Idée, Étude, Opération',
				'collectivites.0.type must be one of the following values: Commune, EPCI',
				'nom should not be empty',
			]),
		);
		expect((await call('POST', '/projets', { nom: 'x', collectivites: [{ type: 'Commune', code: '42218' }] })).body.message).toEqual([
			'externalId should not be empty',
			'externalId must be a string',
		]);
		expect(await call('POST', '/projets', { ...PROJET, collectivites: [{ type: 'Commune', code: '4221' }] })).toMatchObject({
			status: 400,
			body: { statusCode: 400, message: 'Cannot find a corresponding Commune for this code 4221', error: 'Bad Request' },
		});
		expect((await call('POST', '/projets', { ...PROJET, collectivites: [{ type: 'Commune', code: '2A004' }] })).status).toBe(201);
		expect(fake.projets()).toHaveLength(1);
	});

	test('services appear only once the projet is qualified; the route is public; unknown ids 404 or 400', async () => {
		const { id } = (await call('POST', '/projets', PROJET)).body;
		expect(await call('GET', `/services/project/${id}`, undefined, null)).toMatchObject({ status: 200, body: [] });
		fake.setServicesDelay(0);
		const services = await call('GET', `/services/project/${id}?idType=communId`, undefined, null);
		expect(services.body.length).toBeGreaterThan(0);
		expect(Object.keys(services.body[0]).sort()).toEqual(
			['description', 'extendLabel', 'extraFields', 'iframeUrl', 'id', 'isListed', 'logoUrl', 'name', 'redirectionLabel', 'redirectionUrl', 'sousTitre'].sort(),
		);
		fake.setProjectServices(id, [{ name: 'Seul service' }]);
		expect((await call('GET', `/services/project/${id}`)).body.map((service: any) => service.name)).toEqual(['Seul service']);
		expect((await call('GET', '/services/project/0191f3a2-7c1e-7a3b-9c4d-5e6f7a8b9cff?idType=communId')).status).toBe(404);
		expect((await call('GET', '/services/project/abc?idType=communId')).body.message).toBe('ID invalide : doit être un UUID valide');
	});

	test('throttling per route and IP: over the limit → 429 with Retry-After; other routes keep their own count', async () => {
		fake.setRateLimits({ projets: 3, other: 2 });
		for (let i = 0; i < 3; i += 1) {
			const ok = await call('POST', '/projets', PROJET);
			expect(ok.status).toBe(201);
			expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
		}
		const limited = await call('POST', '/projets', PROJET);
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({ statusCode: 429, message: 'ThrottlerException: Too Many Requests' });
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		const { id } = fake.projetByExternalId('12');
		expect((await call('GET', `/projets/${id}`)).status).toBe(200);
		expect((await call('GET', `/services/project/${id}`)).status).toBe(200);
		expect((await call('GET', `/services/project/${id}`)).status).toBe(200);
		expect((await call('GET', `/services/project/${id}`)).status).toBe(429);
		fake.resetRateLimits();
		expect((await call('POST', '/projets', PROJET)).status).toBe(201);
	});

	test('seeding over HTTP: projets keep their ids, qualified ones serve services at once', async () => {
		const id = '0191f3a2-7c1e-7a3b-9c4d-5e6f7a8b9caa';
		await fetch(`${fake.baseUrl}/__fake/seed`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ projets: [{ ...PROJET, id, qualified: true }], services: [{ name: 'Ajouté' }] }),
		});
		expect(fake.projetByExternalId('12').id).toBe(id);
		const names = (await call('GET', `/services/project/${id}`)).body.map((service: any) => service.name);
		expect(names).toContain('Ajouté');
		expect(names.length).toBeGreaterThan(1);
	});

	test('bodies over 100 kB fail before validation: 500 as upstream reports, or 413 when asked', async () => {
		const big = JSON.stringify({ ...PROJET, description: 'x'.repeat(100 * 1024) });
		const failed = await call('POST', '/projets', big);
		expect(failed.status).toBe(500);
		expect(failed.body).toMatchObject({ statusCode: 500, message: 'Internal server error', path: '/projets' });
		expect(fake.projets()).toHaveLength(0);
		const strict = await createLesCommunsFake({ apiKeys: [KEY], bodyTooLargeStatus: 413 }).start();
		try {
			const response = await fetch(`${strict.baseUrl}/projets`, {
				method: 'POST',
				headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
				body: big,
			});
			expect(response.status).toBe(413);
		} finally {
			await strict.stop();
		}
	});
});
