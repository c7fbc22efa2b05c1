/**
 * HubEE's `digest` response header: the base64 SHA-256 of the file, documented without a prefix
 * (`gzC8kNpW+cmI6AK1s6flSBbQROpJg0EWKQjpqt9XTbM=`); RFC 3230 style `sha-256=<base64>` is accepted too,
 * as is a list of algorithms of which one is sha-256.
 */
export function sha256FromDigestHeader(header: unknown): string | undefined {
	if (header === undefined || header === null) return undefined;
	const value = Array.isArray(header) ? header.join(',') : String(header);
	const entries = value
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
	for (const entry of entries) {
		const match = /^([A-Za-z0-9-]+)=(.+)$/.exec(entry);
		if (match && !/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) {
			if (['sha-256', 'sha256'].includes(match[1].toLowerCase())) return normaliseBase64(match[2]);
			continue;
		}
		return normaliseBase64(entry);
	}
	return undefined;
}

function normaliseBase64(value: string): string | undefined {
	const trimmed = value.trim();
	// Some gateways send hex; 64 hex characters are a SHA-256 too.
	if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex').toString('base64');
	const standard = trimmed.replace(/-/g, '+').replace(/_/g, '/');
	const decoded = Buffer.from(standard, 'base64');
	return decoded.length === 32 ? decoded.toString('base64') : undefined;
}

export type DigestCheck =
	| { checked: false; reason: 'absent' | 'unreadable' }
	| { checked: true; matches: boolean; expected: string; actual: string };

/** Compares the header (if any) with the SHA-256 (base64) computed over the bytes received. */
export function checkDigest(header: unknown, actualBase64: string): DigestCheck {
	if (header === undefined || header === null || String(header).trim() === '') return { checked: false, reason: 'absent' };
	const expected = sha256FromDigestHeader(header);
	if (!expected) return { checked: false, reason: 'unreadable' };
	return { checked: true, matches: expected === actualBase64, expected, actual: actualBase64 };
}
