import type { IDataObject } from 'n8n-workflow';

function at(object: unknown, ...path: string[]): unknown {
	let current = object;
	for (const key of path) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

function orNull(value: unknown): IDataObject[string] {
	return value === undefined ? null : (value as IDataObject[string]);
}

/**
 * A Recoco project as Recoco-sync's flat columns (its pydantic `Project` dumped by alias): the shape
 * of one Grist row. `tags` stays a list of strings (Recoco-sync joined it with commas, which Grist splits again
 * like CSV: a tag holding a comma or quotes came out changed); `active` is derived from `inactive_since`.
 */
export function projectColumns(project: IDataObject): IDataObject {
	const tags: string[] = Array.isArray(project.tags) ? project.tags.map(String) : [];
	return {
		object_id: orNull(project.id),
		name: orNull(project.name),
		description: orNull(project.description),
		created: orNull(project.created_on),
		modified: orNull(project.updated_on),
		location: orNull(project.location),
		latitude: orNull(project.latitude),
		longitude: orNull(project.longitude),
		organization: orNull(project.org_name),
		inactive_since: orNull(project.inactive_since),
		status: orNull(project.status),
		city: orNull(at(project, 'commune', 'name')),
		insee: orNull(at(project, 'commune', 'insee')),
		postal_code: orNull(at(project, 'commune', 'postal')),
		department: orNull(at(project, 'commune', 'department', 'name')),
		department_code: orNull(at(project, 'commune', 'department', 'code')),
		region: orNull(at(project, 'commune', 'department', 'region', 'name')),
		region_code: orNull(at(project, 'commune', 'department', 'region', 'code')),
		tags,
		advisors_note: orNull(project.advisors_note),
		active: project.inactive_since === null || project.inactive_since === undefined,
	};
}
