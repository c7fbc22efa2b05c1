import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withoutTrailingSlashes } from '../../common/baseUrl';

export function monCampusTimetableBase(credentials: ICredentialDataDecryptedObject): string {
	return withoutTrailingSlashes(credentials.timetableUrl);
}
