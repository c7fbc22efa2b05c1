
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
import { hashStream } from '../../helpers/streamHash';
import { splitList } from '../parameters';

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
}

/**
 * Writes the item's files to `<root>/<démarche>/<case>/<attachmentId>__<name>` through n8n's file-system helpers
 * only (so N8N_RESTRICT_FILE_ACCESS_TO and the symlink checks apply). The helpers have no rename: a file is
 * written in place and a re-run overwrites it, which is safe as long as the notification is deleted last.
 */
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
			await this.helpers.writeContentToFile(
				target,
				binary.id ? await this.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, BINARY_ENCODING),
			);
			// Read back: the check covers the bytes on disk, whoever wrote them.
			const onDisk = await hashStream(await this.helpers.createReadStream(target));
			const written = { sha256: onDisk.sha256, size: onDisk.bytes };
			if (typeof entry?.sha256 === 'string' && entry.sha256 && entry.sha256 !== written.sha256) {
				throw new NodeOperationError(
					this.getNode(),
					`The bytes written to ${target} do not match the attachment's SHA-256 (${String(entry.sha256)} expected, ${written.sha256} written)`,
					{ itemIndex },
				);
			}
			savedFiles.push({ binaryPropertyName: name, attachmentId, fileName, path: target, size: written.size, sha256: written.sha256 });
		}
		const output: INodeExecutionData = { json: { ...item.json, folder, savedFiles } };
		if (options.keepBinaryData === true && item.binary) output.binary = item.binary;
		return output;
	});
}
