import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseJsonParameter } from '../../common/jsonParameter';
import { parseColumnSpec, type ColumnSpec } from './itemFields';

/** The column spec of one item, from the list or the JSON parameter. */
export function readColumnSpec(context: IExecuteFunctions, itemIndex: number): ColumnSpec[] {
	const source = context.getNodeParameter('columnSource', itemIndex, 'list') as string;
	const spec =
		source === 'json'
			? parseJsonParameter<unknown>(context, 'columnsJson', itemIndex, { label: 'Column Spec (JSON)', empty: [] })
			: (((context.getNodeParameter('columnsUi', itemIndex, {}) as IDataObject).column ?? []) as IDataObject[]);
	try {
		return parseColumnSpec(spec);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `Column spec: ${(error as Error).message}`, { itemIndex });
	}
}
