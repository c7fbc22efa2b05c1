/**
 * HubEE case statuses in workflow order (contract table "statuts entrants"). DONE, REFUSED and SI_INTG_ERROR are
 * the three final statuses of an SI; CLOSED is set by the OSL once the applicant has been told.
 */
export const CASE_STATUS_RANK: Readonly<Record<string, number>> = {
	HUBEE_RECEIVED: 0,
	HUBEE_COMPLETED: 1,
	HUBEE_NOTIFIED: 2,
	SENT: 3,
	SI_RECEIVED: 4,
	IN_PROGRESS: 5,
	ADD_AWAITING: 6,
	DONE: 7,
	REFUSED: 7,
	SI_INTG_ERROR: 7,
	CLOSED: 8,
};

/** Statuses an SI may set on a case. */
export const SI_TARGET_STATUSES = ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE', 'REFUSED', 'SI_INTG_ERROR'] as const;

export type StatusPlan =
	| { action: 'post' }
	| { action: 'skip'; reason: 'alreadyAtTarget' | 'alreadyPastTarget' }
	| { action: 'refuse'; message: string };

/**
 * What Update Status does for a case read at `current`: never backwards (a no-op when the case is at or past the
 * target, which makes a re-run after a crash harmless) and never sideways between two statuses of the same rank.
 */
export function planStatusChange(current: string, target: string): StatusPlan {
	const targetRank = CASE_STATUS_RANK[target];
	if (!(SI_TARGET_STATUSES as readonly string[]).includes(target) || targetRank === undefined) {
		return { action: 'refuse', message: `"${target}" is not a status an SI can set (${SI_TARGET_STATUSES.join(', ')})` };
	}
	const currentRank = CASE_STATUS_RANK[current];
	if (currentRank === undefined) {
		return { action: 'refuse', message: `The case has an unknown status "${current}"; it was left unchanged` };
	}
	if (current === target) return { action: 'skip', reason: 'alreadyAtTarget' };
	if (currentRank > targetRank) return { action: 'skip', reason: 'alreadyPastTarget' };
	if (currentRank === targetRank) {
		return {
			action: 'refuse',
			message: `The case is already ${current}; moving it sideways to ${target} is refused`,
		};
	}
	// The contract allows SI_INTG_ERROR only from SI_RECEIVED on.
	if (target === 'SI_INTG_ERROR' && currentRank < CASE_STATUS_RANK.SI_RECEIVED) {
		return {
			action: 'refuse',
			message: `SI_INTG_ERROR can only be set from SI_RECEIVED on, and the case is ${current}: move it to SI_RECEIVED first`,
		};
	}
	return { action: 'post' };
}

/** True when a case read at `current` has reached `target` or gone past it (used after a failed status POST). */
export function hasReached(current: string, target: string): boolean {
	const plan = planStatusChange(current, target);
	return plan.action === 'skip';
}
