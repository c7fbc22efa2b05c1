import type { IAllExecuteFunctions, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { serviceRequest } from '../../common/request';
import type { ServiceProfile } from '../../common/serviceProfile';
import { lesCommunsErrorMessage } from './errors';
import { lesCommunsBucket } from './rateLimits';
import { lesCommunsApiBase } from './urls';

export const LES_COMMUNS_CREDENTIAL = 'lesCommunsApi';

export const lesCommunsProfile: ServiceProfile = {
	name: 'Les Communs',
	credentialType: LES_COMMUNS_CREDENTIAL,
	errorMessage: (body, failure) => {
		const message = lesCommunsErrorMessage(body);
		// "Invalid API key" alone does not say where to fix it.
		if (failure.status === 401) return `${message ?? 'unauthorized'}. Check the API key of the Les Communs credential`;
		return message;
	},
	secretFields: ['apiKey'],
};

export interface LesCommunsCall {
	method: IHttpRequestMethods;
	/** Relative to the API root, e.g. `/projets`: the credential fills the base URL. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Absent for the editor's pickers, which run for no item. */
	itemIndex?: number;
	/** May be sent twice without changing the outcome: the shared transport then retries 429 and 5xx. */
	idempotent?: boolean;
}

/** Every Les Communs call: waits its turn in the process-wide rate bucket, then goes through the shared transport. */
export async function lesCommunsRequest<T = unknown>(
	context: Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>,
	call: LesCommunsCall,
): Promise<T> {
	// Read only to key the rate bucket by host; authentication stays with the credential's authenticate.
	const credentials = await context.getCredentials(LES_COMMUNS_CREDENTIAL, call.itemIndex);
	// Taken once per call, not per retry: a retry follows a 429 and waits the Retry-After the API gave.
	await lesCommunsBucket(lesCommunsApiBase(credentials), call.path).take();
	return await serviceRequest<T>(
		context,
		lesCommunsProfile,
		{
			method: call.method,
			url: call.path,
			json: true,
			...(call.body !== undefined ? { body: call.body } : {}),
			...(call.qs !== undefined ? { qs: call.qs } : {}),
		},
		{ itemIndex: call.itemIndex, idempotent: call.idempotent },
	);
}
