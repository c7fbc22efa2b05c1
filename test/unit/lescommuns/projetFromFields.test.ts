import { lesCommunsProfile } from '../../../nodes/LesCommuns/transport/request';
import { projetFromFields } from '../../../nodes/LesCommuns/helpers/projetFromFields';

describe('projetFromFields', () => {
	it('turns the Define Below parameters into the projet body', () => {
		expect(
			projetFromFields({
				externalId: ' 42 ',
				nom: 'Projet',
				collectivites: {
					collectivite: [
						{ type: 'Commune', code: ' 44109' },
						{ type: 'EPCI', code: '244400404' },
					],
				},
				description: '  keeps its spaces ',
				phase: 'Étude',
				budgetPrevisionnel: 0,
				competences: ['90-025', ' '],
				leviers: [],
				dateDebutPrevisionnelle: '',
				porteur: { details: { referentEmail: 'a@b.fr', referentNom: '' } },
			}),
		).toEqual({
			externalId: '42',
			nom: 'Projet',
			collectivites: [
				{ type: 'Commune', code: '44109' },
				{ type: 'EPCI', code: '244400404' },
			],
			description: '  keeps its spaces ',
			phase: 'Étude',
			budgetPrevisionnel: 0,
			competences: ['90-025'],
			porteur: { referentEmail: 'a@b.fr' },
		});
	});

	it('gives an empty collectivites list when the parameter was added without entries, so validation names it', () => {
		expect(projetFromFields({ collectivites: {} })).toEqual({ collectivites: [] });
		expect(projetFromFields({ nom: 'x' })).toEqual({ nom: 'x' });
	});
});

describe('lesCommunsProfile.errorMessage', () => {
	it('keeps NestJS messages, joining validation arrays', () => {
		expect(
			lesCommunsProfile.errorMessage(
				{
					statusCode: 400,
					message: ['property tags should not exist', 'nom should not be empty'],
					error: 'Bad Request',
				},
				{ status: 400, headers: {}, message: '' },
			),
		).toBe('property tags should not exist; nom should not be empty');
	});

	it('says where to fix a refused key', () => {
		expect(
			lesCommunsProfile.errorMessage(
				{ statusCode: 401, message: 'Invalid API key', error: 'Unauthorized' },
				{ status: 401, headers: {}, message: '' },
			),
		).toBe('Invalid API key. Check the API key of the Les Communs credential');
	});
});
