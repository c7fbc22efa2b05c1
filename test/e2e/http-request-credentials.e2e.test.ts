/**
 * The package's credentials in n8n's own HTTP Request node, "Predefined Credential Type", in a real n8n 2.41 with the
 * built package installed as a community package: what a user does for an endpoint our nodes do not cover.
 * - ecal signs every request (apiKey + apiSign over the query and the raw body); the fake refuses a wrong signature
 *   with 403, so a 200 with the calendars proves the HTTP Request node's call went through our authenticate.
 * - HubEE needs a token from its token endpoint (with the identification headers) first: the credential's
 *   preAuthentication gets it, and the fake refuses an API call without a token it issued.
 * The editor offers a credential type there when its type JSON has `authenticate` (the HTTP Request node's
 * `nodeCredentialType` lists `has:authenticate`): checked on n8n's own /types/credentials.json for every credential
 * that authenticates requests.
 */
import { loadFake, runtimeLib, scaled, type N8nRuntime, type N8nServer } from './support/repo';

jest.setTimeout(scaled(300000));

const ECAL_CREDENTIAL = 'e2eHttpEcal00001';
const HUBEE_CREDENTIAL = 'e2eHttpHubee0001';
const HUBEE_CLIENT = { clientId: 'http-e2e-client', clientSecret: 'http-e2e-secret' };

/** Credentials that authenticate HTTP requests; the two webhook-secret ones only check incoming deliveries. */
const REQUEST_CREDENTIALS = ['recocoApi', 'gristSyncApi', 'lesCommunsApi', 'ecalApi', 'monCampusApi', 'hubeeApi', 'bitrix24InboundWebhookApi'];

function httpRequestNode(id: string, name: string, position: number, parameters: object, credentialType: string, credentialId: string) {
	return {
		id,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [position, 0],
		parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: credentialType, options: {}, ...parameters },
		credentials: { [credentialType]: { id: credentialId, name: credentialType } },
	};
}

function workflow(ecalBaseUrl: string, hubeeBaseUrl: string) {
	return {
		id: 'e2eHttpReqCreds1',
		name: 'e2e: HTTP Request with the package credentials',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'hr000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			httpRequestNode(
				'hr000000-0000-4000-8000-000000000002',
				'ecal calendars',
				220,
				{
					method: 'GET',
					// One query parameter in the URL and one from the node's list: both must be signed.
					url: `${ecalBaseUrl}/calendar/?showDraft=true`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'tz', value: 'Europe/Paris' }] },
				},
				'ecalApi',
				ECAL_CREDENTIAL,
			),
			httpRequestNode(
				'hr000000-0000-4000-8000-000000000003',
				'HubEE notifications',
				440,
				{
					method: 'GET',
					url: `${hubeeBaseUrl}/teledossiers/v1/notifications`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'maxResult', value: '5' }] },
				},
				'hubeeApi',
				HUBEE_CREDENTIAL,
			),
		],
		connections: {
			Start: { main: [[{ node: 'ecal calendars', type: 'main', index: 0 }]] },
			'ecal calendars': { main: [[{ node: 'HubEE notifications', type: 'main', index: 0 }]] },
		},
	};
}

describe("the package's credentials in n8n's HTTP Request node", () => {
	let n8n: N8nRuntime;
	let ecal: Record<string, any>;
	let hubee: Record<string, any>;
	let calendarId: string;
	let caseId: string;

	beforeAll(async () => {
		const { createEcalFake } = loadFake('ecal')!;
		ecal = createEcalFake({ apiKey: 'http-e2e-ecal-key', secret: 'http-e2e-ecal-sécret' });
		await ecal.start();
		calendarId = ecal.addCalendar({ name: 'IPI Lyon - G1' }).id;
		const { createHubeeFake } = loadFake('hubee')!;
		hubee = createHubeeFake({ clients: [HUBEE_CLIENT] });
		await hubee.start();
		caseId = hubee.addCase({ processCode: 'EtatCivil' }).case.id;

		n8n = await runtimeLib.createN8nRuntime();
		await n8n.importCredentials([
			{
				id: ECAL_CREDENTIAL,
				name: 'ecalApi',
				type: 'ecalApi',
				data: { url: ecal.apiBaseUrl, apiKey: 'http-e2e-ecal-key', apiSecret: 'http-e2e-ecal-sécret' },
			},
			{
				id: HUBEE_CREDENTIAL,
				name: 'hubeeApi',
				type: 'hubeeApi',
				data: {
					environment: 'custom',
					apiUrl: hubee.apiBaseUrl,
					tokenUrl: hubee.tokenUrl,
					...HUBEE_CLIENT,
					scope: 'SI',
					editorName: 'e2e editor',
					applicationName: 'n8n-nodes-sync-connectors',
					softwareVersion: '0.1.0',
					accessToken: '',
				},
			},
		]);
		const flow = workflow(ecal.apiBaseUrl, hubee.apiBaseUrl);
		expect(await n8n.importWorkflow([flow])).toEqual([flow.id]);
	});

	afterAll(async () => {
		await n8n?.stop();
		await ecal?.stop();
		await hubee?.stop();
	});

	test('a signed ecal call and a token-based HubEE call answer with the services data', async () => {
		const run = await n8n.execute('e2eHttpReqCreds1');

		const calendars = runtimeLib.nodeOutput(run, 'ecal calendars');
		expect(calendars).toHaveLength(1);
		// ECAL's envelope {data: [calendar…]}, read back only because the fake accepted the signature.
		expect(calendars[0].data).toEqual([expect.objectContaining({ id: calendarId, name: 'IPI Lyon - G1' })]);
		const ecalCalls = ecal.apiRequests();
		expect(ecalCalls).toHaveLength(1);

		const notifications = runtimeLib.nodeOutput(run, 'HubEE notifications');
		expect(notifications).toEqual([expect.objectContaining({ caseId, processCode: 'EtatCivil' })]);
		const hubeeCalls = hubee.log.map((entry: { method: string; path: string }) => `${entry.method} ${entry.path.split('?')[0]}`);
		expect(hubeeCalls).toEqual(['POST /oauth2/token', 'GET /teledossiers/v1/notifications']);
	});

	describe('the editor offers them as a predefined credential type', () => {
		let server: N8nServer;

		beforeAll(async () => {
			server = await n8n.startServer();
			await server.login();
		});

		test('every request credential has authenticate in the type JSON the editor reads', async () => {
			const types = (await server.credentialTypes()) as Array<{ name: string; authenticate?: unknown }>;
			const offered = types.filter((type) => type.authenticate !== undefined).map((type) => type.name);
			expect(offered).toEqual(expect.arrayContaining(REQUEST_CREDENTIALS));
		});
	});
});
