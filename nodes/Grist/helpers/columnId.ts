const PYTHON_KEYWORDS = new Set(
	'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
		' ',
	),
);

/**
 * Why Grist would store a column under another id than this one, or undefined if it keeps it. Grist
 * sanitises ids (identifiers.py: letters, digits and _, starting with a letter; no Python keyword;
 * `id` is the row id). Ensure must refuse such ids: the column would be added under the other id, found
 * missing again, and added once more on every run.
 */
export function columnIdProblem(colId: string): string | undefined {
	if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(colId)) {
		return `"${colId}" is not a Grist column id: use letters, digits and _, starting with a letter`;
	}
	if (PYTHON_KEYWORDS.has(colId)) return `"${colId}" is a Python keyword, which Grist renames`;
	if (colId.toLowerCase() === 'id') return '"id" is the row id, not a column';
	return undefined;
}
