import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { HubeeApi } from '../../../credentials/HubeeApi.credentials';
import { MonCampusApi } from '../../../credentials/MonCampusApi.credentials';
import { RecocoApi } from '../../../credentials/RecocoApi.credentials';
import { CookieJar, parseHiddenInputs } from '../../../nodes/MonCampus/transport/casLogin';

type Handler = (options: IHttpRequestOptions) => unknown;

/** The cut-down `this` n8n gives preAuthentication: helpers.httpRequest only. */
function helperWith(handler: Handler) {
	const calls: IHttpRequestOptions[] = [];
	const context: IHttpRequestHelper = {
		helpers: {
			httpRequest: (async (options: IHttpRequestOptions) => {
				calls.push(options);
				return handler(options);
			}) as unknown as IHttpRequestHelper['helpers']['httpRequest'],
		},
	};
	return { context, calls };
}

async function preAuthenticate(
	type: { preAuthentication?: (this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) => Promise<IDataObject> },
	context: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
) {
	return await type.preAuthentication!.call(context, credentials);
}

function httpError(status: number): Error {
	return Object.assign(new Error(`Request failed with status code ${status}`), { response: { status } });
}

describe('Recoco preAuthentication', () => {
	const credentials = {
		url: 'https://sosponts.recoconseil.fr/api/',
		authMethod: 'jwt',
		email: 'agent@example.org',
		password: 'pw-Recoco-1',
		accessToken: '',
	};

	it('posts email and password to <portal>/api/token/ and returns the access token as accessToken', async () => {
		const { context, calls } = helperWith(() => ({ access: 'jwt-access-1', refresh: 'jwt-refresh-1' }));
		await expect(preAuthenticate(new RecocoApi(), context, credentials)).resolves.toEqual({ accessToken: 'jwt-access-1' });
		expect(calls).toEqual([
			{
				method: 'POST',
				url: 'https://sosponts.recoconseil.fr/api/token/',
				body: { username: 'agent@example.org', password: 'pw-Recoco-1' },
				json: true,
			},
		]);
	});

	it('makes no call in Basic mode', async () => {
		const { context, calls } = helperWith(() => ({}));
		await expect(preAuthenticate(new RecocoApi(), context, { ...credentials, authMethod: 'basic' })).resolves.toEqual({});
		expect(calls).toHaveLength(0);
	});

	it('says the email or password is wrong on 401, without echoing them', async () => {
		const { context } = helperWith(() => {
			throw httpError(401);
		});
		const failure = preAuthenticate(new RecocoApi(), context, credentials);
		await expect(failure).rejects.toThrow('Recoco login failed (401): check the email and password for this portal');
		await expect(failure).rejects.not.toThrow(/pw-Recoco-1|agent@example.org/);
	});

	it('refuses an answer without an access token', async () => {
		const { context } = helperWith(() => ({ detail: 'odd' }));
		await expect(preAuthenticate(new RecocoApi(), context, credentials)).rejects.toThrow('without an access token');
	});
});

describe('HubEE preAuthentication', () => {
	const credentials = {
		environment: 'preprod',
		clientId: 'client-42',
		clientSecret: 's3cret/+=',
		scope: 'SI',
		editorName: 'Commune de Test',
		applicationName: 'n8n-nodes-sync-connectors',
		softwareVersion: '0.1.0',
		accessToken: '',
	};

	it('posts client credentials with Basic auth, form body and the identification headers', async () => {
		const { context, calls } = helperWith(() => ({ access_token: 'hubee-token-1', token_type: 'Bearer', expires_in: 3600 }));
		await expect(preAuthenticate(new HubeeApi(), context, credentials)).resolves.toEqual({ accessToken: 'hubee-token-1' });
		expect(calls).toHaveLength(1);
		expect(calls[0]).toEqual({
			method: 'POST',
			url: 'https://auth.bas.hubee.numerique.gouv.fr/oauth2/token',
			headers: {
				Authorization: `Basic ${Buffer.from('client-42:s3cret/+=').toString('base64')}`,
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
				editorName: 'Commune de Test',
				applicationName: 'n8n-nodes-sync-connectors',
				softwareVersion: '0.1.0',
			},
			body: 'grant_type=client_credentials&scope=SI',
			json: true,
		});
	});

	it('uses the custom token URL and scope', async () => {
		const { context, calls } = helperWith(() => ({ access_token: 't' }));
		await preAuthenticate(new HubeeApi(), context, {
			...credentials,
			environment: 'custom',
			apiUrl: 'http://127.0.0.1:4010/',
			tokenUrl: 'http://127.0.0.1:4010/oauth2/token',
			scope: 'OSL',
		});
		expect(calls[0].url).toBe('http://127.0.0.1:4010/oauth2/token');
		expect(calls[0].body).toBe('grant_type=client_credentials&scope=OSL');
	});

	it('leaves out empty identification headers', async () => {
		const { context, calls } = helperWith(() => ({ access_token: 't' }));
		await preAuthenticate(new HubeeApi(), context, { ...credentials, softwareVersion: '' });
		expect(calls[0].headers).not.toHaveProperty('softwareVersion');
	});

	it('names the client credentials on 401 without echoing the secret', async () => {
		const { context } = helperWith(() => {
			throw httpError(401);
		});
		const failure = preAuthenticate(new HubeeApi(), context, credentials);
		await expect(failure).rejects.toThrow('HubEE token request failed (401): check the client ID and client secret');
		await expect(failure).rejects.not.toThrow(/s3cret/);
	});
});

describe('MonCampus preAuthentication (CAS login)', () => {
	const CAS = 'https://cas-p.wigorservices.net/cas/login';
	const EDT = 'https://ws-edt-igs.wigorservices.net';
	const credentials = { casLoginUrl: CAS, timetableUrl: `${EDT}/`, username: 'jane.doe', password: 'pw&=?é', sessionToken: '' };
	const loginForm = `<form method="post"><input type="text" name="username" value=""/>
		<input type="hidden" name="execution" value="e1s1&amp;x"/><input name="lt" type='hidden' value='LT-9'/>
		<input type="hidden" name="_eventId" value="submit"/></form>`;

	function response(statusCode: number, headers: IDataObject = {}, body: unknown = '') {
		return { statusCode, headers, body };
	}

	it('gets the form, posts the fields with the hidden inputs, follows the ticket redirect and keeps the timetable cookies', async () => {
		const { context, calls } = helperWith((options) => {
			const url = new URL(options.url);
			if (url.origin + url.pathname === CAS && options.method === 'GET') {
				return response(200, { 'set-cookie': ['JSESSIONID=cas-1; Path=/cas; HttpOnly'] }, loginForm);
			}
			if (url.origin + url.pathname === CAS && options.method === 'POST') {
				return response(302, {
					location: `${EDT}/Home/Get?sort=&group=&filter=&ticket=ST-1-abc`,
					'set-cookie': ['TGC=tgc-1; Path=/cas; Secure'],
				});
			}
			if (url.searchParams.has('ticket')) {
				return response(302, { location: '/Home/Get?sort=&group=&filter=', 'set-cookie': [
					'ASP.NET_SessionId=sess-1; path=/; HttpOnly',
					'.DotNetCasClientAuth=auth-1; path=/; HttpOnly',
				] });
			}
			return response(200, { 'content-type': 'application/json' }, { Data: [], Total: 0 });
		});

		await expect(preAuthenticate(new MonCampusApi(), context, credentials)).resolves.toEqual({
			sessionToken: 'ASP.NET_SessionId=sess-1; .DotNetCasClientAuth=auth-1',
		});

		expect(calls.map((call) => [call.method, call.url.replace(/dateDebut=[^&]*&dateFin=[^&]*/, 'DATES')])).toEqual([
			['GET', expect.stringMatching(/^https:\/\/cas-p\.wigorservices\.net\/cas\/login\?service=https%3A%2F%2Fws-edt-igs/)],
			['POST', calls[0].url],
			['GET', `${EDT}/Home/Get?sort=&group=&filter=&ticket=ST-1-abc`],
			['GET', `${EDT}/Home/Get?sort=&group=&filter=`],
		]);
		const service = new URL(calls[0].url).searchParams.get('service')!;
		expect(service).toMatch(/^https:\/\/ws-edt-igs\.wigorservices\.net\/Home\/Get\?sort=&group=&filter=&dateDebut=\d{4}-\d\d-\d\dT00:00:00\.000Z&dateFin=\d{4}-\d\d-\d\dT23:59:59\.000Z$/);
		for (const call of calls) {
			expect(call).toMatchObject({ disableFollowRedirect: true, returnFullResponse: true, ignoreHttpStatusErrors: true });
		}
		expect(calls[1].headers).toMatchObject({ 'Content-Type': 'application/x-www-form-urlencoded', Cookie: 'JSESSIONID=cas-1' });
		expect(Object.fromEntries(new URLSearchParams(String(calls[1].body)))).toEqual({
			username: 'jane.doe',
			password: 'pw&=?é',
			execution: 'e1s1&x',
			lt: 'LT-9',
			_eventId: 'submit',
			geolocation: '',
		});
		// CAS cookies stay on the CAS host; the timetable host gets only its own.
		expect(calls[2].headers).not.toHaveProperty('Cookie');
		expect(calls[3].headers).toMatchObject({ Cookie: 'ASP.NET_SessionId=sess-1; .DotNetCasClientAuth=auth-1' });
	});

	it.each([
		['the form again (200)', 200],
		['401', 401],
	])('fails clearly when CAS answers %s to the login, without echoing the password', async (_label, status) => {
		const { context } = helperWith((options) =>
			options.method === 'GET' ? response(200, {}, loginForm) : response(status, {}, loginForm),
		);
		const failure = preAuthenticate(new MonCampusApi(), context, credentials);
		await expect(failure).rejects.toThrow('MonCampus login failed: the CAS server did not accept the username or password');
		await expect(failure).rejects.not.toThrow(/pw&=/);
	});

	it('fails when the redirects never hand a ticket to the timetable server', async () => {
		const { context } = helperWith((options) =>
			options.method === 'GET' && options.url.startsWith(CAS)
				? response(200, {}, loginForm)
				: options.method === 'POST'
					? response(302, { location: 'https://elsewhere.example.org/' })
					: response(200, {}, 'hello'),
		);
		await expect(preAuthenticate(new MonCampusApi(), context, credentials)).rejects.toThrow('did not hand a ticket');
	});

	it('stops after 15 redirects', async () => {
		const { context, calls } = helperWith((options) =>
			options.method === 'GET' && options.url.startsWith(CAS)
				? response(200, {}, loginForm)
				: response(302, { location: `${EDT}/loop?ticket=ST-x` }),
		);
		await expect(preAuthenticate(new MonCampusApi(), context, credentials)).rejects.toThrow('more than 15 redirects');
		expect(calls).toHaveLength(2 + 15);
	});

	it('stops when the timetable sends a fresh ticket back to CAS (it refused the session) instead of ping-ponging', async () => {
		const { context, calls } = helperWith((options) => {
			const url = new URL(options.url);
			if (url.origin + url.pathname === CAS && options.method === 'GET') return response(200, {}, loginForm);
			if (options.method === 'POST') return response(302, { location: `${EDT}/Home/Get?ticket=ST-1` });
			return response(302, {
				location: `${CAS}?service=${encodeURIComponent(`${EDT}/Home/Get`)}`,
				'set-cookie': ['.DotNetCasClientAuth=auth-1; path=/'],
			});
		});
		await expect(preAuthenticate(new MonCampusApi(), context, credentials)).resolves.toEqual({ sessionToken: '.DotNetCasClientAuth=auth-1' });
		expect(calls).toHaveLength(3);
	});

	it.each([
		['the AccountLocked page with 401', 401, '<div id="loginErrorsPanel">Ce compte a été verrouillé.</div>'],
		['423 Locked', 423, 'Locked'],
	])('names a locked account (%s) apart from a wrong password', async (_label, status, page) => {
		const { context } = helperWith((options) => (options.method === 'GET' ? response(200, {}, loginForm) : response(status, {}, page)));
		await expect(preAuthenticate(new MonCampusApi(), context, credentials)).rejects.toMatchObject({
			failure: 'locked',
			message: expect.stringContaining('the account is locked'),
		});
	});
});

describe('CAS helpers', () => {
	it('parses hidden inputs in any attribute order and quoting, decoding entities', () => {
		expect(
			parseHiddenInputs(`<input value="v1" type="hidden" name="execution"><INPUT TYPE=hidden NAME=lt VALUE=LT-1>
				<input type="text" name="username" value="x"><input type="hidden" name="q" value="a&quot;b">`),
		).toEqual({ execution: 'v1', lt: 'LT-1', q: 'a"b' });
	});

	it('keeps Domain cookies for subdomains, host-only cookies for their host, and drops expired ones', () => {
		const jar = new CookieJar();
		jar.store('https://cas-p.wigorservices.net/cas/login', [
			'shared=1; Domain=.wigorservices.net',
			'hostonly=2',
			'foreign=3; Domain=example.org',
		]);
		expect(jar.headerFor('https://ws-edt-igs.wigorservices.net/Home/Get')).toBe('shared=1');
		expect(jar.headerFor('https://cas-p.wigorservices.net/cas/login')).toBe('shared=1; hostonly=2; foreign=3');
		jar.store('https://cas-p.wigorservices.net/', ['hostonly=; Max-Age=0']);
		expect(jar.headerFor('https://cas-p.wigorservices.net/')).toBe('shared=1; foreign=3');
	});
});
