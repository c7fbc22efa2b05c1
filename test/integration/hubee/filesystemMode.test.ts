/** @jest-environment ./test/integration/hubee/hostErrorsEnvironment.js */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { transportClock } from '../../../nodes/common/request';
import { allowedRoot, hubeeNode, PROCESS, runChain, startFake } from './support';

jest.setTimeout(120_000);

// n8n's filesystem binary mode, as the bundled workflow and the bench run: files go to disk, items carry ids.
const storage = mkdtempSync(join(tmpdir(), 'hubee-binary-store-'));
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_BINARY_DATA_STORAGE_PATH = storage;
const root = allowedRoot();
let fake: any;
const originalSleep = transportClock.sleep;

beforeAll(async () => {
	// n8n-core's own copy of the DI container (it ships a nested @n8n/di).
	const { Container } = require(require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }));
	const { BinaryDataService } = require('n8n-core');
	await Container.get(BinaryDataService).init();
});

beforeEach(async () => {
	fake = await startFake();
	transportClock.sleep = async () => {};
});

afterEach(async () => {
	transportClock.sleep = originalSleep;
	await fake.stop();
});

test('filesystem mode: a 20 MB download goes to the binary store by id, and Save streams it to the folder', async () => {
	const big = randomBytes(20 * 1024 * 1024);
	const { case: theCase } = fake.addCase({ processCode: PROCESS, externalId: 'TD-FS', attachments: [{ fileName: 'gros.pdf', content: big }] });
	const folder = join(root, 'fs');
	mkdirSync(folder);
	const run = await runChain(
		fake,
		[
			hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment' }),
			hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }),
		],
		[{ caseId: theCase.id, processCode: PROCESS }],
	);
	if (run.error) throw run.error;
	const binary = run.items('Download')[0].binary!.attachment_0;
	expect(binary.id).toMatch(/^filesystem/);
	expect(binary.data).not.toHaveLength(big.toString('base64').length);
	expect(binary.bytes).toBe(big.length);
	const target = join(folder, PROCESS, 'TD-FS', `${theCase.attachmentIds[0]}__gros.pdf`);
	expect(readFileSync(target).equals(big)).toBe(true);
	expect(run.output('Save')[0].savedFiles).toEqual([
		expect.objectContaining({ path: target, size: big.length, attachmentId: theCase.attachmentIds[0] }),
	]);
	// A re-run overwrites in place: still one file, same bytes.
	const again = await runChain(
		fake,
		[hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder })],
		[run.items('Download')[0] as unknown as IDataObject],
	);
	if (again.error) throw again.error;
	expect(readdirSync(join(folder, PROCESS, 'TD-FS'))).toHaveLength(1);
	expect(readFileSync(target).equals(big)).toBe(true);
});

test('writes honour N8N_RESTRICT_FILE_ACCESS_TO and refuse symlinked folders', async () => {
	const { case: theCase } = fake.addCase({ processCode: PROCESS, externalId: 'TD-X', attachments: [{ fileName: 'a.pdf', content: 'A' }] });
	const outside = mkdtempSync(join(tmpdir(), 'hubee-outside-'));
	const download = hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment' });
	const save = (folder: string) => hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }, { continueOnFail: true });
	const refused = await runChain(fake, [download, save(outside)], [{ caseId: theCase.id }]);
	expect(refused.output('Save')[0].error).toMatch(/Access to .* is not allowed \(item 0\)/);
	expect(readdirSync(outside)).toEqual([]);

	// A symlink inside the allowed root pointing outside it is not followed.
	const linked = join(root, 'linked');
	mkdirSync(linked);
	symlinkSync(outside, join(linked, PROCESS));
	const viaLink = await runChain(fake, [download, save(linked)], [{ caseId: theCase.id }]);
	expect(viaLink.output('Save')[0].error).toMatch(/not allowed/);
	expect(readdirSync(outside)).toEqual([]);

	// A missing root whose parent exists is fine (created); two missing levels are refused clearly.
	const fresh = join(root, 'fresh');
	const ok = await runChain(fake, [download, save(fresh)], [{ caseId: theCase.id }]);
	expect(ok.output('Save')[0].error).toBeUndefined();
	const deep = await runChain(fake, [download, save(join(root, 'no', 'such'))], [{ caseId: theCase.id }]);
	expect(deep.output('Save')[0].error).toMatch(/The folder ".*no\/such" cannot be used/);
});

test('two overlapping saves of the same 20 MB attachments (real n8n file helpers) both succeed and leave the right bytes', async () => {
	const files = [randomBytes(20 * 1024 * 1024), randomBytes(7 * 1024 * 1024 + 3)];
	const { case: theCase } = fake.addCase({
		processCode: PROCESS,
		externalId: 'TD-OVERLAP',
		attachments: files.map((content, i) => ({ fileName: `piece-${i}.pdf`, content })),
	});
	const folder = join(root, 'overlap');
	mkdirSync(folder);
	const downloaded = await runChain(fake, [hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment' })], [
		{ caseId: theCase.id, processCode: PROCESS },
	]);
	if (downloaded.error) throw downloaded.error;
	const item = downloaded.items('Download')[0] as unknown as IDataObject;
	const save = () => runChain(fake, [hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder })], [item]);
	// Three saves at once, then one more starting while they write: none may see a false mismatch or a short file.
	const runs = await Promise.all([save(), save(), new Promise((resolve) => setTimeout(resolve, 20)).then(save), save()]);
	for (const run of runs) {
		if (run.error) throw run.error;
		expect((run.output('Save')[0].savedFiles as IDataObject[]).map((saved) => saved.size)).toEqual(files.map((content) => content.length));
	}
	for (const [i, content] of files.entries()) {
		expect(readFileSync(join(folder, PROCESS, 'TD-OVERLAP', `${theCase.attachmentIds[i]}__piece-${i}.pdf`)).equals(content)).toBe(true);
	}
	// A later run finds them complete and does not rewrite them.
	const later = await save();
	if (later.error) throw later.error;
	expect((later.output('Save')[0].savedFiles as IDataObject[]).map((saved) => saved.alreadySaved)).toEqual([true, true]);
});

test('a stored binary that no longer matches the downloaded SHA-256 is caught from the bytes written, no read-back needed', async () => {
	const content = randomBytes(3 * 1024 * 1024);
	const { case: theCase } = fake.addCase({ processCode: PROCESS, externalId: 'TD-MISMATCH', attachments: [{ fileName: 'acte.pdf', content }] });
	const folder = join(root, 'mismatch');
	mkdirSync(folder);
	const downloaded = await runChain(fake, [hubeeNode('Download', { resource: 'case', operation: 'downloadAttachment' })], [
		{ caseId: theCase.id, processCode: PROCESS },
	]);
	if (downloaded.error) throw downloaded.error;
	const item = downloaded.items('Download')[0] as unknown as IDataObject;
	const json = item.json as IDataObject;
	const wrong = Buffer.alloc(32, 7).toString('base64');
	const tampered = { ...item, json: { ...json, attachments: (json.attachments as IDataObject[]).map((entry) => ({ ...entry, sha256: wrong })) } };
	const run = await runChain(fake, [hubeeNode('Save', { resource: 'attachment', operation: 'saveToFolder', folder }, { continueOnFail: true })], [tampered]);
	expect(run.output('Save')[0].error).toMatch(
		new RegExp(`^The bytes written to .*TD-MISMATCH/${theCase.attachmentIds[0]}__acte\\.pdf do not match the attachment's SHA-256 \\(${wrong.replace(/[+/]/g, '\\$&')} expected, .* written over ${content.length} bytes\\) \\(item 0\\)$`),
	);
});
