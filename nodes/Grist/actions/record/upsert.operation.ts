import {
	NodeOperationError,
	sleep,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeBulk, type ItemOutputs } from '../../../common/executeEachItem';
import { utf8ByteLength } from '../../helpers/byteLength';
import { encodeFields } from '../../helpers/cellValue';
import {
	DEFAULT_MAX_RECORDS_PER_REQUEST,
	GRIST_MAX_BODY_BYTES,
	packRecordsLazily,
	type PackedRequest,
} from '../../helpers/chunkRecords';
import { coerceRequire } from '../../helpers/coerceCellValue';
import { itemFields, splitRequire, type ColumnsParameter } from '../../helpers/itemFields';
import { mergeByRequireKey, type MergedUpsertRecord, type UpsertEntry } from '../../helpers/mergeByRequireKey';
import { upsertQuery, type OnMany } from '../../helpers/upsertQuery';
import { putRecords, readColumnTypes } from '../../transport/records';
import { dataFields } from '../common.descriptions';
import { ColumnTypeCache, documentId, tableId } from '../../helpers/locators';
import { parameterReader } from '../../helpers/parameterReader';

const show = { resource: ['record'], operation: ['upsert'] };

const properties: INodeProperties[] = [
	...dataFields(show, 'upsert'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Empty Require',
				name: 'allowEmptyRequire',
				type: 'boolean',
				default: false,
				description: 'Whether a record with no require value may match (and update) every row',
			},
			{
				displayName: 'Do Not Add',
				name: 'noAdd',
				type: 'boolean',
				default: false,
				description: 'Whether to only update rows that already exist (sent as noadd=1)',
			},
			{
				displayName: 'Do Not Parse Strings',
				name: 'noParse',
				type: 'boolean',
				default: false,
				description: 'Whether to store strings as given instead of parsing them per column type (noparse=1)',
			},
			{
				displayName: 'Do Not Update',
				name: 'noUpdate',
				type: 'boolean',
				default: false,
				description: 'Whether to only add rows that do not exist yet (sent as noupdate=1)',
			},
			{
				displayName: 'Max Records per Request',
				name: 'maxRecordsPerRequest',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_RECORDS_PER_REQUEST,
				description: 'Requests also stay under Grist\'s 1 MB body limit, whichever comes first',
			},
			{
				displayName: 'On Multiple Matches',
				name: 'onMany',
				type: 'options',
				options: [
					{ name: 'Update All', value: 'all' },
					{ name: 'Update First', value: 'first' },
					{ name: 'Update None', value: 'none' },
				],
				default: 'first',
				description: 'What to do when several rows have the require values',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

interface UpsertGroup {
	docId: string;
	tableId: string;
	qs: IDataObject;
	maxRecords: number;
	entries: UpsertEntry[];
}

const NO_IDS_NOTE =
	'This Grist server does not report record ids for upserts (Grist before 1.7.13 answers null); the row was written.';

/**
 * All input items go out together: grouped by document, table and options, duplicates merged (later
 * fields win), then sent in as few PUT requests as the 1 MB limit allows. Each input item still gets
 * its own output, paired with it; a refused request fails the items it carried, each under its own index.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const read = parameterReader(this);
	// Read without an item: a failure (no such table) is the answer for every item that uses the table.
	const types = new ColumnTypeCache((doc, table) => readColumnTypes(this, doc, table));
	const groups = new Map<string, UpsertGroup>();
	let lastOptions: IDataObject | undefined;
	let qs: IDataObject = {};
	let maxRecords = DEFAULT_MAX_RECORDS_PER_REQUEST;
	let optionsKey = '';

	const prepare = async (itemIndex: number, item: INodeExecutionData): Promise<void> => {
		const docId = documentId(this, itemIndex, read);
		const table = tableId(this, itemIndex, read);
		const options = read<IDataObject>('options', itemIndex, {});
		const columns = read<ColumnsParameter>('columns', itemIndex, {});
		const record = itemFields(columns, item.json, read<string>('inputsToIgnore', itemIndex, ''));
		const requireColumns = (columns.matchingColumns ?? []).filter(Boolean);
		const { require, fields } = splitRequire(record, requireColumns);
		const missing = requireColumns.filter((colId) => require[colId] === undefined);
		if (missing.length) {
			throw new NodeOperationError(this.getNode(), `The item has no value for require column ${missing.join(', ')}`, {
				itemIndex,
			});
		}
		if (!requireColumns.length && !options.allowEmptyRequire) {
			throw new NodeOperationError(
				this.getNode(),
				'Choose at least one require column (Columns → columns to match on), or turn on "Allow Empty Require" to update every row',
				{ itemIndex },
			);
		}
		const columnTypes = await types.get(docId, table, itemIndex);
		let coerced: IDataObject;
		let encoded: IDataObject;
		try {
			coerced = coerceRequire(require, columnTypes);
			encoded = encodeFields(fields, columnTypes);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
		}
		if (options !== lastOptions) {
			lastOptions = options;
			qs = upsertQuery({
				onmany: (options.onMany as OnMany) ?? 'first',
				noadd: options.noAdd === true,
				noupdate: options.noUpdate === true,
				allowEmptyRequire: options.allowEmptyRequire === true,
				noparse: options.noParse === true,
			});
			maxRecords = Number(options.maxRecordsPerRequest ?? DEFAULT_MAX_RECORDS_PER_REQUEST);
			optionsKey = `${JSON.stringify(qs)}\u0000${maxRecords}`;
		}
		const key = `${docId}\u0000${table}\u0000${optionsKey}`;
		let group = groups.get(key);
		if (!group) {
			group = { docId, tableId: table, qs, maxRecords, entries: [] };
			groups.set(key, group);
		}
		group.entries.push({ require: coerced, fields: encoded, itemIndex });
	};

	const run = async (_entries: unknown[], outputs: ItemOutputs): Promise<void> => {
		for (const group of groups.values()) {
			const merged = mergeByRequireKey(group.entries);
			const send = async ({ records: chunk, body }: PackedRequest<MergedUpsertRecord>): Promise<void> => {
				const itemIndexes = chunk.flatMap((record) => record.itemIndexes);
				if (utf8ByteLength(body) > GRIST_MAX_BODY_BYTES) {
					outputs.failAll(itemIndexes, new Error("This record alone is larger than Grist's 1 MB request limit"));
					return;
				}
				await outputs.forItems(itemIndexes, async () => {
					const result = await putRecords(this, group.docId, group.tableId, body, group.qs);
					const added = new Set(result?.addRecordIds ?? []);
					chunk.forEach((record, position) => {
						const recordIds = result?.recordIds?.[position];
						for (const itemIndex of record.itemIndexes) {
							const json: IDataObject = recordIds
								? {
										...(recordIds.length === 1 ? { id: recordIds[0] } : {}),
										recordIds,
										added: recordIds.some((id) => added.has(id)),
									}
								: { recordIds: null, note: NO_IDS_NOTE };
							json.require = record.require;
							if (record.itemIndexes.length > 1) json.mergedWithItems = record.itemIndexes;
							outputs.add(itemIndex, json);
						}
					});
				});
			};
			const unserialisable = (record: MergedUpsertRecord, error: Error) =>
				outputs.failAll(record.itemIndexes, new Error(`The record cannot be serialised as JSON: ${error.message}`));
			// Requests stay strictly one after the other; only the packing of the next body overlaps the
			// server's work on the current one (after a pause that lets the current request leave).
			let inFlight: Promise<void> | undefined;
			const requests = packRecordsLazily(
				merged,
				{ maxRecords: group.maxRecords },
				({ require, fields }) => ({ require, fields }),
				unserialisable,
			);
			for (const request of requests) {
				if (inFlight) await inFlight;
				inFlight = send(request);
				// Handled when awaited; this keeps a failure from counting as unhandled during the pause.
				inFlight.catch(() => undefined);
				await sleep(0);
			}
			if (inFlight) await inFlight;
		}
	};

	return await executeBulk(this, items, prepare, run);
}
