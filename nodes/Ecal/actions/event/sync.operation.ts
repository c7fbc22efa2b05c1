import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { failedItem, itemError } from '../../../common/executeEachItem';
import { redactText } from '../../../common/redact';
import { changedFields, eventBody, referenceOf, type EcalEvent, type EcalEventBody } from '../../helpers/eventFields';
import { deleteShare, planSync, type DesiredEvent } from '../../helpers/syncPlan';
import { toDate } from '../../helpers/wallClock';
import { createEvent, deleteEvent, updateEvent } from '../../transport/events';
import { listEvents } from '../../transport/paging';
import type { RequestCounter } from '../../transport/request';
import { calendarIdFor, calendarLocator, timeZoneFrom, timezoneField } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName:
			'Each input item is one desired event: reference, name, location, start, end, and optionally allDay, details, alert. The calendar then holds exactly these events among those whose reference starts with the prefix; other events are never touched.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	calendarLocator,
	{
		displayName: 'Window Start',
		name: 'windowStart',
		type: 'string',
		default: "={{ $today.toFormat('yyyy-MM-dd') }}",
		required: true,
		placeholder: '2026-09-01',
		description: 'First start date the sync owns (YYYY-MM-DD, inclusive). Our events starting outside the window are left alone.',
	},
	{
		displayName: 'Window End',
		name: 'windowEnd',
		type: 'string',
		default: "={{ $today.plus({ days: 60 }).toFormat('yyyy-MM-dd') }}",
		required: true,
		placeholder: '2026-10-31',
		description: 'Last start date the sync owns (YYYY-MM-DD, inclusive)',
	},
	timezoneField,
	{
		displayName: 'Reference Prefix',
		name: 'referencePrefix',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'moncampus-',
		description:
			'Events whose reference starts with this text belong to this sync: only they are updated or deleted. Every input reference must start with it.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Adopt Legacy Events',
				name: 'adoptLegacyEvents',
				type: 'boolean',
				default: false,
				description:
					'Whether to take over events made by an older tool (matched on name, start, end and location, with a reference matching the legacy pattern) by giving them our reference, instead of creating a second copy. Further legacy copies on the same slot are deleted.',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to only report what the sync would do, without writing anything',
			},
			{
				displayName: 'Legacy Reference Pattern',
				name: 'legacyReferencePattern',
				type: 'string',
				default: '^[0-9]+$',
				description: 'Regular expression a legacy event\'s reference matches (the old tool used random numbers)',
				displayOptions: { show: { adoptLegacyEvents: [true] } },
			},
			{
				displayName: 'Max Delete Share (%)',
				name: 'maxDeletePercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 50,
				description:
					'Refuse the run if it would delete more than this share of our events in the window, e.g. when the source returned nothing. 100 turns the check off.',
			},
			{
				displayName: 'Never Delete',
				name: 'neverDelete',
				type: 'boolean',
				default: false,
				description: 'Whether to only create and update: events no longer desired, and duplicates, are kept and counted',
			},
			{
				displayName: 'Recount After Sync',
				name: 'recount',
				type: 'boolean',
				default: false,
				description:
					"Whether to list the window again after the writes, so the summary's ourEventsInWindow is what ECAL holds rather than what the sync computed",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['sync'] } }, properties);

interface SyncOptions {
	adoptLegacyEvents?: boolean;
	dryRun?: boolean;
	legacyReferencePattern?: string;
	maxDeletePercent?: number;
	neverDelete?: boolean;
	recount?: boolean;
}

type SyncAction = 'created' | 'updated' | 'deleted' | 'unchanged' | 'duplicateRemoved' | 'adopted';

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Runs once for all input items: the parameters are read from item 0. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const calendarId = calendarIdFor(this, 0);
	const timeZone = timeZoneFrom(this, this.getNodeParameter('timezone', 0, 'Europe/Paris'), 0);
	const prefix = text(this.getNodeParameter('referencePrefix', 0, ''));
	if (!prefix) {
		throw new NodeOperationError(node, 'Set a reference prefix: it tells the events this sync owns from all others', { itemIndex: 0 });
	}
	const windowStart = toDate(this.getNodeParameter('windowStart', 0, ''), timeZone);
	const windowEnd = toDate(this.getNodeParameter('windowEnd', 0, ''), timeZone);
	if (!windowStart || !windowEnd) {
		throw new NodeOperationError(node, 'Window Start and Window End must be dates (YYYY-MM-DD)', { itemIndex: 0 });
	}
	if (windowEnd < windowStart) {
		throw new NodeOperationError(node, `The window ends (${windowEnd}) before it starts (${windowStart})`, { itemIndex: 0 });
	}
	const options = this.getNodeParameter('options', 0, {}) as SyncOptions;
	const dryRun = options.dryRun === true;
	const neverDelete = options.neverDelete === true;
	const maxDeletePercent = options.maxDeletePercent ?? 50;
	let legacyReference: RegExp | undefined;
	if (options.adoptLegacyEvents) {
		try {
			legacyReference = new RegExp(options.legacyReferencePattern || '^[0-9]+$');
		} catch {
			throw new NodeOperationError(node, `The legacy reference pattern "${options.legacyReferencePattern}" is not a valid regular expression`);
		}
	}

	const output: INodeExecutionData[] = [];
	const allItems = items.map((_, index) => ({ item: index }));

	// 1. The desired events. A bad item fails alone (Continue On Fail) and its event is protected from deletion.
	const desired: DesiredEvent[] = [];
	const protectedReferences = new Set<string>();
	const seen = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		// An empty item (an upstream node's "always output data") means "no event", not an error.
		if (!json || Object.keys(json).length === 0) continue;
		const reference = text(json.reference);
		try {
			if (!reference) throw new Error('The event has no reference');
			if (!reference.startsWith(prefix)) {
				throw new Error(`The reference "${reference}" does not start with the reference prefix "${prefix}"`);
			}
			if (seen.has(reference)) throw new Error(`The reference "${reference}" is already used by item ${seen.get(reference)}`);
			seen.set(reference, itemIndex);
			const body = eventBody({ ...json, reference }, calendarId, timeZone);
			if (body.startDate < windowStart || body.startDate > windowEnd) {
				throw new Error(
					`The event "${reference}" starts on ${body.startDate}, outside the sync window ${windowStart} → ${windowEnd}`,
				);
			}
			desired.push({ reference, body, itemIndex });
		} catch (error) {
			if (reference) protectedReferences.add(reference);
			output.push(failedItem(this, new NodeOperationError(node, (error as Error).message, { itemIndex }), itemIndex));
		}
	}

	// 2. One listing of the calendar's window, in the events' zone, past and draft events included.
	const counter: RequestCounter = { requests: 0 };
	const window = { calendarId, startDate: windowStart, endDate: windowEnd, showPastEvents: true, showDraft: true, tz: timeZone };
	const listed = (await listEvents(this, window, { counter })).filter(
		(event) => !event.calendarId || String(event.calendarId) === calendarId,
	);

	// 3. The plan, and the safety stop before any write.
	const plan = planSync({ desired, listed, prefix, protectedReferences, legacyReference });
	const share = deleteShare(plan, maxDeletePercent);
	if (share.refused && !neverDelete && !dryRun) {
		throw new NodeOperationError(
			node,
			`ECAL Sync refused: it would delete ${share.deletes} of our ${share.ours} events in the window (${share.percent} %), more than the ${maxDeletePercent} % allowed`,
			{
				description:
					'A source that returned nothing (an outage, a login problem) must not empty the calendar. Check the input; if the deletions are right, raise "Max Delete Share (%)" for one run.',
			},
		);
	}

	// 4. The writes, one at a time (ECAL documents no rate, only 429s).
	const counts: Record<SyncAction | 'failed', number> = {
		created: 0,
		updated: 0,
		deleted: 0,
		unchanged: 0,
		duplicateRemoved: 0,
		adopted: 0,
		failed: 0,
	};
	const actionItem = (
		action: SyncAction,
		reference: string,
		event: IDataObject,
		pairedItem: INodeExecutionData['pairedItem'],
		extra: IDataObject = {},
	) => {
		counts[action] += 1;
		output.push({
			json: {
				action,
				reference,
				eventId: text(event.id),
				name: text(event.name),
				startDate: text(event.startDate),
				startTime: text(event.startTime),
				...extra,
				dryRun,
			},
			pairedItem,
		});
	};
	const failed = (error: unknown, reference: string, eventId: string, itemIndex: number | undefined) => {
		counts.failed += 1;
		const nodeError = itemIndex === undefined ? (error as Error) : itemError(this, error, itemIndex);
		if (!this.continueOnFail()) throw nodeError;
		output.push({
			json: { action: 'failed', reference, eventId, error: redactText(nodeError.message), dryRun },
			pairedItem: { item: itemIndex ?? 0 },
		});
	};
	const io = { counter };
	// Held by an event we did not list (a 409 on create): it now sits in the window too.
	let foundByReference = 0;
	let oursRemoved = 0;

	for (const { desired: event, existing, changedFields: changed } of plan.updates) {
		const shown = { ...existing, ...event.body, id: existing.id };
		try {
			if (!dryRun) await updateEvent(this, String(existing.id), event.body, { ...io, itemIndex: event.itemIndex });
			actionItem('updated', event.reference, shown, { item: event.itemIndex }, { changedFields: changed });
		} catch (error) {
			failed(error, event.reference, String(existing.id), event.itemIndex);
		}
	}
	for (const { desired: event, existing, changedFields: changed } of plan.adoptions) {
		const shown = { ...existing, ...event.body, id: existing.id };
		try {
			if (!dryRun) await updateEvent(this, String(existing.id), event.body, { ...io, itemIndex: event.itemIndex });
			actionItem('adopted', event.reference, shown, { item: event.itemIndex }, {
				changedFields: changed,
				previousReference: referenceOf(existing),
			});
		} catch (error) {
			failed(error, event.reference, String(existing.id), event.itemIndex);
		}
	}
	for (const event of plan.creates) {
		try {
			if (dryRun) {
				actionItem('created', event.reference, { ...event.body, id: '' }, { item: event.itemIndex });
				continue;
			}
			const result = await createEvent(this, event.body, { ...io, itemIndex: event.itemIndex, tz: timeZone });
			if (result.outcome !== 'exists') {
				actionItem('created', event.reference, { ...event.body, ...result.event }, { item: event.itemIndex }, {
					...(result.outcome === 'recovered' ? { recoveredLostReply: true } : {}),
				});
				continue;
			}
			// ECAL answered 409: the reference is held by an event we did not list (outside the window, or elsewhere).
			await adoptExisting(this, event, result.event, calendarId, io, (action, shown, extra) => {
				foundByReference += 1;
				actionItem(action, event.reference, shown, { item: event.itemIndex }, extra);
			});
		} catch (error) {
			failed(error, event.reference, '', event.itemIndex);
		}
	}
	for (const { desired: event, existing } of plan.unchanged) {
		actionItem('unchanged', event.reference, existing, { item: event.itemIndex });
	}
	if (!neverDelete) {
		const removals: Array<{ existing: EcalEvent; action: SyncAction; extra: IDataObject }> = [
			...plan.deletes.map((existing) => ({ existing, action: 'deleted' as const, extra: {} })),
			...plan.duplicates.map(({ existing, keptId }) => ({
				existing,
				action: 'duplicateRemoved' as const,
				extra: { keptEventId: keptId },
			})),
			...plan.legacyDuplicates.map(({ existing, keptId }) => ({
				existing,
				action: 'duplicateRemoved' as const,
				extra: { keptEventId: keptId, previousReference: referenceOf(existing) },
			})),
		];
		for (const { existing, action, extra } of removals) {
			const reference = referenceOf(existing);
			try {
				if (!dryRun) await deleteEvent(this, String(existing.id), { ...io, missingOk: true });
				if (!extra.previousReference) oursRemoved += 1;
				// No input item asked for a removal; pairing it with every item would cost items × removals objects.
				actionItem(action, reference, existing, { item: 0 }, extra);
			} catch (error) {
				failed(error, reference, String(existing.id), undefined);
			}
		}
	}

	// 5. The summary, with what the consistency check needs.
	let ourEventsInWindow =
		plan.oursBefore + plan.duplicates.length - oursRemoved + counts.created + counts.adopted + foundByReference;
	let recounted = false;
	if (options.recount && !dryRun) {
		const after = await listEvents(this, window, { counter });
		ourEventsInWindow = after.filter((event) => referenceOf(event).startsWith(prefix)).length;
		recounted = true;
	}
	output.push({
		json: {
			action: 'summary',
			calendarId,
			windowStart,
			windowEnd,
			timezone: timeZone,
			referencePrefix: prefix,
			dryRun,
			desired: desired.length,
			listed: listed.length,
			notOwned: plan.notOwned.length,
			notOwnedEvents: plan.notOwned.map((event) => ({
				eventId: text(event.id),
				reference: referenceOf(event),
				name: text(event.name),
				startDate: text(event.startDate),
			})),
			created: counts.created,
			updated: counts.updated,
			deleted: counts.deleted,
			unchanged: counts.unchanged,
			duplicatesRemoved: counts.duplicateRemoved,
			adopted: counts.adopted,
			failed: counts.failed,
			deletesSkipped: neverDelete ? plan.deletes.length + plan.duplicates.length + plan.legacyDuplicates.length : 0,
			safetyStop: { deletes: share.deletes, ours: share.ours, percent: share.percent, maxPercent: maxDeletePercent, refused: share.refused && !neverDelete },
			ourEventsInWindow,
			recounted,
			consistent: ourEventsInWindow === desired.length,
			foundByReference,
			requests: counter.requests,
		},
		pairedItem: allItems,
	});
	return output;
}

/** The event holding a reference we meant to create: ours to update if it sits in our calendar, else a clear error. */
async function adoptExisting(
	context: IExecuteFunctions,
	event: DesiredEvent,
	holder: EcalEvent,
	calendarId: string,
	io: { counter: RequestCounter },
	report: (action: 'updated' | 'unchanged', shown: IDataObject, extra: IDataObject) => void,
): Promise<void> {
	if (holder.calendarId && String(holder.calendarId) !== calendarId) {
		throw new Error(
			`The reference "${event.reference}" is already used by ECAL event ${String(holder.id)} in another calendar (${String(holder.calendarId)})`,
		);
	}
	const changed = changedFields(event.body as EcalEventBody, holder);
	if (!changed.length) {
		report('unchanged', holder, {});
		return;
	}
	await updateEvent(context, String(holder.id), event.body, { ...io, itemIndex: event.itemIndex });
	report('updated', { ...holder, ...event.body, id: holder.id }, { changedFields: changed });
}
