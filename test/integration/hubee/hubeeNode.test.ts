/** @jest-environment ./test/integration/hubee/hostErrorsEnvironment.js */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { transportClock } from '../../../nodes/common/request';
import { allowedRoot, hubeeNode, PROCESS, runChain, startFake } from './support';

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

const sha = (buffer: Buffer) => createHash('sha256').update(buffer).digest('base64');

describe('HubEE node against the fake', () => {
	test('Get Many → Download Attachment → Save Attachments to Folder writes every file under <root>/<démarche>/<externalId>/', async () => {
		const pdf = Buffer.from('%PDF-1.4 acte\n');
		const twin = Buffer.from('%PDF-1.4 other file, same name\n');
		const { case: theCase } = fake.addCase({
			processCode: PROCESS,
			externalId: 'TD-2026-001',
			attachments: [
				{ fileName: '../../etc/acte.pdf', content: pdf },
				{ fileName: 'acte.pdf', content: twin, digestFormat: 'prefixed' },
			],
		});
		fake.addCase({ processCode: 'OtherProcess', externalId: 'FOREIGN-1' });
		const folder = join(root, 'smoke');
		require('node:fs').mkdirSync(folder);
		const run = await runChain(fake, [
			hubeeNode('Notifications', { resource: 'notification', operation: 'getMany', processCode: PROCESS, maxResult: 25 }),
			hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment' }),
			hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }),
		]);
		expect(run.error).toBeUndefined();
		const notifications = run.output('Notifications');
		expect(notifications).toHaveLength(1);
		expect(notifications[0]).toMatchObject({ caseId: theCase.id, eventId: null, processCode: PROCESS });
		const listQuery = fake.requests((r: any) => r.path.endsWith('/notifications'))[0].query;
		expect(listQuery).toMatchObject({ maxResult: '25', eventDetails: 'true', processCode: PROCESS });

		const downloaded = run.items('Download')[0];
		expect(downloaded.json).toMatchObject({ id: notifications[0].id, externalId: 'TD-2026-001', processCode: PROCESS, integrationError: null });
		expect(Object.keys(downloaded.binary ?? {})).toEqual(['attachment_0', 'attachment_1']);
		expect(downloaded.binary!.attachment_0).toMatchObject({ fileName: 'acte.pdf', mimeType: 'application/pdf' });
		expect((downloaded.json.attachments as any[]).map((a) => a.digestChecked)).toEqual([true, true]);

		const saved = run.output('Save')[0];
		const caseFolder = join(folder, PROCESS, 'TD-2026-001');
		expect(saved.folder).toBe(caseFolder);
		const files = readdirSync(caseFolder).sort();
		expect(files).toEqual([`${theCase.attachmentIds[0]}__acte.pdf`, `${theCase.attachmentIds[1]}__acte.pdf`].sort());
		expect(readFileSync(join(caseFolder, `${theCase.attachmentIds[0]}__acte.pdf`)).equals(pdf)).toBe(true);
		expect(readFileSync(join(caseFolder, `${theCase.attachmentIds[1]}__acte.pdf`)).equals(twin)).toBe(true);
		expect((saved.savedFiles as any[]).map((f) => f.sha256)).toEqual([sha(pdf), sha(twin)]);
		expect(existsSync(join(root, 'etc'))).toBe(false);
		for (const request of fake.log) {
			expect(request.headers.editorname).toBe('Commune de Test');
			expect(request.headers.applicationname).toBe('n8n-nodes-sync-connectors');
			expect(request.headers.softwareversion).toBe('0.1.0');
		}
	});
});
