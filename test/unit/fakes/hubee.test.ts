/* The HubEE fake must enforce what an SI client has to get right: the token call with Basic auth and the
 * identification headers, token expiry (401), the case status order, the two-phase event ack, and digests. */
import { createHash, randomUUID } from 'node:crypto';

const { createHubeeFake, HUBEE_CASE_TRANSITIONS } = require('../../fakes/hubee.cjs');

const jsonOf = (response: Response): Promise<any> => response.json() as Promise<any>;

const IDENTIFICATION = { editorName: 'Commune de Test', applicationName: 'n8n-nodes-sync-connectors', softwareVersion: '0.1.0' };
const CLIENT = { clientId: 'cid-etatcivil', clientSecret: 's3cret', processCodes: ['EtatCivil'] };

describe('HubEE fake', () => {
	let fake: any;

	beforeEach(async () => {
		fake = await createHubeeFake({
			clients: [
				CLIENT,
				{ clientId: 'cid-rsa', clientSecret: 'other', processCodes: ['RSAFIM'] },
				{ clientId: 'cid-osl', clientSecret: 'osl', scopes: ['OSL'] },
			],
		}).start();
	});
	afterEach(async () => {
		await fake.stop();
	});

	function tokenRequest(headers: Record<string, string>, clientId = CLIENT.clientId, secret = CLIENT.clientSecret, scope = 'SI') {
		return fetch(fake.tokenUrl, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
				'content-type': 'application/x-www-form-urlencoded',
				...headers,
			},
			body: `grant_type=client_credentials&scope=${scope}`,
		});
	}

	async function token(clientId = CLIENT.clientId, secret = CLIENT.clientSecret, scope = 'SI') {
		const response = await tokenRequest(IDENTIFICATION, clientId, secret, scope);
		expect(response.status).toBe(200);
		return (await jsonOf(response)).access_token as string;
	}

	function api(accessToken: string, path: string, init: RequestInit = {}) {
		return fetch(`${fake.apiBaseUrl}/teledossiers/v1${path}`, {
			...init,
			headers: { authorization: `Bearer ${accessToken}`, ...IDENTIFICATION, ...(init.headers as object) },
		});
	}

	function postEvent(accessToken: string, caseId: string, body: object) {
		return api(accessToken, `/cases/${caseId}/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	}

	test('token call needs the identification headers, Basic auth and the SI scope', async () => {
		const noHeaders = await tokenRequest({});
		expect(noHeaders.status).toBe(400);
		const error = await jsonOf(noHeaders);
		expect(error.errors[0].code).toBe(400);
		expect(error.errors[0].message).toMatch(/editorName.*applicationName.*softwareVersion/s);

		const tooLong = await tokenRequest({ ...IDENTIFICATION, editorName: 'x'.repeat(51) });
		expect(tooLong.status).toBe(400);

		const badSecret = await tokenRequest(IDENTIFICATION, CLIENT.clientId, 'wrong');
		expect(badSecret.status).toBe(401);
		expect(await jsonOf(badSecret)).toMatchObject({ error: 'invalid_client' });

		const good = await jsonOf(await tokenRequest(IDENTIFICATION));
		expect(good).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'SI' });
		expect(fake.requests((r: any) => r.path === '/oauth2/token').at(-1).body).toEqual({
			grant_type: 'client_credentials',
			scope: 'SI',
		});
	});

	test('API calls: 401 without token, after expireTokens() and after the hour; identification headers required', async () => {
		const accessToken = await token();
		expect((await api(accessToken, '/notifications?maxResult=1')).status).toBe(200);
		expect((await fetch(`${fake.apiBaseUrl}/teledossiers/v1/notifications`, { headers: IDENTIFICATION })).status).toBe(401);
		const noIdentification = await fetch(`${fake.apiBaseUrl}/teledossiers/v1/notifications`, {
			headers: { authorization: `Bearer ${accessToken}` },
		});
		expect(noIdentification.status).toBe(400);

		fake.expireTokens();
		const expired = await api(accessToken, '/notifications');
		expect(expired.status).toBe(401);
		expect((await jsonOf(expired)).errors[0]).toMatchObject({ code: 401 });

		const fresh = await token();
		fake.advanceClock(3600 * 1000);
		expect((await api(fresh, '/notifications')).status).toBe(401);
	});

	test('notifications: bare array in batches of maxResult, eventDetails, scoped to the démarche; DELETE acks', async () => {
		for (let i = 0; i < 30; i += 1) fake.addCase({ processCode: 'EtatCivil', externalId: `EC-${i}` });
		fake.addCase({ processCode: 'RSAFIM' });
		const accessToken = await token();

		const first = await jsonOf(await api(accessToken, '/notifications?maxResult=25&eventDetails=true'));
		expect(Array.isArray(first)).toBe(true);
		expect(first).toHaveLength(25);
		expect(first[0]).toMatchObject({ processCode: 'EtatCivil', eventId: null, eventActionType: null, eventStatus: null });
		const plain = await jsonOf(await api(accessToken, '/notifications'));
		expect(plain).toHaveLength(25);
		expect(plain[0]).not.toHaveProperty('eventStatus');

		for (const notification of first) {
			expect((await api(accessToken, `/notifications/${notification.id}`, { method: 'DELETE' })).status).toBe(204);
		}
		expect(await jsonOf(await api(accessToken, '/notifications?maxResult=25'))).toHaveLength(5);
		expect((await api(accessToken, `/notifications/${first[0].id}`, { method: 'DELETE' })).status).toBe(404);
		const invalid = await api(accessToken, '/notifications?maxResult=abc');
		expect(invalid.status).toBe(400);
		expect((await jsonOf(invalid)).errors[0].message).toMatch(/query\.maxResult/);
		expect((await api(accessToken, '/notifications/not-a-uuid', { method: 'DELETE' })).status).toBe(400);
	});

	test('case, attachment download with a SHA-256 digest, other démarche 403, unknown 404', async () => {
		const pdf = Buffer.from('%PDF-1.4 acte de naissance');
		const { case: theCase } = fake.addCase({
			processCode: 'EtatCivil',
			externalId: 'EC-42',
			attachments: [{ fileName: 'acte.pdf', type: 'EC_Acte', mimeType: 'application/pdf', content: pdf }],
		});
		const accessToken = await token();
		const body = await jsonOf(await api(accessToken, `/cases/${theCase.id}`));
		expect(body).toMatchObject({ id: theCase.id, status: 'HUBEE_NOTIFIED', externalId: 'EC-42', processCode: 'EtatCivil' });
		expect(body.attachments[0]).toMatchObject({ fileName: 'acte.pdf', status: 'RECEIVED', size: pdf.length });
		expect(body).not.toHaveProperty('statusHistory');

		const file = await api(accessToken, `/cases/${theCase.id}/attachments/${body.attachments[0].id}`);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('application/octet-stream');
		const bytes = Buffer.from(await file.arrayBuffer());
		expect(bytes.equals(pdf)).toBe(true);
		expect(file.headers.get('digest')).toBe(createHash('sha256').update(pdf).digest('base64'));

		const rsaToken = await token('cid-rsa', 'other');
		const forbidden = await api(rsaToken, `/cases/${theCase.id}`);
		expect(forbidden.status).toBe(403);
		expect((await jsonOf(forbidden)).errors[0].message).toBe('Unauthorized user');
		const unknown = await api(accessToken, `/cases/${randomUUID()}`);
		expect(unknown.status).toBe(404);
		expect((await jsonOf(unknown)).errors[0].message).toBe('Case is not found');
		expect((await api(accessToken, `/folders/${theCase.folderId}`)).status).toBe(403);
	});

	test('status transitions: forward order accepted, regressions and skipped intermediates refused with 400', async () => {
		const { case: theCase } = fake.addCase({ processCode: 'EtatCivil' });
		const accessToken = await token();
		const status = (caseNewStatus: string, extra = {}) =>
			postEvent(accessToken, theCase.id, { actionType: 'STATUS_UPDATE', author: 'Mairie', notification: true, caseNewStatus, ...extra });

		const tooEarly = await status('DONE');
		expect(tooEarly.status).toBe(400);
		expect((await jsonOf(tooEarly)).errors[0].message).toMatch(/invalid case status transition HUBEE_NOTIFIED -> DONE/);

		const received = await status('SI_RECEIVED', { caseCurrentStatus: 'HUBEE_NOTIFIED' });
		expect(received.status).toBe(201);
		expect(await jsonOf(received)).toMatchObject({ actionType: 'STATUS_UPDATE', status: 'SENT', caseNewStatus: 'SI_RECEIVED' });
		expect((await status('DONE', { caseCurrentStatus: 'HUBEE_NOTIFIED' })).status).toBe(400);
		expect((await status('DONE')).status).toBe(201);
		expect(fake.getCase(theCase.id).status).toBe('DONE');
		expect((await status('IN_PROGRESS')).status).toBe(400);
		expect((await status('DONE')).status).toBe(400);
		expect((await status('CLOSED')).status).toBe(400);
		expect((await status('SI_INTG_ERROR')).status).toBe(201);
		expect(fake.oslNotifications()).toHaveLength(3);
		expect(HUBEE_CASE_TRANSITIONS.ADD_AWAITING).toEqual(['IN_PROGRESS']);
	});

	test('SI_INTG_ERROR is refused before SI_RECEIVED, as the contract says', async () => {
		const { case: theCase } = fake.addCase({ processCode: 'EtatCivil' });
		const accessToken = await token();
		const status = (caseNewStatus: string) =>
			postEvent(accessToken, theCase.id, { actionType: 'STATUS_UPDATE', author: 'Mairie', notification: true, caseNewStatus });
		const early = await status('SI_INTG_ERROR');
		expect(early.status).toBe(400);
		expect((await jsonOf(early)).errors[0].message).toMatch(/HUBEE_NOTIFIED -> SI_INTG_ERROR/);
		expect((await status('SI_RECEIVED')).status).toBe(201);
		expect((await status('SI_INTG_ERROR')).status).toBe(201);
	});

	test('attachments: streamed bytes, prefixed / absent / wrong digest headers, PENDING until uploaded', async () => {
		const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
		const { case: theCase } = fake.addCase({
			processCode: 'EtatCivil',
			attachments: [
				{ fileName: 'big.bin', content: big, digestFormat: 'prefixed' },
				{ fileName: 'none.pdf', content: 'x', digestFormat: 'none' },
				{ fileName: 'bad.pdf', content: 'y', servedDigest: 'AAAA' },
				{ fileName: 'later.pdf', status: 'PENDING', size: 3 },
			],
		});
		const [bigId, noneId, badId, laterId] = theCase.attachmentIds;
		const accessToken = await token();
		const bigResponse = await api(accessToken, `/cases/${theCase.id}/attachments/${bigId}`);
		expect(bigResponse.status).toBe(200);
		expect(Buffer.from(await bigResponse.arrayBuffer()).equals(big)).toBe(true);
		expect(bigResponse.headers.get('digest')).toBe(`sha-256=${createHash('sha256').update(big).digest('base64')}`);
		expect((await api(accessToken, `/cases/${theCase.id}/attachments/${noneId}`)).headers.get('digest')).toBeNull();
		expect((await api(accessToken, `/cases/${theCase.id}/attachments/${badId}`)).headers.get('digest')).toBe('AAAA');
		expect((await api(accessToken, `/cases/${theCase.id}/attachments/${laterId}`)).status).toBe(404);
		fake.uploadAttachment(laterId, 'uploaded-later-bytes');
		const later = await api(accessToken, `/cases/${theCase.id}/attachments/${laterId}`);
		expect(await later.text()).toBe('uploaded-later-bytes');
		expect(JSON.stringify(fake.state)).not.toContain('uploaded-later-bytes');
	});

	test('PATCH /cases (and POST with X-HTTP-Method-Override) followed by its STATUS_UPDATE event', async () => {
		const { case: theCase } = fake.addCase({ processCode: 'EtatCivil' });
		const accessToken = await token();
		const patched = await api(accessToken, `/cases/${theCase.id}`, {
			method: 'POST',
			headers: { 'x-http-method-override': 'PATCH', 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'IN_PROGRESS' }),
		});
		expect(patched.status).toBe(204);
		expect(fake.oslNotifications()).toHaveLength(0);
		const event = await postEvent(accessToken, theCase.id, {
			actionType: 'STATUS_UPDATE',
			notification: true,
			caseNewStatus: 'IN_PROGRESS',
		});
		expect(event.status).toBe(201);
		expect(fake.oslNotifications()).toHaveLength(1);
		const regress = await api(accessToken, `/cases/${theCase.id}`, {
			method: 'PATCH',
			body: JSON.stringify({ status: 'SENT' }),
		});
		expect(regress.status).toBe(400);
	});

	test('event notification: GET event, download, PATCH RECEIVED, then the notification shows RECEIVED and is deleted', async () => {
		const { case: theCase, notification: caseNotification } = fake.addCase({ processCode: 'EtatCivil', notify: true });
		const { event, notification } = fake.addOslEvent(theCase.id, {
			actionType: 'ATTACH_DEPOSIT',
			message: 'Pièce complémentaire',
			attachments: [{ fileName: 'justif.pdf', content: 'justificatif' }],
		});
		const accessToken = await token();
		await api(accessToken, `/notifications/${caseNotification.id}`, { method: 'DELETE' });

		const [pending] = await jsonOf(await api(accessToken, '/notifications?eventDetails=true'));
		expect(pending).toMatchObject({ id: notification.id, eventId: event.id, eventActionType: 'ATTACH_DEPOSIT', eventStatus: 'SENT' });
		const fetched = await jsonOf(await api(accessToken, `/cases/${theCase.id}/events/${event.id}`));
		const file = await api(accessToken, `/cases/${theCase.id}/events/${event.id}/attachments/${fetched.attachments[0].id}`);
		expect(await file.text()).toBe('justificatif');

		const ack = () =>
			api(accessToken, `/cases/${theCase.id}/events/${event.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'RECEIVED' }) });
		expect((await ack()).status).toBe(204);
		expect((await ack()).status).toBe(204);
		const [acked] = await jsonOf(await api(accessToken, '/notifications?eventDetails=true'));
		expect(acked.eventStatus).toBe('RECEIVED');
		expect((await api(accessToken, `/notifications/${acked.id}`, { method: 'DELETE' })).status).toBe(204);
		expect(await jsonOf(await api(accessToken, '/notifications'))).toEqual([]);
	});

	test('ATTACH_DEPOSIT back to the OSL: declare, PUT the binary, PATCH SENT; SENT refused before the upload', async () => {
		const { case: theCase } = fake.addCase({ processCode: 'EtatCivil' });
		const accessToken = await token();
		expect((await postEvent(accessToken, theCase.id, { actionType: 'ATTACH_DEPOSIT', attachments: [] })).status).toBe(400);
		expect(
			(await postEvent(accessToken, theCase.id, { actionType: 'COM_ADD', attachments: [{ fileName: 'x.pdf' }] })).status,
		).toBe(400);

		const content = Buffer.from('réponse signée');
		const created = await jsonOf(
			await postEvent(accessToken, theCase.id, {
				actionType: 'ATTACH_DEPOSIT',
				notification: true,
				attachments: [{ fileName: 'reponse.pdf', type: 'Reponse', size: content.length, mimeType: 'application/pdf' }],
			}),
		);
		expect(created).toMatchObject({ status: 'IN_PROGRESS' });
		const eventPath = `/cases/${theCase.id}/events/${created.id}`;
		const send = () => api(accessToken, eventPath, { method: 'PATCH', body: JSON.stringify({ status: 'SENT' }) });
		expect((await send()).status).toBe(400);
		const upload = await api(accessToken, `${eventPath}/attachments/${created.attachments[0].id}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/octet-stream' },
			body: content,
		});
		expect(upload.status).toBe(204);
		expect((await send()).status).toBe(204);
		expect(fake.oslNotifications().at(-1)).toMatchObject({ eventId: created.id });
		expect(fake.attachmentContent(created.attachments[0].id).equals(content)).toBe(true);
		expect((await api(accessToken, eventPath, { method: 'DELETE' })).status).toBe(400);
	});

	test('retention: files are purged once the case reached statusBeforeFileDeletion and the delay passed', async () => {
		fake.addProcess({ processCode: 'EtatCivil', statusBeforeFileDeletion: 'DONE', retentionDays: 2 });
		const { case: theCase } = fake.addCase({ processCode: 'EtatCivil', attachments: [{ fileName: 'a.pdf', content: 'A' }] });
		const accessToken = await token();
		const attachmentId = theCase.attachmentIds[0];
		for (const caseNewStatus of ['IN_PROGRESS', 'DONE']) {
			await postEvent(accessToken, theCase.id, { actionType: 'STATUS_UPDATE', caseNewStatus });
		}
		expect((await api(accessToken, `/cases/${theCase.id}/attachments/${attachmentId}`)).status).toBe(200);
		fake.advanceClock(2 * 86400 * 1000);
		const fresh = await token();
		const purged = await api(fresh, `/cases/${theCase.id}/attachments/${attachmentId}`);
		expect(purged.status).toBe(404);
		expect((await jsonOf(purged)).errors[0].message).toBe('File is not found');
	});

	test('seeding through /__fake/seed creates cases, attachments and notifications', async () => {
		await fetch(`${fake.baseUrl}/__fake/seed`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				processes: [{ processCode: 'EtatCivil' }],
				cases: [
					{ processCode: 'EtatCivil', externalId: 'S-1', attachments: [{ fileName: 'b.pdf', contentBase64: 'QkJC' }], oslEvents: [{ message: 'hello' }] },
				],
			}),
		});
		const accessToken = await token();
		const list = await jsonOf(await api(accessToken, '/notifications?eventDetails=true'));
		expect(list.map((n: any) => n.eventActionType)).toEqual([null, 'SENDING_MESSAGE']);
	});

	test('OSL side: folders readable with an OSL token only, the OSL queue holds what the SI notified', async () => {
		const [first] = fake.seedDemo();
		const siToken = await token();
		await postEvent(siToken, first, { actionType: 'STATUS_UPDATE', caseNewStatus: 'SI_RECEIVED', notification: true });
		expect((await tokenRequest(IDENTIFICATION, 'cid-osl', 'osl', 'SI')).status).toBe(400);
		const oslToken = await token('cid-osl', 'osl', 'OSL');
		const folder = await jsonOf(await api(oslToken, `/folders/${fake.getCase(first).folderId}`));
		expect(folder.cases).toEqual([expect.objectContaining({ id: first, status: 'SI_RECEIVED' })]);
		expect(folder).not.toHaveProperty('caseIds');
		const queue = await jsonOf(await api(oslToken, '/notifications?eventDetails=true'));
		expect(queue).toEqual([expect.objectContaining({ caseId: first, eventActionType: 'STATUS_UPDATE', eventStatus: 'SENT' })]);
		expect(fake.notifications()).toHaveLength(4);
	});

	test('gzip option compresses JSON for clients that accept it; reset() empties state and rewinds the clock', async () => {
		const zipped = await createHubeeFake({ gzip: true }).start();
		try {
			const response = await fetch(zipped.tokenUrl, {
				method: 'POST',
				headers: {
					authorization: `Basic ${Buffer.from('demo-hubee-client:demo-hubee-secret').toString('base64')}`,
					'accept-encoding': 'gzip',
					...IDENTIFICATION,
				},
				body: 'grant_type=client_credentials&scope=SI',
			});
			expect(response.headers.get('content-encoding')).toBe('gzip');
			expect((await jsonOf(response)).access_token).toBeTruthy();
		} finally {
			await zipped.stop();
		}
		fake.addCase({});
		fake.advanceClock(5000);
		fake.reset();
		expect(fake.notifications()).toEqual([]);
		expect(Math.abs(fake.now() - Date.now())).toBeLessThan(1000);
	});
});
