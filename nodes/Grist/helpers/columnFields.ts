import type { IDataObject } from 'n8n-workflow';

import type { ColumnSpec } from './itemFields';

/**
 * Fields for a column we create: a data column (not an empty formula column, Grist's default). The id should be
 * untied from its label, or renaming the label in Grist's UI renames the column id too; Grist 1.7.17's AddColumn
 * drops `untieColIdFromLabel`, so the operations also set it with a PATCH after creating (untieColumnIds).
 */
export function newColumnFields(spec: ColumnSpec): IDataObject {
	const fields: IDataObject = { ...spec.fields };
	if (fields.isFormula === undefined) fields.isFormula = typeof fields.formula === 'string' && fields.formula !== '';
	if (fields.untieColIdFromLabel === undefined) fields.untieColIdFromLabel = true;
	return fields;
}

/**
 * Fields for a column update. Grist renames a column to match a new label unless the id is pinned
 * (`_adjust_one_column_update`), so the current id goes along unless a new one is asked for.
 */
export function updatedColumnFields(spec: ColumnSpec): IDataObject {
	return { colId: spec.id, ...spec.fields };
}
