import { projetProblems, utf8ByteLength } from '../../../nodes/LesCommuns/helpers/validateProjet';
import { PROJET_BODY_LIMIT_BYTES } from '../../../nodes/LesCommuns/helpers/projetRules';

const valid = {
	nom: 'Rénovation de l’école',
	externalId: '42',
	collectivites: [{ type: 'Commune', code: '44109' }],
};

describe('projetProblems (create)', () => {
	it('accepts a minimal projet and every documented optional field', () => {
		expect(projetProblems(valid, 'create')).toEqual([]);
		expect(
			projetProblems(
				{
					...valid,
					description: 'd',
					porteur: { codeSiret: null, referentEmail: 'a@b.fr', referentPrenom: 'A', referentNom: 'B' },
					budgetPrevisionnel: 1000,
					dateDebutPrevisionnelle: '2024-03-01',
					phase: 'Étude',
					phaseStatut: 'En retard',
					programme: null,
					competences: ['90-025'],
					leviers: ['Sobriété foncière'],
					classificationThematiques: [],
					classificationSites: null,
					classificationInterventions: ['x'],
					probabiliteTE: '0.8',
					classificationScores: { thematiques: [] },
				},
				'create',
			),
		).toEqual([]);
	});

	it('refuses an empty or missing collectivites, naming the field', () => {
		expect(projetProblems({ ...valid, collectivites: [] }, 'create')).toEqual([
			'collectivites: must name at least one commune or EPCI (Les Communs refuses an empty list)',
		]);
		expect(projetProblems({ ...valid, collectivites: undefined }, 'create')).toEqual([
			'collectivites: required, a non-empty list of {type, code}, got undefined',
		]);
	});

	it.each([
		['75056', true],
		['2A004', true],
		['2B033', true],
		['7505', false],
		['750560', false],
		['2C004', false],
		['2a004', false],
		['AB123', false],
		[' 75056', false],
	])('checks the commune INSEE code %p (valid: %p)', (code, ok) => {
		const problems = projetProblems({ ...valid, collectivites: [{ type: 'Commune', code }] }, 'create');
		if (ok) expect(problems).toEqual([]);
		else
			expect(problems).toEqual([
				`collectivites[0].code: ${JSON.stringify(code)} is not a commune INSEE code (5 digits, or 2A/2B then 3 digits)`,
			]);
	});

	it('checks EPCI SIRENs, collectivité types and unknown keys inside a collectivité', () => {
		expect(projetProblems({ ...valid, collectivites: [{ type: 'EPCI', code: '200000438' }] }, 'create')).toEqual([]);
		expect(
			projetProblems(
				{
					...valid,
					collectivites: [
						{ type: 'Commune', code: '44109' },
						{ type: 'EPCI', code: '44109' },
						{ type: 'Region', code: '52', nom: 'Pays de la Loire' },
						{ type: 'Commune', code: 44109 },
					],
				},
				'create',
			),
		).toEqual([
			'collectivites[1].code: "44109" is not an EPCI SIREN (9 digits)',
			'collectivites[2].nom: unknown property (Les Communs accepts only type, code)',
			'collectivites[2].type: must be one of Commune, EPCI, got "Region"',
			'collectivites[3].code: must be a text (an INSEE code or an EPCI SIREN), got 44109',
		]);
	});

	it('refuses phases and statuts Les Communs does not know, and a statut without a phase', () => {
		expect(projetProblems({ ...valid, phase: 'Etude' }, 'create')).toEqual([
			'phase: must be one of Idée, Étude, Opération, got "Etude"',
		]);
		expect(projetProblems({ ...valid, phase: 'Idée', phaseStatut: 'Fini' }, 'create')).toEqual([
			'phaseStatut: must be one of En cours, En retard, En pause, Bloqué, Abandonné, Terminé, got "Fini"',
		]);
		expect(projetProblems({ ...valid, phaseStatut: 'En cours' }, 'create')).toEqual([
			'phaseStatut: cannot be sent without a phase',
		]);
		expect(projetProblems({ ...valid, phase: null, phaseStatut: 'En cours' }, 'create')).toEqual([
			'phaseStatut: cannot be sent without a phase',
		]);
		expect(projetProblems({ ...valid, phase: 'Idée' }, 'create')).toEqual([]);
	});

	it('names every unknown property, at the top and in porteur (the API whitelists)', () => {
		const problems = projetProblems(
			{ ...valid, tags: ['les-communs'], id: 'x', porteur: { referentEmail: 'a@b.fr', email: 'a@b.fr' } },
			'create',
		);
		expect(problems).toHaveLength(3);
		expect(problems[0]).toMatch(/^tags: unknown property \(Les Communs accepts only nom, description, porteur, /);
		expect(problems[1]).toMatch(/^id: unknown property/);
		expect(problems[2]).toBe(
			'porteur.email: unknown property (Les Communs accepts only codeSiret, referentEmail, referentTelephone, referentPrenom, referentNom, referentFonction)',
		);
	});

	it('requires nom and externalId as non-empty texts', () => {
		expect(projetProblems({ ...valid, nom: '  ', externalId: 42 }, 'create')).toEqual([
			'nom: required, a non-empty text, got "  "',
			'externalId: must be a text, got the number 42 (send String(42))',
		]);
	});

	it('checks the types of the other fields', () => {
		expect(
			projetProblems(
				{
					...valid,
					budgetPrevisionnel: '1000',
					dateDebutPrevisionnelle: '01/03/2024',
					competences: '90-025',
					description: 12,
					porteur: { referentNom: 3 },
				},
				'create',
			),
		).toEqual([
			'porteur.referentNom: must be a text, got 3',
			'description: must be a text, got 12',
			'dateDebutPrevisionnelle: must be an ISO date such as 2024-03-01, got "01/03/2024"',
			'competences: must be a list of texts, got "90-025"',
			'budgetPrevisionnel: must be a number, got "1000"',
		]);
	});

	it('refuses a body over 100 kB, counting UTF-8 bytes and naming the field that makes it big', () => {
		const overhead = utf8ByteLength(JSON.stringify({ ...valid, description: '' }));
		const fits = { ...valid, description: 'é'.repeat(Math.floor((PROJET_BODY_LIMIT_BYTES - overhead) / 2)) };
		expect(utf8ByteLength(JSON.stringify(fits))).toBeLessThanOrEqual(PROJET_BODY_LIMIT_BYTES);
		expect(projetProblems(fits, 'create')).toEqual([]);
		const tooBig = { ...fits, description: `${fits.description}éé` };
		const bytes = utf8ByteLength(JSON.stringify(tooBig));
		expect(bytes).toBeGreaterThan(PROJET_BODY_LIMIT_BYTES);
		expect(JSON.stringify(tooBig).length).toBeLessThan(PROJET_BODY_LIMIT_BYTES);
		expect(projetProblems(tooBig, 'create')).toEqual([
			`description: makes the body ${bytes} bytes, over Les Communs' limit of 102400 bytes (100 kB)`,
		]);
	});

	it('says when the input is not an object', () => {
		expect(projetProblems([valid], 'create')).toEqual([expect.stringMatching(/^projet: must be a JSON object/)]);
		expect(projetProblems('{}', 'create')).toEqual(['projet: must be a JSON object, got "{}"']);
	});
});

describe('projetProblems (update)', () => {
	it('accepts a partial projet, but not an empty one or an empty collectivites', () => {
		expect(projetProblems({ phase: 'Opération' }, 'update')).toEqual([]);
		expect(projetProblems({}, 'update')).toEqual(['projet: nothing to update']);
		expect(projetProblems({ collectivites: [] }, 'update')).toEqual([
			'collectivites: must name at least one commune or EPCI (Les Communs refuses an empty list)',
		]);
	});

	it('still refuses a statut without its phase (checked on the PATCH body too)', () => {
		expect(projetProblems({ phaseStatut: 'Terminé' }, 'update')).toEqual([
			'phaseStatut: cannot be sent without a phase',
		]);
	});
});

describe('utf8ByteLength', () => {
	it('counts like Buffer.byteLength', () => {
		for (const text of ['', 'abc', 'é', '€', '😀', 'Idée — “Étude” 🌱']) {
			expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
		}
	});
});
