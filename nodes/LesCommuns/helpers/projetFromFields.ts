import type { IDataObject } from 'n8n-workflow';

/**
 * The projet body from the "Define Below" parameters. Fields left empty are not sent: an empty date or code would
 * only earn a 400, and an absent key leaves the stored value alone (PATCH) or empty (POST).
 */
export function projetFromFields(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (key === 'collectivites' || key === 'porteur') continue;
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value)) {
			const entries = value.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
			if (entries.length) body[key] = entries;
			continue;
		}
		body[key] = typeof value === 'string' && key !== 'description' ? value.trim() : value;
	}

	const collectivites = (fields.collectivites as IDataObject | undefined)?.collectivite;
	if (Array.isArray(collectivites)) {
		body.collectivites = (collectivites as IDataObject[]).map((entry) => ({
			type: entry.type,
			code: String(entry.code ?? '').trim(),
		}));
	} else if (fields.collectivites !== undefined) {
		body.collectivites = [];
	}

	const porteur = (fields.porteur as IDataObject | undefined)?.details as IDataObject | undefined;
	if (porteur) {
		const filled = Object.entries(porteur).filter(([, value]) => typeof value === 'string' && value.trim() !== '');
		if (filled.length) body.porteur = Object.fromEntries(filled.map(([key, value]) => [key, (value as string).trim()]));
	}
	return body;
}
