import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { Retry } from '../../helpers/writeResults';
import { errorMessage, summarize } from '../../helpers/writeResults';
import { splitStream, writerResults } from '../../helpers/streams';

export const description = updateDisplayOptions({ show: { resource: ['table'], operation: ['summarize'] } }, [] as INodeProperties[]);

/**
 * Input 1: Retry Refused Chunks' output. Input 2: the row-by-row writer's output (Continue On Fail: refused
 * rows are items with `error`), each paired to the statement it ran. Output: one item per table.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { writes: retries, reports } = splitStream(items);
	const results = writerResults(this).map(({ index, json }) => ({ retryIndex: index, message: errorMessage(json) }));
	const final = summarize(
		reports.map((report) => report.json),
		retries.map((retry) => retry.json as Retry),
		results,
	);
	return final.map((report, i) => ({
		json: Object.fromEntries(Object.entries(report).filter(([key]) => key !== 'kind')),
		pairedItem: { item: reports[i].item },
	}));
}
