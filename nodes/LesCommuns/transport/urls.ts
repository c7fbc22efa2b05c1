import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withoutTrailingSlashes } from '../../common/baseUrl';

const LES_COMMUNS_ENVIRONMENTS: Record<string, string> = {
	production: 'https://les-communs-transition-ecologique-api-prod.osc-fr1.scalingo.io',
	staging: 'https://les-communs-transition-ecologique-api-staging.osc-fr1.scalingo.io',
};

/** Les Communs serves its routes at the root (no /api prefix; /api is its Swagger UI). */
export function lesCommunsApiBase(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'production');
	return withoutTrailingSlashes(
		environment === 'custom' ? credentials.url : (LES_COMMUNS_ENVIRONMENTS[environment] ?? LES_COMMUNS_ENVIRONMENTS.production),
	);
}
