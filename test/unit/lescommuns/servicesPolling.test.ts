import { readServicesPatiently } from '../../../nodes/LesCommuns/helpers/servicesPolling';
import { toRecocoAddonService } from '../../../nodes/LesCommuns/helpers/serviceShape';

function reader(answers: string[][]) {
	let calls = 0;
	return {
		read: async () => answers[Math.min(calls++, answers.length - 1)],
		get calls() {
			return calls;
		},
	};
}

describe('readServicesPatiently', () => {
	it('waits the initial delay, then reads once when services are there', async () => {
		const waits: number[] = [];
		const source = reader([['s1']]);
		const result = await readServicesPatiently(
			source.read,
			{ initialDelayMs: 60_000, reReads: 3, intervalMs: 30_000 },
			async (ms) => {
				waits.push(ms);
			},
		);
		expect(result).toEqual({ services: ['s1'], reads: 1 });
		expect(waits).toEqual([60_000]);
	});

	it('re-reads an empty list at the interval until services appear', async () => {
		const waits: number[] = [];
		const source = reader([[], [], ['s1', 's2']]);
		const result = await readServicesPatiently(
			source.read,
			{ initialDelayMs: 0, reReads: 5, intervalMs: 10_000 },
			async (ms) => {
				waits.push(ms);
			},
		);
		expect(result).toEqual({ services: ['s1', 's2'], reads: 3 });
		expect(waits).toEqual([10_000, 10_000]);
	});

	it('gives up after the configured re-reads and returns the empty list', async () => {
		const source = reader([[]]);
		const result = await readServicesPatiently(
			source.read,
			{ initialDelayMs: 0, reReads: 2, intervalMs: 0 },
			async () => {
				throw new Error('no wait expected');
			},
		);
		expect(result).toEqual({ services: [], reads: 3 });
		expect(source.calls).toBe(3);
	});

	it('lets a read error through (a 404 projet is not "no services yet")', async () => {
		await expect(
			readServicesPatiently(
				async () => {
					throw new Error('Les Communs answered 404');
				},
				{ initialDelayMs: 0, reReads: 3, intervalMs: 0 },
			),
		).rejects.toThrow('404');
	});
});

describe('toRecocoAddonService', () => {
	it('renames the top-level keys the way Recoco-sync stored them, and keeps nested values', () => {
		const service = {
			id: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
			name: 'Fonds vert',
			description: 'd',
			sousTitre: 's',
			redirectionUrl: 'https://x',
			logoUrl: 'https://x/logo.png',
			extraFields: [{ name: 'contactEmail', label: 'Email' }],
			isListed: true,
			redirectionLabel: null,
			iframeUrl: null,
			extendLabel: null,
		};
		expect(toRecocoAddonService(service)).toEqual({
			id: service.id,
			name: 'Fonds vert',
			description: 'd',
			sous_titre: 's',
			redirection_url: 'https://x',
			logo_url: 'https://x/logo.png',
			extra_fields: [{ name: 'contactEmail', label: 'Email' }],
			is_listed: true,
			redirection_label: null,
			iframe_url: null,
			extend_label: null,
		});
	});
});
