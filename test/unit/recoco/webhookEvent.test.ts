import { readEnvelope, resolveProjectIds, topicAction } from '../../../nodes/Recoco/helpers/webhookEvent';

describe('resolveProjectIds', () => {
	it('uses object.id for a project', () => {
		expect(resolveProjectIds('projects.Project', { id: 42, name: 'P' })).toEqual({ projectId: 42, projectIds: [42] });
	});

	it('uses object.id for a TaggedItem, whose object is the tagged project itself', () => {
		expect(resolveProjectIds('taggit.TaggedItem', { id: 7, name: 'P', tags: ['a'] })).toEqual({ projectId: 7, projectIds: [7] });
	});

	it('uses object.project for a survey answer and a task', () => {
		expect(resolveProjectIds('survey.Answer', { id: 12583, session: 806, project: 831 })).toEqual({
			projectId: 831,
			projectIds: [831],
		});
		expect(resolveProjectIds('tasks.Task', { id: 5, status: 1, resource: null, project: 9 })).toEqual({
			projectId: 9,
			projectIds: [9],
		});
	});

	it('lists the owned projects of a user profile, with no single projectId', () => {
		expect(resolveProjectIds('home.UserProfile', { id: 3, email: 'a@b.fr', projects: [4, 8] })).toEqual({
			projectId: null,
			projectIds: [4, 8],
		});
		expect(resolveProjectIds('home.UserProfile', { id: 3, email: 'a@b.fr', projects: [] })).toEqual({
			projectId: null,
			projectIds: [],
		});
		expect(resolveProjectIds('home.UserProfile', { id: 3, email: 'a@b.fr' })).toEqual({ projectId: null, projectIds: [] });
	});

	it('accepts numeric strings and gives null for anything else', () => {
		expect(resolveProjectIds('tasks.Task', { id: 5, project: '12' })).toEqual({ projectId: 12, projectIds: [12] });
		expect(resolveProjectIds('tasks.Task', { id: 5 })).toEqual({ projectId: null, projectIds: [] });
		expect(resolveProjectIds('survey.Answer', { id: 5, project: 'abc' })).toEqual({ projectId: null, projectIds: [] });
		expect(resolveProjectIds('other.Model', { id: 5 })).toEqual({ projectId: null, projectIds: [] });
	});
});

describe('readEnvelope', () => {
	it('accepts django-webhook envelopes', () => {
		const body = { topic: 'tasks.Task/update', object: { id: 1 }, object_type: 'tasks.Task', webhook_uuid: 'u' };
		expect(readEnvelope(body)).toEqual({ valid: true, event: body });
	});

	it('names what is missing', () => {
		expect(readEnvelope([1])).toEqual({ valid: false, reason: 'the body is not a JSON object' });
		expect(readEnvelope(null).valid).toBe(false);
		expect(readEnvelope({ object: {}, object_type: 'x' })).toEqual({ valid: false, reason: 'the body has no "topic"' });
		expect(readEnvelope({ topic: 't', object: {} })).toEqual({ valid: false, reason: 'the body has no "object_type"' });
		expect(readEnvelope({ topic: 't', object_type: 'x', object: [1] })).toEqual({
			valid: false,
			reason: 'the body has no "object"',
		});
	});
});

describe('topicAction', () => {
	it('is the part after the slash', () => {
		expect(topicAction('projects.Project/update')).toBe('update');
		expect(topicAction('survey.Answer/create')).toBe('create');
		expect(topicAction('nothing')).toBe('nothing');
	});
});
