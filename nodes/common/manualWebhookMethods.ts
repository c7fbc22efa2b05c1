import type { IHookFunctions } from 'n8n-workflow';

/**
 * Lifecycle for a webhook that a person registers by hand in the service (Recoco's Django admin, a Bitrix24
 * outgoing webhook): neither service offers an API to do it, so activation has nothing to create or remove.
 */
export const manualWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
