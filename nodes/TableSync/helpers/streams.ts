import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { Report, Source, Write } from './planWrites';
import { pairedIndex } from './writeResults';

/**
 * The items between the Table Sync steps: the writes first, in write order, then one report per table
 * (`kind: 'dictionary'`). A writer node gets the writes only (a filter on kind drops the reports, keeping the
 * order), so the index its output is paired to is the write's index among the writes.
 */
export function splitStream(items: INodeExecutionData[]): {
	writes: Array<{ json: Write; item: number }>;
	reports: Array<{ json: Report; item: number }>;
} {
	const writes: Array<{ json: Write; item: number }> = [];
	const reports: Array<{ json: Report; item: number }> = [];
	items.forEach((entry, item) => {
		const json = entry.json as unknown as { kind?: unknown };
		if (json.kind === 'dictionary') reports.push({ json: json as Report, item });
		else if (json.kind === 'upsert' || json.kind === 'resolveParents' || json.kind === 'markDeleted') {
			writes.push({ json: json as Write, item });
		}
	});
	return { writes, reports };
}

export function paired(sources: Source[]): IPairedItemData[] {
	return sources.map(({ input, item }) => (input === 0 ? { item } : { item, input }));
}

/**
 * What each item on an input is paired to in the output of the node connected there. The items a node gets
 * on its inputs arrive paired to their own position (seen in n8n 2.41 for a two-input node), so the pairing is
 * read from that node's run data, through the expression proxy's $(node).all() of the connected (so ancestor)
 * node; when that cannot be read, the items' own pairing.
 */
export function sourcePairing(context: IExecuteFunctions, inputIndex: number, items: INodeExecutionData[]): unknown[] {
	if (items.length) {
		try {
			const source = context.getInputSourceData(inputIndex);
			const original = context
				.getWorkflowDataProxy(0)
				.$(source.previousNode)
				.all(source.previousNodeOutput ?? 0, source.previousNodeRun ?? 0) as INodeExecutionData[];
			if (original.length === items.length) return original.map((item) => item.pairedItem);
		} catch {
			// not readable (e.g. a unit test's context): the items' own pairing
		}
	}
	return items.map((item) => item.pairedItem);
}

/** The writer's output items (input 2) as (index paired to, item): the writer's input index of each result. */
export function writerResults(context: IExecuteFunctions): Array<{ index: number | undefined; json: Record<string, unknown> }> {
	const items = secondInput(context);
	const pairing = sourcePairing(context, 1, items);
	return items.map((entry, i) => ({ index: pairedIndex(pairing[i]), json: entry.json as Record<string, unknown> }));
}

export const secondInput = (context: IExecuteFunctions): INodeExecutionData[] => {
	// A second input nothing is connected to, or that got no item, reads as empty.
	try {
		return context.getInputData(1) ?? [];
	} catch {
		return [];
	}
};
