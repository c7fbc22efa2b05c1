/* The Recoco fake must answer like a Recoco portal (DRF + SimpleJWT): 403 token_not_valid for an expired JWT,
 * 401 only on the token endpoints, LimitOffset pages with absolute next links built from the Host header. */
import * as http from 'node:http';

const { createRecocoFake } = require('../../fakes/recoco.cjs');

export {};

const ADMIN = { username: 'admin@recoco.test', password: 'recoco-admin-pw' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('recoco fake', () => {
	let fake: any;

	async function call(method: string, path: string, { auth, body }: { auth?: string; body?: unknown } = {}) {
		const response = await fetch(path.startsWith('http') ? path : `${fake.baseUrl}${path}`, {
			method,
			redirect: 'manual',
			headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
	}

	async function login(credentials = ADMIN) {
		const response = await call('POST', '/api/token/', { body: credentials });
		expect(response.status).toBe(200);
		return response.body as { access: string; refresh: string };
	}

	beforeEach(async () => {
		fake = await createRecocoFake().start();
		fake.generateProjects(120);
		fake.seed({
			questions: [{ id: 1, text: 'Budget ?', slug: 'a-un-budget', choices: [{ id: 11, value: 'oui', text: 'Oui', conclusion: '' }] }],
			sessions: [{ id: 7, project: 3 }],
			answers: [{ id: 70, session: 7, question: 1, choices: [11], comment: 'voté' }],
			tasks: [
				{ id: 31, project: 3, status: 1, resource: { id: 5, title: 'Les communs', subtitle: '', tags: ['les-communs'], status: 2 } },
				{ id: 32, project: 3, status: 0, resource: null },
			],
		});
	});
	afterEach(async () => {
		await fake.stop();
	});

	test('JWT: expired access → 403 token_not_valid, refresh gives a working access; token endpoints answer 401', async () => {
		const { access, refresh } = await login();
		expect((await call('GET', '/api/projects/1/', { auth: `Bearer ${access}` })).status).toBe(200);
		fake.expireTokens();
		const expired = await call('GET', '/api/projects/1/', { auth: `Bearer ${access}` });
		expect(expired.status).toBe(403);
		expect(expired.body).toMatchObject({ detail: 'Given token not valid for any token type', code: 'token_not_valid' });
		expect((await call('GET', '/api/projects/1/', { auth: 'Bearer garbage' })).body.code).toBe('token_not_valid');

		const refreshed = await call('POST', '/api/token/refresh/', { body: { refresh } });
		expect(refreshed.status).toBe(200);
		expect((await call('GET', '/api/projects/1/', { auth: `Bearer ${refreshed.body.access}` })).status).toBe(200);

		expect(await call('POST', '/api/token/', { body: { ...ADMIN, password: 'wrong' } })).toMatchObject({
			status: 401,
			body: { detail: 'No active account found with the given credentials' },
		});
		expect((await call('POST', '/api/token/', { body: { username: ADMIN.username } })).body).toEqual({ password: ['This field is required.'] });
		fake.expireTokens({ refresh: true });
		expect(await call('POST', '/api/token/refresh/', { body: { refresh } })).toMatchObject({
			status: 401,
			body: { detail: 'Token is invalid or expired', code: 'token_not_valid' },
		});
	});

	test('access tokens expire after the configured lifetime', async () => {
		const shortLived = await createRecocoFake({ accessTokenLifetimeSec: 0 }).start();
		try {
			shortLived.generateProjects(1);
			const { access } = shortLived.issueTokens(ADMIN.username);
			const response = await fetch(`${shortLived.baseUrl}/api/projects/1/`, { headers: { authorization: `Bearer ${access}` } });
			expect(response.status).toBe(403);
		} finally {
			await shortLived.stop();
		}
	});

	test('Basic auth works; bad or missing credentials are 403, not 401', async () => {
		expect((await call('GET', '/api/projects/', { auth: basic(ADMIN.username, ADMIN.password) })).body.count).toBe(120);
		expect(await call('GET', '/api/projects/', { auth: basic(ADMIN.username, 'nope') })).toMatchObject({
			status: 403,
			body: { detail: 'Invalid username/password.' },
		});
		expect(await call('GET', '/api/projects/')).toMatchObject({
			status: 403,
			body: { detail: 'Authentication credentials were not provided.' },
		});
	});

	test('projects paging: default 50, max 1000, absolute next links to follow until null', async () => {
		const auth = basic(ADMIN.username, ADMIN.password);
		const first = await call('GET', '/api/projects/', { auth });
		expect(first.body.results).toHaveLength(50);
		expect(first.body.next).toBe(`${fake.baseUrl}/api/projects/?limit=50&offset=50`);
		expect(first.body.previous).toBeNull();
		const seen: number[] = [];
		let url: string | null = `${fake.baseUrl}/api/projects/?limit=40&status=DONE&status=READY&status=DRAFT&status=TO_PROCESS&status=IN_PROGRESS&status=STUCK&status=REJECTED`;
		let pages = 0;
		while (url) {
			const page: any = await call('GET', url, { auth });
			seen.push(...page.body.results.map((project: any) => project.id));
			if (pages === 1) expect(page.body.previous).toMatch(/\?limit=40&status=/);
			url = page.body.next;
			pages += 1;
		}
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(120);
		expect(seen[0]).toBe(120);

		fake.generateProjects(1000);
		const capped = await call('GET', '/api/projects/?limit=5000', { auth });
		expect(capped.body.results).toHaveLength(1000);
		expect(capped.body.next).toBe(`${fake.baseUrl}/api/projects/?limit=1000&offset=1000`);
		expect((await call('GET', '/api/projects/?limit=0&offset=1100', { auth })).body.results).toHaveLength(20);
	});

	test('next links use the Host the request came in on', async () => {
		const body = await new Promise<any>((resolve, reject) => {
			const request = http.get(
				`${fake.baseUrl}/api/projects/?limit=10`,
				{ headers: { host: 'sosponts.recoconseil.test', authorization: basic(ADMIN.username, ADMIN.password) } },
				(response) => {
					let text = '';
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => resolve(JSON.parse(text)));
				},
			);
			request.on('error', reject);
		});
		expect(body.next).toBe('http://sosponts.recoconseil.test/api/projects/?limit=10&offset=10');
	});

	test('project detail, 404, trailing-slash redirect, survey sessions/answers and staff-only questions', async () => {
		const auth = basic(ADMIN.username, ADMIN.password);
		const project = await call('GET', '/api/projects/3/', { auth });
		expect(project.body).toMatchObject({ id: 3, commune: { insee: expect.any(String) }, status: expect.any(String) });
		expect(await call('GET', '/api/projects/999/', { auth })).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
		const redirect = await call('GET', '/api/projects/3', { auth });
		expect(redirect.status).toBe(301);
		expect(redirect.headers.get('location')).toBe('/api/projects/3/');

		const sessions = await call('GET', '/api/survey/sessions/?project_id=3', { auth });
		expect(sessions.body).toEqual({ count: 1, next: null, previous: null, results: [{ id: 7, survey: 1, project: 3 }] });
		expect((await call('GET', '/api/survey/sessions/?project_id=999', { auth })).status).toBe(400);
		const answers = await call('GET', '/api/survey/sessions/7/answers/', { auth });
		expect(answers.body.results[0]).toMatchObject({
			id: 70,
			project: 3,
			question: { slug: 'a-un-budget' },
			choices: [{ id: 11, text: 'Oui' }],
			comment: 'voté',
		});
		expect((await call('GET', '/api/survey/questions/?limit=500', { auth })).body.count).toBe(1);
		expect(await call('GET', '/api/survey/questions/', { auth: basic('advisor@recoco.test', 'recoco-advisor-pw') })).toMatchObject({
			status: 403,
			body: { detail: 'You do not have permission to perform this action.' },
		});
		expect((await call('GET', '/api/projects/3/tasks/', { auth })).body.map((task: any) => task.id)).toEqual([31, 32]);
	});

	test('resource add-ons: manage_resources required, POST validates the task and its resource, filters and PUT', async () => {
		const auth = basic(ADMIN.username, ADMIN.password);
		expect((await call('GET', '/api/resource-addons/', { auth: basic('advisor@recoco.test', 'recoco-advisor-pw') })).status).toBe(403);
		const created = await call('POST', '/api/resource-addons/', {
			auth,
			body: { recommendation: 31, nature: 'lescommuns', data: [{ id: 'uuid', name: 'Service' }], enabled: true },
		});
		expect(created).toMatchObject({ status: 201, body: { id: 1, recommendation: 31, nature: 'lescommuns', enabled: true } });
		expect((await call('POST', '/api/resource-addons/', { auth, body: { recommendation: 32, nature: 'lescommuns' } })).body).toEqual([
			'Recommendation must be linked to a resource.',
		]);
		expect((await call('POST', '/api/resource-addons/', { auth, body: { recommendation: 99 } })).body).toEqual({
			nature: ['This field is required.'],
			recommendation: ['Invalid pk "99" - object does not exist.'],
		});
		const found = await call('GET', '/api/resource-addons/?recommendation=31&nature=lescommuns', { auth });
		expect(found.body.count).toBe(1);
		expect((await call('GET', '/api/resource-addons/?recommendation=31&nature=other', { auth })).body.count).toBe(0);
		const updated = await call('PUT', '/api/resource-addons/1/', { auth, body: { recommendation: 31, nature: 'lescommuns', data: [] } });
		expect(updated.body).toEqual({ id: 1, nature: 'lescommuns', recommendation: 31, data: [], enabled: true });
		expect((await call('PATCH', '/api/resource-addons/1/', { auth, body: { enabled: false } })).body.enabled).toBe(false);
	});

	test('demo seed over HTTP: projects, survey and a task whose resource carries the les-communs tag', async () => {
		const demo = await createRecocoFake().start();
		try {
			await fetch(`${demo.baseUrl}/__fake/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"demo":true}' });
			const auth = basic(ADMIN.username, ADMIN.password);
			const projects: any = await (await fetch(`${demo.baseUrl}/api/projects/`, { headers: { authorization: auth } })).json();
			expect(projects.count).toBe(12);
			expect(projects.results.find((project: any) => project.id === 12).commune).toBeNull();
			expect(demo.webhookObject('tasks.Task', 501).resource.tags).toContain('les-communs');
		} finally {
			await demo.stop();
		}
	});

	test('webhook objects have the shapes Recoco sends', () => {
		expect(fake.webhookEvent('tasks.Task/update', 31)).toEqual({
			topic: 'tasks.Task/update',
			object: { id: 31, status: 1, resource: { id: 5, title: 'Les communs', subtitle: '', tags: ['les-communs'], status: 2 }, project: 3 },
			object_type: 'tasks.Task',
			webhook_uuid: expect.any(String),
		});
		expect(fake.webhookObject('projects.Project', 3)).toMatchObject({ id: 3, advisors_note: null });
		expect(fake.webhookObject('survey.Answer', 70)).toMatchObject({ id: 70, project: 3, session: 7 });
		expect(fake.webhookObject('home.UserProfile', 1)).toEqual({ id: 1, email: 'admin@recoco.test', projects: [] });
	});
});
