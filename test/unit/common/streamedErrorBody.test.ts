import { Readable } from 'node:stream';

import { describeFailure, readStreamedErrorBody } from '../../../nodes/common/httpFailure';

describe('readStreamedErrorBody', () => {
	test('a streamed error body (encoding: stream) is read in place so the service message can be parsed', async () => {
		const axiosError = {
			message: 'Request failed with status code 404',
			response: { status: 404, headers: {}, data: Readable.from([Buffer.from('{"errors":[{"code":404,'), Buffer.from('"message":"File is not found"}]}')]) },
		};
		const wrapped = { message: 'wrapped', cause: axiosError };
		await readStreamedErrorBody(wrapped);
		expect(describeFailure(wrapped)).toMatchObject({ status: 404, body: { errors: [{ code: 404, message: 'File is not found' }] } });
	});

	test('reads at most 64 KiB and leaves non-stream bodies alone', async () => {
		const huge = { response: { status: 500, data: Readable.from([Buffer.alloc(200 * 1024, 97)]) } };
		await readStreamedErrorBody(huge);
		expect((huge.response.data as unknown as string).length).toBe(64 * 1024);
		const plain = { response: { status: 400, data: { error: 'x' } } };
		await readStreamedErrorBody(plain);
		expect(plain.response.data).toEqual({ error: 'x' });
	});
});
