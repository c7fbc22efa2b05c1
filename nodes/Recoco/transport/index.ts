import type { IAllExecuteFunctions, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { serviceRequest } from '../../common/request';
import type { ServiceProfile } from '../../common/serviceProfile';
import { recocoErrorMessage } from './errors';

export const recocoProfile: ServiceProfile = {
	name: 'Recoco',
	credentialType: 'recocoApi',
	errorMessage: recocoErrorMessage,
	// Recoco lists SessionAuthentication first, so DRF answers 403 (not 401) to an expired JWT.
	preAuthenticationRetryStatusCode: [401, 403],
	secretFields: ['password', 'accessToken'],
};

type RecocoContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

export interface RecocoRequest {
	method: IHttpRequestMethods;
	/** Relative to the portal's `/api`, with Django's trailing slash: `/projects/12/`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
}

/** One call to the portal's API; the credential supplies the base URL and the authentication. */
export async function recocoRequest<T = IDataObject>(context: RecocoContext, request: RecocoRequest): Promise<T> {
	return await serviceRequest<T>(
		context,
		recocoProfile,
		{
			method: request.method,
			url: request.path,
			qs: request.qs,
			body: request.body,
			json: true,
			// Repeated filters (departments, status) go as `?status=A&status=B`, as DRF reads them.
			arrayFormat: 'repeat',
		},
		{ itemIndex: request.itemIndex },
	);
}

/** DRF LimitOffsetPagination: `{count, next, previous, results}`. */
interface RecocoPage {
	count?: number;
	next?: string | null;
	results?: IDataObject[];
}

export interface PaginateOptions {
	qs?: IDataObject;
	itemIndex?: number;
	/** Stop once this many records are collected; all of them when absent. */
	maxResults?: number;
	pageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 100;

/**
 * The paging parameters of DRF's `next` link. Only its query is used: Django builds the link from
 * the Host header it got, which behind a proxy may differ from the portal URL in the credential.
 */
export function nextPageQuery(next: string): IDataObject {
	const query: IDataObject = {};
	const url = new URL(next, 'http://recoco.invalid');
	for (const [key, value] of url.searchParams.entries()) {
		const existing = query[key];
		if (existing === undefined) query[key] = value;
		else query[key] = Array.isArray(existing) ? [...(existing as string[]), value] : [existing as string, value];
	}
	return query;
}

/** Every record of a list endpoint, following `next` until it is null (or enough are collected). */
export async function recocoPaginate(
	context: RecocoContext,
	path: string,
	options: PaginateOptions = {},
): Promise<IDataObject[]> {
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	const wanted = options.maxResults;
	const records: IDataObject[] = [];
	let qs: IDataObject = {
		...options.qs,
		limit: wanted !== undefined ? Math.min(pageSize, wanted) : pageSize,
		offset: 0,
	};
	const seen = new Set<string>();
	for (;;) {
		const response = await recocoRequest<RecocoPage | IDataObject[]>(context, {
			method: 'GET',
			path,
			qs,
			itemIndex: options.itemIndex,
		});
		// An endpoint without pagination answers a bare list.
		if (Array.isArray(response)) {
			records.push(...response);
			break;
		}
		records.push(...(response.results ?? []));
		if (!response.next || (wanted !== undefined && records.length >= wanted) || !(response.results ?? []).length) break;
		// A server that links back to a page already read would otherwise loop forever.
		if (seen.has(response.next)) break;
		seen.add(response.next);
		qs = { ...options.qs, ...nextPageQuery(response.next) };
	}
	return wanted !== undefined ? records.slice(0, wanted) : records;
}
