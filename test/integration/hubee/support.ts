import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { runWorkflow, type HarnessNode, type RunOptions } from '../../harness/runWorkflow';

const { createHubeeFake } = require('../../fakes/hubee.cjs');

export const PROCESS = 'EtatCivil';

/** n8n reads N8N_RESTRICT_FILE_ACCESS_TO once per process: every download root of a test file lives under this one. */
export function allowedRoot(): string {
	const root = mkdtempSync(join(tmpdir(), 'hubee-files-'));
	process.env.N8N_RESTRICT_FILE_ACCESS_TO = root;
	return root;
}

export async function startFake(options: IDataObject = {}) {
	const fake = createHubeeFake({
		clients: [{ clientId: 'it-client', clientSecret: 'it-secret-5d1c', processCodes: [PROCESS, 'OtherProcess'] }],
		...options,
	});
	await fake.start();
	return fake;
}

export function credentials(fake: any): RunOptions['credentials'] {
	return {
		hubee: {
			type: 'hubeeApi',
			data: {
				environment: 'custom',
				apiUrl: fake.apiBaseUrl,
				tokenUrl: fake.tokenUrl,
				clientId: 'it-client',
				clientSecret: 'it-secret-5d1c',
				scope: 'SI',
				editorName: 'Commune de Test',
				applicationName: 'n8n-nodes-sync-connectors',
				softwareVersion: '0.1.0',
				accessToken: '',
			},
		},
	};
}

export function hubeeNode(name: string, parameters: IDataObject, extra: Partial<HarnessNode> = {}): HarnessNode {
	return { name, type: 'hubee', parameters, credentials: { hubeeApi: 'hubee' }, ...extra };
}

/** A chain of HubEE nodes after the harness input. */
export async function runChain(fake: any, nodes: HarnessNode[], input: IDataObject[] = [{}], extra: Partial<RunOptions> = {}) {
	return await runWorkflow({
		nodes,
		connections: nodes.map((node) => node.name),
		input,
		credentials: credentials(fake),
		...extra,
	});
}
