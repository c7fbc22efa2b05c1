import { mapRecocoProject } from '../../../nodes/LesCommuns/helpers/mapRecocoProject';
import { projetProblems } from '../../../nodes/LesCommuns/helpers/validateProjet';

/** GET /api/projects/{id}/ as Recoco serves it (UserProjectSerializer), trimmed to what matters. */
function recocoProject(overrides: Record<string, unknown> = {}) {
	return {
		id: 1234,
		name: 'Réhabilitation du pont de la Loire',
		description: 'Le pont « vieux pont » doit être consolidé.',
		status: 'IN_PROGRESS',
		created_on: '2024-11-30T23:30:00.123456+01:00',
		updated_on: '2025-01-05T10:00:00+01:00',
		org_name: 'Mairie',
		switchtenders: [
			{ username: 'c@x.fr', first_name: 'Camille', last_name: 'Martin', email: 'camille@conseil.fr', is_active: true },
			{ username: 'd@x.fr', first_name: 'Dominique', last_name: 'Durand', email: 'd@x.fr', is_active: true },
		],
		owner: { id: 9, first_name: 'Alex', last_name: 'Petit', username: 'alex@mairie.fr', email: 'alex@mairie.fr' },
		commune: {
			name: 'Nantes',
			insee: '44109',
			postal: '44000',
			department: { name: 'Loire-Atlantique', code: '44', region: { name: 'Pays de la Loire', code: '52' } },
			latitude: 47.2,
			longitude: -1.55,
		},
		tags: ['ponts'],
		topics: [],
		advisors_note: null,
		...overrides,
	};
}

describe('mapRecocoProject', () => {
	it('maps a project the way Recoco-sync does, with the porteur names it lost', () => {
		expect(mapRecocoProject(recocoProject())).toEqual({
			skipped: false,
			externalId: '1234',
			projet: {
				nom: 'Réhabilitation du pont de la Loire',
				description: 'Le pont « vieux pont » doit être consolidé.',
				collectivites: [{ type: 'Commune', code: '44109' }],
				externalId: '1234',
				phase: 'Idée',
				phaseStatut: 'En cours',
				dateDebutPrevisionnelle: '2024-11-30',
				porteur: {
					codeSiret: null,
					referentEmail: 'camille@conseil.fr',
					referentPrenom: 'Camille',
					referentNom: 'Martin',
					referentFonction: null,
				},
			},
		});
	});

	it('produces a projet the node accepts, without the keys that would wipe Les Communs qualification', () => {
		const result = mapRecocoProject(recocoProject());
		if (result.skipped) throw new Error('expected a projet');
		expect(projetProblems(result.projet, 'create')).toEqual([]);
		for (const key of ['competences', 'leviers', 'budgetPrevisionnel', 'programme']) {
			expect(result.projet).not.toHaveProperty(key);
		}
	});

	it.each([
		['DRAFT', 'En cours'],
		['TO_PROCESS', 'En cours'],
		['READY', 'En cours'],
		['IN_PROGRESS', 'En cours'],
		['DONE', 'Terminé'],
		['STUCK', 'Bloqué'],
		['REJECTED', 'Abandonné'],
		['PRE_DRAFT', 'En cours'],
		['done', 'Terminé'],
		[undefined, 'En cours'],
	])('maps status %p to phaseStatut %p', (status, phaseStatut) => {
		const result = mapRecocoProject(recocoProject({ status }));
		expect(result.skipped).toBe(false);
		if (!result.skipped) expect(result.projet.phaseStatut).toBe(phaseStatut);
	});

	it.each([
		['no commune', { commune: null }],
		['a commune without INSEE code', { commune: { name: 'Nantes', insee: '' } }],
		['commune missing', { commune: undefined }],
	])('skips a project with %s, saying so instead of throwing', (_case, overrides) => {
		expect(mapRecocoProject(recocoProject(overrides))).toEqual({
			skipped: true,
			externalId: '1234',
			reason: 'no commune',
			message:
				'skipped: no commune. Recoco project 1234 has no commune INSEE code, and Les Communs needs at least one collectivité',
		});
	});

	it('skips what is not a project', () => {
		expect(mapRecocoProject(null)).toMatchObject({ skipped: true, reason: 'not a project' });
		expect(mapRecocoProject([recocoProject()])).toMatchObject({ skipped: true, reason: 'not a project' });
		expect(mapRecocoProject({ name: 'x' })).toMatchObject({ skipped: true, reason: 'no id' });
	});

	it('keeps the portal-local date of created_on and leaves out a missing one', () => {
		const late = mapRecocoProject(recocoProject({ created_on: '2024-12-31T23:59:59+01:00' }));
		expect(!late.skipped && late.projet.dateDebutPrevisionnelle).toBe('2024-12-31');
		const none = mapRecocoProject(recocoProject({ created_on: null }));
		expect(!none.skipped && 'dateDebutPrevisionnelle' in none.projet).toBe(false);
	});

	it('chooses the porteur as configured, and sends none when nobody is there', () => {
		const owner = mapRecocoProject(recocoProject(), { porteurFrom: 'owner' });
		expect(!owner.skipped && owner.projet.porteur).toEqual({
			codeSiret: null,
			referentEmail: 'alex@mairie.fr',
			referentPrenom: 'Alex',
			referentNom: 'Petit',
			referentFonction: null,
		});
		const nobody = mapRecocoProject(recocoProject({ switchtenders: [] }));
		expect(!nobody.skipped && 'porteur' in nobody.projet).toBe(false);
		const none = mapRecocoProject(recocoProject(), { porteurFrom: 'none' });
		expect(!none.skipped && 'porteur' in none.projet).toBe(false);
		const partial = mapRecocoProject(recocoProject({ switchtenders: [{ email: 'x@y.fr', first_name: '' }] }));
		expect(!partial.skipped && partial.projet.porteur).toMatchObject({ referentPrenom: null, referentNom: null });
	});

	it('sends a null description when Recoco has none, and takes a configured phase', () => {
		const result = mapRecocoProject(recocoProject({ description: null }), { phase: 'Étude' });
		expect(!result.skipped && result.projet).toMatchObject({ description: null, phase: 'Étude' });
	});

	it('does not touch its input', () => {
		const project = recocoProject();
		const before = JSON.stringify(project);
		mapRecocoProject(project);
		expect(JSON.stringify(project)).toBe(before);
	});
});
