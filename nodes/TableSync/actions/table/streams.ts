import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import type { Report, Source, Write } from '../../helpers/planWrites';
import { pairedIndex } from '../../helpers/writeResults';

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

/** The writer's output items as (index paired to, item): the writer's input index of each result. */
export function writerResults(items: INodeExecutionData[]): Array<{ index: number | undefined; json: Record<string, unknown> }> {
	return items.map((entry) => ({ index: pairedIndex(entry.pairedItem), json: entry.json as Record<string, unknown> }));
}

export const secondInput = (context: IExecuteFunctions): INodeExecutionData[] => {
	// A second input nothing is connected to, or that got no item, reads as empty.
	try {
		return context.getInputData(1) ?? [];
	} catch {
		return [];
	}
};
