/**
 * Les Communs → Projet → Create or Update with Input "Recoco Project": the node maps each input item (a Recoco
 * project) with helpers/mapRecocoProject and upserts it; a project without a commune is an output item saying it was
 * skipped, with no request; an item that is not a Recoco project is an item error.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { LesCommuns } from '../../../nodes/LesCommuns/LesCommuns.node';
import { mapRecocoProject } from '../../../nodes/LesCommuns/helpers/mapRecocoProject';

function mockContext(inputs: IDataObject[], parameters: IDataObject, { continueOnFail = false } = {}) {
	const requests: IHttpRequestOptions[] = [];
	const all: IDataObject = { resource: 'project', operation: 'upsert', inputMode: 'recocoProject', ...parameters };
	const context = {
		getInputData: () => inputs.map((json) => ({ json })),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => all[name] ?? fallback,
		getNode: () => ({ name: 'Create or update projet', type: 'n8n-nodes-sync-connectors.lesCommuns', typeVersion: 1, parameters: {} }),
		continueOnFail: () => continueOnFail,
		getCredentials: async () => ({ environment: 'custom', url: 'https://lescommuns.test', apiKey: 'key-secret-123' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				requests.push(request);
				return { id: `uuid-${(request.body as IDataObject).externalId}` };
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, requests };
}

const run = async (context: IExecuteFunctions): Promise<INodeExecutionData[]> => (await new LesCommuns().execute.call(context))[0];

const commune = { name: 'Nantes', insee: '44109' };
const project = (overrides: IDataObject = {}): IDataObject => ({
	id: 12,
	name: 'Halles',
	status: 'DONE',
	created_on: '2024-11-30T23:30:00+01:00',
	commune,
	switchtenders: [{ first_name: 'Ada', last_name: 'Conseil', email: 'ada@conseil.test' }],
	owner: { first_name: 'Alex', last_name: 'Petit', email: 'alex@mairie.test' },
	...overrides,
});

describe('Les Communs Create or Update from a Recoco project', () => {
	it('sends what mapRecocoProject gives, one request per project, each output paired with its input', async () => {
		const inputs = [project(), project({ id: 13, name: 'Pont', status: 'STUCK' })];
		const { context, requests } = mockContext(inputs, { porteurFrom: 'owner', phase: 'Étude' });
		const output = await run(context);
		expect(requests.map((request) => [request.method, request.url])).toEqual([
			['POST', '/projets'],
			['POST', '/projets'],
		]);
		expect(requests.map((request) => request.body)).toEqual(
			inputs.map((input) => (mapRecocoProject(input, { porteurFrom: 'owner', phase: 'Étude' }) as { projet: unknown }).projet),
		);
		expect((requests[0].body as IDataObject).porteur).toMatchObject({ referentEmail: 'alex@mairie.test' });
		expect(output).toEqual([
			{ json: { id: 'uuid-12', externalId: '12', skipped: false }, pairedItem: { item: 0 } },
			{ json: { id: 'uuid-13', externalId: '13', skipped: false }, pairedItem: { item: 1 } },
		]);
	});

	it('defaults to the first advisor as porteur and phase Idée, as Recoco-sync did', async () => {
		const { context, requests } = mockContext([project()], {});
		await run(context);
		expect(requests[0].body).toMatchObject({
			phase: 'Idée',
			phaseStatut: 'Terminé',
			porteur: { referentEmail: 'ada@conseil.test', referentPrenom: 'Ada', referentNom: 'Conseil' },
		});
	});

	it('skips a project without a commune, says why, and sends nothing for it', async () => {
		const { context, requests } = mockContext([project({ id: 6, commune: null }), project()], {});
		const output = await run(context);
		expect(requests).toHaveLength(1);
		expect(output[0]).toEqual({
			json: {
				skipped: true,
				externalId: '6',
				reason: 'no commune',
				message: expect.stringMatching(/^skipped: no commune\. Recoco project 6 has no commune INSEE code/),
			},
			pairedItem: { item: 0 },
		});
		expect(output[1].json).toMatchObject({ skipped: false, externalId: '12' });
	});

	it('fails an item that is not a Recoco project, naming it; under Continue On Fail it is an error item', async () => {
		const { context } = mockContext([{ name: 'no id' }], {});
		await expect(run(context)).rejects.toThrow(/^The Recoco project has no id: Input "Recoco Project" needs a Recoco project with its id \(item 0\)$/);

		const tolerant = mockContext([{ name: 'no id' }, project()], {}, { continueOnFail: true });
		const output = await run(tolerant.context);
		expect(output[0]).toEqual({ json: { error: expect.stringMatching(/has no id.*\(item 0\)$/) }, pairedItem: { item: 0 } });
		expect(output[1].json).toMatchObject({ skipped: false });
		expect(tolerant.requests).toHaveLength(1);
	});

	it('refuses a mapped projet Les Communs would refuse, before any request', async () => {
		const { context, requests } = mockContext([project({ commune: { insee: '123' } })], {});
		await expect(run(context)).rejects.toThrow(/Les Communs would refuse the projet: .*\(item 0\)$/);
		expect(requests).toHaveLength(0);
	});
});
