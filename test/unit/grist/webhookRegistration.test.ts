import {
	authorizationMatches,
	findOwnWebhooks,
	matchesSettings,
	webhookFields,
	type GristWebhookSummary,
	type WebhookSettings,
} from '../../../nodes/Grist/helpers/webhookRegistration';

const URL_A = 'https://n8n.example.org/webhook/abc/grist';
const settings: WebhookSettings = { url: URL_A, tableId: 'Projects', eventTypes: ['add', 'update'], watchedColIds: ['Status'], readyColumn: 'Ready' };

function listed(id: string, fields: Partial<GristWebhookSummary['fields']> = {}): GristWebhookSummary {
	return {
		id,
		fields: {
			url: URL_A,
			authorization: 'Bearer s3cret',
			tableId: 'Projects',
			eventTypes: ['update', 'add'],
			watchedColIds: ['Status'],
			isReadyColumn: 'Ready',
			enabled: true,
			...fields,
		},
	};
}

describe('webhookFields', () => {
	test('uses watchedColIds (Grist ignores columnIds) and null for no ready column', () => {
		const fields = webhookFields({ ...settings, readyColumn: '' }, 'Bearer x', 'n8n: wf');
		expect(fields).toMatchObject({
			url: URL_A,
			authorization: 'Bearer x',
			tableId: 'Projects',
			eventTypes: ['add', 'update'],
			watchedColIds: ['Status'],
			isReadyColumn: null,
			enabled: true,
			name: 'n8n: wf',
		});
		expect(fields).not.toHaveProperty('columnIds');
		expect(webhookFields(settings, 'Bearer x', 'n').isReadyColumn).toBe('Ready');
	});
});

describe('matchesSettings', () => {
	test('the same settings in another order match', () => {
		expect(matchesSettings(listed('w1'), settings)).toBe(true);
	});

	test.each<[string, Partial<GristWebhookSummary['fields']>]>([
		['another URL', { url: 'https://n8n.example.org/webhook/other/grist' }],
		['another table', { tableId: 'Tasks' }],
		['fewer events', { eventTypes: ['add'] }],
		['another watch list', { watchedColIds: ['Status', 'Name'] }],
		['no ready column', { isReadyColumn: null }],
		['disabled', { enabled: false }],
		['no authorization to check deliveries against', { authorization: '' }],
	])('%s does not match', (_name, fields) => {
		expect(matchesSettings(listed('w1', fields), settings)).toBe(false);
	});

	test('an empty watch list matches none; Grist lists a deleted watched column as null', () => {
		const none = { ...settings, watchedColIds: [] };
		expect(matchesSettings(listed('w1', { watchedColIds: [] }), none)).toBe(true);
		expect(matchesSettings(listed('w1', { watchedColIds: undefined }), none)).toBe(true);
		expect(matchesSettings(listed('w1', { watchedColIds: ['Status', null] }), settings)).toBe(true);
	});
});

describe('findOwnWebhooks', () => {
	const others = listed('x', { url: 'https://elsewhere.example/hook' });

	test('prefers the stored id at our URL, other registrations at our URL are duplicates', () => {
		const result = findOwnWebhooks([others, listed('w1'), listed('w2')], URL_A, 'w2');
		expect(result.own?.id).toBe('w2');
		expect(result.duplicates.map((webhook) => webhook.id)).toEqual(['w1']);
	});

	test('without a stored id (static data lost) adopts the first at our URL', () => {
		const result = findOwnWebhooks([others, listed('w1')], URL_A, undefined);
		expect(result.own?.id).toBe('w1');
		expect(result.duplicates).toEqual([]);
	});

	test('a stored id listed at another URL is not ours; nothing at our URL means none', () => {
		const result = findOwnWebhooks([listed('w1', { url: 'https://elsewhere.example/hook' })], URL_A, 'w1');
		expect(result.own).toBeUndefined();
		expect(result.duplicates).toEqual([]);
	});
});

describe('authorizationMatches', () => {
	test('only the exact stored header matches', () => {
		expect(authorizationMatches('Bearer abc', 'Bearer abc')).toBe(true);
		expect(authorizationMatches('Bearer abd', 'Bearer abc')).toBe(false);
		expect(authorizationMatches('Bearer abcd', 'Bearer abc')).toBe(false);
		expect(authorizationMatches(undefined, 'Bearer abc')).toBe(false);
		expect(authorizationMatches(['Bearer abc'], 'Bearer abc')).toBe(false);
		// Nothing stored (never activated) refuses everything, an empty header included.
		expect(authorizationMatches('', '')).toBe(false);
		expect(authorizationMatches('Bearer abc', undefined)).toBe(false);
	});
});
