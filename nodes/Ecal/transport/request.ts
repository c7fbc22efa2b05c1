import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { serviceRequest } from '../../common/request';
import type { ServiceProfile } from '../../common/serviceProfile';

export const ECAL_CREDENTIAL = 'ecalApi';

type RequestContext = Parameters<typeof serviceRequest>[0];

/** ECAL's error body is `{status, statusLong}`, e.g. 403 "API signature does not match". */
export function ecalErrorMessage(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const statusLong = (body as IDataObject).statusLong;
	return typeof statusLong === 'string' && statusLong.trim() ? statusLong.trim() : undefined;
}

export const ecalProfile: ServiceProfile = {
	name: 'ECAL',
	credentialType: ECAL_CREDENTIAL,
	errorMessage: (body, failure) => {
		const message = ecalErrorMessage(body);
		// ECAL answers 403 both for a wrong signature and for an inactive key: say where to fix either.
		if (failure.status === 403) return `${message ?? 'forbidden'}. Check the API key and secret of the ECAL credential`;
		return message;
	},
	secretFields: ['apiKey', 'apiSecret'],
};

/**
 * Creating is not idempotent: a POST whose reply was lost may have created the event. 429 is the one failure that
 * guarantees nothing was applied, so it alone is retried (after Retry-After); callers re-read by reference otherwise.
 */
export const ecalCreateProfile: ServiceProfile = {
	...ecalProfile,
	retryDecision: (failure) =>
		failure.status === 429
			? { retry: true }
			: { retry: false, reason: 'A create is never retried blindly: the event may exist although the reply was lost' },
};

/** Counts the API calls an operation makes (retries inside the transport excluded). */
export interface RequestCounter {
	requests: number;
}

export interface EcalCall {
	method: IHttpRequestMethods;
	/** Relative to the API root, e.g. `/event/`: the credential fills the base URL and signs. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** A POST that creates: retried on 429 only. */
	create?: boolean;
	counter?: RequestCounter;
}

/** Every ECAL call; signing happens in the credential's authenticate, over the exact body string it sends. */
export async function ecalRequest<T = unknown>(context: RequestContext, call: EcalCall): Promise<T> {
	if (call.counter) call.counter.requests += 1;
	return await serviceRequest<T>(
		context,
		call.create ? ecalCreateProfile : ecalProfile,
		{
			method: call.method,
			url: call.path,
			json: true,
			...(call.qs !== undefined ? { qs: call.qs } : {}),
			...(call.body !== undefined ? { body: call.body } : {}),
		},
		{ itemIndex: call.itemIndex, ...(call.create ? { idempotent: true } : {}) },
	);
}

/** The `data` of a success envelope `{data, status, statusLong}`; an empty 204 gives undefined. */
export function ecalData<T>(response: unknown): T | undefined {
	if (!response || typeof response !== 'object' || Array.isArray(response)) return undefined;
	return (response as IDataObject).data as T | undefined;
}

export function eventPath(idOrReference?: string): string {
	return idOrReference ? `/event/${encodeURIComponent(idOrReference)}` : '/event/';
}

export function calendarPath(idOrReference?: string): string {
	return idOrReference ? `/calendar/${encodeURIComponent(idOrReference)}` : '/calendar/';
}
