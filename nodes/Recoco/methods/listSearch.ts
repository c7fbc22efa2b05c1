import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { recocoRequest } from '../transport';
import { recocoPortalUrl } from '../transport/urls';

/** Projects per picker page; the portal allows up to 1000 per request. */
export const PROJECT_PAGE_SIZE = 50;

/**
 * The projects the account can see, newest first (the portal's own order), searched by the portal (`search=`
 * matches the name, the organisation and the commune). The page token is DRF's offset.
 */
export async function searchProjects(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Math.max(0, Number(paginationToken) || 0);
	const search = (filter ?? '').trim();
	const page = await recocoRequest<{ count?: number; next?: string | null; results?: IDataObject[] }>(this, {
		method: 'GET',
		path: '/projects/',
		qs: { limit: PROJECT_PAGE_SIZE, offset, ...(search ? { search } : {}) },
	});
	const portal = recocoPortalUrl(await this.getCredentials('recocoApi'));
	const projects = page.results ?? [];
	return {
		results: projects.map((project) => {
			const commune = (project.commune as IDataObject | null | undefined)?.name;
			return {
				name: `${String(project.name ?? project.id)}${commune ? ` (${String(commune)})` : ''}`,
				value: String(project.id),
				url: `${portal}/project/${String(project.id)}/`,
			};
		}),
		...(page.next && projects.length ? { paginationToken: String(offset + projects.length) } : {}),
	};
}
