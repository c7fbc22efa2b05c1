import {
	NodeConnectionTypes,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { serviceRequest, transportClock } from '../../../nodes/common/request';
import type { ServiceProfile } from '../../../nodes/common/serviceProfile';
import { runWorkflow } from '../../harness/runWorkflow';

const { createFakeServer, json } = require('../../fakes/core.cjs');

/** A throwaway node and credential that exercise the harness and the shared transport end to end. */
const profile: ServiceProfile = {
	name: 'Probe',
	credentialType: 'probeTokenApi',
	// The probe's error bodies are `{message}`.
	errorMessage: (body) => {
		const message = (body as { message?: unknown } | undefined)?.message;
		return typeof message === 'string' ? message : undefined;
	},
	secretFields: ['password', 'token'],
};

class ProbeNode implements INodeType {
	description = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'probe',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'probeTokenApi', required: true }],
		properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '/thing' }],
	} as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const base = (await this.getCredentials('probeTokenApi')).url as string;
			const body = await serviceRequest(this, profile, {
				method: 'GET',
				url: `${base}${this.getNodeParameter('path', i) as string}`,
				json: true,
			}, { itemIndex: i });
			out.push({ json: body as never, pairedItem: { item: i } });
		}
		return [out];
	}
}

const probeCredential: ICredentialType = {
	name: 'probeTokenApi',
	displayName: 'Probe',
	properties: [
		{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Token', name: 'token', type: 'hidden', typeOptions: { expirable: true }, default: '' },
	],
	async preAuthentication(this, credentials) {
		const reply = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.url}/login`,
			body: { password: credentials.password },
			json: true,
		})) as { token: string };
		return { token: reply.token };
	},
	authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } } },
};

describe('in-process harness', () => {
	let logins = 0;
	const fake = createFakeServer({
		name: 'probe',
		initialState: () => ({ token: 'tok-1' }),
		handle: (req: any, ctx: any) => {
			if (req.path === '/login') {
				logins++;
				if (req.body?.password !== 's3cret-password') return json(401, { message: 'bad password' });
				ctx.state.token = `tok-${logins}`;
				return json(200, { token: ctx.state.token });
			}
			if (req.headers.authorization !== `Bearer ${ctx.state.token}`) return json(401, { message: 'expired' });
			return json(200, { ok: true, path: req.path });
		},
	});
	beforeAll(async () => {
		await fake.start();
		transportClock.sleep = async () => {};
	});
	afterAll(async () => fake.stop());
	beforeEach(() => fake.reset());

	const run = (password = 's3cret-password', token = '') =>
		runWorkflow({
			nodes: [{ name: 'Probe', type: 'probe', credentials: { probeTokenApi: 'probe' } }],
			nodeTypes: { 'n8n-nodes-sync-connectors.probe': new ProbeNode() },
			credentialTypes: { probeTokenApi: probeCredential },
			input: [{ a: 1 }, { a: 2 }],
			credentials: { probe: { type: 'probeTokenApi', data: { url: fake.baseUrl, password, token } } },
		});

	it('logs in once through preAuthentication, sends the generic header and pairs items', async () => {
		logins = 0;
		const result = await run();
		expect(result.error).toBeUndefined();
		expect(result.output('Probe')).toEqual([
			{ ok: true, path: '/thing' },
			{ ok: true, path: '/thing' },
		]);
		expect(result.items('Probe').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(logins).toBe(1);
		expect(result.credentials.probe.data.token).toBe('tok-1');
	});

	it('re-runs preAuthentication on a 401 with a stale token', async () => {
		logins = 0;
		const result = await run('s3cret-password', 'stale');
		expect(result.error).toBeUndefined();
		expect(logins).toBe(1);
		expect(fake.log.filter((entry: any) => entry.path === '/thing')).toHaveLength(3);
	});

	it('retries a GET after a 503 and fails clearly, without the secret, when the service keeps failing', async () => {
		fake.setFaults({ failNext: 1, status: 503, match: '/thing' });
		expect((await run()).error).toBeUndefined();
		fake.setFaults({ failNext: 50, status: 500, match: '/thing', body: { message: 'boom s3cret-password' } });
		const result = await run();
		expect(result.error?.message).toBe('Probe answered 500: boom [redacted] (item 0)');
	});
});
