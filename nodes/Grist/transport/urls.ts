import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withoutApiSuffix } from '../../common/baseUrl';

export function gristApiBase(credentials: ICredentialDataDecryptedObject): string {
	return `${withoutApiSuffix(credentials.url)}/api`;
}
