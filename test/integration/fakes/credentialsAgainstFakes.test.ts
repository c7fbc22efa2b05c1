/* The real credential types (ecalApi, monCampusApi, hubeeApi) on n8n-core's real request helpers, against the
 * fakes: proves the fakes accept exactly what the credentials send (signature bytes, CAS form and cookies, token
 * call with identification headers) and that n8n's re-authentication works on what the fakes answer when a
 * session or token dies (302 for Wigor, 401 for HubEE). */
import { type IDataObject } from 'n8n-workflow';

import { probeCredential, type ProbeRequest } from '../../harness/credentialProbe';
import type { HarnessCredential } from '../../harness/runWorkflow';

const { createEcalFake } = require('../../fakes/ecal.cjs');
const { createMonCampusFake } = require('../../fakes/moncampus.cjs');
const { createHubeeFake } = require('../../fakes/hubee.cjs');

const probe = (request: IDataObject, credentials: Record<string, HarnessCredential>) =>
	probeCredential(request as unknown as ProbeRequest, credentials);

describe('ecal credential against the ecal fake', () => {
	const fake = createEcalFake({ apiKey: 'key-1', secret: 'sécret', today: '2025-01-01' });
	let credentials: Record<string, HarnessCredential>;
	let calendarId: string;

	beforeAll(async () => {
		await fake.start();
		calendarId = fake.addCalendar({ name: 'IPI Lyon' }).id;
	});
	beforeEach(() => {
		credentials = { c: { type: 'ecalApi', data: { url: fake.apiBaseUrl, apiKey: 'key-1', apiSecret: 'sécret' } } };
	});
	afterAll(() => fake.stop());

	test('the credential test request, a signed POST with accents and a filtered list all pass the signature check', async () => {
		const test = await probe({ credentialType: 'ecalApi', url: '/calendar/' }, credentials);
		expect(test.error).toBeUndefined();

		const event = {
			name: 'Anglais – salle B110',
			location: 'B110-S(Bâtiment B)',
			calendarId,
			startDate: '2025-09-16',
			startTime: '08:30',
			endDate: '2025-09-16',
			endTime: '12:00',
			reference: 'wigor-7',
			timezone: 'Europe/Paris',
		};
		const created = await probe({ credentialType: 'ecalApi', method: 'POST', url: '/event/', body: event }, credentials);
		expect(created.error).toBeUndefined();
		expect(fake.events().map((e: IDataObject) => e.reference)).toEqual(['wigor-7']);

		const list = await probe(
			{
				credentialType: 'ecalApi',
				url: '/event/',
				qs: { calendarIds: calendarId, showPastEvents: 'true', startDate: '2025-09-01', limit: 100, page: 1 },
			},
			credentials,
		);
		expect(list.error).toBeUndefined();
		expect((list.output('Probe')[0].body as IDataObject).data).toHaveLength(1);
	});

	test('a wrong secret gets the documented 403', async () => {
		credentials.c.data.apiSecret = 'wrong';
		const run = await probe({ credentialType: 'ecalApi', url: '/calendar/' }, credentials);
		expect(run.error?.message ?? '').toMatch(/403|Forbidden/);
		expect(fake.log.at(-1).path).toBe('/apiv2/calendar/');
	});
});

describe('MonCampus credential against the MonCampus fake', () => {
	const fake = createMonCampusFake({ username: 'alice.martin', password: 'p@ss w0rd&é' });
	let credentials: Record<string, HarnessCredential>;
	const homeGet = {
		credentialType: 'monCampusApi',
		url: '/Home/Get',
		qs: { sort: '', group: '', filter: '', dateDebut: '2025-09-15T00:00:00.000Z', dateFin: '2025-09-21T23:59:59.000Z' },
		headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
		disableFollowRedirect: true,
		retry: [401, 302],
	};
	const casPosts = () => fake.requests((r: IDataObject) => r.method === 'POST' && r.path === '/cas/login').length;

	beforeAll(async () => {
		await fake.start();
		fake.addEvents([{ date: '2025-09-16', startTime: '08:30', endTime: '12:00', NoCours: 7, Commentaire: 'Anglais' }]);
	});
	beforeEach(() => {
		fake.clearLog();
		fake.setHtmlInsteadOfJson(false);
		credentials = {
			c: {
				type: 'monCampusApi',
				data: {
					casLoginUrl: fake.casLoginUrl,
					timetableUrl: fake.timetableBaseUrl,
					username: 'alice.martin',
					password: 'p@ss w0rd&é',
					sessionToken: '',
				},
			},
		};
	});
	afterAll(() => fake.stop());

	test('preAuthentication logs in through CAS and the session cookie reads the timetable', async () => {
		const run = await probe(homeGet, credentials);
		expect(run.error).toBeUndefined();
		const body = run.output('Probe')[0].body as IDataObject;
		expect(body.Total).toBe(1);
		expect(casPosts()).toBe(1);
		expect(String(credentials.c.data.sessionToken)).toContain('.DotNetCasClientAuth=');
	});

	test('an expired session (302 to cas/login) makes n8n log in again once, then succeeds', async () => {
		await probe(homeGet, credentials);
		fake.expireSessions();
		fake.clearLog();
		const run = await probe(homeGet, credentials);
		expect(run.error).toBeUndefined();
		expect(casPosts()).toBe(1);
		const timetableCalls = fake.requests((r: IDataObject) => r.path === '/edt/Home/Get' && !(r.query as IDataObject).ticket);
		expect(timetableCalls.length).toBeGreaterThanOrEqual(2);
	});

	test('a wrong password is a clear login error, and the HTML mode returns a non-JSON body', async () => {
		credentials.c.data.password = 'nope';
		const failed = await probe(homeGet, credentials);
		expect(failed.error?.message ?? failed.nodeError('Probe')?.message ?? '').toMatch(/MonCampus login failed/);

		credentials.c.data.password = 'p@ss w0rd&é';
		fake.setHtmlInsteadOfJson(true);
		const rejected = await probe(homeGet, credentials);
		expect(rejected.error).toBeUndefined();
		expect(typeof rejected.output('Probe')[0].body).toBe('string');
	});
});

describe('HubEE credential against the HubEE fake', () => {
	const fake = createHubeeFake({ clients: [{ clientId: 'cid', clientSecret: 'se:cr%et', processCodes: ['EtatCivil'] }] });
	let credentials: Record<string, HarnessCredential>;
	const notifications = {
		credentialType: 'hubeeApi',
		url: '/teledossiers/v1/notifications',
		qs: { maxResult: 1 },
	};
	const tokenCalls = () => fake.requests((r: IDataObject) => r.path === '/oauth2/token');

	beforeAll(async () => {
		await fake.start();
		fake.addCase({ processCode: 'EtatCivil', externalId: 'EC-1' });
	});
	beforeEach(() => {
		fake.clearLog();
		credentials = {
			c: {
				type: 'hubeeApi',
				data: {
					environment: 'custom',
					apiUrl: fake.apiBaseUrl,
					tokenUrl: fake.tokenUrl,
					clientId: 'cid',
					clientSecret: 'se:cr%et',
					scope: 'SI',
					editorName: 'Commune de Test',
					applicationName: 'n8n-nodes-sync-connectors',
					softwareVersion: '0.1.0',
					accessToken: '',
				},
			},
		};
	});
	afterAll(() => fake.stop());

	test('token call with Basic auth and identification headers, then the credential test request', async () => {
		const run = await probe(notifications, credentials);
		expect(run.error).toBeUndefined();
		expect(run.output('Probe')[0].body).toHaveLength(1);
		const [tokenCall] = tokenCalls();
		expect(tokenCall.headers).toMatchObject({ editorname: 'Commune de Test', softwareversion: '0.1.0' });
		expect(tokenCall.body).toEqual({ grant_type: 'client_credentials', scope: 'SI' });
	});

	test('expired tokens: the API answers 401, n8n fetches a new token once and retries', async () => {
		await probe(notifications, credentials);
		fake.expireTokens();
		const run = await probe(notifications, credentials);
		expect(run.error).toBeUndefined();
		expect(tokenCalls()).toHaveLength(2);
		const statuses = fake.requests((r: IDataObject) => r.path === '/teledossiers/v1/notifications').length;
		expect(statuses).toBe(3);
	});

	test('a wrong secret fails at the token call with the credential message', async () => {
		credentials.c.data.clientSecret = 'wrong';
		const run = await probe(notifications, credentials);
		expect(run.error?.message ?? '').toMatch(/HubEE token request failed \(401\)/);
	});
});
