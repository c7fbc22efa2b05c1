import type { IAllExecuteFunctions, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { serviceRequest, type ServiceRequestOptions } from '../../common/request';
import { gristProfile, gristWriteOnceProfile } from './gristProfile';

export type GristContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

export interface GristRequest {
	method: IHttpRequestMethods;
	/** Path after `/api`, e.g. `/docs/abc/tables`; the credential supplies `<server>/api`. */
	path: string;
	/** A string is sent as it is, as JSON: bulk writes serialise their body once, while measuring it. */
	body?: IDataObject | unknown[] | string;
	qs?: IDataObject;
	/** A POST that writes: retried only when Grist refused it before reading it (see gristWriteOnceProfile). */
	writeOnce?: boolean;
}

/** Every Grist call goes through here, on the shared retry and error core. */
export async function gristRequest<T = unknown>(
	context: GristContext,
	request: GristRequest,
	options: ServiceRequestOptions = {},
): Promise<T> {
	return await serviceRequest<T>(
		context,
		request.writeOnce ? gristWriteOnceProfile : gristProfile,
		{
			method: request.method,
			url: request.path,
			qs: request.qs,
			body: request.body as IDataObject,
			...(typeof request.body === 'string' ? { headers: { 'Content-Type': 'application/json' } } : {}),
			json: true,
		},
		request.writeOnce ? { ...options, idempotent: true } : options,
	);
}

export function docPath(docId: string, rest = ''): string {
	return `/docs/${encodeURIComponent(docId)}${rest}`;
}

export function tablePath(docId: string, tableId: string, rest = ''): string {
	return docPath(docId, `/tables/${encodeURIComponent(tableId)}${rest}`);
}
