import type { IAllExecuteFunctions, IDataObject, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';

import { serviceRequest, type ServiceRequestOptions } from '../../common/request';
import { hubeeErrorMessage } from './errors';
import type { ServiceProfile } from '../../common/serviceProfile';

/**
 * The token comes from the credential's preAuthentication (client credentials, with the identification headers
 * editorName/applicationName/softwareVersion on the token call too) and n8n asks for a new one once when HubEE
 * answers 401, which is what it answers for an expired token. The credential's authenticate adds the identification
 * headers to every API call.
 */
export const hubeeProfile: ServiceProfile = {
	name: 'HubEE',
	credentialType: 'hubeeApi',
	// 403 "Unauthorized user" and 404 "Case is not found" come as {errors: [{code, message}]}.
	errorMessage: hubeeErrorMessage,
	secretFields: ['clientSecret', 'accessToken'],
	// DINUM: "retry 5 times by default, do not change without reason".
	retryPolicy: { maxAttempts: 5 },
};

export const API = '/teledossiers/v1';

type HubeeContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

export interface HubeeRequest {
	method: IHttpRequestMethods;
	/** Below /teledossiers/v1, e.g. `/cases/<id>`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** For a PATCH that sets a fixed state (acknowledge, send): safe to send twice. */
	idempotent?: boolean;
	retryPolicy?: ServiceRequestOptions['retryPolicy'];
}

export async function hubeeRequest<T = IDataObject>(context: HubeeContext, request: HubeeRequest): Promise<T> {
	return await serviceRequest<T>(
		context,
		hubeeProfile,
		{
			method: request.method,
			url: `${API}${request.path}`,
			qs: request.qs,
			body: request.body,
			json: true,
			// processCode and processPriority are arrays: `?processCode=A&processCode=B`.
			arrayFormat: 'repeat',
			headers: { Accept: 'application/json' },
		},
		{ itemIndex: request.itemIndex, idempotent: request.idempotent, retryPolicy: request.retryPolicy },
	);
}

/**
 * The response body of a streamed download, a stream.Readable (node:stream may not be imported by a community
 * node): `map` passes each chunk through a function, which is how a download is hashed as it is stored.
 */
export type ByteStream = NodeJS.ReadableStream & {
	destroy(error?: Error): void;
	map(fn: (chunk: Buffer | string) => Buffer): ByteStream;
};

export interface DownloadResponse {
	body: ByteStream;
	headers: Record<string, string>;
}

/**
 * A file as a stream (the gateway allows 5 min for binary endpoints): the body is never buffered here. A failed
 * GET is retried like any GET; its streamed error body is read for HubEE's message by the shared request core.
 */
export async function hubeeDownload(context: HubeeContext, path: string, itemIndex?: number): Promise<DownloadResponse> {
	const response = await serviceRequest<IN8nHttpFullResponse>(
		context,
		hubeeProfile,
		{
			method: 'GET',
			url: `${API}${path}`,
			encoding: 'stream',
			returnFullResponse: true,
			headers: { Accept: 'application/octet-stream' },
			timeout: 300_000,
		},
		{ itemIndex },
	);
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(response.headers ?? {})) {
		if (value !== undefined && value !== null) headers[key.toLowerCase()] = String(value);
	}
	return { body: response.body as ByteStream, headers };
}

/** A binary to a declared event attachment (`Content-Type: application/octet-stream`); PUT may be sent twice. */
export async function hubeeUpload(context: HubeeContext, path: string, content: Buffer, itemIndex?: number): Promise<void> {
	await serviceRequest(
		context,
		hubeeProfile,
		{
			method: 'PUT',
			url: `${API}${path}`,
			body: content,
			headers: { 'Content-Type': 'application/octet-stream' },
			timeout: 300_000,
		},
		{ itemIndex },
	);
}
