/* The MonCampus fake must walk a pure-HTTP client through the CAS flow (GET login form, POST it, follow the ticket redirects) and then
 * behave like Wigor when the session dies (302 to cas/login) or is rejected (200 HTML). */
const { createMonCampusFake, wigorDateTime } = require('../../fakes/moncampus.cjs');

export {};

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

type Jar = Map<string, string>;

function store(jar: Jar, response: Response) {
	for (const cookie of response.headers.getSetCookie()) {
		const [pair] = cookie.split(';');
		const index = pair.indexOf('=');
		jar.set(pair.slice(0, index), pair.slice(index + 1));
	}
}

function cookieHeader(jar: Jar) {
	return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function hiddenFields(page: string) {
	const fields: Record<string, string> = {};
	for (const match of page.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) {
		fields[match[1]] = (match[2] ?? '').replace(/&amp;/g, '&');
	}
	return fields;
}

/** What a credential's preAuthentication does: GET form, POST credentials, follow redirects by hand. */
async function login(fake: any, service: string, password = 'pw') {
	const jar: Jar = new Map();
	const loginUrl = `${fake.casLoginUrl}?service=${encodeURIComponent(service)}`;
	const form = await fetch(loginUrl, { redirect: 'manual' });
	store(jar, form);
	const hidden = hiddenFields(await form.text());
	let response = await fetch(loginUrl, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
		body: new URLSearchParams({ ...hidden, username: 'alice', password, _eventId: 'submit', geolocation: '' }),
	});
	const hops: string[] = [];
	for (let hop = 0; hop < 15 && response.status >= 300 && response.status < 400; hop += 1) {
		store(jar, response);
		const location = new URL(response.headers.get('location')!, response.url || loginUrl).toString();
		hops.push(location);
		response = await fetch(location, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
	}
	store(jar, response);
	return { jar, response, hops, hidden };
}

describe('MonCampus fake', () => {
	let fake: any;
	let service: string;

	beforeEach(async () => {
		fake = await createMonCampusFake({ username: 'alice', password: 'pw' }).start();
		service = fake.homeGetUrl('2025-09-15T00:00:00.000Z', '2025-09-21T23:59:59.000Z');
	});
	afterEach(async () => {
		await fake.stop();
	});

	test('renders Wigor times as Paris wall clock in UTC digits with the Paris offset', () => {
		expect(wigorDateTime('2025-09-16', '08:30')).toBe('2025-09-16T10:30:00+02:00');
		expect(wigorDateTime('2025-01-06', '08:30')).toBe('2025-01-06T09:30:00+01:00');
		expect(new Date(wigorDateTime('2025-09-16', '08:30')).toISOString().slice(11, 16)).toBe('08:30');
	});

	test('CAS login: hidden execution/lt, ticket redirect, Wigor cookies, then JSON timetable', async () => {
		fake.addEvents([
			{ date: '2025-09-16', startTime: '08:30', endTime: '12:00', NoCours: 7, Commentaire: 'Anglais', Salles: 'B110-S(Bâtiment B)' },
			{ date: '2025-10-01', startTime: '08:30', endTime: '12:00', NoCours: 8 },
		]);
		const { jar, response, hops, hidden } = await login(fake, service);
		expect(Object.keys(hidden)).toEqual(expect.arrayContaining(['execution', 'lt']));
		expect(hops[0]).toMatch(/\/edt\/Home\/Get\?.*ticket=ST-/);
		expect(hops[1]).toBe(service);
		expect([...jar.keys()]).toEqual(expect.arrayContaining(['TGC', 'ASP.NET_SessionId', '.DotNetCasClientAuth']));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/application\/json/);
		const body = await jsonOf(response);
		expect(body).toMatchObject({ Total: 1, AggregateResults: null, Errors: null });
		expect(body.Data[0]).toMatchObject({ NoCours: 7, Commentaire: 'Anglais', Start: '2025-09-16T10:30:00+02:00', Duree: 210 });
		for (const field of ['NoGroupe', 'Title', 'Matiere', 'NomProf', 'LibelleGroupe', 'TeamsUrl', 'IsAllDay']) {
			expect(body.Data[0]).toHaveProperty(field);
		}
	});

	test('wrong password: 401 with the login form again and no ticket', async () => {
		const { response, hops } = await login(fake, service, 'nope');
		expect(response.status).toBe(401);
		expect(hops).toEqual([]);
		expect(await response.text()).toContain('name="execution"');
	});

	test('a replayed execution restarts the flow instead of logging in', async () => {
		const form = await fetch(fake.casLoginUrl);
		const hidden = hiddenFields(await form.text());
		const post = () =>
			fetch(fake.casLoginUrl, {
				method: 'POST',
				redirect: 'manual',
				body: new URLSearchParams({ ...hidden, username: 'alice', password: 'pw' }),
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			});
		expect((await post()).status).toBe(200);
		const replay = await post();
		expect(replay.status).toBe(200);
		expect(await replay.text()).toContain('name="execution"');
		expect(replay.headers.get('set-cookie')).toBeNull();
	});

	test('expired session answers 302 to cas/login with the service; a new login works again', async () => {
		const { jar } = await login(fake, service);
		const ok = await fetch(service, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
		expect(ok.status).toBe(200);

		fake.expireSessions();
		const expired = await fetch(service, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
		expect(expired.status).toBe(302);
		const location = expired.headers.get('location')!;
		expect(location.startsWith(`${fake.casLoginUrl}?service=`)).toBe(true);
		expect(new URL(location).searchParams.get('service')).toBe(service);

		const again = await login(fake, service);
		expect(again.response.status).toBe(200);
	});

	test('a ticket is valid once; SSO with the TGC cookie issues a fresh ticket', async () => {
		const { jar, hops } = await login(fake, service);
		const replay = await fetch(hops[0], { redirect: 'manual' });
		expect(replay.status).toBe(302);
		expect(replay.headers.get('location')).toContain('/cas/login?service=');

		const sso = await fetch(`${fake.casLoginUrl}?service=${encodeURIComponent(service)}`, {
			redirect: 'manual',
			headers: { cookie: `TGC=${jar.get('TGC')}` },
		});
		expect(sso.status).toBe(302);
		expect(sso.headers.get('location')).toMatch(/ticket=ST-/);
	});

	test('HTML-instead-of-JSON mode: 200 text/html on Home/Get even with a live session', async () => {
		const { jar } = await login(fake, service);
		fake.setHtmlInsteadOfJson(true);
		const rejected = await fetch(service, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
		expect(rejected.status).toBe(200);
		expect(rejected.headers.get('content-type')).toMatch(/text\/html/);
		expect(await rejected.text()).toContain('cas/login');
	});

	test('seedRange fills weekdays deterministically and Home/Get filters by the date range; no dates → 500', async () => {
		fake.seedRange({ from: '2025-09-15', to: '2025-09-28', perDay: 2, startNoCours: 100 });
		expect(fake.events()).toHaveLength(20);
		const { jar } = await login(fake, service);
		const week = await jsonOf(await fetch(service, { headers: { cookie: cookieHeader(jar) } }));
		expect(week.Total).toBe(10);
		expect(week.Data.map((event: any) => event.NoCours)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
		const noDates = await fetch(`${fake.timetableBaseUrl}/Home/Get?sort=&group=&filter=`, {
			redirect: 'manual',
			headers: { cookie: cookieHeader(jar) },
		});
		expect(noDates.status).toBe(500);
	});

	test('demo seed covers the weeks around today', () => {
		const events = fake.seedDemo({ today: '2026-12-02' });
		expect(events.length).toBeGreaterThan(70);
		expect(events[0].Start.slice(0, 10)).toBe('2026-11-18');
	});

	test('CAS runs on its own port, as cas-p is another host than ws-edt', () => {
		expect(new URL(fake.casLoginUrl).port).not.toBe(new URL(fake.timetableBaseUrl).port);
	});

	test('loginPage mode: without a live session Home/Get answers 200 with the CAS form, posting to the CAS server', async () => {
		fake.setExpiredSessionAnswer('loginPage');
		const anonymous = await fetch(service, { redirect: 'manual' });
		expect(anonymous.status).toBe(200);
		const page = await anonymous.text();
		expect(page).toContain('name="execution"');
		expect(page).toContain(`action="${fake.casLoginUrl}?service=`);
	});

	test('sessions die after the given number of timetable answers (mid-run expiry)', async () => {
		fake.addEvents([{ date: '2025-09-16', NoCours: 1 }]);
		const { jar } = await login(fake, service);
		fake.expireSessionsAfter(2);
		const get = () => fetch(service, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
		expect((await get()).status).toBe(200);
		expect((await get()).status).toBe(200);
		expect((await get()).status).toBe(302);
	});

	test('a range cap silently returns only the first days', async () => {
		fake.seedRange({ from: '2025-09-15', to: '2025-09-28', perDay: 1, startNoCours: 1 });
		fake.setMaxRangeDays(7);
		const { jar } = await login(fake, service);
		const wide = fake.homeGetUrl('2025-09-15T00:00:00.000Z', '2025-09-28T23:59:59.000Z');
		const body = await jsonOf(await fetch(wide, { headers: { cookie: cookieHeader(jar) } }));
		expect(body.Data.map((event: any) => event.NoCours)).toEqual([1, 2, 3, 4, 5]);
	});

	test('too many wrong passwords lock the account: even the right one is refused with the locked page', async () => {
		const small = await createMonCampusFake({ username: 'alice', password: 'pw', lockAfterFailures: 2 }).start();
		try {
			for (let attempt = 0; attempt < 2; attempt += 1) expect((await login(small, service, 'nope')).response.status).toBe(401);
			const locked = await login(small, service, 'pw');
			expect(locked.response.status).toBe(401);
			expect(locked.hops).toEqual([]);
			expect(await locked.response.text()).toMatch(/verrouillé/);
			expect(small.loginAttempts()).toBe(3);
		} finally {
			await small.stop();
		}
	});

	test('DST: Wigor shows the UTC digits in the offset of that instant; the UTC digits stay the wall clock', () => {
		// Saturday before the spring change, 23:00 Paris: Wigor shows Sunday 00:00 +01:00.
		expect(wigorDateTime('2026-03-28', '23:00')).toBe('2026-03-29T00:00:00+01:00');
		expect(wigorDateTime('2026-03-29', '08:30')).toBe('2026-03-29T10:30:00+02:00');
		expect(wigorDateTime('2026-10-25', '08:30')).toBe('2026-10-25T09:30:00+01:00');
		expect(wigorDateTime('2026-10-24', '08:30')).toBe('2026-10-24T10:30:00+02:00');
	});

	test('all-day courses: IsAllDay with Start and End at midnight of the first and last day', () => {
		const [event] = fake.addEvents([{ date: '2026-03-30', endDate: '2026-03-31', allDay: true }]);
		expect(event).toMatchObject({ IsAllDay: true, Start: '2026-03-30T02:00:00+02:00', End: '2026-03-31T02:00:00+02:00' });
	});
});
