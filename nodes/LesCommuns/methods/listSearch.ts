import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { pageOfList } from '../../common/resourceLocator';
import { lesCommunsRequest } from '../transport/request';

/** Projets per picker page. */
export const PROJET_PAGE_SIZE = 50;

/**
 * Les Communs `GET /projets` answers every projet in one array (no paging, no search parameter), so the picker
 * filters by name, commune or ID and pages that list itself; each page re-reads it, which stays one request.
 */
export async function searchProjets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const projets = (await lesCommunsRequest<IDataObject[]>(this, { method: 'GET', path: '/projets', idempotent: true })) ?? [];
	const entries = projets
		.map((projet) => {
			const communes = ((projet.collectivites as IDataObject[] | undefined) ?? []).map((collectivite) => String(collectivite.nom ?? ''));
			const where = communes.filter(Boolean).join(', ');
			return { name: `${String(projet.nom ?? projet.id)}${where ? ` (${where})` : ''}`, value: String(projet.id) };
		})
		.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	return pageOfList(entries, filter, paginationToken, PROJET_PAGE_SIZE);
}
