import { changedFields, referenceOf, slotKey, type EcalEvent, type EcalEventBody } from './eventFields';

export interface DesiredEvent {
	reference: string;
	body: EcalEventBody;
	/** Input item the event came from. */
	itemIndex: number;
}

export interface SyncPlanInput {
	/** Valid desired events, references unique and starting with `prefix`. */
	desired: DesiredEvent[];
	/** The calendar's events in the window, in the order ECAL listed them. */
	listed: EcalEvent[];
	prefix: string;
	/** References of input items that failed validation: their events are neither updated nor deleted. */
	protectedReferences?: ReadonlySet<string>;
	/** Set to adopt the old tool's events; a reference matching it is a legacy one. */
	legacyReference?: RegExp;
}

export interface SyncPlan {
	creates: DesiredEvent[];
	updates: Array<{ desired: DesiredEvent; existing: EcalEvent; changedFields: string[] }>;
	unchanged: Array<{ desired: DesiredEvent; existing: EcalEvent }>;
	/** Legacy events that get our reference (and our fields) by a PUT. */
	adoptions: Array<{ desired: DesiredEvent; existing: EcalEvent; changedFields: string[] }>;
	/** Our events (the kept copy per reference) that are no longer desired. */
	deletes: EcalEvent[];
	/** Further events carrying one of our references: the one with the lowest id is kept. */
	duplicates: Array<{ existing: EcalEvent; keptId: string }>;
	/** Further legacy events on a slot that was adopted: the old tool's duplicates. */
	legacyDuplicates: Array<{ existing: EcalEvent; keptId: string }>;
	/** Events without a reference or with a foreign one (legacy ones not adopted included): never touched. */
	notOwned: EcalEvent[];
	/** Distinct references of ours listed in the window, before the run. */
	oursBefore: number;
}

/**
 * The order that picks which copy of a reference survives: the lowest id, whatever the listing order. Overlapping
 * runs that each remove the others' copies then keep the same one, never delete each other's and leave none. ECAL
 * ids are 24 hex characters (time-ordered, so the lowest is the oldest copy); length first for any other id.
 */
function idOrder(a: EcalEvent, b: EcalEvent): number {
	const left = String(a.id);
	const right = String(b.id);
	return left.length - right.length || (left < right ? -1 : left > right ? 1 : 0);
}

/**
 * Plans a reference-keyed sync of one calendar window. Pure: the caller lists once, then performs the plan.
 * Only events whose reference starts with `prefix` are ours; nothing else is ever updated or deleted, except the
 * old tool's events on a slot we adopt when `legacyReference` is given.
 */
export function planSync(input: SyncPlanInput): SyncPlan {
	const { desired, listed, prefix, legacyReference } = input;
	const protectedReferences = input.protectedReferences ?? new Set<string>();
	const plan: SyncPlan = {
		creates: [],
		updates: [],
		unchanged: [],
		adoptions: [],
		deletes: [],
		duplicates: [],
		legacyDuplicates: [],
		notOwned: [],
		oursBefore: 0,
	};

	const ours = new Map<string, EcalEvent>();
	const copies: EcalEvent[] = [];
	const legacyBySlot = new Map<string, EcalEvent[]>();
	for (const event of listed) {
		const reference = referenceOf(event);
		if (reference && prefix && reference.startsWith(prefix)) {
			const kept = ours.get(reference);
			copies.push(event);
			if (!kept || idOrder(event, kept) < 0) ours.set(reference, event);
		} else if (reference && legacyReference?.test(reference)) {
			const slot = slotKey(event);
			legacyBySlot.set(slot, [...(legacyBySlot.get(slot) ?? []), event]);
		} else {
			plan.notOwned.push(event);
		}
	}
	for (const event of copies) {
		const kept = ours.get(referenceOf(event))!;
		if (kept !== event) plan.duplicates.push({ existing: event, keptId: String(kept.id) });
	}
	plan.oursBefore = ours.size;

	const wanted = new Set(desired.map((event) => event.reference));
	const missing: DesiredEvent[] = [];
	const oursSlots = new Map<string, string>();
	for (const event of desired) {
		const existing = ours.get(event.reference);
		if (!existing) {
			missing.push(event);
			continue;
		}
		if (!oursSlots.has(slotKey(event.body))) oursSlots.set(slotKey(event.body), String(existing.id));
		const changed = changedFields(event.body, existing);
		if (changed.length) plan.updates.push({ desired: event, existing, changedFields: changed });
		else plan.unchanged.push({ desired: event, existing });
	}

	// Legacy slots: pair each missing event with one legacy event on its slot, in listed order.
	const adoptedSlots = new Map<string, string>();
	for (const event of missing) {
		const slot = slotKey(event.body);
		const candidates = legacyBySlot.get(slot);
		const legacy = candidates?.shift();
		if (!legacy) {
			plan.creates.push(event);
			continue;
		}
		adoptedSlots.set(slot, String(legacy.id));
		plan.adoptions.push({ desired: event, existing: legacy, changedFields: ['reference', ...changedFields(event.body, legacy)] });
	}
	for (const [slot, rest] of legacyBySlot) {
		// A slot we already hold (adopted now or in an earlier run) makes any legacy copy on it a duplicate.
		const keptId = adoptedSlots.get(slot) ?? oursSlots.get(slot);
		for (const legacy of rest) {
			if (keptId) plan.legacyDuplicates.push({ existing: legacy, keptId });
			else plan.notOwned.push(legacy);
		}
	}

	for (const [reference, event] of ours) {
		if (!wanted.has(reference) && !protectedReferences.has(reference)) plan.deletes.push(event);
	}
	return plan;
}

export interface DeleteShare {
	deletes: number;
	ours: number;
	percent: number;
	refused: boolean;
}

/**
 * The safety stop: a run that would delete more than `maxPercent` % of our events in the window is refused, so an
 * upstream outage that returns no events cannot empty the calendar. Duplicates do not count: they are copies.
 */
export function deleteShare(plan: Pick<SyncPlan, 'deletes' | 'oursBefore'>, maxPercent: number): DeleteShare {
	const deletes = plan.deletes.length;
	const ours = plan.oursBefore;
	const percent = ours ? Math.round((deletes / ours) * 1000) / 10 : 0;
	return { deletes, ours, percent, refused: deletes > 0 && (deletes / ours) * 100 > maxPercent };
}
