import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listColumns } from '../transport/schema';

/** The table's data columns, by label with the id, for require columns and field pickers. */
export async function getColumns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const docId = String(this.getNodeParameter('documentId', undefined, { extractValue: true }) ?? '');
	const tableId = String(this.getNodeParameter('tableId', undefined, { extractValue: true }) ?? '');
	if (!docId || !tableId) return [];
	const columns = await listColumns(this, docId, tableId, false);
	return columns.map((column) => {
		const label = String(column.fields.label ?? column.id);
		return {
			name: label === column.id ? column.id : `${label} (${column.id})`,
			value: column.id,
			description: String(column.fields.type ?? ''),
		};
	});
}

/** "None" and the table's Toggle (Bool) columns: a webhook's ready column must be one (Grist sends rows where it is true). */
export async function getToggleColumns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const docId = String(this.getNodeParameter('documentId', undefined, { extractValue: true }) ?? '');
	const tableId = String(this.getNodeParameter('tableId', undefined, { extractValue: true }) ?? '');
	const none: INodePropertyOptions = { name: 'None', value: '', description: 'Send every row' };
	if (!docId || !tableId) return [none];
	const columns = await listColumns(this, docId, tableId, false);
	return [
		none,
		...columns
			.filter((column) => String(column.fields.type ?? '') === 'Bool')
			.map((column) => {
				const label = String(column.fields.label ?? column.id);
				return { name: label === column.id ? column.id : `${label} (${column.id})`, value: column.id };
			}),
	];
}
