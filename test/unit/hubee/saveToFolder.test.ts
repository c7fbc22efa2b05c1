import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { execute } from '../../../nodes/Hubee/actions/attachment/saveToFolder.operation';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
const ROOT = '/data/hubee';
const TARGET = `${ROOT}/EtatCivil/TD-1/att-1__acte.pdf`;

/**
 * A context whose file helpers behave like n8n-core's (a missing file fails the read with ENOENT; a write without a
 * flag truncates, a write with flag 0 overwrites in place) and record every call, so the tests can tell a read-back.
 */
function fakeContext(options: { files?: Map<string, Buffer>; stored?: Map<string, Buffer> } = {}) {
	const files = options.files ?? new Map<string, Buffer>();
	const stored = options.stored ?? new Map<string, Buffer>();
	const calls: string[] = [];
	const parameters: IDataObject = { folder: ROOT, processFolder: 'EtatCivil', caseFolder: 'TD-1', options: {} };
	const consume = async (content: Buffer | string | Readable): Promise<Buffer> => {
		if (typeof content === 'string' || Buffer.isBuffer(content)) return Buffer.from(content);
		const chunks: Buffer[] = [];
		await new Promise((resolve, reject) => {
			const sink = new Writable({
				write(chunk: Buffer, _encoding, done) {
					chunks.push(chunk);
					done();
				},
			});
			sink.on('finish', resolve);
			sink.on('error', reject);
			content.pipe(sink);
		});
		return Buffer.concat(chunks);
	};
	const context = {
		getNode: () => ({ id: 'save', name: 'Save', type: 'n8n-nodes-sync-connectors.hubee', typeVersion: 1, position: [0, 0], parameters: {} }),
		continueOnFail: () => false,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => parameters[name] ?? fallback,
		helpers: {
			resolvePath: async (path: string) => path,
			isFilePathBlocked: () => false,
			ensureParentDirectoryWithoutFollowingSymlinks: async () => {},
			createReadStream: async (path: string) => {
				calls.push(`read ${path}`);
				const bytes = files.get(path);
				if (!bytes) throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${path}'`), { code: 'ENOENT' });
				return Readable.from([bytes]);
			},
			getBinaryStream: async (id: string) => Readable.from([stored.get(id)!.subarray(0, 7), stored.get(id)!.subarray(7)]),
			writeContentToFile: async (path: string, content: Buffer | Readable, flag?: number) => {
				calls.push(`write ${path} flag=${flag}`);
				const bytes = await consume(content);
				const before = files.get(path) ?? Buffer.alloc(0);
				files.set(path, flag === undefined || before.length <= bytes.length ? bytes : Buffer.concat([bytes, before.subarray(bytes.length)]));
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, calls, files };
}

function item(binary: IDataObject, attachment: IDataObject): INodeExecutionData {
	return {
		json: { processCode: 'EtatCivil', externalId: 'TD-1', attachments: [{ binaryPropertyName: 'attachment_0', id: 'att-1', fileName: 'acte.pdf', ...attachment }] },
		binary: { attachment_0: { mimeType: 'application/pdf', fileName: 'acte.pdf', ...binary } as never },
	};
}

const pdf = Buffer.from('%PDF-1.7 acte de naissance n° 42, 2026');

describe('Save Attachments to Folder: hash while writing', () => {
	test('a first save reads nothing back: the SHA-256 and size come from the bytes as they were written', async () => {
		const { context, calls, files } = fakeContext({ stored: new Map([['filesystem-v2:b1', pdf]]) });
		const [output] = await execute.call(context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: sha(pdf) })]);
		expect(files.get(TARGET)!.equals(pdf)).toBe(true);
		// the only read is the check for a file already there, before the write; the write does not truncate
		expect(calls).toEqual([`read ${TARGET}`, `write ${TARGET} flag=0`]);
		expect(output.json.savedFiles).toEqual([
			{ binaryPropertyName: 'attachment_0', attachmentId: 'att-1', fileName: 'acte.pdf', path: TARGET, size: pdf.length, sha256: sha(pdf), alreadySaved: false },
		]);
		expect(output.pairedItem).toEqual({ item: 0 });
	});

	test('a digest mismatch is detected from the bytes written, without reading the file back, and fails the item clearly', async () => {
		const { context, calls } = fakeContext({ stored: new Map([['filesystem-v2:b1', pdf]]) });
		const other = sha(Buffer.from('another file'));
		await expect(execute.call(context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: other })])).rejects.toThrow(
			`The bytes written to ${TARGET} do not match the attachment's SHA-256 (${other} expected, ${sha(pdf)} written over ${pdf.length} bytes) (item 0)`,
		);
		expect(calls).toEqual([`read ${TARGET}`, `write ${TARGET} flag=0`]);
	});

	test('a size that differs from the stored binary\'s fails the item', async () => {
		const { context } = fakeContext({ stored: new Map([['filesystem-v2:b1', pdf]]) });
		await expect(execute.call(context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length + 1 }, { sha256: sha(pdf) })])).rejects.toThrow(
			`${pdf.length} bytes were written to ${TARGET} but the attachment has ${pdf.length + 1} (item 0)`,
		);
	});

	test('a stored binary that fails half-way fails the item instead of hanging the write', async () => {
		const { context } = fakeContext();
		(context.helpers as any).getBinaryStream = async () =>
			Readable.from(
				(async function* () {
					yield pdf.subarray(0, 5);
					throw new Error('EIO: i/o error, read');
				})(),
			);
		await expect(execute.call(context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: sha(pdf) })])).rejects.toThrow(
			`Reading the stored file for ${TARGET} failed: EIO: i/o error, read (item 0)`,
		);
	});

	test('a re-run finds the complete file and leaves it; an incomplete one is completed in place; a longer one is truncated', async () => {
		const stored = new Map([['filesystem-v2:b1', pdf]]);
		const complete = fakeContext({ stored, files: new Map([[TARGET, pdf]]) });
		const [again] = await execute.call(complete.context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: sha(pdf) })]);
		expect(complete.calls).toEqual([`read ${TARGET}`]);
		expect((again.json.savedFiles as IDataObject[])[0]).toMatchObject({ sha256: sha(pdf), size: pdf.length, alreadySaved: true });

		// a crash mid-write left a prefix: rewritten in place (never shorter than it was)
		const partial = fakeContext({ stored, files: new Map([[TARGET, pdf.subarray(0, 10)]]) });
		await execute.call(partial.context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: sha(pdf) })]);
		expect(partial.calls).toEqual([`read ${TARGET}`, `write ${TARGET} flag=0`]);
		expect(partial.files.get(TARGET)!.equals(pdf)).toBe(true);

		// longer than the attachment: only a truncating write can leave the right bytes
		const longer = fakeContext({ stored, files: new Map([[TARGET, Buffer.concat([pdf, Buffer.from('trailing')])]]) });
		await execute.call(longer.context, [item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: sha(pdf) })]);
		expect(longer.calls).toEqual([`read ${TARGET}`, `write ${TARGET} flag=undefined`]);
		expect(longer.files.get(TARGET)!.equals(pdf)).toBe(true);
	});

	test('two overlapping saves of one attachment both succeed and leave the complete file', async () => {
		// Both find no file and write in place: identical bytes at identical offsets, no truncation by the later one.
		const stored = new Map([['filesystem-v2:b1', pdf]]);
		const files = new Map<string, Buffer>();
		const first = fakeContext({ stored, files });
		const second = fakeContext({ stored, files });
		const input = item({ id: 'filesystem-v2:b1', bytes: pdf.length }, { sha256: sha(pdf) });
		const outputs = await Promise.all([execute.call(first.context, [input]), execute.call(second.context, [input])]);
		for (const [output] of outputs) expect((output.json.savedFiles as IDataObject[])[0]).toMatchObject({ sha256: sha(pdf), size: pdf.length });
		expect(files.get(TARGET)!.equals(pdf)).toBe(true);
	});

	test('n8n\'s memory mode: the bytes are hashed from the buffer written', async () => {
		const { context, calls, files } = fakeContext();
		const [output] = await execute.call(context, [item({ data: pdf.toString('base64'), bytes: pdf.length }, { sha256: sha(pdf) })]);
		expect(files.get(TARGET)!.equals(pdf)).toBe(true);
		expect(calls).toEqual([`read ${TARGET}`, `write ${TARGET} flag=0`]);
		expect((output.json.savedFiles as IDataObject[])[0]).toMatchObject({ sha256: sha(pdf), size: pdf.length, alreadySaved: false });
	});
});
