/**
 * Recoco project (GET /api/projects/{id}/) → Les Communs projet body, following Recoco-sync's LesCommunsConnector
 * without its porteur bug (it reads `firstname`/`lastname`, Recoco sends `first_name`/`last_name`, so its names are
 * always null). The Les Communs node's Projet → Create or Update runs it with Input "Recoco Project".
 */

export interface MapRecocoProjectOptions {
	/** Recoco has no phase; Recoco-sync always sends "Idée". */
	phase?: string;
	/**
	 * Who becomes the porteur. Recoco-sync takes the first advisor (`switchtenders[0]`); `owner` takes the person who
	 * filed the project instead.
	 */
	porteurFrom?: 'firstAdvisor' | 'owner' | 'none';
}

export type MapRecocoProjectResult =
	| { skipped: false; externalId: string; projet: Record<string, unknown> }
	| {
			skipped: true;
			externalId: string | null;
			reason: string;
			message: string;
	  };

export function mapRecocoProject(project: unknown, options: MapRecocoProjectOptions = {}): MapRecocoProjectResult {
	// Recoco status → Les Communs phaseStatut, as Recoco-sync maps it; anything else (PRE_DRAFT, unknown) is "En cours".
	const statutByStatus: Record<string, string> = {
		DRAFT: 'En cours',
		TO_PROCESS: 'En cours',
		READY: 'En cours',
		IN_PROGRESS: 'En cours',
		DONE: 'Terminé',
		STUCK: 'Bloqué',
		REJECTED: 'Abandonné',
	};
	const get = (value: unknown, key: string): unknown =>
		typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
	const text = (value: unknown): string | null =>
		typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

	if (typeof project !== 'object' || project === null || Array.isArray(project)) {
		return {
			skipped: true,
			externalId: null,
			reason: 'not a project',
			message: 'The input is not a Recoco project object',
		};
	}
	const externalId = text(get(project, 'id'));
	if (externalId === null) {
		return {
			skipped: true,
			externalId: null,
			reason: 'no id',
			message: 'The Recoco project has no id',
		};
	}

	// Les Communs requires at least one collectivité and Recoco-sync sent an empty list (a 400): skip, say why.
	const insee = text(get(get(project, 'commune'), 'insee'));
	if (insee === null) {
		return {
			skipped: true,
			externalId,
			reason: 'no commune',
			message: `skipped: no commune. Recoco project ${externalId} has no commune INSEE code, and Les Communs needs at least one collectivité`,
		};
	}

	const projet: Record<string, unknown> = {
		nom: text(get(project, 'name')) ?? '',
		description: typeof get(project, 'description') === 'string' ? get(project, 'description') : null,
		collectivites: [{ type: 'Commune', code: insee }],
		externalId,
		phase: options.phase ?? 'Idée',
		phaseStatut: statutByStatus[String(get(project, 'status') ?? '').toUpperCase()] ?? 'En cours',
	};

	// Recoco-sync takes the date part of created_on as written, in the portal's own offset, not converted to UTC.
	const createdOn = /^\d{4}-\d{2}-\d{2}/.exec(String(get(project, 'created_on') ?? ''));
	if (createdOn) projet.dateDebutPrevisionnelle = createdOn[0];

	// Recoco-sync read firstname/lastname, but Recoco sends first_name/last_name, so its names were always null.
	const porteurFrom = options.porteurFrom ?? 'firstAdvisor';
	const advisors = get(project, 'switchtenders');
	const person =
		porteurFrom === 'owner'
			? get(project, 'owner')
			: porteurFrom === 'firstAdvisor' && Array.isArray(advisors)
				? advisors[0]
				: null;
	if (person && typeof person === 'object') {
		projet.porteur = {
			codeSiret: null,
			referentEmail: text(get(person, 'email')),
			referentPrenom: text(get(person, 'first_name')),
			referentNom: text(get(person, 'last_name')),
			referentFonction: null,
		};
	}

	// Not sent, unlike Recoco-sync: budgetPrevisionnel/programme null and competences/leviers []. POST /projets upserts
	// every key it gets, so [] would wipe the competences and leviers Les Communs qualified itself and re-queue that work.
	return { skipped: false, externalId, projet };
}
