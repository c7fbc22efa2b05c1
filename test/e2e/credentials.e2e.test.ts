/**
 * Every service credential, tested the way a user tests it: n8n's own credential test (POST /rest/credentials/test,
 * what the editor runs on "Save"/"Retry") in a real n8n 2.41 with the built package installed as a community
 * package, against that service's fake. The right secret must pass; a wrong one must fail with a message that says
 * what to fix. One n8n server for the whole file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT, credentialTypeName, loadFake, packageJson, runtimeLib, type N8nRuntime, type N8nServer } from './support/repo';

type Data = Record<string, unknown>;
type Fake = Record<string, any>;

interface CredentialCase {
	/** test title and stored credential name */
	title: string;
	type: string;
	/** test/fakes/<fake>.cjs, or none for shape checks that no service can confirm */
	fake?: { module: string; factory: string; options?: Data };
	good: (fake: Fake) => Data;
	wrong: (fake: Fake) => Data;
	/** what a user must read when the secret is wrong */
	wrongMessage: RegExp;
	/** the node whose `testedBy` method tests this credential (no `test` request of its own) */
	testedByNode?: string;
}

const CASES: CredentialCase[] = [
	{
		title: 'Recoco (JWT login)',
		type: 'recocoApi',
		fake: { module: 'recoco', factory: 'createRecocoFake' },
		good: (fake) => ({ url: fake.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' }),
		wrong: (fake) => ({ url: fake.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'not-the-password', accessToken: '' }),
		wrongMessage: /Recoco login failed \(401\): check the email and password/,
	},
	{
		title: 'Recoco (Basic auth)',
		type: 'recocoApi',
		fake: { module: 'recoco', factory: 'createRecocoFake' },
		good: (fake) => ({ url: `${fake.baseUrl}/`, authMethod: 'basic', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' }),
		wrong: (fake) => ({ url: fake.baseUrl, authMethod: 'basic', email: 'admin@recoco.test', password: 'not-the-password', accessToken: '' }),
		wrongMessage: /Recoco refused the credentials/,
	},
	{
		title: 'Recoco webhook secret (shape check)',
		type: 'recocoWebhookApi',
		testedByNode: 'recocoTrigger',
		good: () => ({ secret: 'a-shared-secret-of-32-characters' }),
		wrong: () => ({ secret: 'short' }),
		wrongMessage: /at least 12 characters/,
	},
	{
		title: 'Grist',
		type: 'gristSyncApi',
		fake: { module: 'grist', factory: 'createGristFake', options: { apiKey: 'grist-e2e-key' } },
		good: (fake) => ({ url: fake.baseUrl, apiKey: 'grist-e2e-key' }),
		wrong: (fake) => ({ url: fake.baseUrl, apiKey: 'grist-wrong-key' }),
		wrongMessage: /Grist refused the API key/,
	},
	{
		title: 'Les Communs',
		type: 'lesCommunsApi',
		fake: { module: 'lescommuns', factory: 'createLesCommunsFake', options: { apiKeys: ['lescommuns-e2e-key'] } },
		good: (fake) => ({ environment: 'custom', url: fake.baseUrl, apiKey: 'lescommuns-e2e-key' }),
		wrong: (fake) => ({ environment: 'custom', url: fake.baseUrl, apiKey: 'lescommuns-wrong-key' }),
		wrongMessage: /Les Communs refused the API key/,
	},
	{
		title: 'ecal (signed requests)',
		type: 'ecalApi',
		fake: { module: 'ecal', factory: 'createEcalFake', options: { apiKey: 'ecal-e2e-key', secret: 'ecal-e2e-secret' } },
		good: (fake) => ({ url: fake.apiBaseUrl, apiKey: 'ecal-e2e-key', apiSecret: 'ecal-e2e-secret' }),
		wrong: (fake) => ({ url: fake.apiBaseUrl, apiKey: 'ecal-e2e-key', apiSecret: 'not-the-secret' }),
		wrongMessage: /ECAL refused the request/,
	},
	{
		title: 'MonCampus (CAS login)',
		type: 'monCampusApi',
		fake: { module: 'moncampus', factory: 'createMonCampusFake', options: { username: 'e2e.student', password: 'e2e-password' } },
		good: (fake) => ({
			casLoginUrl: fake.casLoginUrl,
			timetableUrl: fake.timetableBaseUrl,
			username: 'e2e.student',
			password: 'e2e-password',
			sessionToken: '',
		}),
		wrong: (fake) => ({
			casLoginUrl: fake.casLoginUrl,
			timetableUrl: fake.timetableBaseUrl,
			username: 'e2e.student',
			password: 'not-the-password',
			sessionToken: '',
		}),
		wrongMessage: /MonCampus login failed: the CAS server did not accept the username or password/,
	},
	{
		title: 'HubEE (client credentials with identification headers)',
		type: 'hubeeApi',
		fake: {
			module: 'hubee',
			factory: 'createHubeeFake',
			options: { clients: [{ clientId: 'hubee-e2e-client', clientSecret: 'hubee-e2e-secret' }] },
		},
		good: (fake) => ({
			environment: 'custom',
			apiUrl: fake.apiBaseUrl,
			tokenUrl: fake.tokenUrl,
			clientId: 'hubee-e2e-client',
			clientSecret: 'hubee-e2e-secret',
			scope: 'SI',
			editorName: 'e2e editor',
			applicationName: 'n8n-nodes-sync-connectors',
			softwareVersion: '0.1.0',
			accessToken: '',
		}),
		wrong: (fake) => ({
			environment: 'custom',
			apiUrl: fake.apiBaseUrl,
			tokenUrl: fake.tokenUrl,
			clientId: 'hubee-e2e-client',
			clientSecret: 'not-the-secret',
			scope: 'SI',
			editorName: 'e2e editor',
			applicationName: 'n8n-nodes-sync-connectors',
			softwareVersion: '0.1.0',
			accessToken: '',
		}),
		wrongMessage: /HubEE token request failed \(401\): check the client ID and client secret/,
	},
	{
		title: 'Bitrix24 inbound webhook',
		type: 'bitrix24InboundWebhookApi',
		fake: { module: 'bitrix24', factory: 'createBitrix24Fake', options: { userId: 7, code: 'e2ewebhookcode0001', rateLimit: null } },
		good: (fake) => ({ webhookSecretUrl: fake.webhookUrl }),
		wrong: (fake) => ({ webhookSecretUrl: `${fake.baseUrl}/rest/7/wrongwebhookcode99/` }),
		wrongMessage: /Bitrix24 does not know this webhook/,
	},
	{
		title: 'Bitrix24 outgoing webhook application token (shape check)',
		type: 'bitrix24OutgoingWebhookApi',
		testedByNode: 'bitrix24Trigger',
		good: () => ({ applicationToken: 'e2eapplicationtoken0123456789ab' }),
		wrong: () => ({ applicationToken: 'has spaces' }),
		wrongMessage: /application token|token/i,
	},
];

const declaredTypes = packageJson.n8n.credentials.map(credentialTypeName);

function builtFileFor(type: string): string | undefined {
	return packageJson.n8n.credentials.find((file) => credentialTypeName(file) === type);
}

describe('credential tests in a real n8n', () => {
	let n8n: N8nRuntime;
	let server: N8nServer;
	const fakes = new Map<string, Fake>();
	const ready = new Map<CredentialCase, { id: string; fake?: Fake }>();
	/** why a case could not be set up (credential not built, fake missing…): its tests fail with that reason */
	const unavailable = new Map<CredentialCase, string>();

	beforeAll(async () => {
		n8n = await runtimeLib.createN8nRuntime();
		const loadedTypes = new Set(n8n.installed!.credentials.map(credentialTypeName));
		const loadedNodes = new Set(n8n.installed!.nodes.map((file: string) => path.basename(file).replace(/\.node\.js$/, '')));

		const imports: Data[] = [];
		for (const [index, testCase] of CASES.entries()) {
			if (!loadedTypes.has(testCase.type)) {
				unavailable.set(testCase, `credential ${testCase.type} not built`);
				continue;
			}
			if (testCase.testedByNode) {
				const nodeClass = testCase.testedByNode.charAt(0).toUpperCase() + testCase.testedByNode.slice(1);
				if (!loadedNodes.has(nodeClass)) {
					unavailable.set(testCase, `node ${nodeClass} (testedBy) not built`);
					continue;
				}
			}
			let fake: Fake | undefined;
			if (testCase.fake) {
				const key = `${testCase.fake.module}:${JSON.stringify(testCase.fake.options ?? {})}`;
				fake = fakes.get(key);
				if (!fake) {
					const module = loadFake(testCase.fake.module);
					if (!module) {
						unavailable.set(testCase, `fake test/fakes/${testCase.fake.module}.cjs missing`);
						continue;
					}
					fake = module[testCase.fake.factory](testCase.fake.options ?? {}) as Fake;
					await fake.start();
					fakes.set(key, fake);
				}
			}
			const id = `e2eCred${String(index).padStart(4, '0')}`;
			imports.push({ id, name: testCase.title, type: testCase.type, data: testCase.good(fake ?? {}) });
			ready.set(testCase, { id, fake });
		}
		await n8n.importCredentials(imports);
		server = await n8n.startServer();
		await server.login();
	});

	afterAll(async () => {
		await n8n?.stop();
		for (const fake of fakes.values()) await fake.stop();
	});

	test('the package declares a case for every credential type, and n8n loaded every built one', async () => {
		expect(new Set(CASES.map((c) => c.type))).toEqual(new Set(declaredTypes));
		const known = new Set((await server.credentialTypes()).map((type: { name: string }) => type.name));
		for (const type of n8n.installed!.credentials.map(credentialTypeName)) expect(known).toContain(type);
	});

	for (const testCase of CASES) {
		describe(testCase.title, () => {
			test('the right secret passes against the fake', async () => {
				const entry = ready.get(testCase);
				if (!entry) throw new Error(`not testable: ${unavailable.get(testCase)}`);
				const result = await server.testCredential({
					id: entry.id,
					name: testCase.title,
					type: testCase.type,
					data: testCase.good(entry.fake ?? {}),
				});
				// compared whole so that a failure shows n8n's message
				expect(result).toEqual({ status: 'OK', message: result.status === 'OK' ? result.message : 'the test should pass' });
			});

			test('a wrong secret fails with a message that says what to fix', async () => {
				const entry = ready.get(testCase);
				if (!entry) throw new Error(`not testable: ${unavailable.get(testCase)}`);
				const wrong = testCase.wrong(entry.fake ?? {});
				const result = await server.testCredential({ id: entry.id, name: testCase.title, type: testCase.type, data: wrong });
				expect(result.status).toBe('Error');
				expect(result.message).toMatch(testCase.wrongMessage);
				for (const [field, value] of Object.entries(wrong)) {
					if (/password|secret|apiKey|token/i.test(field) && typeof value === 'string' && value.length >= 8) {
						expect(result.message).not.toContain(value);
					}
				}
			});
		});
	}

	test('credential files listed in package.json exist after the build', () => {
		const missing = declaredTypes.filter((type) => {
			const file = builtFileFor(type)!;
			const distDir = process.env.N8N_E2E_DIST ?? path.join(REPO_ROOT, 'dist');
			return !fs.existsSync(path.join(distDir, path.relative('dist', file)));
		});
		expect(missing).toEqual([]);
	});
});
