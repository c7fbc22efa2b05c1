import type { IDataObject } from 'n8n-workflow';

function snakeCase(key: string): string {
	return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * A Les Communs service with its top-level keys in snake_case (sousTitre → sous_titre, extraFields → extra_fields),
 * the shape Recoco-sync stored in Recoco resource add-ons. Nested values are kept as they are.
 */
export function toRecocoAddonService(service: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(service).map(([key, value]) => [snakeCase(key), value]));
}
