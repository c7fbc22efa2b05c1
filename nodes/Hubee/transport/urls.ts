import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withoutTrailingSlashes } from '../../common/baseUrl';

const HUBEE_ENVIRONMENTS: Record<string, { apiUrl: string; tokenUrl: string }> = {
	production: {
		apiUrl: 'https://api.hubee.numerique.gouv.fr',
		tokenUrl: 'https://auth.hubee.numerique.gouv.fr/oauth2/token',
	},
	preprod: {
		apiUrl: 'https://api.bas.hubee.numerique.gouv.fr',
		tokenUrl: 'https://auth.bas.hubee.numerique.gouv.fr/oauth2/token',
	},
	recette: {
		apiUrl: 'https://api.basrec.hubee.numerique.gouv.fr',
		tokenUrl: 'https://auth.basrec.hubee.numerique.gouv.fr/oauth2/token',
	},
};

export function hubeeEndpoints(credentials: ICredentialDataDecryptedObject): { apiUrl: string; tokenUrl: string } {
	const environment = String(credentials.environment ?? 'production');
	if (environment === 'custom') {
		return {
			apiUrl: withoutTrailingSlashes(credentials.apiUrl),
			tokenUrl: String(credentials.tokenUrl ?? '').trim(),
		};
	}
	return HUBEE_ENVIRONMENTS[environment] ?? HUBEE_ENVIRONMENTS.production;
}
