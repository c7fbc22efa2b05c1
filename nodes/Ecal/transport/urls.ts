import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withoutTrailingSlashes } from '../../common/baseUrl';

export function ecalApiBase(credentials: ICredentialDataDecryptedObject): string {
	return withoutTrailingSlashes(credentials.url);
}
