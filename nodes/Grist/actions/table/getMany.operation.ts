import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { executeEachItem } from '../../../common/executeEachItem';
import { listTables } from '../../transport/schema';
import { documentId } from '../../helpers/locators';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: ['table'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => {
		const tables = await listTables(this, documentId(this, itemIndex), itemIndex);
		return tables.map((table) => ({ id: table.id, ...table.fields }));
	});
}
