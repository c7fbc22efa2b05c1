import { createHash } from 'crypto';

/** Bytes kept of one path component: below the 255-byte limit of common file systems, with room for a prefix. */
const MAX_PART_BYTES = 180;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

function truncateUtf8(text: string, maxBytes: number): string {
	if (Buffer.byteLength(text) <= maxBytes) return text;
	let result = '';
	for (const char of text) {
		if (Buffer.byteLength(result + char) > maxBytes) break;
		result += char;
	}
	return result;
}

/**
 * One safe path component from an untrusted name (a file name, a démarche or a case number): no separators, no
 * `.`/`..`, no control or reserved characters, no leading dots, length-capped (keeping the extension).
 * An empty result becomes `fallback`.
 */
export function sanitisePathPart(name: unknown, fallback = 'file'): string {
	let text = String(name ?? '').normalize('NFC');
	// Keep the last segment of a path-like name ("../../etc/passwd" → "passwd").
	text = text.split(/[/\\]/).filter((segment) => segment.length > 0).pop() ?? '';
	text = text
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/^\.+/, '')
		.replace(/[. ]+$/, '');
	if (WINDOWS_RESERVED.test(text)) text = `_${text}`;
	if (!text) return fallback;
	if (Buffer.byteLength(text) <= MAX_PART_BYTES) return text;
	const dot = text.lastIndexOf('.');
	const extension = dot > 0 && text.length - dot <= 16 ? text.slice(dot) : '';
	// A hash of the full name keeps two long names that share their start apart.
	const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
	const stem = truncateUtf8(text.slice(0, text.length - extension.length), MAX_PART_BYTES - extension.length - 9);
	return `${stem}~${hash}${extension}`;
}

/** `<attachmentId>__<sanitised name>`: the id keeps two files of the same name apart. */
export function attachmentFileName(attachmentId: unknown, fileName: unknown): string {
	return `${sanitisePathPart(attachmentId, 'attachment')}__${sanitisePathPart(fileName)}`;
}

/** Appends already-sanitised parts to a resolved folder ("/" works on every platform Node runs n8n on). */
export function joinPath(folder: string, ...parts: string[]): string {
	const base = folder.length > 1 ? folder.replace(/[/\\]+$/, '') : folder;
	return [base === '/' ? '' : base, ...parts].join('/');
}
