import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { errorMessage, retriesOf } from '../../helpers/writeResults';
import { splitStream, writerResults } from '../../helpers/streams';

export const description = updateDisplayOptions({ show: { resource: ['table'], operation: ['retryRefused'] } }, [] as INodeProperties[]);

/**
 * Input 1: the plan (Plan Writes' output). Input 2: the chunk writer's error output, each item paired to the
 * write it refused. Output: the statements to run again one by one, then the reports, ready for Summarize.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { writes, reports } = splitStream(items);
	const refusals = writerResults(this).map(({ index, json }) => ({
		writeIndex: index,
		message: errorMessage(json) ?? 'unknown error',
	}));
	const result = retriesOf(
		writes.map((write) => write.json),
		reports.map((report) => report.json),
		refusals,
	);
	return [
		...result.retries.map((retry) => ({
			json: retry as unknown as INodeExecutionData['json'],
			pairedItem: { item: writes[retry.retryOf].item },
		})),
		...result.reports.map((report, i) => ({
			json: report as unknown as INodeExecutionData['json'],
			pairedItem: { item: reports[i].item },
		})),
	];
}
