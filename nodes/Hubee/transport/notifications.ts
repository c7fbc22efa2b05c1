import type { IAllExecuteFunctions, IDataObject } from 'n8n-workflow';

import { describeFailure } from '../../common/httpFailure';
import { hubeeErrorMessage } from './errors';
import { hubeeRequest } from './index';

type HubeeContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

export interface Notification extends IDataObject {
	id: string;
	caseId?: string;
	eventId?: string | null;
	eventStatus?: string | null;
}

/** One batch of the queue; eventDetails adds eventActionType and eventStatus; processCode is always sent. */
export async function getNotifications(context: HubeeContext, processCodes: string[], maxResult: number): Promise<Notification[]> {
	const batch = await hubeeRequest<Notification[]>(context, {
		method: 'GET',
		path: '/notifications',
		qs: { maxResult, eventDetails: true, processCode: processCodes },
	});
	return Array.isArray(batch) ? batch.filter((entry) => entry && typeof entry.id === 'string') : [];
}

/**
 * A notification with what a workflow needs to handle it: the case (new case) or the event, the attachment list
 * and the case's externalId. A notification whose event is already RECEIVED only needs its DELETE, so nothing is
 * fetched for it. A failed lookup (a purged case, a 403) is reported in `detailsError` instead of stopping the poll.
 */
export async function enrichNotification(context: HubeeContext, notification: Notification): Promise<IDataObject> {
	const json: IDataObject = { ...notification, externalId: null, caseStatus: null, attachments: [], detailsError: null };
	const caseId = String(notification.caseId ?? '');
	if (!caseId || (notification.eventId && notification.eventStatus === 'RECEIVED')) return json;
	try {
		if (!notification.eventId) {
			const theCase = await hubeeRequest<IDataObject>(context, { method: 'GET', path: `/cases/${caseId}` });
			Object.assign(json, {
				case: theCase,
				externalId: theCase.externalId ?? null,
				caseStatus: theCase.status ?? null,
				attachments: Array.isArray(theCase.attachments) ? theCase.attachments : [],
			});
		} else {
			const theCase = await hubeeRequest<IDataObject>(context, { method: 'GET', path: `/cases/${caseId}`, qs: { lite: true } });
			const event = await hubeeRequest<IDataObject>(context, {
				method: 'GET',
				path: `/cases/${caseId}/events/${String(notification.eventId)}`,
			});
			Object.assign(json, {
				event,
				externalId: theCase.externalId ?? null,
				caseStatus: theCase.status ?? null,
				attachments: Array.isArray(event.attachments) ? event.attachments : [],
			});
		}
	} catch (error) {
		const failure = describeFailure(error);
		json.detailsError = hubeeErrorMessage(failure.body) ?? (error as Error).message;
	}
	return json;
}
