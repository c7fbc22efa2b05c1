import { projectColumns } from '../../../nodes/Recoco/helpers/projectColumns';

describe('projectColumns (Recoco-sync Project schema)', () => {
	it("reproduces Recoco-sync's own test fixture, plus object_id", () => {
		const project = {
			id: 777,
			name: 'Pôle Santé',
			description: 'Le projet consiste à créer un pôle santé',
			status: 'IN_PROGRESS',
			inactive_since: null,
			created_on: '2023-10-10T09:50:32.182591+02:00',
			updated_on: '2024-05-24T10:54:21.653995+02:00',
			org_name: 'Conseil des Jedi',
			switchtenders: [{ email: 'anakin.skywalker@jedi.com' }],
			commune: {
				name: 'MONNIERES',
				insee: '44100',
				postal: '44690',
				department: { name: 'Loire-Atlantique', code: '44', region: { name: 'Pays de la Loire', code: '52' } },
				latitude: 47.1202035218,
				longitude: -1.34924956417,
			},
			location: 'rue des hirondelles',
			latitude: 47.1202035218,
			longitude: -1.34924956417,
			topics: [{ name: 'Financement' }],
			tags: ['tag1', 'tag2'],
			advisors_note: 'Note conseiller',
		};
		expect(projectColumns(project)).toEqual({
			object_id: 777,
			name: 'Pôle Santé',
			description: 'Le projet consiste à créer un pôle santé',
			city: 'MONNIERES',
			postal_code: '44690',
			insee: '44100',
			department: 'Loire-Atlantique',
			department_code: '44',
			region: 'Pays de la Loire',
			region_code: '52',
			location: 'rue des hirondelles',
			latitude: 47.1202035218,
			longitude: -1.34924956417,
			tags: ['tag1', 'tag2'],
			organization: 'Conseil des Jedi',
			created: '2023-10-10T09:50:32.182591+02:00',
			modified: '2024-05-24T10:54:21.653995+02:00',
			inactive_since: null,
			active: true,
			status: 'IN_PROGRESS',
			advisors_note: 'Note conseiller',
		});
	});

	it('keeps each tag whole, even one with a comma or quotes (a comma-joined string would split it in Grist)', () => {
		const columns = projectColumns({ id: 1, name: 'x', tags: ['centre-bourg, cœur de ville', '"guillemets"', 'mobilité'] });
		expect(columns.tags).toEqual(['centre-bourg, cœur de ville', '"guillemets"', 'mobilité']);
	});

	it('gives nulls for a project without a commune, and inactive when inactive_since is set', () => {
		const columns = projectColumns({ id: 1, name: 'x', commune: null, inactive_since: '2025-01-01', tags: [] });
		expect(columns).toMatchObject({
			city: null,
			insee: null,
			region: null,
			tags: [],
			active: false,
			inactive_since: '2025-01-01',
		});
	});
});
