import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { servicesClock } from '../../../nodes/LesCommuns/helpers/servicesPolling';
import { runWorkflow, type HarnessNode } from '../../harness/runWorkflow';

const { createLesCommunsFake } = require('../../fakes/lescommuns.cjs');

const API_KEY = 'lescommuns-it-key-7f3a9c';

const service = (name: string) => ({
	id: `0195a3f2-6c1e-7a4b-9d2f-${name
		.padStart(12, '0')
		.slice(-12)
		.replace(/[^0-9a-f]/g, 'a')}`,
	name: `Service ${name}`,
	description: `About ${name}`,
	sousTitre: `Sous-titre ${name}`,
	redirectionUrl: `https://services.example.org/${name}`,
	logoUrl: `https://services.example.org/${name}.png`,
	extraFields: [{ name: 'contact', label: 'Contact' }],
	isListed: true,
	redirectionLabel: null,
	iframeUrl: null,
	extendLabel: null,
});

const projet = (externalId: string, overrides: IDataObject = {}): IDataObject => ({
	nom: `Projet ${externalId}`,
	description: 'Rénovation énergétique de l’école',
	externalId,
	collectivites: [{ type: 'Commune', code: '44109' }],
	phase: 'Idée',
	phaseStatut: 'En cours',
	...overrides,
});

let fake: any;
let sleeps: number[];
let serviceWaits: number[];
const originalSleep = transportClock.sleep;
const originalServicesSleep = servicesClock.sleep;

beforeEach(async () => {
	// A fresh fake per test: a new port is a new API host, so the process-wide rate buckets start empty too.
	fake = createLesCommunsFake({ apiKeys: { [API_KEY]: 'Recoco' } });
	await fake.start();
	sleeps = [];
	serviceWaits = [];
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
	};
	servicesClock.sleep = async (ms: number) => {
		serviceWaits.push(ms);
	};
});

afterEach(async () => {
	transportClock.sleep = originalSleep;
	servicesClock.sleep = originalServicesSleep;
	await fake.stop();
});

function lesCommunsNode(parameters: IDataObject, extra: Partial<HarnessNode> = {}): HarnessNode {
	return { name: 'Les Communs', type: 'lesCommuns', parameters, credentials: { lesCommunsApi: 'lc' }, ...extra };
}

async function run(
	parameters: IDataObject,
	input: IDataObject[],
	options: { apiKey?: string; continueOnFail?: boolean } = {},
) {
	return await runWorkflow({
		nodes: [lesCommunsNode(parameters, { continueOnFail: options.continueOnFail })],
		connections: ['Les Communs'],
		input,
		credentials: {
			lc: {
				type: 'lesCommunsApi',
				data: { environment: 'custom', url: fake.baseUrl, apiKey: options.apiKey ?? API_KEY },
			},
		},
	});
}

const upsertJson = {
	resource: 'project',
	operation: 'upsert',
	inputMode: 'json',
	projetJson: '={{ $json.projet }}',
};

describe('Project: Create or Update', () => {
	it('creates, then updates the same projet for the same externalId: one projet, one id', async () => {
		const first = await run(upsertJson, [{ projet: projet('1234') }]);
		expect(first.error).toBeUndefined();
		const [{ id }] = first.output('Les Communs');
		expect(id).toMatch(/^[0-9a-f-]{36}$/);

		const second = await run(upsertJson, [
			{ projet: projet('1234', { nom: 'Projet renommé', phaseStatut: 'Terminé' }) },
		]);
		expect(second.error).toBeUndefined();
		expect(second.output('Les Communs')).toEqual([{ id, externalId: '1234' }]);

		expect(fake.projets()).toHaveLength(1);
		expect(fake.projetByExternalId('1234')).toMatchObject({ id, nom: 'Projet renommé', phaseStatut: 'Terminé' });
		const posts = fake.requests((request: any) => request.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(posts[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('takes the projet from the Define Below fields', async () => {
		const result = await run(
			{
				resource: 'project',
				operation: 'upsert',
				inputMode: 'defineBelow',
				externalId: '={{ String($json.recocoId) }}',
				nom: '={{ $json.name }}',
				collectivites: { collectivite: [{ type: 'Commune', code: '2A004' }] },
				additionalFields: {
					phase: 'Étude',
					dateDebutPrevisionnelle: '2024-03-01',
					porteur: { details: { referentEmail: 'camille@example.org', referentNom: 'Martin' } },
				},
			},
			[{ recocoId: 77, name: 'Piste cyclable' }],
		);
		expect(result.error).toBeUndefined();
		expect(fake.requests((request: any) => request.method === 'POST')[0].body).toEqual({
			externalId: '77',
			nom: 'Piste cyclable',
			collectivites: [{ type: 'Commune', code: '2A004' }],
			phase: 'Étude',
			dateDebutPrevisionnelle: '2024-03-01',
			porteur: { referentEmail: 'camille@example.org', referentNom: 'Martin' },
		});
		expect(fake.projetByExternalId('77')).toMatchObject({
			nom: 'Piste cyclable',
			phase: 'Étude',
			phaseStatut: 'En cours',
		});
	});

	it('stops a projet the API would refuse before any request, naming the item and every field', async () => {
		const result = await run(upsertJson, [
			{ projet: projet('1') },
			{
				projet: projet('2', {
					collectivites: [{ type: 'Commune', code: '4410' }],
					tags: ['les-communs'],
					phase: undefined,
				}),
			},
		]);
		expect(result.error?.message).toBe(
			'Les Communs would refuse the projet: tags: unknown property (Les Communs accepts only nom, description, porteur, budgetPrevisionnel, dateDebutPrevisionnelle, phase, phaseStatut, programme, collectivites, competences, leviers, classificationThematiques, classificationSites, classificationInterventions, probabiliteTE, classificationScores, externalId); collectivites[0].code: "4410" is not a commune INSEE code (5 digits, or 2A/2B then 3 digits); phaseStatut: cannot be sent without a phase (item 1)',
		);
		// Item 0 went out before item 1 failed; item 1 never did.
		expect(fake.requests((request: any) => request.method === 'POST')).toHaveLength(1);
	});

	it('refuses a body over 100 kB locally (the real API answers an opaque 500 for it)', async () => {
		const result = await run(upsertJson, [{ projet: projet('8', { description: 'é'.repeat(60_000) }) }]);
		expect(result.error?.message).toMatch(
			/^Les Communs would refuse the projet: description: makes the body \d+ bytes, over Les Communs' limit of 102400 bytes \(100 kB\) \(item 0\)$/,
		);
		expect(fake.log).toHaveLength(0);
	});

	it('fails the item when the API answers without a projet id', async () => {
		fake.setFaults({ failNext: 1, status: 201, match: 'POST /projets', body: {} });
		const result = await run(upsertJson, [{ projet: projet('9') }]);
		expect(result.error?.message).toBe('Les Communs answered without a projet id (item 0)');
	});

	it('with Continue On Fail, reports the bad item and pushes the good ones, each paired with its input', async () => {
		const result = await run(
			upsertJson,
			[{ projet: projet('1') }, { projet: projet('2', { collectivites: [] }) }, { projet: projet('3') }],
			{ continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('Les Communs');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json).toEqual({
			error:
				'Les Communs would refuse the projet: collectivites: must name at least one commune or EPCI (Les Communs refuses an empty list) (item 1)',
		});
		expect(
			fake
				.projets()
				.map((stored: any) => stored.recocoId)
				.sort(),
		).toEqual(['1', '3']);
	});

	it("surfaces the API's own 400 message for what only the API can know", async () => {
		await fake.stop();
		fake = createLesCommunsFake({ apiKeys: { [API_KEY]: 'Recoco' }, unknownInseeCodes: ['99999'] });
		await fake.start();
		const result = await run(upsertJson, [
			{ projet: projet('5', { collectivites: [{ type: 'Commune', code: '99999' }] }) },
		]);
		expect(result.error?.message).toBe(
			'Les Communs answered 400: Cannot find a corresponding Commune for this code 99999 (item 0)',
		);
	});

	it("surfaces the API's whitelist message (a NestJS message array) as the API wrote it", async () => {
		fake.setFaults({
			failNext: 1,
			status: 400,
			match: 'POST /projets',
			body: {
				statusCode: 400,
				message: ['property recocoId should not exist', 'nom should not be empty'],
				error: 'Bad Request',
			},
		});
		const result = await run(upsertJson, [{ projet: projet('6') }]);
		expect(result.error?.message).toBe(
			'Les Communs answered 400: property recocoId should not exist; nom should not be empty (item 0)',
		);
		expect(sleeps).toEqual([]);
	});

	it('says clearly that the API key was refused, without leaking it', async () => {
		const wrongKey = 'wrong-key-0123456789';
		const result = await run(upsertJson, [{ projet: projet('7') }], { apiKey: wrongKey });
		expect(result.error?.message).toBe(
			'Les Communs answered 401: Invalid API key. Check the API key of the Les Communs credential (item 0)',
		);
		expect(JSON.stringify(result.run.data.resultData)).not.toContain(wrongKey);
		expect(fake.projets()).toHaveLength(0);
	});

	it('waits out a 429 for its Retry-After, then succeeds, leaving one projet', async () => {
		fake.setRateLimits({ projets: 2 });
		transportClock.sleep = async (ms: number) => {
			sleeps.push(ms);
			fake.resetRateLimits(); // the throttling window has passed
		};
		const result = await run(upsertJson, [
			{ projet: projet('10') },
			{ projet: projet('11') },
			{ projet: projet('10', { nom: 'Projet 10 bis' }) },
		]);
		expect(result.error).toBeUndefined();
		const statuses = fake.requests((request: any) => request.method === 'POST').length;
		expect(statuses).toBe(4);
		expect(sleeps).toHaveLength(1);
		expect(sleeps[0]).toBeGreaterThan(0);
		expect(sleeps[0]).toBeLessThanOrEqual(60_000);
		expect(fake.projets()).toHaveLength(2);
		expect(fake.projetByExternalId('10').nom).toBe('Projet 10 bis');
		const out = result.output('Les Communs');
		expect(out[2].id).toBe(out[0].id);
	});

	it('uses the exact Retry-After the API gives', async () => {
		fake.setFaults({
			failNext: 1,
			status: 429,
			match: 'POST /projets',
			headers: { 'retry-after': '7' },
			body: { statusCode: 429, message: 'ThrottlerException: Too Many Requests' },
		});
		const result = await run(upsertJson, [{ projet: projet('12') }]);
		expect(result.error).toBeUndefined();
		expect(sleeps).toEqual([7000]);
		expect(fake.projets()).toHaveLength(1);
	});
});

describe('Project: Update and Get', () => {
	it('patches only the given fields, then reads the projet back', async () => {
		const created = await run(upsertJson, [{ projet: projet('20') }]);
		const [{ id }] = created.output('Les Communs');

		const updated = await run(
			{
				resource: 'project',
				operation: 'update',
				projetId: '={{ $json.id }}',
				inputMode: 'defineBelow',
				updateFields: { phase: 'Opération', phaseStatut: 'En pause' },
			},
			[{ id }],
		);
		expect(updated.error).toBeUndefined();
		expect(updated.output('Les Communs')).toEqual([{ id }]);
		const patch = fake.requests((request: any) => request.method === 'PATCH')[0];
		expect(patch.body).toEqual({ phase: 'Opération', phaseStatut: 'En pause' });

		const got = await run({ resource: 'project', operation: 'get', projetId: '={{ $json.id }}' }, [{ id }]);
		expect(got.error).toBeUndefined();
		expect(got.output('Les Communs')[0]).toMatchObject({
			id,
			nom: 'Projet 20',
			phase: 'Opération',
			phaseStatut: 'En pause',
			recocoId: '20',
		});
	});

	it('refuses a projet ID that is not a UUID before calling', async () => {
		const result = await run({ resource: 'project', operation: 'get', projetId: '1234' }, [{}]);
		expect(result.error?.message).toBe('Projet ID must be the Les Communs UUID of the projet, got "1234" (item 0)');
		expect(fake.log).toHaveLength(0);
	});
});

describe('Service: Get Many', () => {
	async function createdProjetId(externalId: string): Promise<string> {
		const created = await run(upsertJson, [{ projet: projet(externalId) }]);
		return created.output('Les Communs')[0].id as string;
	}

	const servicesParameters = (options: IDataObject) => ({
		resource: 'service',
		operation: 'getMany',
		projetId: '={{ $json.id }}',
		idType: 'communId',
		returnAll: true,
		options,
	});

	it('waits, finds none, re-reads and then finds the services qualified meanwhile', async () => {
		const id = await createdProjetId('30');
		fake.setProjectServices(id, []);
		servicesClock.sleep = async (ms: number) => {
			serviceWaits.push(ms);
			// Les Communs finishes qualifying the projet during the second wait.
			if (serviceWaits.length === 2) fake.setProjectServices(id, [service('a'), service('b')]);
		};
		const result = await run(
			servicesParameters({
				waitForServices: 60,
				reReadAttempts: 3,
				reReadInterval: 30,
				oneItem: true,
				snakeCase: true,
			}),
			[{ id }],
		);
		expect(result.error).toBeUndefined();
		expect(serviceWaits).toEqual([60_000, 30_000]);
		const [item] = result.output('Les Communs');
		expect(item).toMatchObject({ projetId: id, reads: 2 });
		expect(item.services).toEqual([
			expect.objectContaining({
				name: 'Service a',
				sous_titre: 'Sous-titre a',
				redirection_url: 'https://services.example.org/a',
			}),
			expect.objectContaining({
				name: 'Service b',
				extra_fields: [{ name: 'contact', label: 'Contact' }],
				is_listed: true,
			}),
		]);
		const reads = fake.requests((request: any) => request.path === `/services/project/${id}`);
		expect(reads).toHaveLength(2);
		expect(reads[0].query).toEqual({ idType: 'communId' });
	});

	it('outputs one item per service by default, and one item with an empty list when asked and nothing came', async () => {
		const id = await createdProjetId('31');
		fake.setProjectServices(id, [service('c'), service('d'), service('e')]);
		const perService = await run({ ...servicesParameters({}), returnAll: false, limit: 2 }, [{ id }]);
		expect(perService.output('Les Communs').map((entry) => entry.name)).toEqual(['Service c', 'Service d']);
		expect(perService.output('Les Communs')[0]).toHaveProperty('sousTitre', 'Sous-titre c');

		fake.setProjectServices(id, []);
		const empty = await run(servicesParameters({ reReadAttempts: 1, reReadInterval: 5, oneItem: true }), [{ id }]);
		expect(empty.output('Les Communs')).toEqual([{ projetId: id, services: [], reads: 2 }]);
		expect(serviceWaits).toEqual([5000]);
	});

	it('fails clearly for an unknown projet instead of waiting for services that cannot come', async () => {
		const unknown = '0195a3f2-6c1e-7a4b-9d2f-000000000000';
		const result = await run(servicesParameters({ reReadAttempts: 3, reReadInterval: 1 }), [{ id: unknown }]);
		expect(result.error?.message).toMatch(/^Les Communs answered 404: .*not found \(item 0\)$/);
		expect(serviceWaits).toEqual([]);
	});
});
