import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { Bitrix24InboundWebhookApi } from '../../../credentials/Bitrix24InboundWebhookApi.credentials';
import { EcalApi } from '../../../credentials/EcalApi.credentials';
import { GristSyncApi } from '../../../credentials/GristSyncApi.credentials';
import { HubeeApi } from '../../../credentials/HubeeApi.credentials';
import { LesCommunsApi } from '../../../credentials/LesCommunsApi.credentials';
import { MonCampusApi } from '../../../credentials/MonCampusApi.credentials';
import { RecocoApi } from '../../../credentials/RecocoApi.credentials';

/** n8n calls a function `authenticate` unbound, with the decrypted data and the node's request options. */
async function authenticate(type: ICredentialType, credentials: ICredentialDataDecryptedObject, request: IHttpRequestOptions) {
	const fn = type.authenticate as (c: ICredentialDataDecryptedObject, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
	expect(typeof fn).toBe('function');
	return await fn(credentials, request);
}

const GET = (url: string, extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({ method: 'GET', url, ...extra });

describe('authenticate puts each secret where the service expects it', () => {
	it('Recoco JWT: Bearer access token, base <portal>/api whatever form the portal URL has', async () => {
		for (const url of ['https://sosponts.recoconseil.fr', 'https://sosponts.recoconseil.fr/', 'https://sosponts.recoconseil.fr/api/']) {
			const signed = await authenticate(new RecocoApi(), { url, authMethod: 'jwt', email: 'a@b.c', password: 'pw', accessToken: 'jwt-1' }, GET('/projects/', { headers: { Accept: 'application/json' } }));
			expect(signed).toEqual({
				method: 'GET',
				url: '/projects/',
				baseURL: 'https://sosponts.recoconseil.fr/api',
				headers: { Accept: 'application/json', Authorization: 'Bearer jwt-1' },
			});
		}
	});

	it('Recoco Basic: email and password in the Authorization header', async () => {
		const signed = await authenticate(new RecocoApi(), { url: 'http://127.0.0.1:5000', authMethod: 'basic', email: 'agent@example.org', password: 'pé:ss', accessToken: '' }, GET('/projects/'));
		expect(signed.headers).toEqual({ Authorization: `Basic ${Buffer.from('agent@example.org:pé:ss').toString('base64')}` });
		expect(signed.baseURL).toBe('http://127.0.0.1:5000/api');
	});

	it('keeps a baseURL or absolute URL the node chose', async () => {
		const credentials = { url: 'https://portal.example.org', authMethod: 'jwt', accessToken: 't' };
		expect((await authenticate(new RecocoApi(), credentials, GET('/x', { baseURL: 'https://other.example.org/api' }))).baseURL).toBe('https://other.example.org/api');
		expect((await authenticate(new RecocoApi(), credentials, GET('https://portal.example.org/api/x'))).baseURL).toBeUndefined();
	});

	it('Grist: Bearer API key, base <server>/api (trailing / or /api tolerated)', async () => {
		for (const url of ['https://docs.getgrist.com', 'https://docs.getgrist.com/api', 'https://docs.getgrist.com//']) {
			const signed = await authenticate(new GristSyncApi(), { url, apiKey: 'grist-key' }, GET('/orgs'));
			expect(signed).toEqual({ method: 'GET', url: '/orgs', baseURL: 'https://docs.getgrist.com/api', headers: { Authorization: 'Bearer grist-key' } });
		}
		const team = await authenticate(new GristSyncApi(), { url: 'https://grist.example.org/o/team/', apiKey: 'k' }, GET('/docs/d1/tables'));
		expect(team.baseURL).toBe('https://grist.example.org/o/team/api');
	});

	it('Les Communs: Bearer API key, base from the environment or the custom URL', async () => {
		const prod = await authenticate(new LesCommunsApi(), { environment: 'production', apiKey: 'lc-key' }, GET('/projets'));
		expect(prod.baseURL).toBe('https://les-communs-transition-ecologique-api-prod.osc-fr1.scalingo.io');
		expect(prod.headers).toEqual({ Authorization: 'Bearer lc-key' });
		const staging = await authenticate(new LesCommunsApi(), { environment: 'staging', apiKey: 'lc-key' }, GET('/projets'));
		expect(staging.baseURL).toBe('https://les-communs-transition-ecologique-api-staging.osc-fr1.scalingo.io');
		const custom = await authenticate(new LesCommunsApi(), { environment: 'custom', url: 'http://127.0.0.1:3999/', apiKey: 'lc-key' }, GET('/projets'));
		expect(custom.baseURL).toBe('http://127.0.0.1:3999');
	});

	it('ECAL: apiKey and apiSign in the query, the secret nowhere', async () => {
		const signed = await authenticate(new EcalApi(), { url: 'http://127.0.0.1:4100/apiv2/', apiKey: 'ek', apiSecret: 'es-secret' }, GET('/calendar/'));
		expect(signed.baseURL).toBe('http://127.0.0.1:4100/apiv2');
		expect(signed.qs).toEqual({ apiKey: 'ek', apiSign: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(JSON.stringify(signed)).not.toContain('es-secret');
	});

	it('MonCampus: the session cookie, base = timetable URL', async () => {
		const signed = await authenticate(new MonCampusApi(), { casLoginUrl: 'x', timetableUrl: 'http://127.0.0.1:4200/edt/', sessionToken: 'ASP.NET_SessionId=s; .DotNetCasClientAuth=a' }, GET('/Home/Get', { disableFollowRedirect: true }));
		expect(signed).toEqual({
			method: 'GET',
			url: '/Home/Get',
			disableFollowRedirect: true,
			baseURL: 'http://127.0.0.1:4200/edt',
			headers: { Cookie: 'ASP.NET_SessionId=s; .DotNetCasClientAuth=a' },
		});
	});

	it('HubEE: Bearer token plus the three identification headers, base from the environment', async () => {
		const credentials = { environment: 'production', clientId: 'c', clientSecret: 'cs', editorName: 'Ville', applicationName: 'app', softwareVersion: '1.2.3', accessToken: 'hubee-at' };
		const signed = await authenticate(new HubeeApi(), credentials, GET('/teledossiers/v1/notifications', { headers: { editorName: 'spoofed' } }));
		expect(signed.baseURL).toBe('https://api.hubee.numerique.gouv.fr');
		expect(signed.headers).toEqual({ editorName: 'Ville', applicationName: 'app', softwareVersion: '1.2.3', Authorization: 'Bearer hubee-at' });
		const recette = await authenticate(new HubeeApi(), { ...credentials, environment: 'recette' }, GET('/x'));
		expect(recette.baseURL).toBe('https://api.basrec.hubee.numerique.gouv.fr');
		const custom = await authenticate(new HubeeApi(), { ...credentials, environment: 'custom', apiUrl: 'http://127.0.0.1:4300/' }, GET('/x'));
		expect(custom.baseURL).toBe('http://127.0.0.1:4300');
	});

	it('Bitrix24: the webhook URL becomes baseURL, always, and the node passes only <method>.json', async () => {
		const signed = await authenticate(new Bitrix24InboundWebhookApi(), { webhookSecretUrl: 'https://example.bitrix24.com/rest/1/abc123def456' }, { method: 'POST', url: 'crm.item.list.json', body: { entityTypeId: 2 }, baseURL: 'https://ignored.example.org' });
		expect(signed).toEqual({ method: 'POST', url: 'crm.item.list.json', body: { entityTypeId: 2 }, baseURL: 'https://example.bitrix24.com/rest/1/abc123def456/' });
	});

	it('Bitrix24: a malformed URL fails before any request, without echoing it', async () => {
		await expect(authenticate(new Bitrix24InboundWebhookApi(), { webhookSecretUrl: 'http://example.bitrix24.com/rest/1/leakme123/' }, GET('profile.json'))).rejects.toThrow(
			/^The Bitrix24 inbound webhook URL is not valid: it must start with https:\/\//,
		);
		await expect(authenticate(new Bitrix24InboundWebhookApi(), { webhookSecretUrl: 'http://example.bitrix24.com/rest/1/leakme123/' }, GET('profile.json'))).rejects.not.toThrow(/leakme123/);
	});
});
