import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { runWorkflow, type HarnessNode } from '../../harness/runWorkflow';

const { createRecocoFake } = require('../../fakes/recoco.cjs');

const ADMIN = { email: 'admin@recoco.test', password: 'recoco-admin-pw' };

describe('Recoco node against the Recoco fake', () => {
	const fake = createRecocoFake();
	const realSleep = transportClock.sleep;
	const sleeps: number[] = [];

	beforeAll(async () => {
		await fake.start();
		transportClock.sleep = async (ms: number) => {
			sleeps.push(ms);
		};
	});
	afterAll(async () => {
		transportClock.sleep = realSleep;
		await fake.stop();
	});
	beforeEach(() => {
		fake.reset();
		sleeps.length = 0;
	});

	const credentialData = (overrides: IDataObject = {}): ICredentialDataDecryptedObject => ({
		url: fake.baseUrl,
		authMethod: 'jwt',
		...ADMIN,
		accessToken: '',
		...overrides,
	});

	const run = (
		parameters: IDataObject,
		options: { input?: IDataObject[]; credential?: ICredentialDataDecryptedObject; node?: Partial<HarnessNode> } = {},
	) =>
		runWorkflow({
			nodes: [{ name: 'Recoco', type: 'recoco', parameters, credentials: { recocoApi: 'portal' }, ...options.node }],
			connections: ['Recoco'],
			input: options.input ?? [{}],
			credentials: { portal: { type: 'recocoApi', data: options.credential ?? credentialData() } },
		});

	const requests = (method: string, path: string) =>
		fake.log.filter((entry: any) => entry.method === method && entry.path === path);

	it('gets a project, logging in once with JWT', async () => {
		fake.seed({ projects: [{ id: 42, name: 'Pôle Santé', tags: ['les-communs'], status: 'IN_PROGRESS' }] });
		const result = await run({ resource: 'project', operation: 'get', projectId: '42' });
		expect(result.error).toBeUndefined();
		expect(result.output('Recoco')).toEqual([expect.objectContaining({ id: 42, name: 'Pôle Santé', tags: ['les-communs'] })]);
		expect(requests('POST', '/api/token/')).toHaveLength(1);
		expect(requests('GET', '/api/projects/42/')[0].headers.authorization).toMatch(/^Bearer /);
		expect(result.credentials.portal.data.accessToken).toEqual(expect.any(String));
	});

	it('outputs Recoco-sync columns, with the survey answers merged in', async () => {
		fake.seed({
			projects: [{ id: 7, name: 'Friche', tags: ['a', 'b'], commune: null }],
			questions: [
				{
					id: 1,
					slug: 'a-un-terrain',
					text: 'Terrain ?',
					choices: [
						{ id: 10, text: 'Oui' },
						{ id: 11, text: 'Non' },
					],
				},
			],
			sessions: [{ id: 3, project: 7 }],
			answers: [{ id: 100, session: 3, question: 1, choices: [10], comment: 'oui, 2 ha' }],
		});
		const result = await run({
			resource: 'project',
			operation: 'get',
			projectId: '7',
			outputFormat: 'columns',
			includeSurveyAnswers: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Recoco')[0]).toMatchObject({
			object_id: 7,
			name: 'Friche',
			tags: ['a', 'b'],
			city: null,
			a_un_terrain: true,
			a_un_terrain_comment: 'oui, 2 ha',
		});
	});

	it('gets many projects with Return All across several pages, and a limit in one request', async () => {
		fake.generateProjects(1100);
		const all = await run({ resource: 'project', operation: 'getMany', returnAll: true });
		expect(all.error).toBeUndefined();
		const ids = all.output('Recoco').map((project) => project.id);
		expect(ids).toHaveLength(1100);
		expect(new Set(ids).size).toBe(1100);
		expect(requests('GET', '/api/projects/').map((entry: any) => entry.query.offset)).toEqual(['0', '500', '1000']);

		fake.clearLog();
		const some = await run({ resource: 'project', operation: 'getMany', returnAll: false, limit: 7, outputFormat: 'columns' });
		expect(some.output('Recoco')).toHaveLength(7);
		expect(some.output('Recoco')[0]).toHaveProperty('object_id');
		expect(requests('GET', '/api/projects/')).toHaveLength(1);
		expect(requests('GET', '/api/projects/')[0].query.limit).toBe('7');
	});

	it('passes the list filters as Recoco reads them', async () => {
		fake.seed({
			projects: [
				{ id: 1, name: 'Un', status: 'DONE', tags: ['x'] },
				{ id: 2, name: 'Deux', status: 'READY', tags: ['x'] },
				{ id: 3, name: 'Trois', status: 'DONE', tags: ['y'] },
			],
		});
		const result = await run({
			resource: 'project',
			operation: 'getMany',
			returnAll: true,
			filters: { tags: 'x', status: ['DONE'] },
		});
		expect(result.output('Recoco').map((project) => project.id)).toEqual([1]);
		expect(requests('GET', '/api/projects/')[0].query).toMatchObject({ tags: 'x', status: 'DONE' });
	});

	it('logs in again when the JWT has expired (403 token_not_valid) and succeeds', async () => {
		fake.seed({ projects: [{ id: 5, name: 'Cinq' }] });
		const first = await run({ resource: 'project', operation: 'get', projectId: '5' });
		expect(first.error).toBeUndefined();
		const stored = first.credentials.portal.data;

		fake.expireTokens();
		fake.clearLog();
		const second = await run({ resource: 'project', operation: 'get', projectId: '5' }, { credential: { ...stored } });
		expect(second.error).toBeUndefined();
		expect(second.output('Recoco')[0]).toMatchObject({ id: 5 });
		expect(fake.log.map((entry: any) => `${entry.method} ${entry.path}`)).toEqual([
			'GET /api/projects/5/',
			'POST /api/token/',
			'GET /api/projects/5/',
		]);
		expect(second.credentials.portal.data.accessToken).not.toBe(stored.accessToken);
	});

	it('works with Basic authentication', async () => {
		fake.seed({ projects: [{ id: 5, name: 'Cinq' }] });
		const result = await run(
			{ resource: 'project', operation: 'get', projectId: '5' },
			{ credential: credentialData({ authMethod: 'basic' }) },
		);
		expect(result.error).toBeUndefined();
		expect(requests('POST', '/api/token/')).toHaveLength(0);
		expect(requests('GET', '/api/projects/5/')[0].headers.authorization).toMatch(/^Basic /);
	});

	it('gets survey answers across several pages, flattened, with column definitions', async () => {
		const questions = Array.from({ length: 120 }, (_, i) => ({
			id: i + 1,
			slug: `question-${i + 1}`,
			text: `Question ${i + 1}`,
			choices: [],
		}));
		questions.push({
			id: 500,
			slug: 'etude-faite',
			text: 'Étude ?',
			choices: [
				{ id: 1, text: 'Oui' },
				{ id: 2, text: 'Non' },
				{ id: 3, text: 'Je ne sais pas' },
			],
		} as never);
		fake.seed({
			projects: [{ id: 9, name: 'Neuf' }],
			questions,
			sessions: [{ id: 77, project: 9 }],
			answers: [
				...questions
					.slice(0, 120)
					.map((question) => ({ id: 1000 + question.id, session: 77, question: question.id, comment: `réponse ${question.id}` })),
				{ id: 2000, session: 77, question: 500, choices: [3], comment: 'à voir' },
			],
		});
		const result = await run({
			resource: 'project',
			operation: 'getSurveyAnswers',
			projectId: '9',
			options: { includeRawAnswers: true },
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('Recoco');
		expect(item.projectId).toBe(9);
		expect(item.sessionId).toBe(77);
		const columns = item.columns as Record<string, unknown>;
		expect(Object.keys(columns)).toHaveLength(122);
		expect(columns.question_1).toBe('réponse 1');
		expect(columns.question_120).toBe('réponse 120');
		expect(columns).toMatchObject({ etude_faite: 'je ne sais pas', etude_faite_comment: 'à voir' });
		expect(item.answers).toHaveLength(121);
		const definitions = item.columnDefinitions as Array<Record<string, unknown>>;
		expect(definitions).toHaveLength(122);
		expect(definitions).toContainEqual({ colId: 'etude_faite_comment', label: 'Commentaire de Étude ?', type: 'Text' });
		expect(requests('GET', '/api/survey/sessions/77/answers/').map((entry: any) => entry.query.offset)).toEqual(['0', '100']);
	});

	it('gives a project without a survey no session and no columns', async () => {
		fake.seed({ projects: [{ id: 9, name: 'Neuf' }] });
		const result = await run({
			resource: 'project',
			operation: 'getSurveyAnswers',
			projectId: '9',
			options: { includeColumnDefinitions: false },
		});
		expect(result.output('Recoco')).toEqual([{ projectId: 9, sessionId: null, columns: {} }]);
	});

	describe('resource add-ons', () => {
		const seedTask = () =>
			fake.seed({
				projects: [{ id: 1, name: 'Un' }],
				tasks: [
					{ id: 31, project: 1, status: 1, resource: { id: 4, title: 'R', subtitle: '', tags: ['les-communs'], status: 2 } },
				],
			});
		const services = [{ id: '0196c1f0-aaaa-7bbb-8ccc-000000000001', name: 'Service A' }];

		it('creates, lists and updates an add-on', async () => {
			seedTask();
			const created = await run({
				resource: 'resourceAddon',
				operation: 'create',
				recommendation: 31,
				nature: 'lescommuns',
				data: JSON.stringify(services),
				enabled: true,
			});
			expect(created.error).toBeUndefined();
			const addon = created.output('Recoco')[0];
			expect(addon).toMatchObject({ recommendation: 31, nature: 'lescommuns', data: services, enabled: true });

			const listed = await run({
				resource: 'resourceAddon',
				operation: 'getMany',
				returnAll: true,
				filters: { recommendation: 31, nature: 'lescommuns' },
			});
			expect(listed.output('Recoco')).toEqual([addon]);

			const updated = await run({
				resource: 'resourceAddon',
				operation: 'update',
				addonId: addon.id,
				recommendation: 31,
				nature: 'lescommuns',
				data: '[]',
				enabled: false,
			});
			expect(updated.error).toBeUndefined();
			expect(updated.output('Recoco')[0]).toMatchObject({ id: addon.id, data: [], enabled: false });
			expect(requests('PUT', `/api/resource-addons/${addon.id}/`)).toHaveLength(1);
			expect(fake.resourceAddons()).toHaveLength(1);
		});

		it('re-posts a create whose POST got a 503, once the re-read shows nothing landed', async () => {
			seedTask();
			fake.setFaults({ failNext: 1, status: 503, match: 'POST /api/resource-addons/' });
			const result = await run({
				resource: 'resourceAddon',
				operation: 'create',
				recommendation: 31,
				nature: 'lescommuns',
				data: '[]',
			});
			expect(result.error).toBeUndefined();
			expect(requests('POST', '/api/resource-addons/')).toHaveLength(2);
			expect(fake.resourceAddons()).toHaveLength(1);
		});

		it('does not post twice when the POST landed but its reply was lost', async () => {
			seedTask();
			fake.setFaults({ truncateNext: 1, match: 'POST /api/resource-addons/' });
			const result = await run({
				resource: 'resourceAddon',
				operation: 'create',
				recommendation: 31,
				nature: 'lescommuns',
				data: '[]',
			});
			expect(result.error).toBeUndefined();
			expect(requests('POST', '/api/resource-addons/')).toHaveLength(1);
			expect(fake.resourceAddons()).toHaveLength(1);
			expect(result.output('Recoco')[0]).toMatchObject({ recommendation: 31, nature: 'lescommuns' });
		});

		it('reports a validation error naming the field and the item', async () => {
			fake.seed({ projects: [{ id: 1, name: 'Un' }], tasks: [{ id: 32, project: 1, status: 0, resource: null }] });
			const result = await run({
				resource: 'resourceAddon',
				operation: 'create',
				recommendation: 99,
				nature: 'lescommuns',
				data: '[]',
			});
			expect(result.error?.message).toMatch(/^Recoco answered 400: .*recommendation.* \(item 0\)$/);
		});
	});

	it('retries a GET after a 503 and succeeds', async () => {
		fake.seed({ projects: [{ id: 5, name: 'Cinq' }] });
		fake.setFaults({ failNext: 1, status: 503, match: '/api/projects/5/' });
		const result = await run({ resource: 'project', operation: 'get', projectId: '5' });
		expect(result.error).toBeUndefined();
		expect(result.output('Recoco')[0]).toMatchObject({ id: 5 });
		expect(requests('GET', '/api/projects/5/')).toHaveLength(2);
		expect(sleeps).toHaveLength(1);
	});

	it('with Continue On Fail, turns a failed item into an error item naming the cause, and goes on', async () => {
		fake.seed({ projects: [{ id: 5, name: 'Cinq' }] });
		const result = await run(
			{ resource: 'project', operation: 'get', projectId: '={{ $json.id }}' },
			{ input: [{ id: 404404 }, { id: 5 }, { id: 'abc' }], node: { continueOnFail: true } },
		);
		expect(result.error).toBeUndefined();
		expect(result.output('Recoco')).toEqual([
			{ error: 'Recoco answered 404: Not found. (item 0)' },
			expect.objectContaining({ id: 5, name: 'Cinq' }),
			{ error: '"abc" is not a Recoco project ID (item 2)' },
		]);
		expect(result.items('Recoco').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('without Continue On Fail, stops with the cause and the item', async () => {
		const result = await run({ resource: 'project', operation: 'get', projectId: '404404' });
		expect(result.error?.message).toBe('Recoco answered 404: Not found. (item 0)');
	});

	it('fails clearly when the account may not read survey questions', async () => {
		fake.seed({
			projects: [{ id: 9, name: 'Neuf', switchtenders: [{ username: 'advisor@recoco.test', email: 'advisor@recoco.test' }] }],
			sessions: [{ id: 78, project: 9 }],
		});
		const result = await run(
			{ resource: 'project', operation: 'getSurveyAnswers', projectId: '9' },
			{ credential: credentialData({ email: 'advisor@recoco.test', password: 'recoco-advisor-pw' }) },
		);
		expect(result.error?.message).toBe('Recoco answered 403: You do not have permission to perform this action. (item 0)');
		expect(requests('GET', '/api/survey/sessions/78/answers/')).toHaveLength(1);
		expect(requests('GET', '/api/survey/sessions/')).toHaveLength(1);
		// A 403 may be an expired JWT, so n8n logs in once more before giving up.
		expect(requests('GET', '/api/survey/questions/')).toHaveLength(2);
		expect(requests('POST', '/api/token/')).toHaveLength(2);
	});
});
