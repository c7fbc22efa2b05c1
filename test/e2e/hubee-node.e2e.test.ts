/**
 * The HubEE node in a real n8n 2.41 (filesystem binary mode, N8N_RESTRICT_FILE_ACCESS_TO set by the runtime): one run
 * of Get Many → Download → Save → minimal and maximal status → Delete against the fake, as `n8n execute` runs it.
 * The bundled workflow has its own e2e; this one pins the node's streaming and file writes outside jest's harness.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadFake, runtimeLib, type N8nRuntime, scaled } from './support/repo';

jest.setTimeout(scaled(600_000));

const WORKFLOW_ID = 'e2eHubeeNode00001';
const PROCESS = 'EtatCivil';

const node = (name: string, x: number, parameters: Record<string, unknown>) => ({
	id: `7c1d2e3f-0000-4000-8000-${String(x).padStart(12, '0')}`,
	name,
	type: 'n8n-nodes-sync-connectors.hubee',
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials: { hubeeApi: { id: 'e2eHubeeCred0001', name: 'HubEE (fake)' } },
});

describe('HubEE node in a real n8n', () => {
	let n8n: N8nRuntime;
	let hubee: Record<string, any>;

	beforeAll(async () => {
		const { createHubeeFake } = loadFake('hubee')!;
		hubee = createHubeeFake({ clients: [{ clientId: 'e2e-client', clientSecret: 'e2e-secret-77', processCodes: [PROCESS, 'Other'] }] });
		await hubee.start();
		n8n = await runtimeLib.createN8nRuntime({ env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } });
		await n8n.importCredentials([
			{
				id: 'e2eHubeeCred0001',
				name: 'HubEE (fake)',
				type: 'hubeeApi',
				data: {
					environment: 'custom',
					apiUrl: hubee.apiBaseUrl,
					tokenUrl: hubee.tokenUrl,
					clientId: 'e2e-client',
					clientSecret: 'e2e-secret-77',
					scope: 'SI',
					editorName: 'Commune e2e',
					applicationName: 'n8n-nodes-sync-connectors',
					softwareVersion: '0.1.0',
					accessToken: '',
				},
			},
		]);
		const names = ['Notifications', 'Download', 'Save', 'Minimal', 'Maximal', 'Delete'];
		const workflow = {
			id: WORKFLOW_ID,
			name: 'e2e HubEE node chain',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ id: '7c1d2e3f-0000-4000-8000-aaaaaaaaaaaa', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				node('Notifications', 200, { resource: 'notification', operation: 'getMany', processCode: PROCESS, maxResult: 25 }),
				node('Download', 400, { resource: 'case', operation: 'downloadAttachment', options: { onIntegrityFailure: 'report' } }),
				node('Save', 600, { resource: 'attachment', operation: 'saveToFolder', folder: n8n.filesFolder }),
				node('Minimal', 800, { resource: 'case', operation: 'updateStatus', status: 'SI_RECEIVED', options: { includeInputFields: true } }),
				node('Maximal', 1000, { resource: 'case', operation: 'updateStatus', status: 'DONE', options: { includeInputFields: true } }),
				node('Delete', 1200, { resource: 'notification', operation: 'delete' }),
			],
			connections: Object.fromEntries(
				['Start', ...names].slice(0, -1).map((from, index) => [from, { main: [[{ node: names[index], type: 'main', index: 0 }]] }]),
			),
		};
		expect(await n8n.importWorkflow([workflow])).toEqual([WORKFLOW_ID]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await hubee?.stop();
	});

	test('every file lands in <root>/<démarche>/<externalId>/ with the right bytes, every case ends DONE, the queue is empty', async () => {
		const big = randomBytes(8 * 1024 * 1024);
		const cases = [0, 1, 2].map((index) =>
			hubee.addCase({
				processCode: PROCESS,
				externalId: `E2E-${index}`,
				attachments: [
					{ fileName: index === 0 ? 'gros/../../scan.pdf' : `piece-${index}.pdf`, content: index === 0 ? big : randomBytes(1000 + index), digestFormat: index === 1 ? 'prefixed' : undefined },
				],
			}).case,
		);
		hubee.addCase({ processCode: 'Other', externalId: 'FOREIGN' });

		const run = await n8n.execute(WORKFLOW_ID);
		expect(run.status).toBe('success');
		for (const theCase of cases) {
			const id = theCase.attachmentIds[0];
			const stored = hubee.state.attachments[id];
			const name = path.basename(stored.fileName.replace(/\\/g, '/'));
			const file = path.join(n8n.filesFolder, PROCESS, theCase.externalId, `${id}__${name}`);
			expect(fs.readFileSync(file).equals(hubee.attachmentContent(id))).toBe(true);
			expect(hubee.getCase(theCase.id).status).toBe('DONE');
		}
		expect(hubee.notifications().map((n: { processCode: string }) => n.processCode)).toEqual(['Other']);
		const downloads = runtimeLib.nodeOutput(run, 'Download') as Array<Record<string, any>>;
		expect(downloads.every((item) => item.integrationError === null)).toBe(true);
		expect(downloads.flatMap((item) => item.attachments.map((a: { digestChecked: boolean }) => a.digestChecked))).toEqual([true, true, true]);
	});
});
