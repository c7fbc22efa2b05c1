import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { transportClock } from '../../../common/request';
import { recocoPaginate, recocoRequest } from '../../transport';
import { addonBody, addonFieldProperties } from './fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['resourceAddon'], operation: ['create'] } },
	addonFieldProperties,
);

const MAX_ATTEMPTS = 3;

/** A failure after which the add-on may or may not have been created: no answer, a gateway error, a limit. */
function outcomeUnknown(error: unknown): boolean {
	const httpCode = (error as { httpCode?: string | null }).httpCode;
	return httpCode === undefined || httpCode === null || ['429', '500', '502', '503', '504'].includes(String(httpCode));
}

async function addonIds(context: IExecuteFunctions, body: IDataObject, itemIndex: number): Promise<Set<number>> {
	const existing = await recocoPaginate(context, '/resource-addons/', {
		qs: { recommendation: body.recommendation, nature: body.nature },
		itemIndex,
	});
	return new Set(existing.map((addon) => Number(addon.id)));
}

/**
 * POST creates, so the transport never repeats it. When the outcome of a POST is unknown, this
 * re-reads the recommendation's add-ons: one that appeared since is the one we created; if none
 * did, the POST did not land and is sent again.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = addonBody(this, itemIndex);
	const before = await addonIds(this, body, itemIndex);
	for (let attempt = 1; ; attempt++) {
		let failure: unknown;
		try {
			return await recocoRequest(this, {
				method: 'POST',
				path: '/resource-addons/',
				body,
				itemIndex,
			});
		} catch (error) {
			failure = error;
		}
		// Already a NodeApiError naming the item and the cause.
		if (!outcomeUnknown(failure) || attempt >= MAX_ATTEMPTS) throw failure;
		{
			const created = await recocoPaginate(this, '/resource-addons/', {
				qs: { recommendation: body.recommendation, nature: body.nature },
				itemIndex,
			});
			const landed = created.find((addon) => !before.has(Number(addon.id)));
			if (landed) return landed;
			await transportClock.sleep(1000 * 2 ** (attempt - 1));
		}
	}
}
