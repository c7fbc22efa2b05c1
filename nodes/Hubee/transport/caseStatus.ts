import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../common/executeEachItem';
import { describeFailure } from '../../common/httpFailure';
import { transportClock } from '../../common/request';
import { backoffDelay, DEFAULT_RETRY_POLICY, defaultRetryDecision } from '../../common/retryPolicy';
import { hasReached, planStatusChange } from '../helpers/caseStatus';
import { hubeeRequest, hubeeProfile } from './index';

export interface StatusUpdate {
	caseId: string;
	target: string;
	author: string;
	message?: string;
	notifyOsl: boolean;
	patchCaseFirst: boolean;
	itemIndex: number;
}

export interface StatusOutcome {
	refused?: string;
	result: IDataObject;
}

const ATTEMPTS = hubeeProfile.retryPolicy?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts;

async function readCase(context: IExecuteFunctions, caseId: string, itemIndex: number): Promise<IDataObject> {
	return await hubeeRequest<IDataObject>(context, { method: 'GET', path: `/cases/${caseId}`, itemIndex });
}

function statusEvents(theCase: IDataObject, target: string): IDataObject[] {
	const events = Array.isArray(theCase.events) ? (theCase.events as IDataObject[]) : [];
	return events.filter((event) => event.actionType === 'STATUS_UPDATE' && event.caseNewStatus === target);
}

/**
 * Sends a write that must not be repeated blindly (a POST creates an event; a lost answer may hide a success).
 * After a failure the case is re-read: `applied` says whether the write took effect, and only if it did not, a
 * retryable failure (5xx, 429, network) is tried again with backoff, up to the profile's attempts.
 */
async function sendOnce<T>(
	context: IExecuteFunctions,
	update: StatusUpdate,
	send: () => Promise<T>,
	applied: (theCase: IDataObject) => T | undefined,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await send();
		} catch (error) {
			let reread: IDataObject | undefined;
			try {
				reread = await readCase(context, update.caseId, update.itemIndex);
			} catch {
				reread = undefined;
			}
			const done = reread ? applied(reread) : undefined;
			if (done !== undefined) return done;
			const failure = describeFailure(error);
			if (!reread || attempt >= ATTEMPTS || !defaultRetryDecision(failure).retry) throw itemError(context, error, update.itemIndex);
			await transportClock.sleep(backoffDelay(attempt, { ...DEFAULT_RETRY_POLICY, ...hubeeProfile.retryPolicy }));
		}
	}
}

/**
 * Case → Update Status: reads the case, refuses a move backwards or sideways, does nothing when the case is at or
 * past the target, else posts the STATUS_UPDATE event (after a PATCH of the case when asked). A re-run after a crash
 * between the status and the notification's DELETE therefore posts nothing again.
 */
export async function updateCaseStatus(context: IExecuteFunctions, update: StatusUpdate): Promise<StatusOutcome> {
	const { caseId, target, itemIndex } = update;
	const theCase = await readCase(context, caseId, itemIndex);
	const previousStatus = String(theCase.status ?? '');
	const plan = planStatusChange(previousStatus, target);
	const result = (fields: IDataObject): IDataObject => ({
		caseId,
		previousStatus,
		status: previousStatus,
		targetStatus: target,
		changed: false,
		skipped: null,
		eventId: null,
		...fields,
	});
	if (plan.action === 'refuse') return { refused: plan.message, result: result({}) };
	if (plan.action === 'skip') return { result: result({ skipped: plan.reason }) };

	const eventsBefore = statusEvents(theCase, target).length;
	const newEventId = (reread: IDataObject): string | undefined => {
		const events = statusEvents(reread, target);
		return events.length > eventsBefore ? String(events[events.length - 1].id ?? '') : undefined;
	};

	if (update.patchCaseFirst) {
		await sendOnce(
			context,
			update,
			async () => {
				await hubeeRequest(context, {
					method: 'PATCH',
					path: `/cases/${caseId}`,
					body: { status: target },
					itemIndex,
					retryPolicy: { maxAttempts: 1 },
				});
				return true;
			},
			(reread) => (reread.status === target ? true : undefined),
		);
	}

	const body: IDataObject = {
		actionType: 'STATUS_UPDATE',
		author: update.author,
		notification: update.notifyOsl,
		caseCurrentStatus: previousStatus,
		caseNewStatus: target,
	};
	if (update.message) body.message = update.message;
	const posted = await sendOnce<{ eventId: string | null; skipped?: string }>(
		context,
		update,
		async () => {
			const event = await hubeeRequest<IDataObject>(context, {
				method: 'POST',
				path: `/cases/${caseId}/events`,
				body,
				itemIndex,
			});
			return { eventId: event?.id ? String(event.id) : null };
		},
		(reread) => {
			const eventId = newEventId(reread);
			if (eventId !== undefined) return { eventId };
			// Another run moved the case meanwhile (the POST then fails with 400): nothing left to do.
			if (!update.patchCaseFirst && hasReached(String(reread.status ?? ''), target)) {
				return { eventId: null, skipped: reread.status === target ? 'alreadyAtTarget' : 'alreadyPastTarget' };
			}
			return undefined;
		},
	);
	return {
		result: result({
			status: target,
			changed: !posted.skipped,
			skipped: posted.skipped ?? null,
			eventId: posted.eventId,
		}),
	};
}
