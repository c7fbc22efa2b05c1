import {
	flattenAnswer,
	flattenAnswers,
	questionColumnLabel,
	questionColumns,
	questionType,
} from '../../../nodes/Recoco/helpers/surveyAnswers';

const yesNo = {
	slug: 'a-un-terrain',
	text: 'Avez-vous un terrain ?',
	is_multiple: false,
	choices: [{ text: 'Oui' }, { text: 'Non' }],
};
const yesNoMaybe = {
	slug: 'etude-faite',
	text: 'Une étude a-t-elle été faite ?',
	is_multiple: false,
	choices: [{ text: 'Oui' }, { text: 'Non' }, { text: 'Je ne sais pas' }],
};
const choices = {
	slug: 'type-de-commune',
	text_short: 'Type de commune',
	is_multiple: false,
	choices: [
		{ text: 'Rurale', conclusion: 'Commune rurale' },
		{ text: 'Urbaine', conclusion: '' },
	],
};
const multiple = {
	id: 85,
	text: 'Thématique(s)',
	text_short: 'Thématique(s)',
	slug: 'thematiques',
	is_multiple: true,
	choices: [{ id: 258, value: '13', text: 'Commerce rural' }],
};
const simple = { slug: 'budget-previsionnel', text: 'Budget prévisionnel', is_multiple: false, choices: [] };

describe('questionType (Recoco-sync main/utils.py)', () => {
	it('classifies questions', () => {
		expect(questionType(simple)).toBe('SIMPLE');
		expect(questionType(yesNo)).toBe('YES_NO');
		expect(questionType(yesNoMaybe)).toBe('YES_NO_MAYBE');
		expect(questionType(choices)).toBe('CHOICES');
		expect(questionType(multiple)).toBe('MULTIPLE_CHOICES');
		expect(questionType({ slug: 'x' })).toBe('SIMPLE');
	});

	it('sorts before lower-casing, as Python does', () => {
		// sorted(["Oui", "non"]) == ["Oui", "non"] (upper case first) → "oui/non", not a yes/no question there either.
		expect(questionType({ slug: 'q', choices: [{ text: 'Oui' }, { text: 'non' }] })).toBe('CHOICES');
		expect(questionType({ slug: 'q', choices: [{ text: 'oui' }, { text: 'Non' }] })).toBe('YES_NO');
	});
});

describe('flattenAnswer (Recoco-sync map_from_survey_answer_payload_object)', () => {
	it("reproduces Recoco-sync's own test fixture", () => {
		const answer = {
			id: 12583,
			question: {
				...multiple,
				choices: [
					{ id: 258, value: '13', text: 'Commerce rural' },
					{ id: 247, value: '2', text: 'Participation à la vie locale' },
					{ id: 254, value: '9', text: 'Patrimoine' },
				],
			},
			session: 806,
			project: 831,
			choices: [
				{ id: 258, value: '13', text: 'Commerce rural' },
				{ id: 247, value: '2', text: 'Participation à la vie locale' },
				{ id: 254, value: '9', text: 'Patrimoine' },
			],
			comment: 'Mon commentaire sur les thématiques',
			attachment: null,
		};
		expect(flattenAnswer(answer)).toEqual({
			thematiques: 'Commerce rural,Participation à la vie locale,Patrimoine',
			thematiques_comment: 'Mon commentaire sur les thématiques',
		});
	});

	it('turns a slug with dashes into a column id with underscores; a free-text answer is its comment', () => {
		expect(flattenAnswer({ question: simple, choices: [], comment: '120 000 €' })).toEqual({ budget_previsionnel: '120 000 €' });
	});

	it('turns yes/no into a boolean plus a _comment column', () => {
		expect(flattenAnswer({ question: yesNo, choices: [{ text: 'Oui' }], comment: 'parcelle' })).toEqual({
			a_un_terrain: true,
			a_un_terrain_comment: 'parcelle',
		});
		expect(flattenAnswer({ question: yesNo, choices: [{ text: 'Non' }], comment: '' })).toEqual({
			a_un_terrain: false,
			a_un_terrain_comment: '',
		});
		expect(flattenAnswer({ question: yesNo, choices: [] })).toEqual({ a_un_terrain: false, a_un_terrain_comment: '' });
	});

	it('gives the lower-cased choice for yes/no/maybe', () => {
		expect(flattenAnswer({ question: yesNoMaybe, choices: [{ text: 'Je ne sais pas' }], comment: 'c' })).toEqual({
			etude_faite: 'je ne sais pas',
			etude_faite_comment: 'c',
		});
		expect(flattenAnswer({ question: yesNoMaybe, choices: [], comment: 'c' })).toEqual({
			etude_faite: '',
			etude_faite_comment: 'c',
		});
	});

	it('joins conclusion, or the text when the conclusion is empty, for choices', () => {
		expect(flattenAnswer({ question: choices, choices: choices.choices, comment: 'x' })).toEqual({
			type_de_commune: 'Commune rurale,Urbaine',
			type_de_commune_comment: 'x',
		});
	});

	it('adds an _attachment key when the answer has one', () => {
		expect(flattenAnswer({ question: simple, comment: 'c', attachment: 'https://x/f.pdf' })).toEqual({
			budget_previsionnel: 'c',
			budget_previsionnel_attachment: 'https://x/f.pdf',
		});
	});

	it('skips answers without a question or a slug', () => {
		expect(flattenAnswer({ comment: 'x' })).toEqual({});
		expect(flattenAnswer({ question: { text: 'no slug' }, comment: 'x' })).toEqual({});
	});

	it('merges every answer of a session', () => {
		expect(
			flattenAnswers([
				{ question: simple, comment: 'a' },
				{ question: yesNo, choices: [{ text: 'Oui' }], comment: '' },
			]),
		).toEqual({ budget_previsionnel: 'a', a_un_terrain: true, a_un_terrain_comment: '' });
	});
});

describe('questionColumns (Recoco-sync GristConnector column spec)', () => {
	it('declares one column per question and a _comment column for non-free-text ones', () => {
		expect(questionColumns(simple)).toEqual([{ colId: 'budget_previsionnel', label: 'Budget prévisionnel', type: 'Text' }]);
		expect(questionColumns(yesNo)).toEqual([
			{ colId: 'a_un_terrain', label: 'Avez-vous un terrain ?', type: 'Bool' },
			{ colId: 'a_un_terrain_comment', label: 'Commentaire de Avez-vous un terrain ?', type: 'Text' },
		]);
		expect(questionColumns(yesNoMaybe)[0].type).toBe('Text');
		expect(questionColumns(choices)[0]).toEqual({ colId: 'type_de_commune', label: 'Type de commune', type: 'Text' });
		expect(questionColumns(multiple)[0].type).toBe('ChoiceList');
		expect(questionColumns({ text: 'no slug' })).toEqual([]);
	});

	it('labels from text_short, text, else the title-cased slug, cut at 80 characters', () => {
		expect(questionColumnLabel({ slug: 'mon_projet_phare' })).toBe('Mon Projet Phare');
		const long = 'x'.repeat(81);
		expect(questionColumnLabel({ slug: 's', text: long })).toBe(`${'x'.repeat(77)}...`);
		expect(questionColumnLabel({ slug: 's', text: 'x'.repeat(80) })).toHaveLength(80);
	});
});
