import type { IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { EcalApi } from '../../../credentials/EcalApi.credentials';
import { searchCalendars } from '../../../nodes/Ecal/methods/listSearch';

const { createEcalFake } = require('../../fakes/ecal.cjs');

let fake: any;

beforeAll(async () => {
	fake = await createEcalFake({ apiKey: 'k', secret: 's3cret' }).start();
	fake.addCalendar({ name: 'IPI Lyon - G2' });
	fake.addCalendar({ name: 'IPI Lyon - G1' });
	fake.addCalendar({ name: 'Brouillon', draft: 1 });
});

afterAll(async () => {
	await fake.stop();
});

/** A load-options context whose HTTP goes through the real credential's signing, so the fake checks the signature. */
function loadOptionsContext(): ILoadOptionsFunctions {
	const credential = new EcalApi();
	const data = { url: fake.apiBaseUrl, apiKey: 'k', apiSecret: 's3cret' };
	return {
		getNode: () => ({ id: 'n', name: 'ECAL', type: 'ecal', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => data,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const request = await credential.authenticate(data, options);
				const url = new URL(`${request.baseURL ?? ''}${request.url}`);
				for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
				const response = await fetch(url, { method: request.method ?? 'GET' });
				if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { httpCode: response.status });
				return response.status === 204 ? '' : await response.json();
			},
		},
	} as unknown as ILoadOptionsFunctions;
}

test('the calendar picker lists every calendar, drafts marked, sorted, filtered by name', async () => {
	const all = await searchCalendars.call(loadOptionsContext());
	expect(all.results.map((entry) => entry.name)).toEqual(['Brouillon (draft)', 'IPI Lyon - G1', 'IPI Lyon - G2']);
	expect(all.results.every((entry) => /^[0-9a-f]{24}$/.test(String(entry.value)))).toBe(true);
	const filtered = await searchCalendars.call(loadOptionsContext(), 'g1');
	expect(filtered.results.map((entry) => entry.name)).toEqual(['IPI Lyon - G1']);
	expect(fake.apiRequests().every((entry: any) => entry.query.showDraft === 'true')).toBe(true);
});
