import { utf8ByteLength, jsonByteLength } from '../../../nodes/Grist/helpers/byteLength';
import { chunkRecords, GRIST_MAX_BODY_BYTES, packRecords } from '../../../nodes/Grist/helpers/chunkRecords';

const bodyBytes = (records: unknown[]) => Buffer.byteLength(JSON.stringify({ records }), 'utf8');

describe('utf8ByteLength', () => {
	it.each(['plain ascii', 'Étiquettes à déplacer', '日本語テキスト', 'emoji 🚀🌍 mixed', '\u2028 separators \u2029', 'lone \ud800 surrogate'])(
		'counts %j exactly as Buffer does once serialised',
		(text) => {
			expect(jsonByteLength(text)).toBe(Buffer.byteLength(JSON.stringify(text), 'utf8'));
		},
	);

	it('counts a surrogate pair as 4 bytes, not 2 code units', () => {
		expect(utf8ByteLength('🚀')).toBe(4);
		expect('🚀'.length).toBe(2);
	});
});

describe('chunkRecords', () => {
	it('keeps every body within 1 MB and loses or reorders no record', () => {
		const records = Array.from({ length: 5000 }, (_, id) => ({ require: { object_id: id }, fields: { name: `Projet ${id} `.repeat(20) } }));
		const chunks = chunkRecords(records);
		expect(chunks.length).toBeGreaterThan(1);
		for (const chunk of chunks) expect(bodyBytes(chunk)).toBeLessThanOrEqual(GRIST_MAX_BODY_BYTES);
		expect(chunks.flat()).toEqual(records);
	});

	it('counts multi-byte characters in bytes: a body of 3-byte characters is split where its string length would not', () => {
		// 120,000 characters of 3 bytes each per record: ~360 KB, so at most 2 per request though the JS length says 8.
		const records = Array.from({ length: 6 }, (_, id) => ({ fields: { id, text: '€'.repeat(120_000) } }));
		const chunks = chunkRecords(records);
		expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 2]);
		for (const chunk of chunks) expect(bodyBytes(chunk)).toBeLessThanOrEqual(GRIST_MAX_BODY_BYTES);
	});

	it('fills requests: never more than ceil(total bytes / limit) + 1 of them', () => {
		const records = Array.from({ length: 20000 }, (_, id) => ({ require: { object_id: id }, fields: { label: `Libellé ${id} ✓`, n: id * 1.5 } }));
		const chunks = chunkRecords(records);
		const total = chunks.reduce((sum, chunk) => sum + bodyBytes(chunk), 0);
		expect(chunks.length).toBeLessThanOrEqual(Math.ceil(total / GRIST_MAX_BODY_BYTES) + 1);
	});

	it('allows a body of exactly the limit and splits one byte above it', () => {
		const record = { fields: { text: 'x' } };
		const twoRecordBody = bodyBytes([record, record]);
		expect(chunkRecords([record, record], { maxBodyBytes: twoRecordBody })).toHaveLength(1);
		expect(chunkRecords([record, record], { maxBodyBytes: twoRecordBody - 1 })).toHaveLength(2);
	});

	it('stops at the record cap before the byte limit', () => {
		const records = Array.from({ length: 25 }, (_, id) => ({ fields: { id } }));
		expect(chunkRecords(records, { maxRecords: 10 }).map((chunk) => chunk.length)).toEqual([10, 10, 5]);
	});

	it('sends a record too large on its own alone, so only it is refused', () => {
		const big = { fields: { text: 'y'.repeat(200) } };
		const small = { fields: { text: 'z' } };
		const chunks = chunkRecords([small, big, small], { maxBodyBytes: 100 });
		expect(chunks).toEqual([[small], [big], [small]]);
	});

	it('sizes records by their wire shape, not by bookkeeping kept alongside', () => {
		const records = [
			{ require: { a: 1 }, fields: {}, itemIndexes: Array.from({ length: 1000 }, (_, i) => i) },
			{ require: { a: 2 }, fields: {}, itemIndexes: [0] },
		];
		const wire = ({ require, fields }: { require: object; fields: object }) => ({ require, fields });
		expect(chunkRecords(records, { maxBodyBytes: 200 }, wire)).toHaveLength(1);
	});
});

describe('packRecords', () => {
	it('serialises each body once, byte for byte what JSON.stringify would send, and within the limit', () => {
		const records = Array.from({ length: 4000 }, (_, id) => ({ require: { object_id: id }, fields: { name: `Région ${id} ✓`, note: 'ü'.repeat(200) } }));
		const requests = packRecords(records);
		expect(requests.length).toBeGreaterThan(1);
		for (const request of requests) {
			expect(request.body).toBe(JSON.stringify({ records: request.records }));
			expect(Buffer.byteLength(request.body, 'utf8')).toBeLessThanOrEqual(GRIST_MAX_BODY_BYTES);
		}
		expect(requests.flatMap((request) => request.records)).toEqual(records);
	});

	it('serialises the wire shape only', () => {
		const [request] = packRecords([{ require: { a: 1 }, fields: { b: 2 }, itemIndexes: [0, 1] }], {}, ({ require, fields }) => ({ require, fields }));
		expect(request.body).toBe('{"records":[{"require":{"a":1},"fields":{"b":2}}]}');
	});
});
