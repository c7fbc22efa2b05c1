/** @jest-environment ./test/integration/hubee/hostErrorsEnvironment.js */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { allowedRoot, hubeeNode, PROCESS, runChain, startFake } from './support';

jest.setTimeout(240_000);

const root = allowedRoot();
let fake: any;
const originalSleep = transportClock.sleep;
let sleeps: number[];

beforeEach(async () => {
	fake = await startFake();
	sleeps = [];
	transportClock.sleep = async (ms: number) => {
		sleeps.push(ms);
	};
});

afterEach(async () => {
	transportClock.sleep = originalSleep;
	await fake.stop();
});

function expectNoError(run: { error?: Error }) {
	if (run.error) throw run.error;
}

/**
 * What the bundled workflow does, node by node, with the routing done here: a batch, then per kind of notification
 * the chain of HubEE operations, the DELETE last. Returns how many notifications the batch held.
 */
async function processBatch(folder: string, onDownloaded?: () => void): Promise<number> {
	const batch = await runChain(fake, [
		hubeeNode('Notifications', { resource: 'notification', operation: 'getMany', processCode: PROCESS, maxResult: 25 }),
	]);
	expectNoError(batch);
	const notifications = batch.output('Notifications');
	const newCases = notifications.filter((n) => !n.eventId);
	const acked = notifications.filter((n) => n.eventId && n.eventStatus === 'RECEIVED');
	const events = notifications.filter((n) => n.eventId && n.eventStatus !== 'RECEIVED');
	const report = { onIntegrityFailure: 'report' };

	if (newCases.length) {
		const downloaded = await runChain(
			fake,
			[
				hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment', options: report }),
				hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }),
			],
			newCases,
		);
		expectNoError(downloaded);
		onDownloaded?.();
		const saved = downloaded.output('Save');
		const ready = saved.filter((item) => !item.retryLater && !item.integrationError);
		const broken = saved.filter((item) => !item.retryLater && item.integrationError);
		const status = (name: string, target: string) =>
			hubeeNode(name, { resource: 'case', operation: 'updateStatus', status: target, options: { includeInputFields: true } });
		const deleteNode = hubeeNode('Delete', { resource: 'notification', operation: 'delete' });
		if (ready.length) expectNoError(await runChain(fake, [status('Minimal', 'SI_RECEIVED'), status('Maximal', 'DONE'), deleteNode], ready));
		if (broken.length) {
			expectNoError(await runChain(fake, [status('Minimal', 'SI_RECEIVED'), status('Error', 'SI_INTG_ERROR'), deleteNode], broken));
		}
	}
	if (events.length) {
		const handled = await runChain(
			fake,
			[
				hubeeNode('Download', { resource: 'event', operation: 'downloadAttachment', options: report }),
				hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }),
				hubeeNode('Ack', { resource: 'event', operation: 'acknowledge', options: { includeInputFields: true } }),
			],
			events,
		);
		expectNoError(handled);
	}
	if (acked.length) {
		expectNoError(await runChain(fake, [hubeeNode('Delete', { resource: 'notification', operation: 'delete' })], acked));
	}
	return notifications.length;
}

function statusEventsBySi(caseId: string): string[] {
	const theCase = fake.getCase(caseId);
	return theCase.eventIds
		.map((id: string) => fake.getEvent(id))
		.filter((event: IDataObject) => event.origin === 'SI' && event.actionType === 'STATUS_UPDATE')
		.map((event: IDataObject) => event.caseNewStatus);
}

test('60 notifications (new cases and all three event types), files up to 20 MB, a digest mismatch, 503s and an expired token', async () => {
	const folder = join(root, 'queue');
	mkdirSync(folder);
	const expectedFiles = new Map<string, Buffer>();
	const big = randomBytes(20 * 1024 * 1024);
	const cases: any[] = [];
	for (let index = 0; index < 30; index++) {
		const attachments: IDataObject[] = [];
		if (index === 0) attachments.push({ fileName: 'scan-complet.pdf', content: big });
		if (index === 1) attachments.push({ fileName: 'corrompu.pdf', content: Buffer.from('abc'), servedDigest: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' });
		if (index === 2) attachments.push({ fileName: 'prefixe.pdf', content: randomBytes(300_000), digestFormat: 'prefixed' });
		if (index === 3) attachments.push({ fileName: 'sans-digest.pdf', content: randomBytes(1000), digestFormat: 'none' });
		attachments.push({ fileName: 'piece.pdf', content: randomBytes(2000 + index) });
		if (index % 3 === 0) attachments.push({ fileName: 'piece.pdf', content: randomBytes(700 + index) });
		const created = fake.addCase({ processCode: PROCESS, externalId: `TD-${String(index).padStart(3, '0')}`, attachments });
		cases.push(created.case);
	}
	// Events of the OSL on ten of the cases each: a message, a status update and a deposit of files.
	const events: any[] = [];
	for (let index = 0; index < 10; index++) {
		const theCase = cases[index + 10];
		events.push(fake.addOslEvent(theCase.id, { actionType: 'SENDING_MESSAGE', message: `Message ${index}` }).event);
		events.push(fake.addOslEvent(theCase.id, { actionType: 'STATUS_UPDATE', message: 'Pièce reçue' }).event);
		events.push(
			fake.addOslEvent(theCase.id, {
				actionType: 'ATTACH_DEPOSIT',
				attachments: [{ fileName: 'complement.pdf', content: randomBytes(5000 + index) }],
			}).event,
		);
	}
	for (let index = 0; index < 3; index++) fake.addCase({ processCode: 'OtherProcess', externalId: `FOREIGN-${index}` });
	expect(fake.notifications().filter((n: IDataObject) => n.processCode === PROCESS)).toHaveLength(60);
	for (const theCase of cases) {
		for (const id of theCase.attachmentIds) expectedFiles.set(join(folder, PROCESS, theCase.externalId, `${id}__${fake.state.attachments[id].fileName}`), fake.attachmentContent(id));
	}
	for (const event of events) {
		const theCase = fake.getCase(event.caseId);
		for (const id of event.attachmentIds) expectedFiles.set(join(folder, PROCESS, theCase.externalId, `${id}__complement.pdf`), fake.attachmentContent(id));
	}

	// 503s on the first file downloads (retried with backoff), then the token expires between two runs and a
	// 401 is injected in the middle of a run: n8n asks for a new token once and the call goes through.
	fake.setFaults({ failNext: 3, status: 503, match: '/attachments/', body: { errors: [{ code: 503, message: 'Service Unavailable' }] } });
	let batches = 0;
	let rounds = 0;
	while (rounds++ < 12) {
		const size = await processBatch(folder, () => {
			if (batches === 0) {
				fake.expireTokens();
				fake.setFaults({ failNext: 1, status: 401, match: 'events', body: { errors: [{ code: 401, message: 'Unauthorized' }] } });
			}
		});
		batches++;
		if (size < 25 && fake.notifications().filter((n: IDataObject) => n.processCode === PROCESS).length === 0) break;
	}
	expect(sleeps.length).toBeGreaterThanOrEqual(3);
	expect(fake.notifications().filter((n: IDataObject) => n.processCode === PROCESS)).toHaveLength(0);
	expect(fake.notifications().filter((n: IDataObject) => n.processCode === 'OtherProcess')).toHaveLength(3);

	const tokenCalls = fake.requests((r: IDataObject) => r.path === '/oauth2/token');
	expect(tokenCalls.length).toBeGreaterThanOrEqual(2);
	for (const call of tokenCalls) expect((call as any).headers.editorname).toBe('Commune de Test');

	// Every file present with the right bytes, except the corrupted one, which is not written.
	const corruptedId = cases[1].attachmentIds[0];
	for (const [path, bytes] of expectedFiles) {
		if (path.includes(corruptedId)) continue;
		expect(readFileSync(path).equals(bytes)).toBe(true);
	}
	expect(readdirSync(join(folder, PROCESS, 'TD-001')).some((name) => name.startsWith(corruptedId))).toBe(false);

	// Statuses: the digest mismatch case went SI_RECEIVED → SI_INTG_ERROR, every other one SI_RECEIVED → DONE, once.
	for (const [index, theCase] of cases.entries()) {
		const current = fake.getCase(theCase.id);
		if (index === 1) {
			expect(current.status).toBe('SI_INTG_ERROR');
			expect(statusEventsBySi(theCase.id)).toEqual(['SI_RECEIVED', 'SI_INTG_ERROR']);
		} else {
			expect(current.status).toBe('DONE');
			expect(statusEventsBySi(theCase.id)).toEqual(['SI_RECEIVED', 'DONE']);
		}
	}
	for (const event of events) expect(fake.getEvent(event.id).status).toBe('RECEIVED');
});

test('a re-run after a crash between the statuses and the DELETE posts nothing again and clears the queue', async () => {
	const folder = join(root, 'rerun');
	mkdirSync(folder);
	const { case: theCase } = fake.addCase({ processCode: PROCESS, externalId: 'TD-R', attachments: [{ fileName: 'a.pdf', content: 'A' }] });
	const notifications = (
		await runChain(fake, [hubeeNode('N', { resource: 'notification', operation: 'getMany', processCode: PROCESS })])
	).output('N');
	const upToStatuses = [
		hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment' }),
		hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }),
		hubeeNode('Minimal', { resource: 'case', operation: 'updateStatus', status: 'SI_RECEIVED', options: { includeInputFields: true } }),
		hubeeNode('Maximal', { resource: 'case', operation: 'updateStatus', status: 'DONE', options: { includeInputFields: true } }),
	];
	expectNoError(await runChain(fake, upToStatuses, notifications));
	// "crash": no DELETE. The re-run downloads and overwrites, then finds the case DONE and posts nothing.
	const rerun = await runChain(fake, [...upToStatuses, hubeeNode('Delete', { resource: 'notification', operation: 'delete' })], notifications);
	expectNoError(rerun);
	expect(rerun.output('Minimal')[0].statusUpdate).toMatchObject({ changed: false, skipped: 'alreadyPastTarget', previousStatus: 'DONE' });
	expect(rerun.output('Maximal')[0].statusUpdate).toMatchObject({ changed: false, skipped: 'alreadyAtTarget' });
	expect(rerun.output('Delete')[0]).toEqual({ id: notifications[0].id, deleted: true });
	expect(statusEventsBySi(theCase.id)).toEqual(['SI_RECEIVED', 'DONE']);
	expect(fake.notifications()).toHaveLength(0);
	// A third run (the DELETE's answer was lost) counts the missing notification as done.
	const again = await runChain(fake, [hubeeNode('Delete', { resource: 'notification', operation: 'delete' })], notifications);
	expect(again.output('Delete')[0]).toEqual({ id: notifications[0].id, deleted: false, alreadyDeleted: true });
});

test('a status POST that fails with a 503 is retried only after re-reading the case; a lost answer is not re-posted', async () => {
	const { case: theCase } = fake.addCase({ processCode: PROCESS, status: 'SI_RECEIVED', notify: false });
	fake.setFaults({ failNext: 2, status: 503, match: 'POST /teledossiers/v1/cases' });
	const run = await runChain(fake, [hubeeNode('Status', { resource: 'case', operation: 'updateStatus', status: 'IN_PROGRESS', caseId: theCase.id })]);
	expectNoError(run);
	expect(run.output('Status')[0]).toMatchObject({ previousStatus: 'SI_RECEIVED', status: 'IN_PROGRESS', changed: true });
	const calls = fake.log.map((r: IDataObject) => `${r.method} ${String(r.path).replace(theCase.id, 'C')}`);
	expect(calls.filter((c: string) => c !== 'POST /oauth2/token')).toEqual([
		'GET /teledossiers/v1/cases/C',
		'POST /teledossiers/v1/cases/C/events',
		'GET /teledossiers/v1/cases/C',
		'POST /teledossiers/v1/cases/C/events',
		'GET /teledossiers/v1/cases/C',
		'POST /teledossiers/v1/cases/C/events',
	]);
	expect(statusEventsBySi(theCase.id)).toEqual(['IN_PROGRESS']);

	// The hub applied the POST but the answer was lost (a 502 after the fact): the re-read finds the event.
	const applied = fake.addCase({ processCode: PROCESS, status: 'SI_RECEIVED', notify: false }).case;
	fake.clearLog();
	fake.setFaults({ truncateNext: 1, match: 'POST /teledossiers/v1/cases' });
	const lost = await runChain(fake, [hubeeNode('Status', { resource: 'case', operation: 'updateStatus', status: 'DONE', caseId: applied.id })]);
	expectNoError(lost);
	const posted = fake.requests((r: IDataObject) => r.method === 'POST' && String(r.path).endsWith('/events')).length;
	expect(posted).toBe(1);
	expect(lost.output('Status')[0]).toMatchObject({ changed: true, status: 'DONE' });
	expect(statusEventsBySi(applied.id)).toEqual(['DONE']);
});

test('Update Status: sideways refused, SI_INTG_ERROR below SI_RECEIVED refused, PATCH first when asked', async () => {
	const done = fake.addCase({ processCode: PROCESS, status: 'DONE', notify: false }).case;
	const sideways = await runChain(
		fake,
		[hubeeNode('Status', { resource: 'case', operation: 'updateStatus', status: 'REFUSED', caseId: done.id }, { continueOnFail: true })],
	);
	expect(sideways.output('Status')[0].error).toMatch(/already DONE; moving it sideways to REFUSED is refused \(item 0\)/);

	const fresh = fake.addCase({ processCode: PROCESS, notify: false }).case;
	const early = await runChain(
		fake,
		[hubeeNode('Status', { resource: 'case', operation: 'updateStatus', status: 'SI_INTG_ERROR', caseId: fresh.id }, { continueOnFail: true })],
	);
	expect(early.output('Status')[0].error).toMatch(/SI_INTG_ERROR can only be set from SI_RECEIVED on/);
	expect(fake.requests((r: IDataObject) => r.method === 'POST' && String(r.path).includes(fresh.id))).toHaveLength(0);

	const patched = await runChain(fake, [
		hubeeNode('Status', {
			resource: 'case',
			operation: 'updateStatus',
			status: 'SI_RECEIVED',
			caseId: fresh.id,
			options: { patchCaseFirst: true, author: 'Mairie', message: 'Reçu' },
		}),
	]);
	expectNoError(patched);
	const writes = fake.requests((r: IDataObject) => r.method !== 'GET' && String(r.path).includes(fresh.id));
	expect(writes.map((r: IDataObject) => r.method)).toEqual(['PATCH', 'POST']);
	expect(writes[1].body).toMatchObject({ actionType: 'STATUS_UPDATE', caseNewStatus: 'SI_RECEIVED', caseCurrentStatus: 'HUBEE_NOTIFIED', author: 'Mairie', message: 'Reçu', notification: true });
	expect(fake.getCase(fresh.id).status).toBe('SI_RECEIVED');
});

test('403 and 404 carry HubEE\'s errors[].message, also for a streamed download', async () => {
	const foreignFake = fake.addCase({ processCode: 'Locked', notify: false }).case;
	const missing = '00000000-0000-4000-8000-000000000000';
	const { case: own } = fake.addCase({ processCode: PROCESS, notify: false, attachments: [{ fileName: 'x.pdf', content: 'x' }] });
	const run = await runChain(
		fake,
		[hubeeNode('Get', { resource: 'case', operation: 'get', caseId: '={{ $json.caseId }}' }, { continueOnFail: true })],
		[{ caseId: foreignFake.id }, { caseId: missing }, { caseId: 'not-a-uuid' }],
	);
	const errors = run.output('Get').map((item) => item.error);
	expect(errors[0]).toMatch(/HubEE answered 403: Unauthorized user \(item 0\)/);
	expect(errors[1]).toMatch(/HubEE answered 404: Case is not found \(item 1\)/);
	expect(errors[2]).toMatch(/Case ID "not-a-uuid" is not a HubEE ID/);

	fake.state.blobs.delete(own.attachmentIds[0]);
	const download = await runChain(
		fake,
		[hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment', caseId: own.id }, { continueOnFail: true })],
	);
	expect(download.output('Download')[0].error).toMatch(/HubEE answered 404: File is not found \(item 0\)/);
});

test('Download Attachment: PENDING means retry later, CORRUPTED/REJECTED and a digest mismatch fail the item clearly', async () => {
	const { case: theCase } = fake.addCase({
		processCode: PROCESS,
		notify: false,
		attachments: [
			{ fileName: 'ok.pdf', content: 'ok' },
			{ fileName: 'attente.pdf', status: 'PENDING', size: 10 },
			{ fileName: 'virus.pdf', content: 'v', status: 'CORRUPTED' },
			{ fileName: 'refuse.pdf', content: 'r', status: 'REJECTED' },
		],
	});
	const [okId, pendingId, corruptedId, rejectedId] = theCase.attachmentIds;
	const one = (attachmentId: string, options: IDataObject = {}) =>
		hubeeNode(
			'Download',
			{ resource: 'case', operation: 'downloadAttachment', caseId: theCase.id, attachments: 'one', attachmentId, options },
			{ continueOnFail: true },
		);
	const messages: string[] = [];
	for (const id of [pendingId, corruptedId, rejectedId]) {
		messages.push(String((await runChain(fake, [one(id)])).output('Download')[0].error));
	}
	expect(messages[0]).toMatch(/has not received attachment .* \("attente.pdf"\) yet \(PENDING\): retry later/);
	expect(messages[1]).toMatch(/marked attachment .* \("virus.pdf"\) CORRUPTED/);
	expect(messages[2]).toMatch(/marked attachment .* \("refuse.pdf"\) REJECTED/);
	expect(fake.requests((r: IDataObject) => String(r.path).includes(corruptedId))).toHaveLength(0);

	const reported = await runChain(fake, [
		hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment', caseId: theCase.id, options: { onIntegrityFailure: 'report' } }),
	]);
	const item = reported.items('Download')[0] as INodeExecutionData;
	expect((item.json.attachments as IDataObject[]).map((a) => a.outcome)).toEqual(['downloaded', 'pending', 'corrupted', 'rejected']);
	expect(item.json.retryLater).toBe(true);
	expect(item.json.integrationError).toMatch(/virus.pdf/);
	expect(Object.keys(item.binary ?? {})).toEqual(['attachment_0']);

	fake.uploadAttachment(pendingId, 'arrived');
	const later = await runChain(fake, [one(pendingId)]);
	expect(later.items('Download')[0].binary?.attachment_0).toMatchObject({ fileName: 'attente.pdf' });
	expect(okId).toBeDefined();

	const mismatch = fake.addCase({ processCode: PROCESS, notify: false, attachments: [{ fileName: 'bad.pdf', content: 'bad', servedDigest: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }] }).case;
	const failed = await runChain(fake, [
		hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment', caseId: mismatch.id }, { continueOnFail: true }),
	]);
	expect(failed.output('Download')[0].error).toMatch(/SHA-256 of attachment .* \("bad.pdf"\) does not match HubEE's digest header .* the file is corrupt \(item 0\)/);
});

test('Event → Create, Upload Attachments + Send: the SI\'s own ATTACH_DEPOSIT flow reaches the OSL', async () => {
	const { case: theCase } = fake.addCase({ processCode: PROCESS, status: 'IN_PROGRESS', notify: false });
	const message = await runChain(fake, [
		hubeeNode('Message', { resource: 'event', operation: 'create', caseId: theCase.id, actionType: 'SENDING_MESSAGE', message: 'Votre acte est prêt' }),
	]);
	expectNoError(message);
	expect(message.output('Message')[0]).toMatchObject({ actionType: 'SENDING_MESSAGE', status: 'SENT', message: 'Votre acte est prêt' });

	const pdf = Buffer.from('%PDF-1.4 acte délivré');
	const upload = await runChain(
		fake,
		[hubeeNode('Upload', { resource: 'event', operation: 'uploadAttachments', caseId: theCase.id, binaryPropertyNames: 'data', options: { documentType: 'EC_Acte' } })],
		[{ json: {}, binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'acte.pdf' } } }] as any,
	);
	expectNoError(upload);
	const event = upload.output('Upload')[0];
	expect(event).toMatchObject({ actionType: 'ATTACH_DEPOSIT', status: 'SENT' });
	const stored = fake.getEvent(event.id as string);
	expect(stored.status).toBe('SENT');
	expect(fake.attachmentContent(stored.attachmentIds[0]).equals(pdf)).toBe(true);
	expect(fake.state.attachments[stored.attachmentIds[0]]).toMatchObject({ fileName: 'acte.pdf', type: 'EC_Acte', status: 'RECEIVED' });
	expect(fake.oslNotifications().map((n: IDataObject) => n.eventId)).toEqual([message.output('Message')[0].id, event.id]);
});

test('a download whose body breaks off half-way is fetched again from the start', async () => {
	const content = randomBytes(3 * 1024 * 1024);
	const { case: theCase } = fake.addCase({ processCode: PROCESS, notify: false, attachments: [{ fileName: 'coupe.pdf', content }] });
	fake.setFaults({ truncateNext: 2, match: '/attachments/' });
	const run = await runChain(fake, [hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment', caseId: theCase.id })]);
	expectNoError(run);
	const item = run.items('Download')[0];
	expect(item.binary!.attachment_0.bytes).toBe(content.length);
	expect((item.json.attachments as IDataObject[])[0]).toMatchObject({ outcome: 'downloaded', digestChecked: true });
	expect(fake.requests((r: IDataObject) => String(r.path).includes('/attachments/')).length).toBeGreaterThanOrEqual(3);

	// A body that always breaks off (a cut before the headers is retried by the transport too) ends in an item error.
	fake.setFaults({ truncateNext: 50, match: '/attachments/' });
	const failed = await runChain(fake, [
		hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment', caseId: theCase.id }, { continueOnFail: true }),
	]);
	expect(failed.output('Download')[0].error).toMatch(/\(item 0\)$/);
	expect(failed.items('Download')[0].binary).toBeUndefined();
});
