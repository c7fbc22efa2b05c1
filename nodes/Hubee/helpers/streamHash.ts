import { createHash } from 'crypto';

/**
 * SHA-256 (base64) and length of a stream's bytes as its consumer reads them, without a second copy. The stream is
 * paused first so that adding the listener does not start the flow before the consumer is attached; every chunk a
 * consumer reads (pipe, async iteration or read()) is emitted as 'data', so the listener sees them all.
 */
export function hashWhileConsumed(stream: NodeJS.ReadableStream): { result: () => { sha256: string; bytes: number } } {
	const hash = createHash('sha256');
	let bytes = 0;
	stream.pause();
	stream.on('data', (chunk: Buffer | string) => {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		hash.update(buffer);
		bytes += buffer.length;
	});
	let digest: string | undefined;
	return {
		result: () => {
			digest ??= hash.digest('base64');
			return { sha256: digest, bytes };
		},
	};
}
