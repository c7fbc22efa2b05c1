/* The ecal fake must refuse exactly what ECAL refuses: these vectors were computed with `md5sum` over the
 * documented string secret + sorted key/value pairs + raw body, independently of the fake's own code. */
const { createEcalFake, ecalSignature } = require('../../fakes/ecal.cjs');

export {};

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

const SECRET = 's3cret';
const KEY = 'k1';
const EVENT_BODY =
	'{"name":"Café","location":"B110","startDate":"2030-09-16","startTime":"08:30","endDate":"2030-09-16","endTime":"12:00"}';

function url(fake: any, path: string, params: Record<string, string>) {
	return `${fake.apiBaseUrl}${path}?${new URLSearchParams(params)}`;
}

describe('ecal fake', () => {
	let fake: any;

	beforeEach(async () => {
		fake = await createEcalFake({ apiKey: KEY, secret: SECRET, today: '2030-01-01' }).start();
	});
	afterEach(async () => {
		await fake.stop();
	});

	test('signature helper matches hand-computed md5 vectors', () => {
		expect(ecalSignature(SECRET, { showPastEvents: 'true', page: '2', apiKey: KEY })).toBe(
			'829ffdd2f84bfb42d6e88b760b45fb1f',
		);
		expect(ecalSignature(SECRET, { apiKey: KEY, apiSign: 'ignored' }, EVENT_BODY)).toBe(
			'28b97cd7bb085d226f427df33872f856',
		);
	});

	test('accepts a GET signed by hand and refuses a wrong signature or key with 403', async () => {
		fake.addEvent({ name: 'A', location: 'B1', startDate: '2030-02-01', startTime: '08:00', endDate: '2030-02-01', endTime: '09:00' });
		const good = await fetch(
			url(fake, '/event', { apiKey: KEY, page: '1', showPastEvents: 'true', apiSign: '' }).replace(
				'apiSign=',
				'apiSign=' + ecalSignature(SECRET, { apiKey: KEY, page: '1', showPastEvents: 'true' }),
			),
		);
		expect(good.status).toBe(200);
		expect((await jsonOf(good)).data).toHaveLength(1);

		// the hand-computed vector for page 2: accepted (and page 2 is past the end, so 204)
		const handVector = await fetch(url(fake, '/event', { apiKey: KEY, page: '2', showPastEvents: 'true', apiSign: '829ffdd2f84bfb42d6e88b760b45fb1f' }));
		expect(handVector.status).toBe(204);
		const tampered = await fetch(url(fake, '/event', { apiKey: KEY, page: '3', showPastEvents: 'true', apiSign: '829ffdd2f84bfb42d6e88b760b45fb1f' }));
		expect(tampered.status).toBe(403);
		expect(await jsonOf(tampered)).toEqual({ status: '403', statusLong: 'API signature does not match' });

		const wrongKey = await fetch(url(fake, '/event', { apiKey: 'other', apiSign: ecalSignature(SECRET, { apiKey: 'other' }) }));
		expect(wrongKey.status).toBe(403);
		expect((await jsonOf(wrongKey)).statusLong).toMatch(/inactive\/expired\/non-existent/);
	});

	test('POST is signed over the raw body bytes (UTF-8), and a re-serialised body is refused', async () => {
		const apiSign = '28b97cd7bb085d226f427df33872f856';
		const created = await fetch(url(fake, '/event', { apiKey: KEY, apiSign }), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: EVENT_BODY,
		});
		expect(created.status).toBe(200);
		const { data } = await jsonOf(created);
		expect(data).toMatchObject({ name: 'Café', location: 'B110' });
		expect(data.id).toMatch(/^[0-9a-f]{24}$/);

		const spaced = await fetch(url(fake, '/event', { apiKey: KEY, apiSign }), {
			method: 'POST',
			body: JSON.stringify(JSON.parse(EVENT_BODY), null, 1),
		});
		expect(spaced.status).toBe(403);
		expect(fake.events()).toHaveLength(1);
	});

	test('lists page by page, then 204; hides past events unless showPastEvents=true; filters by calendarIds and dates', async () => {
		const calendar = fake.addCalendar({ name: 'Cours' });
		const other = fake.addCalendar({ name: 'Autre' });
		for (let day = 1; day <= 25; day += 1) {
			const date = `2030-03-${String(day).padStart(2, '0')}`;
			fake.addEvent({ name: `E${day}`, location: 'L', startDate: date, startTime: '08:00', endDate: date, endTime: '09:00', calendarId: calendar.id });
		}
		fake.addEvent({ name: 'old', location: 'L', startDate: '2029-12-01', startTime: '08:00', endDate: '2029-12-01', endTime: '09:00', calendarId: calendar.id });
		fake.addEvent({ name: 'foreign', location: 'L', startDate: '2030-03-02', startTime: '08:00', endDate: '2030-03-02', endTime: '09:00', calendarId: other.id });

		const pages: number[] = [];
		for (let page = 1; ; page += 1) {
			const response = await fetch(fake.signedUrl('/event', { calendarIds: calendar.id, limit: '10', page: String(page) }));
			if (response.status === 204) {
				expect(await response.text()).toBe('');
				break;
			}
			pages.push((await jsonOf(response)).data.length);
		}
		expect(pages).toEqual([10, 10, 5]);

		const withPast = await jsonOf(await fetch(fake.signedUrl('/event', { calendarIds: calendar.id, showPastEvents: 'true' })));
		expect(withPast.data).toHaveLength(26);
		const window = await jsonOf(await fetch(fake.signedUrl('/event', { startDate: '2030-03-02', endDate: '2030-03-03' })));
		expect(window.data.map((event: any) => event.name).sort()).toEqual(['E2', 'E3', 'foreign']);
	});

	test('create validates fields, 409 on a duplicate reference; update and delete by id or reference; 404 when gone', async () => {
		const base = { name: 'X', startDate: '2030-05-01', startTime: '10:00', endDate: '2030-05-01', endTime: '11:00' };
		const post = (body: object) => {
			const raw = JSON.stringify(body);
			return fetch(fake.signedUrl('/event', {}, raw), { method: 'POST', body: raw });
		};
		const missingLocation = await post(base);
		expect(missingLocation.status).toBe(400);
		expect((await jsonOf(missingLocation)).statusLong).toMatch(/location is required/);
		expect((await post({ ...base, location: 'L', reference: 'wigor-1' })).status).toBe(200);
		expect((await post({ ...base, location: 'L', reference: 'wigor-1' })).status).toBe(409);

		const change = JSON.stringify({ location: 'B210' });
		const put = await fetch(fake.signedUrl('/event/wigor-1', {}, change), { method: 'PUT', body: change });
		expect(put.status).toBe(200);
		expect((await jsonOf(put)).data.location).toBe('B210');

		const id = fake.events()[0].id;
		expect((await fetch(fake.signedUrl(`/event/${id}`), { method: 'DELETE' })).status).toBe(200);
		const gone = await fetch(fake.signedUrl(`/event/${id}`));
		expect(gone.status).toBe(404);
		expect((await jsonOf(gone)).status).toBe('404');
	});

	test("takenReference 'accept': a second event under a taken reference is stored; GET by reference finds the first", async () => {
		const lax = await createEcalFake({ apiKey: KEY, secret: SECRET, today: '2030-01-01', takenReference: 'accept' }).start();
		try {
			const raw = JSON.stringify({ name: 'X', location: 'L', reference: 'wigor-1', startDate: '2030-05-01', startTime: '10:00', endDate: '2030-05-01', endTime: '11:00' });
			const first = await jsonOf(await fetch(lax.signedUrl('/event', {}, raw), { method: 'POST', body: raw }));
			const second = await fetch(lax.signedUrl('/event', {}, raw), { method: 'POST', body: raw });
			expect(second.status).toBe(200);
			expect(lax.events().map((event: any) => event.reference)).toEqual(['wigor-1', 'wigor-1']);
			expect((await jsonOf(await fetch(lax.signedUrl('/event/wigor-1')))).data.id).toBe(first.data.id);
		} finally {
			await lax.stop();
		}
	});

	test('calendars: create validates name/type/categories, get by reference', async () => {
		const raw = '{"name":"Calendar1","type":"fixture","categories":"Education"}';
		const sign = ecalSignature(SECRET, { aaa: 'Green', apiKey: KEY }, raw);
		expect(sign).toBe('ea8923ef1d5b5438491c296cfcbb539b');
		const created = await fetch(url(fake, '/calendar', { apiKey: KEY, aaa: 'Green', apiSign: sign }), { method: 'POST', body: raw });
		expect(created.status).toBe(200);
		const bad = JSON.stringify({ name: 'C', type: 'other' });
		expect((await fetch(fake.signedUrl('/calendar', {}, bad), { method: 'POST', body: bad })).status).toBe(400);
		const ref = JSON.stringify({ name: 'Ref', type: 'fixture', categories: 'Education', reference: 'ipi-1' });
		await fetch(fake.signedUrl('/calendar', {}, ref), { method: 'POST', body: ref });
		const byRef = await fetch(fake.signedUrl('/calendar/ipi-1'));
		expect((await jsonOf(byRef)).data.name).toBe('Ref');
	});

	test('demo seed: a calendar for the sync and a foreign one, reachable through /__fake/seed', async () => {
		await fetch(`${fake.baseUrl}/__fake/seed`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ demo: true }),
		});
		const calendars = await jsonOf(await fetch(fake.signedUrl('/calendar/')));
		expect(calendars.data.map((calendar: any) => calendar.reference)).toEqual(['demo-ipi-g1', 'demo-bde']);
	});
	test('faults: 429 carries Retry-After; a lost reply still applies the POST; a rate-limit bucket answers 429 + Retry-After', async () => {
		fake.rateLimitNext(1, 3, 'GET /apiv2/event');
		const limited = await fetch(fake.signedUrl('/event/', { showPastEvents: 'true' }));
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('3');
		expect((await fetch(fake.signedUrl('/event/', { showPastEvents: 'true' }))).status).toBe(204);

		fake.loseNextReply();
		const raw = JSON.stringify({ name: 'X', location: 'L', startDate: '2030-05-01', startTime: '10:00', endDate: '2030-05-01', endTime: '11:00', reference: 'r-1' });
		await expect(fetch(fake.signedUrl('/event/', {}, raw), { method: 'POST', body: raw }).then((response) => response.json())).rejects.toThrow();
		expect(fake.events().map((event: any) => event.reference)).toEqual(['r-1']);
		expect((await fetch(fake.signedUrl('/event/', {}, raw), { method: 'POST', body: raw })).status).toBe(409);

		fake.setFaults({ rateLimit: { rate: 1, burst: 1 } });
		expect((await fetch(fake.signedUrl('/calendar/'))).status).toBe(204);
		const bucket = await fetch(fake.signedUrl('/calendar/'));
		expect(bucket.status).toBe(429);
		expect(bucket.headers.get('retry-after')).toBe('1');
	});
});
