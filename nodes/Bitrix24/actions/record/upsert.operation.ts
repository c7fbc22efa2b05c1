import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeBulk, type ItemOutputs } from '../../../common/executeEachItem';
import { recordsOf } from '../../helpers/envelope';
import { entityTypeIdFor } from '../../helpers/locators';
import { entityTypeIdProperty, fieldsParameter } from '../../helpers/recordTarget';
import {
	addCommand,
	groupByKey,
	lookupCommand,
	lookupOutcome,
	matchKeyOf,
	updateCommand,
	type UpsertEntry,
	type UpsertGroup,
} from '../../helpers/upsertPlan';
import { runCommands } from '../../transport/commands';

const properties: INodeProperties[] = [
	entityTypeIdProperty,
	{
		displayName: 'Match On Field',
		name: 'matchField',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ufCrm5ExternalId',
		description:
			'The field holding your external key, as named in Fields: camelCase (ufCrm5ExternalId), or UF_CRM_… (then every call uses original user-field names). An item whose key matches no record is created, one record is updated; two or more records with the key fail that item, never guessing which one to update.',
	},
	{
		displayName: 'Fields (JSON)',
		name: 'fields',
		type: 'json',
		required: true,
		default: '{}',
		description: 'The item\'s fields, the match field included, e.g. {"title": "Paris", "ufCrm5ExternalId": "75056"}',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['upsert'] } }, properties);

type Member = UpsertGroup['members'][number];

/**
 * Create or Update on an external key, in bulk: items are grouped by key; every key is looked up (one
 * crm.item.list per key, 50 per batch); then one batched write per item: an add for the first item of a new
 * key, updates for the others, the updates of a key created in this run going in a second phase once its id
 * is known. 1,000 items take about ceil(1000/50) lookup requests plus ceil(1000/50) + 1 write requests.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeBulk<UpsertEntry>(
		this,
		items,
		(itemIndex) => {
			const matchField = String(this.getNodeParameter('matchField', itemIndex)).trim();
			if (!matchField) throw new NodeOperationError(this.getNode(), 'Match On Field is empty', { itemIndex });
			const fields = fieldsParameter(this, 'fields', itemIndex);
			const key = matchKeyOf(fields, matchField);
			if (key === undefined) {
				throw new NodeOperationError(this.getNode(), `Fields hold no value for the match field "${matchField}"`, { itemIndex });
			}
			return { entityTypeId: entityTypeIdFor(this, itemIndex), matchField, key, fields };
		},
		async (entries, outputs) => await upsertGroups(this, groupByKey(entries), outputs),
	);
}

async function upsertGroups(context: IExecuteFunctions, groups: UpsertGroup[], outputs: ItemOutputs): Promise<void> {
	const found = new Map<number, string>();
	const toCreate: number[] = [];
	await writePhase(
		context,
		groups.map((group, g): [string, string, Member[]] => [`k${g}`, lookupCommand(group), group.members]),
		outputs,
		(key, result, fail) => {
			const g = Number(key.slice(1));
			const group = groups[g];
			const outcome = lookupOutcome(recordsOf(result), group);
			if (outcome.kind === 'one') found.set(g, outcome.id);
			else if (outcome.kind === 'none') toCreate.push(g);
			else {
				const error = new NodeOperationError(
					context.getNode(),
					`${outcome.ids.length} records of entity type ${group.entityTypeId} have ${group.matchField} = "${group.key}" (ids ${outcome.ids.join(', ')}): remove the duplicates; Create or Update does not pick one`,
				);
				fail(group.members.map((member) => member.itemIndex), error);
			}
		},
	);

	const created = new Map<number, string>();
	const firstPhase: Array<[string, string, Member[]]> = [];
	for (const [g, id] of found) {
		groups[g].members.forEach((member, m) => firstPhase.push([`u${g}_${m}`, updateCommand(member.entry, id), [member]]));
	}
	for (const g of toCreate) firstPhase.push([`c${g}`, addCommand(groups[g].members[0].entry), [groups[g].members[0]]]);
	await writePhase(context, firstPhase, outputs, (key, result) => {
		const [g, m] = key.slice(1).split('_').map(Number);
		const id = String(((result as IDataObject)?.item as IDataObject | undefined)?.id ?? '');
		if (key.startsWith('c')) {
			created.set(g, id);
			outputs.add(groups[g].members[0].itemIndex, { action: 'created', id });
		} else {
			outputs.add(groups[g].members[m].itemIndex, { action: 'updated', id: found.get(g) ?? id });
		}
	});

	// Later items of a key created above: their record exists now, so they update it, in input order.
	const secondPhase: Array<[string, string, Member[]]> = [];
	for (const [g, id] of created) {
		groups[g].members.slice(1).forEach((member, m) => secondPhase.push([`u${g}_${m + 1}`, updateCommand(member.entry, id), [member]]));
	}
	for (const g of toCreate) {
		if (created.has(g)) continue;
		const later = groups[g].members.slice(1);
		const error = new NodeOperationError(context.getNode(), `The record with ${groups[g].matchField} = "${groups[g].key}" could not be created, so this item was not applied`);
		outputs.failAll(later.map((member) => member.itemIndex), error);
	}
	await writePhase(context, secondPhase, outputs, (key) => {
		const [g, m] = key.slice(1).split('_').map(Number);
		outputs.add(groups[g].members[m].itemIndex, { action: 'updated', id: created.get(g) ?? '' });
	});
}

type Fail = (itemIndexes: number[], error: unknown) => void;

/**
 * One phase's commands. A command's error fails its items, a failed request the items of every command not
 * answered yet. Failures are recorded once the phase is over: without Continue On Fail the first one stops the run.
 */
async function writePhase(
	context: IExecuteFunctions,
	commands: Array<[string, string, Member[]]>,
	outputs: ItemOutputs,
	onResult: (key: string, result: unknown, fail: Fail) => void,
): Promise<void> {
	if (!commands.length) return;
	const membersOf = new Map(commands.map(([key, , members]) => [key, members.map((member) => member.itemIndex)]));
	const settled = new Set<string>();
	const failures: Array<[number[], unknown]> = [];
	const fail: Fail = (itemIndexes, error) => failures.push([itemIndexes, error]);
	try {
		await runCommands(
			context,
			commands.map(([key, command]) => [key, command]),
			(key, outcome) => {
				settled.add(key);
				if ('error' in outcome) fail(membersOf.get(key) ?? [], outcome.error);
				else onResult(key, outcome.result, fail);
			},
		);
	} catch (error) {
		fail(commands.filter(([key]) => !settled.has(key)).flatMap(([key]) => membersOf.get(key) ?? []), error);
	}
	for (const [itemIndexes, error] of failures) outputs.failAll(itemIndexes, error);
}
