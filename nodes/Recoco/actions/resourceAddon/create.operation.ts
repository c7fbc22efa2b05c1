import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { transportClock } from '../../../common/request';
import { addonBody } from '../../helpers/addonBody';
import { recocoPaginate, recocoRequest } from '../../transport';
import { addonFieldProperties } from '../common.descriptions';

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

/** The add-ons of the body's recommendation and nature, as they are now. */
async function addonsLike(context: IExecuteFunctions, body: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	return await recocoPaginate(context, '/resource-addons/', {
		qs: { recommendation: body.recommendation, nature: body.nature },
		itemIndex,
	});
}

/**
 * POST creates, so the transport never repeats it. When the outcome of a POST is unknown, this
 * re-reads the recommendation's add-ons: one that appeared since is the one we created; if none
 * did, the POST did not land and is sent again.
 */
async function createAddon(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = addonBody(context, itemIndex);
	const before = new Set((await addonsLike(context, body, itemIndex)).map((addon) => Number(addon.id)));
	for (let attempt = 1; ; attempt++) {
		let failure: unknown;
		try {
			return await recocoRequest(context, {
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
		const landed = (await addonsLike(context, body, itemIndex)).find((addon) => !before.has(Number(addon.id)));
		if (landed) return landed;
		await transportClock.sleep(1000 * 2 ** (attempt - 1));
	}
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => await createAddon(this, itemIndex));
}
