/* The Recoco, Grist and Bitrix24 credential types on n8n-core's real httpRequestWithAuthentication, against the
 * fakes: the credential `test` requests, where each secret goes, and n8n's re-login when Recoco answers 403
 * `token_not_valid` for an expired JWT — which happens only if the node passes preAuthenticationRetryStatusCode
 * [401, 403]. */
import { type ICredentialType, type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import { Bitrix24InboundWebhookApi } from '../../../credentials/Bitrix24InboundWebhookApi.credentials';
import { GristSyncApi } from '../../../credentials/GristSyncApi.credentials';
import { RecocoApi } from '../../../credentials/RecocoApi.credentials';
import { probeCredential, type ProbeRequest } from '../../harness/credentialProbe';
import type { HarnessCredential } from '../../harness/runWorkflow';

const { createRecocoFake } = require('../../fakes/recoco.cjs');
const { createGristFake } = require('../../fakes/grist.cjs');
const { createBitrix24Fake } = require('../../fakes/bitrix24.cjs');

const probe = (request: IDataObject, credentials: Record<string, HarnessCredential>) =>
	probeCredential(request as unknown as ProbeRequest, credentials);

/** The credential's own `test` request, sent as n8n's credential test does (relative URL, no baseURL). */
function testRequestOf(type: ICredentialType, credentialType: string): IDataObject {
	const request = type.test!.request as IHttpRequestOptions;
	return { credentialType, method: request.method, url: request.url, qs: request.qs };
}

function errorText(run: Awaited<ReturnType<typeof probe>>): string {
	return run.error?.message ?? run.nodeError('Probe')?.message ?? '';
}

describe('Recoco credential against the Recoco fake', () => {
	const fake = createRecocoFake();
	const tokenPosts = () => fake.requests((r: IDataObject) => r.method === 'POST' && r.path === '/api/token/').length;
	let credentials: Record<string, HarnessCredential>;

	beforeAll(async () => {
		await fake.start();
	});
	beforeEach(() => {
		fake.clearLog();
		credentials = {
			c: {
				type: 'recocoApi',
				data: { url: `${fake.baseUrl}/api/`, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' },
			},
		};
	});
	afterAll(() => fake.stop());

	test('JWT: the test request logs in once, sends the Bearer token and keeps it in the credential', async () => {
		const run = await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		expect(errorText(run)).toBe('');
		expect(run.output('Probe')[0].body).toMatchObject({ count: expect.any(Number), results: expect.any(Array) });
		expect(tokenPosts()).toBe(1);
		const token = String(credentials.c.data.accessToken);
		expect(token.split('.')).toHaveLength(3);
		const projectCall = fake.requests((r: IDataObject) => r.path === '/api/projects/').at(-1);
		expect(projectCall.headers.authorization).toBe(`Bearer ${token}`);

		// The stored token is reused: no second login.
		await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		expect(tokenPosts()).toBe(1);
	});

	test('JWT: an expired token gets 403 token_not_valid; with [401, 403] n8n logs in again once and succeeds', async () => {
		await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		const expired = String(credentials.c.data.accessToken);
		fake.expireTokens();
		fake.clearLog();
		const run = await probe({ ...testRequestOf(new RecocoApi(), 'recocoApi'), retry: [401, 403] }, credentials);
		expect(errorText(run)).toBe('');
		expect(tokenPosts()).toBe(1);
		const renewed = String(credentials.c.data.accessToken);
		expect(renewed).not.toBe(expired);
		expect(fake.requests((r: IDataObject) => r.path === '/api/projects/').map((r: { headers: Record<string, string> }) => r.headers.authorization)).toEqual([
			`Bearer ${expired}`,
			`Bearer ${renewed}`,
		]);
	});

	test('JWT: without 403 among the retry codes the expired token is a plain failure (why nodes pass [401, 403])', async () => {
		await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		fake.expireTokens();
		fake.clearLog();
		const run = await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		expect(errorText(run)).not.toBe('');
		expect(tokenPosts()).toBe(0);
	});

	test('JWT: a wrong password fails at the login with the credential message', async () => {
		credentials.c.data.password = 'not-the-password';
		const run = await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		expect(errorText(run)).toMatch(/Recoco login failed \(401\): check the email and password/);
		expect(errorText(run)).not.toContain('not-the-password');
	});

	test('Basic: no login call, the portal accepts the Basic header; a wrong password is a 403', async () => {
		credentials.c.data = { ...credentials.c.data, url: fake.baseUrl, authMethod: 'basic' };
		const run = await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		expect(errorText(run)).toBe('');
		expect(tokenPosts()).toBe(0);

		credentials.c.data.password = 'not-the-password';
		const refused = await probe(testRequestOf(new RecocoApi(), 'recocoApi'), credentials);
		expect(errorText(refused)).toMatch(/403|Forbidden/);
	});
});

describe('Grist Sync credential against the Grist fake', () => {
	const fake = createGristFake({ apiKey: 'grist-it-key' });
	beforeAll(async () => {
		await fake.start();
	});
	afterAll(() => fake.stop());

	test('the test request (GET /api/orgs) passes with the key and fails without it, whatever the URL form', async () => {
		for (const url of [fake.baseUrl, `${fake.baseUrl}/`, `${fake.baseUrl}/api`]) {
			const run = await probe(testRequestOf(new GristSyncApi(), 'gristSyncApi'), { c: { type: 'gristSyncApi', data: { url, apiKey: 'grist-it-key' } } });
			expect(errorText(run)).toBe('');
			expect(Array.isArray(run.output('Probe')[0].body)).toBe(true);
		}
		const refused = await probe(testRequestOf(new GristSyncApi(), 'gristSyncApi'), {
			c: { type: 'gristSyncApi', data: { url: fake.baseUrl, apiKey: 'wrong-key' } },
		});
		expect(errorText(refused)).toMatch(/401|Unauthorized|Authorization failed/i);
	});
});

describe('Bitrix24 inbound webhook credential against the Bitrix24 fake', () => {
	const fake = createBitrix24Fake({ userId: 3, code: 'itwebhookcode0001', rateLimit: null });
	beforeAll(async () => {
		await fake.start();
	});
	afterAll(() => fake.stop());

	test('the node passes only <method>.json; the webhook URL from the credential is the base', async () => {
		expect((new Bitrix24InboundWebhookApi().test!.request as IHttpRequestOptions).url).toBe('profile.json');
		fake.clearLog();
		const run = await probe({ credentialType: 'bitrix24InboundWebhookApi', method: 'POST', url: 'user.get.json', body: { start: 0 } }, {
			c: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: fake.webhookUrl.replace(/\/$/, '') } },
		});
		expect(errorText(run)).toBe('');
		expect(run.output('Probe')[0].body).toHaveProperty('result');
		expect(fake.log.at(-1).path).toBe('/rest/3/itwebhookcode0001/user.get.json');
	});

	test('a wrong webhook code is refused by the portal; a malformed URL never leaves n8n', async () => {
		const wrong = await probe({ credentialType: 'bitrix24InboundWebhookApi', method: 'POST', url: 'user.get.json', body: {} }, {
			c: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: `${fake.baseUrl}/rest/3/wrongcode9999/` } },
		});
		expect(errorText(wrong)).toMatch(/401|Unauthorized|Authorization failed|NO_AUTH_FOUND/i);

		fake.clearLog();
		const malformed = await probe({ credentialType: 'bitrix24InboundWebhookApi', method: 'POST', url: 'user.get.json', body: {} }, {
			c: { type: 'bitrix24InboundWebhookApi', data: { webhookSecretUrl: 'http://portal.example.org/rest/3/itwebhookcode0001/' } },
		});
		expect(errorText(malformed)).toMatch(/The Bitrix24 inbound webhook URL is not valid/);
		expect(errorText(malformed)).not.toContain('itwebhookcode0001');
		expect(fake.log).toHaveLength(0);
	});
});
