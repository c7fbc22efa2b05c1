import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { listColumns } from '../transport/schema';

/** Grist column types (the part before ':', e.g. "Ref:Projets") → the editor's input widget. */
const FIELD_TYPES: Record<string, FieldType> = {
	Bool: 'boolean',
	Int: 'number',
	Numeric: 'number',
	ManualSortPos: 'number',
	PositionNumber: 'number',
	Ref: 'number',
	ChoiceList: 'array',
	RefList: 'array',
	Attachments: 'array',
};

export function gristFieldType(gristType: unknown): FieldType {
	return FIELD_TYPES[String(gristType ?? '').split(':')[0]] ?? 'string';
}

/**
 * The table's data columns for the Columns mapper. Formula columns are shown read-only: Grist refuses writes
 * to them. An unresolvable document or table (an expression fed by an earlier node) gives no columns rather
 * than an error: the mapper then keeps the schema saved in the workflow and auto-mapping still works.
 */
export async function getMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	let docId = '';
	let tableId = '';
	try {
		docId = String(this.getNodeParameter('documentId', undefined, { extractValue: true }) ?? '');
		tableId = String(this.getNodeParameter('tableId', undefined, { extractValue: true }) ?? '');
	} catch {
		return { fields: [], emptyFieldsNotice: 'The document or table comes from an expression: columns show once it can be resolved' };
	}
	if (!docId || !tableId) return { fields: [] };
	const columns = await listColumns(this, docId, tableId, false);
	const fields: ResourceMapperField[] = columns.map((column) => {
		const label = String(column.fields.label ?? column.id);
		const isFormula = column.fields.isFormula === true && String(column.fields.formula ?? '') !== '';
		return {
			id: column.id,
			displayName: label === column.id ? column.id : `${label} (${column.id})`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: true,
			display: true,
			type: gristFieldType(column.fields.type),
			readOnly: isFormula,
		};
	});
	return { fields };
}
