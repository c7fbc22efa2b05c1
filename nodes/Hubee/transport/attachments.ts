
import { NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../common/executeEachItem';
import { describeFailure } from '../../common/httpFailure';
import { transportClock } from '../../common/request';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../common/retryPolicy';
import { checkDigest } from '../helpers/digest';
import { sanitisePathPart } from '../helpers/fileNames';
import { hashWhileReading } from '../helpers/streamHash';
import { hubeeDownload } from './index';

/** HubEE attachment metadata, as listed on a case or an event. */
export interface HubeeAttachment {
	id: string;
	status?: string;
	fileName?: string;
	type?: string | null;
	size?: number | null;
	mimeType?: string | null;
}

export type AttachmentOutcome = 'downloaded' | 'pending' | 'corrupted' | 'rejected' | 'digestMismatch' | 'sizeMismatch' | 'missing';

export interface AttachmentResult extends IDataObject {
	id: string;
	fileName: string;
	type: string | null;
	mimeType: string | null;
	size: number | null;
	status: string | null;
	binaryPropertyName: string | null;
	sha256: string | null;
	digestChecked: boolean;
	outcome: AttachmentOutcome;
	problem: string | null;
}

export interface DownloadedAttachments {
	attachments: AttachmentResult[];
	binary: Record<string, IBinaryData>;
	retryLater: boolean;
	integrationError: string | null;
}

/** Downloads of one file whose body broke off before the end. */
const STREAM_ATTEMPTS = 3;

function describe(attachment: HubeeAttachment): string {
	return `attachment ${attachment.id}${attachment.fileName ? ` ("${attachment.fileName}")` : ''}`;
}

/**
 * Streams one file into n8n's binary store (to disk in filesystem mode), hashing the bytes as they pass: the body is
 * never held twice nor read back, and the hash covers exactly the bytes handed to the store.
 */
async function streamToBinary(
	context: IExecuteFunctions,
	path: string,
	attachment: HubeeAttachment,
	itemIndex: number,
): Promise<{ binary: IBinaryData; sha256: string; bytes: number; digestHeader: string | undefined }> {
	for (let attempt = 1; ; attempt++) {
		const response = await hubeeDownload(context, path, itemIndex);
		try {
			const hashing = hashWhileReading(response.body);
			const binary = await context.helpers.prepareBinaryData(
				hashing.stream as unknown as Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
				sanitisePathPart(attachment.fileName, attachment.id),
				attachment.mimeType || response.headers['content-type'] || 'application/octet-stream',
			);
			const failure = hashing.failure();
			if (failure) throw failure;
			const { sha256, bytes } = hashing.result();
			return { binary, sha256, bytes, digestHeader: response.headers.digest };
		} catch (error) {
			// The request succeeded and the body broke off (a reset, a gateway cut): download it again from the start.
			response.body.destroy();
			if (attempt >= STREAM_ATTEMPTS) throw itemError(context, error, itemIndex);
			await transportClock.sleep(backoffDelay(attempt, DEFAULT_RETRY_POLICY));
		}
	}
}

function isNotFound(error: unknown): boolean {
	const failure = describeFailure(error);
	return failure.status === 404;
}

/**
 * Downloads the given attachments of a case (eventId undefined) or of an event. PENDING files are not uploaded yet
 * (retry later); CORRUPTED and REJECTED ones failed HubEE's antivirus or validation and are not downloaded.
 * With `onIntegrityFailure: 'error'` the first problem throws; with 'report' it is recorded and the others go on.
 */
export async function downloadAttachments(
	context: IExecuteFunctions,
	where: { caseId: string; eventId?: string },
	attachments: HubeeAttachment[],
	options: { itemIndex: number; binaryPropertyPrefix: string; onIntegrityFailure: 'error' | 'report' },
): Promise<DownloadedAttachments> {
	const result: DownloadedAttachments = { attachments: [], binary: {}, retryLater: false, integrationError: null };
	const fail = (message: string, description?: string) => {
		throw new NodeOperationError(context.getNode(), message, { itemIndex: options.itemIndex, description });
	};
	for (const [index, attachment] of attachments.entries()) {
		const entry: AttachmentResult = {
			id: attachment.id,
			fileName: attachment.fileName ?? '',
			type: attachment.type ?? null,
			mimeType: attachment.mimeType ?? null,
			size: typeof attachment.size === 'number' ? attachment.size : null,
			status: attachment.status ?? null,
			binaryPropertyName: null,
			sha256: null,
			digestChecked: false,
			outcome: 'downloaded',
			problem: null,
		};
		result.attachments.push(entry);
		const status = String(attachment.status ?? 'RECEIVED').toUpperCase();
		const record = (outcome: AttachmentOutcome, problem: string) => {
			entry.outcome = outcome;
			entry.problem = problem;
			if (outcome === 'pending') result.retryLater = true;
			else result.integrationError ??= problem;
		};
		if (status === 'PENDING') {
			const problem = `HubEE has not received ${describe(attachment)} yet (PENDING): retry later`;
			if (options.onIntegrityFailure === 'error') fail(problem);
			record('pending', problem);
			continue;
		}
		if (status === 'CORRUPTED' || status === 'REJECTED') {
			const problem = `HubEE marked ${describe(attachment)} ${status} (antivirus or validation failure): it cannot be integrated`;
			if (options.onIntegrityFailure === 'error') fail(problem);
			record(status === 'CORRUPTED' ? 'corrupted' : 'rejected', problem);
			continue;
		}
		const path = where.eventId
			? `/cases/${where.caseId}/events/${where.eventId}/attachments/${attachment.id}`
			: `/cases/${where.caseId}/attachments/${attachment.id}`;
		let downloaded: Awaited<ReturnType<typeof streamToBinary>>;
		try {
			downloaded = await streamToBinary(context, path, attachment, options.itemIndex);
		} catch (error) {
			if (options.onIntegrityFailure === 'report' && isNotFound(error)) {
				record('missing', `HubEE no longer has the file of ${describe(attachment)} (404: purged or never uploaded)`);
				continue;
			}
			throw itemError(context, error, options.itemIndex);
		}
		entry.sha256 = downloaded.sha256;
		const digest = checkDigest(downloaded.digestHeader, downloaded.sha256);
		entry.digestChecked = digest.checked;
		if (digest.checked && !digest.matches) {
			const problem = `The SHA-256 of ${describe(attachment)} does not match HubEE's digest header (expected ${digest.expected}, got ${digest.actual} over ${downloaded.bytes} bytes): the file is corrupt`;
			if (options.onIntegrityFailure === 'error') fail(problem, 'The download was retried by re-running the node; if it keeps failing, the file is corrupt at HubEE.');
			record('digestMismatch', problem);
			continue;
		}
		if (!digest.checked && entry.size !== null && entry.size > 0 && entry.size !== downloaded.bytes) {
			const problem = `${describe(attachment)} arrived with ${downloaded.bytes} bytes but HubEE lists ${entry.size}: the file is incomplete`;
			if (options.onIntegrityFailure === 'error') fail(problem);
			record('sizeMismatch', problem);
			continue;
		}
		const binaryPropertyName = `${options.binaryPropertyPrefix}_${index}`;
		entry.binaryPropertyName = binaryPropertyName;
		entry.size = downloaded.bytes;
		result.binary[binaryPropertyName] = downloaded.binary;
	}
	return result;
}
