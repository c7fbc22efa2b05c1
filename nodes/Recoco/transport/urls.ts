import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withoutApiSuffix } from '../../common/baseUrl';

/** `https://<portal>` — the JWT endpoint is `<portal>/api/token/`. */
export function recocoPortalUrl(credentials: ICredentialDataDecryptedObject): string {
	return withoutApiSuffix(credentials.url);
}

export function recocoApiBase(credentials: ICredentialDataDecryptedObject): string {
	return `${recocoPortalUrl(credentials)}/api`;
}
