import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseColumnSpec, type ColumnSpec } from '../helpers/itemFields';

/** The column spec of one item, from the list or the JSON parameter. */
export function readColumnSpec(context: IExecuteFunctions, itemIndex: number): ColumnSpec[] {
	const source = context.getNodeParameter('columnSource', itemIndex, 'list') as string;
	try {
		if (source === 'json') return parseColumnSpec(context.getNodeParameter('columnsJson', itemIndex, '[]'));
		const rows = ((context.getNodeParameter('columnsUi', itemIndex, {}) as IDataObject).column ?? []) as IDataObject[];
		return parseColumnSpec(rows);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `Column spec: ${(error as Error).message}`, { itemIndex });
	}
}
