/**
 * What Les Communs' CreateProjetRequest accepts (api/src/projets/dto, commit fc8bd411). Its ValidationPipe runs with
 * `whitelist` + `forbidNonWhitelisted`, so any other key is a 400, in the projet and in nested porteur/collectivites.
 */
export const PROJET_PROPERTIES = [
	'nom',
	'description',
	'porteur',
	'budgetPrevisionnel',
	'dateDebutPrevisionnelle',
	'phase',
	'phaseStatut',
	'programme',
	'collectivites',
	'competences',
	'leviers',
	'classificationThematiques',
	'classificationSites',
	'classificationInterventions',
	'probabiliteTE',
	'classificationScores',
	'externalId',
] as const;

export const PORTEUR_PROPERTIES = [
	'codeSiret',
	'referentEmail',
	'referentTelephone',
	'referentPrenom',
	'referentNom',
	'referentFonction',
] as const;

export const COLLECTIVITE_PROPERTIES = ['type', 'code'] as const;

export const PROJET_PHASES = ['Idée', 'Étude', 'Opération'] as const;

export const PHASE_STATUTS = ['En cours', 'En retard', 'En pause', 'Bloqué', 'Abandonné', 'Terminé'] as const;

export const COLLECTIVITE_TYPES = ['Commune', 'EPCI'] as const;

/** The regex Les Communs itself uses for commune codes (territoires.service.ts): 5 digits, or Corsica's 2A/2B + 3 digits. */
export const INSEE_COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/** An EPCI is named by its SIREN: 9 digits. */
export const EPCI_SIREN = /^\d{9}$/;

/** express `json({ limit: "100kb" })`: body-parser counts kb as 1024 bytes, on the UTF-8 body. */
export const PROJET_BODY_LIMIT_BYTES = 100 * 1024;
