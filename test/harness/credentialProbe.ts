/**
 * Sends one request through n8n-core's real httpRequestWithAuthentication with a given credential, as our
 * transport does, so tests see exactly what a credential type sends and how n8n re-authenticates.
 *
 *   const run = await probeCredential({ credentialType: 'ecalApi', url: '/calendar/' }, credentials);
 *   run.output('Probe')[0].body
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { allCredentialTypes } from './registry';
import { runWorkflow, type HarnessCredential, type RunResult } from './runWorkflow';

export interface ProbeRequest {
	credentialType: string;
	method?: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	body?: IDataObject;
	headers?: IDataObject;
	disableFollowRedirect?: boolean;
	/** preAuthenticationRetryStatusCode, as a node passes it. */
	retry?: number[];
}

function probeNode(request: ProbeRequest): INodeType {
	return {
		description: {
			displayName: 'Credential Probe',
			name: 'credentialProbe',
			group: ['transform'],
			version: 1,
			description: 'probe',
			defaults: { name: 'Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: Object.keys(allCredentialTypes()).map((name) => ({ name, required: false })),
			properties: [],
		} as unknown as INodeTypeDescription,
		// n8n calls execute with its own context as `this`, so the request is captured in this closure.
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const body = await this.helpers.httpRequestWithAuthentication.call(
				this,
				request.credentialType,
				{
					method: request.method ?? 'GET',
					url: request.url,
					qs: request.qs,
					body: request.body,
					headers: request.headers,
					json: true,
					disableFollowRedirect: request.disableFollowRedirect === true,
				},
				request.retry ? { preAuthenticationRetryStatusCode: request.retry } : undefined,
			);
			return [[{ json: { body } as IDataObject, pairedItem: { item: 0 } }]];
		},
	};
}

/** Runs the probe with the credential stored under key `c` of `credentials`. */
export async function probeCredential(
	request: ProbeRequest,
	credentials: Record<string, HarnessCredential>,
): Promise<RunResult> {
	return await runWorkflow({
		nodes: [{ name: 'Probe', type: 'test.probe', credentials: { [request.credentialType]: 'c' } }],
		nodeTypes: { 'test.probe': probeNode(request) },
		credentials,
	});
}
