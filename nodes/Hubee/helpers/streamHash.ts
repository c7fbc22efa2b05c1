import { createHash } from 'crypto';

export interface ContentHash {
	/** SHA-256, base64 (HubEE's digest format). */
	sha256: string;
	bytes: number;
}

/** Hashes a stream the caller owns (e.g. a stored binary read back), without keeping its bytes. */
export async function hashStream(stream: NodeJS.ReadableStream): Promise<ContentHash> {
	const hash = createHash('sha256');
	let bytes = 0;
	for await (const chunk of stream as AsyncIterable<Buffer | string>) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		hash.update(buffer);
		bytes += buffer.length;
	}
	return { sha256: hash.digest('base64'), bytes };
}

/** 4 MiB of base64 at a time: a binary kept in memory (n8n's default mode) is hashed without a second full copy. */
const BASE64_SLICE = 4 * 1024 * 1024;

export function hashBase64(data: string): ContentHash {
	const hash = createHash('sha256');
	let bytes = 0;
	const clean = data.replace(/\s+/g, '');
	for (let offset = 0; offset < clean.length; offset += BASE64_SLICE) {
		const buffer = Buffer.from(clean.slice(offset, offset + BASE64_SLICE), 'base64');
		hash.update(buffer);
		bytes += buffer.length;
	}
	return { sha256: hash.digest('base64'), bytes };
}
