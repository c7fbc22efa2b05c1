
import {
	BINARY_ENCODING,
	NodeOperationError,
	updateDisplayOptions,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type ResolvedFilePath,
} from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { attachmentFileName, joinPath, sanitisePathPart } from '../../helpers/fileNames';
import { hashBuffer, hashStream, hashWhileReading, type ContentHash } from '../../helpers/streamHash';
import { splitList } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Folder',
		name: 'folder',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /data/hubee',
		description:
			'The download root. It must exist (or its parent must) and be allowed by N8N_RESTRICT_FILE_ACCESS_TO; the sub-folders are created.',
	},
	{
		displayName: 'Démarche Folder',
		name: 'processFolder',
		type: 'string',
		default: '={{ $json.processCode }}',
		required: true,
		description: 'First level under the root, usually the démarche',
	},
	{
		displayName: 'Case Folder',
		name: 'caseFolder',
		type: 'string',
		default: '={{ $json.externalId }}',
		required: true,
		description: 'Second level, usually the case\'s external ID (the télédossier number)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Binary Properties',
				name: 'binaryPropertyNames',
				type: 'string',
				default: '',
				description: 'Comma-separated; empty writes every binary property of the item',
			},
			{
				displayName: 'Keep Binary Data',
				name: 'keepBinaryData',
				type: 'boolean',
				default: false,
				description: 'Whether to pass the files on in the output item',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['attachment'], operation: ['saveToFolder'] } }, properties);

interface SavedFile extends IDataObject {
	binaryPropertyName: string;
	attachmentId: string;
	fileName: string;
	path: string;
	size: number;
	sha256: string;
	/** The file was already there with the expected SHA-256 and size (a re-run): not rewritten. */
	alreadySaved: boolean;
}

/** The bytes found at a path, or undefined when there is no file there yet. */
async function hashExisting(context: IExecuteFunctions, target: ResolvedFilePath): Promise<ContentHash | undefined> {
	let stream: NodeJS.ReadableStream;
	try {
		stream = await context.helpers.createReadStream(target);
	} catch (error) {
		// n8n stats the path first (a raw ENOENT), then wraps a failed access as "could not be accessed".
		const code = (error as { code?: string }).code;
		if (code === 'ENOENT' || /could not be accessed/.test((error as Error).message ?? '')) return undefined;
		throw new NodeOperationError(context.getNode(), `The file ${target} cannot be read: ${(error as Error).message}`);
	}
	return await hashStream(stream);
}

/**
 * Writes one file, hashing the bytes as they go to disk (no read-back), and returns what was written.
 *
 * n8n's helpers have no rename, so the file is written in place. It is opened WITHOUT truncation (flag 0: n8n adds
 * O_TRUNC only when no flag is given) unless the file already there is longer than the new content: identical bytes
 * written over identical bytes at the same offsets never make the file shorter or wrong, so two overlapping runs
 * saving the same attachment both end with the complete file, and each checks the hash of the bytes it wrote itself.
 * A file already complete (same size and SHA-256, e.g. a re-run after a crash) is not rewritten; that check reads
 * only files that exist, so a first run reads nothing back.
 */
async function saveFile(
	context: IExecuteFunctions,
	target: ResolvedFilePath,
	binary: IBinaryData,
	expected: { sha256?: string; bytes?: number },
	itemIndex: number,
): Promise<ContentHash & { alreadySaved: boolean }> {
	const existing = expected.sha256 ? await hashExisting(context, target) : undefined;
	if (existing && existing.sha256 === expected.sha256 && (expected.bytes === undefined || existing.bytes === expected.bytes)) {
		return { ...existing, alreadySaved: true };
	}
	// Without an expected digest nothing was read: truncate as n8n does by default, since a longer old file may be there.
	const inPlace = expected.sha256 !== undefined && (!existing || (expected.bytes !== undefined && existing.bytes <= expected.bytes));
	const flag = inPlace ? 0 : undefined;
	if (!binary.id) {
		// n8n's default (memory) mode: the item holds the bytes; they are hashed from the buffer that is written.
		const content = Buffer.from(binary.data, BINARY_ENCODING);
		await context.helpers.writeContentToFile(target, content, flag);
		return { ...hashBuffer(content), alreadySaved: false };
	}
	const hashing = hashWhileReading(await context.helpers.getBinaryStream(binary.id), { endOnError: true });
	await context.helpers.writeContentToFile(target, hashing.stream as Parameters<IExecuteFunctions['helpers']['writeContentToFile']>[1], flag);
	const failure = hashing.failure();
	if (failure) {
		throw new NodeOperationError(context.getNode(), `Reading the stored file for ${target} failed: ${failure.message}`, {
			itemIndex,
			description: 'The file on disk is incomplete; the next run writes it again.',
		});
	}
	return { ...hashing.result(), alreadySaved: false };
}

/**
 * Writes the item's files to `<root>/<démarche>/<case>/<attachmentId>__<name>` through n8n's file-system helpers
 * only (so N8N_RESTRICT_FILE_ACCESS_TO and the symlink checks apply), verifying each against the SHA-256 and size
 * the download computed. A re-run finds complete files and leaves them; the notification is deleted last.
 */
/**
 * Items saved at once: local disk only (no HubEE call). Writes of one case folder stay one after the other (the
 * sequence key), so two items of one case never write the same file at the same time.
 */
const SAVE_CONCURRENCY = 4;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// resolvePath realpaths the root (or its parent): resolved once per distinct root, parts appended after.
	const roots = new Map<string, ResolvedFilePath>();
	return await executeEachItem(this, items, async (itemIndex, item) => {
		const rootText = String(this.getNodeParameter('folder', itemIndex, '') ?? '').trim();
		if (!rootText) throw new NodeOperationError(this.getNode(), 'Folder is empty', { itemIndex });
		let root = roots.get(rootText);
		if (!root) {
			try {
				root = await this.helpers.resolvePath(rootText);
			} catch (error) {
				// n8n rewrites a message naming ENOENT into a generic one, so the cause goes in the description.
				throw new NodeOperationError(
					this.getNode(),
					`The folder "${rootText}" cannot be used: it must exist, or at least its parent folder`,
					{
						itemIndex,
						description: `Create the download root before running the workflow (${(error as Error).message}).`,
					},
				);
			}
			roots.set(rootText, root);
		}
		const processFolder = sanitisePathPart(this.getNodeParameter('processFolder', itemIndex, ''), 'unknown-demarche');
		const caseFolder = sanitisePathPart(this.getNodeParameter('caseFolder', itemIndex, ''), 'unknown-case');
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const binaries = item.binary ?? {};
		const requested = splitList(options.binaryPropertyNames);
		const names = requested.length ? requested : Object.keys(binaries);
		const listed = new Map<string, IDataObject>();
		for (const entry of (Array.isArray(item.json.attachments) ? item.json.attachments : []) as IDataObject[]) {
			if (entry && typeof entry.binaryPropertyName === 'string') listed.set(entry.binaryPropertyName, entry);
		}
		const folder = joinPath(root, processFolder, caseFolder);
		const savedFiles: SavedFile[] = [];
		const targets = new Set<string>();
		for (const name of names) {
			const binary: IBinaryData | undefined = binaries[name];
			if (!binary) {
				throw new NodeOperationError(this.getNode(), `The item has no binary property "${name}"`, { itemIndex });
			}
			const entry = listed.get(name);
			const attachmentId = String(entry?.id ?? name);
			const fileName = String(entry?.fileName || binary.fileName || name);
			const target = joinPath(folder, attachmentFileName(attachmentId, fileName)) as ResolvedFilePath;
			if (targets.has(target)) {
				throw new NodeOperationError(this.getNode(), `Two files of the item would be written to ${target}`, { itemIndex });
			}
			targets.add(target);
			if (this.helpers.isFilePathBlocked(target)) {
				throw new NodeOperationError(this.getNode(), `Access to ${target} is not allowed`, {
					itemIndex,
					description: 'Add the download root to N8N_RESTRICT_FILE_ACCESS_TO (";"-separated folders) and restart n8n.',
				});
			}
			await this.helpers.ensureParentDirectoryWithoutFollowingSymlinks(target);
			const expected: ContentHash | { sha256?: string; bytes?: number } = {
				sha256: typeof entry?.sha256 === 'string' && entry.sha256 ? entry.sha256 : undefined,
				bytes: typeof binary.bytes === 'number' ? binary.bytes : typeof entry?.size === 'number' ? entry.size : undefined,
			};
			const written = await saveFile(this, target, binary, expected, itemIndex);
			if (expected.sha256 && expected.sha256 !== written.sha256) {
				throw new NodeOperationError(
					this.getNode(),
					`The bytes written to ${target} do not match the attachment's SHA-256 (${expected.sha256} expected, ${written.sha256} written over ${written.bytes} bytes)`,
					{ itemIndex, description: 'The file was rewritten from the stored binary; download the attachment again.' },
				);
			}
			if (expected.bytes !== undefined && expected.bytes !== written.bytes) {
				throw new NodeOperationError(
					this.getNode(),
					`${written.bytes} bytes were written to ${target} but the attachment has ${expected.bytes}`,
					{ itemIndex },
				);
			}
			savedFiles.push({
				binaryPropertyName: name,
				attachmentId,
				fileName,
				path: target,
				size: written.bytes,
				sha256: written.sha256,
				alreadySaved: written.alreadySaved,
			});
		}
		const output: INodeExecutionData = { json: { ...item.json, folder, savedFiles } };
		if (options.keepBinaryData === true && item.binary) output.binary = item.binary;
		return output;
	}, {
		concurrency: SAVE_CONCURRENCY,
		sequenceKey: (itemIndex) =>
			`${String(this.getNodeParameter('processFolder', itemIndex, ''))}/${String(this.getNodeParameter('caseFolder', itemIndex, ''))}`,
	});
}
