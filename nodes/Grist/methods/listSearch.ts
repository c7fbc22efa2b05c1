import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { gristRequest } from '../transport/gristRequest';
import { listTables } from '../transport/schema';

function matches(name: string, filter?: string): boolean {
	return !filter || name.toLowerCase().includes(filter.toLowerCase());
}

/** Every document the key can see: orgs → workspaces (each lists its docs). */
export async function searchDocuments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const orgs = await gristRequest<IDataObject[]>(this, { method: 'GET', path: '/orgs' });
	const results: INodeListSearchResult['results'] = [];
	for (const org of orgs ?? []) {
		const workspaces = await gristRequest<IDataObject[]>(this, { method: 'GET', path: `/orgs/${String(org.id)}/workspaces` });
		for (const workspace of workspaces ?? []) {
			for (const doc of (workspace.docs ?? []) as IDataObject[]) {
				const name = `${String(doc.name)} (${String(org.name)} / ${String(workspace.name)})`;
				if (matches(name, filter)) results.push({ name, value: String(doc.urlId ?? doc.id) });
			}
		}
	}
	return { results: results.sort((a, b) => a.name.localeCompare(b.name)) };
}

export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const docId = String(this.getNodeParameter('documentId', undefined, { extractValue: true }) ?? '');
	if (!docId) return { results: [] };
	const tables = await listTables(this, docId);
	return {
		results: tables
			.map((table) => table.id)
			.filter((id) => !id.startsWith('GristHidden_') && matches(id, filter))
			.map((id) => ({ name: id, value: id })),
	};
}
