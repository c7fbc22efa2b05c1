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

export function hashBuffer(buffer: Buffer): ContentHash {
	return { sha256: createHash('sha256').update(buffer).digest('base64'), bytes: buffer.length };
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

/** A readable stream that can be mapped chunk by chunk: every Node stream.Readable (`Readable.prototype.map`). */
type MappableStream<T> = NodeJS.ReadableStream & {
	map(fn: (chunk: Buffer | string) => Buffer): T;
};

export interface HashingStream<T> {
	/** The same bytes as the source, hashed as they pass: hand this to the consumer. */
	stream: T;
	/** SHA-256 and byte count of what passed so far (complete once the consumer has finished). */
	result(): ContentHash;
	/** The source's error, if it failed before its end. */
	failure(): Error | undefined;
}

/**
 * Hashes a stream while its consumer reads it, so the bytes are read once: the consumer gets a mapped stream that
 * passes every chunk on unchanged after hashing it (`node:stream` may not be imported by a community node, and a
 * Readable's own `map` keeps order with its default concurrency of 1).
 *
 * With `endOnError`, a source that fails is ended instead of left hanging: `Readable.pipe` (what n8n's
 * `writeContentToFile` uses) ignores a source's error and would leave the file open and the write pending forever.
 * The caller must then check `failure()` after the consumer has finished.
 */
export function hashWhileReading<T extends NodeJS.ReadableStream>(
	source: MappableStream<T>,
	options: { endOnError?: boolean } = {},
): HashingStream<T> {
	const hash = createHash('sha256');
	let bytes = 0;
	let failure: Error | undefined;
	let digest: string | undefined;
	const stream = source.map((chunk) => {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		hash.update(buffer);
		bytes += buffer.length;
		return buffer;
	});
	const onError = (error: Error) => {
		failure ??= error;
		if (options.endOnError) stream.emit('end');
	};
	stream.on('error', onError);
	return {
		stream,
		result: () => {
			digest ??= hash.digest('base64');
			return { sha256: digest, bytes };
		},
		failure: () => failure,
	};
}
