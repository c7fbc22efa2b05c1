import { createHash } from 'node:crypto';

import { checkDigest, sha256FromDigestHeader } from '../../../nodes/Hubee/helpers/digest';
import { hashBase64, hashBuffer, hashStream, hashWhileReading } from '../../../nodes/Hubee/helpers/streamHash';

const bytes = Buffer.from('%PDF-1.4 acte de naissance');
const base64 = createHash('sha256').update(bytes).digest('base64');
const hex = createHash('sha256').update(bytes).digest('hex');

describe('digest header', () => {
	test.each([
		[base64, 'plain base64 (the swagger example)'],
		[`sha-256=${base64}`, 'RFC 3230 prefix'],
		[`SHA-256=${base64}`, 'upper-case prefix'],
		[`md5=1B2M2Y8AsgTpgAmY7PhCfg==, sha-256=${base64}`, 'a list with sha-256 in it'],
		[hex, 'hex'],
		[base64.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url'],
	])('%s is read (%s)', (header) => {
		expect(sha256FromDigestHeader(header)).toBe(base64);
		expect(checkDigest(header, base64)).toEqual({ checked: true, matches: true, expected: base64, actual: base64 });
	});

	test('a mismatch is reported with both values', () => {
		const other = createHash('sha256').update('other').digest('base64');
		expect(checkDigest(other, base64)).toEqual({ checked: true, matches: false, expected: other, actual: base64 });
		expect(checkDigest(`sha-256=${other}`, base64)).toMatchObject({ checked: true, matches: false });
	});

	test('absent or unreadable headers are not a check', () => {
		expect(checkDigest(undefined, base64)).toEqual({ checked: false, reason: 'absent' });
		expect(checkDigest('', base64)).toEqual({ checked: false, reason: 'absent' });
		expect(checkDigest('md5=1B2M2Y8AsgTpgAmY7PhCfg==', base64)).toEqual({ checked: false, reason: 'unreadable' });
		expect(checkDigest('AAAA', base64)).toEqual({ checked: false, reason: 'unreadable' });
	});
});

describe('content hashes', () => {
	test('hashBase64 hashes in slices and agrees with a one-shot hash', () => {
		const big = Buffer.alloc(9 * 1024 * 1024 + 3, 1);
		big[5_000_000] = 7;
		expect(hashBase64(big.toString('base64'))).toEqual({
			sha256: createHash('sha256').update(big).digest('base64'),
			bytes: big.length,
		});
	});

	test('hashStream reads a stream to its end', async () => {
		const { Readable } = require('node:stream');
		const result = await hashStream(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
		expect(result).toEqual({ sha256: base64, bytes: bytes.length });
	});

	test('hashBuffer agrees with the stream and base64 hashes', () => {
		expect(hashBuffer(bytes)).toEqual({ sha256: base64, bytes: bytes.length });
	});

	test('hashWhileReading hands on the same bytes, in order, and hashes them as they pass (read once)', async () => {
		const { Readable, Writable } = require('node:stream');
		const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1000 + i, i));
		const all = Buffer.concat(chunks);
		let reads = 0;
		const source = new Readable({
			read() {
				reads += 1;
				this.push(reads <= chunks.length ? chunks[reads - 1] : null);
			},
		});
		const hashing = hashWhileReading(source);
		const received: Buffer[] = [];
		await new Promise((resolve, reject) => {
			const sink = new Writable({
				highWaterMark: 1,
				write(chunk: Buffer, _encoding: string, done: () => void) {
					received.push(chunk);
					setImmediate(done);
				},
			});
			sink.on('finish', resolve);
			sink.on('error', reject);
			hashing.stream.pipe(sink);
		});
		expect(Buffer.concat(received).equals(all)).toBe(true);
		expect(reads).toBe(chunks.length + 1);
		expect(hashing.result()).toEqual({ sha256: createHash('sha256').update(all).digest('base64'), bytes: all.length });
		expect(hashing.failure()).toBeUndefined();
	});

	test('hashWhileReading with endOnError ends a piped write whose source fails, and reports the failure', async () => {
		// Readable.pipe ignores a source's error: without the end, the destination (n8n's file write) would never finish.
		const { Readable, Writable } = require('node:stream');
		const source = Readable.from(
			(async function* () {
				yield Buffer.from('abc');
				throw new Error('binary store read failed');
			})(),
		);
		const hashing = hashWhileReading(source, { endOnError: true });
		const received: Buffer[] = [];
		const finished = await new Promise((resolve, reject) => {
			const sink = new Writable({
				write(chunk: Buffer, _encoding: string, done: () => void) {
					received.push(chunk);
					done();
				},
			});
			sink.on('finish', () => resolve('finished'));
			sink.on('error', reject);
			hashing.stream.pipe(sink);
		});
		expect(finished).toBe('finished');
		expect(Buffer.concat(received).toString()).toBe('abc');
		expect(hashing.failure()?.message).toBe('binary store read failed');
		expect(hashing.result().bytes).toBe(3);
	});
});
