import {
	COLLECTIVITE_PROPERTIES,
	COLLECTIVITE_TYPES,
	EPCI_SIREN,
	INSEE_COMMUNE_CODE,
	PHASE_STATUTS,
	PORTEUR_PROPERTIES,
	PROJET_BODY_LIMIT_BYTES,
	PROJET_PHASES,
	PROJET_PROPERTIES,
} from './projetRules';

/** `create` is POST /projets (all required fields), `update` is PATCH /projets/{id} (a partial projet). */
export type ProjetPurpose = 'create' | 'update';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): boolean {
	return value === undefined || value === null;
}

function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Bytes of the UTF-8 encoding, counted by hand so this file stays free of Node globals. */
export function utf8ByteLength(text: string): number {
	let bytes = 0;
	for (const character of text) {
		const code = character.codePointAt(0) ?? 0;
		bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
	}
	return bytes;
}

function unknownKeys(object: Json, allowed: readonly string[], where: string): string[] {
	return Object.keys(object)
		.filter((key) => !allowed.includes(key))
		.map((key) => `${where}${key}: unknown property (Les Communs accepts only ${allowed.join(', ')})`);
}

function optionalString(body: Json, field: string): string[] {
	return isAbsent(body[field]) || typeof body[field] === 'string'
		? []
		: [`${field}: must be a text, got ${show(body[field])}`];
}

function optionalStringList(body: Json, field: string): string[] {
	const value = body[field];
	if (isAbsent(value)) return [];
	if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
		return [`${field}: must be a list of texts, got ${show(value)}`];
	}
	return [];
}

function collectiviteProblems(value: unknown, index: number): string[] {
	const where = `collectivites[${index}]`;
	if (!isObject(value)) return [`${where}: must be an object {type, code}, got ${show(value)}`];
	const problems = unknownKeys(value, COLLECTIVITE_PROPERTIES, `${where}.`);
	const { type, code } = value;
	if (!COLLECTIVITE_TYPES.includes(type as never)) {
		problems.push(`${where}.type: must be one of ${COLLECTIVITE_TYPES.join(', ')}, got ${show(type)}`);
	}
	if (typeof code !== 'string') {
		problems.push(`${where}.code: must be a text (an INSEE code or an EPCI SIREN), got ${show(code)}`);
	} else if (type === 'Commune' && !INSEE_COMMUNE_CODE.test(code)) {
		problems.push(`${where}.code: ${show(code)} is not a commune INSEE code (5 digits, or 2A/2B then 3 digits)`);
	} else if (type === 'EPCI' && !EPCI_SIREN.test(code)) {
		problems.push(`${where}.code: ${show(code)} is not an EPCI SIREN (9 digits)`);
	}
	return problems;
}

function collectivitesProblems(body: Json, purpose: ProjetPurpose): string[] {
	const value = body.collectivites;
	if (value === undefined && purpose === 'update') return [];
	if (!Array.isArray(value)) return [`collectivites: required, a non-empty list of {type, code}, got ${show(value)}`];
	if (value.length === 0)
		return ['collectivites: must name at least one commune or EPCI (Les Communs refuses an empty list)'];
	return value.flatMap((entry, index) => collectiviteProblems(entry, index));
}

function porteurProblems(body: Json): string[] {
	const porteur = body.porteur;
	if (isAbsent(porteur)) return [];
	if (!isObject(porteur)) return [`porteur: must be an object, got ${show(porteur)}`];
	const problems = unknownKeys(porteur, PORTEUR_PROPERTIES, 'porteur.');
	for (const key of PORTEUR_PROPERTIES) {
		if (!isAbsent(porteur[key]) && typeof porteur[key] !== 'string') {
			problems.push(`porteur.${key}: must be a text, got ${show(porteur[key])}`);
		}
	}
	return problems;
}

function phaseProblems(body: Json): string[] {
	const problems: string[] = [];
	if (!isAbsent(body.phase) && !PROJET_PHASES.includes(body.phase as never)) {
		problems.push(`phase: must be one of ${PROJET_PHASES.join(', ')}, got ${show(body.phase)}`);
	}
	if (!isAbsent(body.phaseStatut)) {
		if (!PHASE_STATUTS.includes(body.phaseStatut as never)) {
			problems.push(`phaseStatut: must be one of ${PHASE_STATUTS.join(', ')}, got ${show(body.phaseStatut)}`);
		}
		// Checked on the same body by the API, for PATCH too: a statut needs its phase alongside.
		if (isAbsent(body.phase)) problems.push('phaseStatut: cannot be sent without a phase');
	}
	return problems;
}

function requiredText(body: Json, field: string, purpose: ProjetPurpose): string[] {
	const value = body[field];
	if (value === undefined && purpose === 'update') return [];
	if (typeof value === 'number') return [`${field}: must be a text, got the number ${value} (send String(${value}))`];
	if (typeof value !== 'string' || value.trim() === '') {
		return [`${field}: required, a non-empty text, got ${show(value)}`];
	}
	return [];
}

function dateProblems(body: Json): string[] {
	const value = body.dateDebutPrevisionnelle;
	if (isAbsent(value)) return [];
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
		return [`dateDebutPrevisionnelle: must be an ISO date such as 2024-03-01, got ${show(value)}`];
	}
	return [];
}

/**
 * Everything Les Communs would answer 400 (or 413) for, found before sending, each message starting with the field.
 * Competence and levier codes are not checked here: their lists are long and change upstream, the API's own 400 is clear.
 */
export function projetProblems(body: unknown, purpose: ProjetPurpose): string[] {
	if (!isObject(body)) return [`projet: must be a JSON object, got ${show(body)}`];
	const problems = [
		...unknownKeys(body, PROJET_PROPERTIES, ''),
		...requiredText(body, 'nom', purpose),
		...requiredText(body, 'externalId', purpose),
		...collectivitesProblems(body, purpose),
		...phaseProblems(body),
		...porteurProblems(body),
		...optionalString(body, 'description'),
		...optionalString(body, 'programme'),
		...optionalString(body, 'probabiliteTE'),
		...dateProblems(body),
		...optionalStringList(body, 'competences'),
		...optionalStringList(body, 'leviers'),
		...optionalStringList(body, 'classificationThematiques'),
		...optionalStringList(body, 'classificationSites'),
		...optionalStringList(body, 'classificationInterventions'),
	];
	if (!isAbsent(body.budgetPrevisionnel) && typeof body.budgetPrevisionnel !== 'number') {
		problems.push(`budgetPrevisionnel: must be a number, got ${show(body.budgetPrevisionnel)}`);
	}
	if (purpose === 'update' && Object.keys(body).length === 0) problems.push('projet: nothing to update');
	const bytes = utf8ByteLength(JSON.stringify(body));
	if (bytes > PROJET_BODY_LIMIT_BYTES) {
		const largest = Object.keys(body).sort(
			(a, b) => utf8ByteLength(JSON.stringify(body[b]) ?? '') - utf8ByteLength(JSON.stringify(body[a]) ?? ''),
		)[0];
		problems.push(
			`${largest}: makes the body ${bytes} bytes, over Les Communs' limit of ${PROJET_BODY_LIMIT_BYTES} bytes (100 kB)`,
		);
	}
	return problems;
}
