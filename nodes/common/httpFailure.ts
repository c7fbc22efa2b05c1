import type { IDataObject } from 'n8n-workflow';

/** What a failed HTTP call looked like, whatever wrapped it (n8n's NodeApiError, axios, a plain Error). */
export interface HttpFailure {
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
	/** Node network error code such as ECONNRESET, when no response arrived. */
	networkCode?: string;
	message: string;
}

/** An error body as an object, when it is one; each service's error reader starts from it. */
export function bodyObject(body: unknown): IDataObject | undefined {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return result;
	for (const [key, value] of Object.entries(headers as IDataObject)) {
		if (value !== undefined && value !== null) result[key.toLowerCase()] = String(value);
	}
	return result;
}

function parseMaybeJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return body;
	try {
		return JSON.parse(trimmed);
	} catch {
		return body;
	}
}

/** n8n wraps the axios error as `cause`; older helpers put the response on the error itself. */
export function describeFailure(error: unknown): HttpFailure {
	const chain: IDataObject[] = [];
	let current = error as IDataObject | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		chain.push(current);
		current = (current.cause ?? undefined) as IDataObject | undefined;
	}
	const failure: HttpFailure = { headers: {}, message: String((error as Error)?.message ?? error) };
	for (const link of chain) {
		const response = link.response as IDataObject | undefined;
		if (response && typeof response === 'object') {
			failure.status ??= Number(response.status ?? response.statusCode) || undefined;
			if (!Object.keys(failure.headers).length) failure.headers = lowerCaseHeaders(response.headers);
			failure.body ??= parseMaybeJson(response.data ?? response.body);
		}
		const code = typeof link.code === 'string' ? link.code : undefined;
		if (code && NETWORK_CODES.has(code)) failure.networkCode ??= code;
	}
	if (failure.status === undefined) {
		for (const link of chain) {
			const status = Number(link.httpCode ?? link.statusCode ?? link.status);
			if (status >= 100 && status < 600) {
				failure.status = status;
				break;
			}
		}
	}
	if (failure.body === undefined) {
		const context = (chain[0]?.context ?? {}) as IDataObject;
		failure.body = context.data ?? (chain[0]?.errorResponse as IDataObject | undefined)?.body;
	}
	return failure;
}

const STREAMED_ERROR_BODY_LIMIT = 64 * 1024;

function isReadable(value: unknown): value is NodeJS.ReadableStream & { destroy?: () => void } {
	return typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function';
}

/**
 * A request made with `encoding: 'stream'` fails with its error body still a stream. Reads it (bounded) in place so
 * the service's own message can be read from it, and so the connection is released.
 */
export async function readStreamedErrorBody(error: unknown): Promise<void> {
	let current = error as IDataObject | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const response = current.response as IDataObject | undefined;
		const data = response?.data;
		if (response && isReadable(data)) {
			const chunks: Buffer[] = [];
			let size = 0;
			try {
				for await (const chunk of data as AsyncIterable<Buffer | string>) {
					const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
					if (size < STREAMED_ERROR_BODY_LIMIT) chunks.push(buffer.subarray(0, STREAMED_ERROR_BODY_LIMIT - size));
					size += buffer.length;
					if (size >= STREAMED_ERROR_BODY_LIMIT) break;
				}
			} catch {
				// A body cut by the network leaves what was read.
			}
			data.destroy?.();
			response.data = Buffer.concat(chunks).toString('utf8');
		}
		current = (current.cause ?? undefined) as IDataObject | undefined;
	}
}
