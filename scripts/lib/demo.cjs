'use strict';
/**
 * The demo behind `npm start`: every service fake on a fixed loopback port, seeded with its demo data, and one demo
 * credential per credential type pointing at it. The credential ids are fixed so that bundled workflows can
 * reference them; start.mjs also creates a credential under any other id a bundled workflow references.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FAKES_DIR = path.join(REPO_ROOT, 'test', 'fakes');

/** Fixed ports keep the demo credentials valid across restarts and easy to find. */
const SERVICES = [
	{ key: 'recoco', factory: 'createRecocoFake', port: 5701 },
	{ key: 'grist', factory: 'createGristFake', port: 5702 },
	{ key: 'lescommuns', factory: 'createLesCommunsFake', port: 5703 },
	{ key: 'ecal', factory: 'createEcalFake', port: 5704 },
	{ key: 'moncampus', factory: 'createMonCampusFake', port: 5705 },
	{ key: 'hubee', factory: 'createHubeeFake', port: 5706 },
	{ key: 'bitrix24', factory: 'createBitrix24Fake', port: 5707, options: { rateLimit: { rate: 2, burst: 50 } } },
];

const DEMO_SECRETS = {
	recocoWebhookSecret: 'demo-recoco-webhook-secret',
	bitrix24ApplicationToken: 'demoapplicationtoken0123456789',
};

/**
 * type → {id, name, fake, data(fakes, extra)}. `fake` names the service whose fake must run; none for shape-checked
 * secrets. `extra` carries the MariaDB connection when one was started.
 */
const CREDENTIALS = {
	recocoApi: {
		id: 'recocoDemo00001',
		name: 'Recoco (demo)',
		fake: 'recoco',
		data: ({ recoco }) => ({ url: recoco.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' }),
	},
	recocoWebhookApi: {
		id: 'recocoHookDemo1',
		name: 'Recoco webhook (demo)',
		data: () => ({ secret: DEMO_SECRETS.recocoWebhookSecret }),
	},
	gristSyncApi: {
		id: 'gristDemo000001',
		name: 'Grist (demo)',
		fake: 'grist',
		data: ({ grist }) => ({ url: grist.baseUrl, apiKey: 'grist-demo-key' }),
	},
	lesCommunsApi: {
		id: 'lesCommunsDemo1',
		name: 'Les Communs (demo)',
		fake: 'lescommuns',
		data: ({ lescommuns }) => ({ environment: 'custom', url: lescommuns.baseUrl, apiKey: 'lescommuns-demo-key' }),
	},
	ecalApi: {
		id: 'ecalDemo0000001',
		name: 'ECAL (demo)',
		fake: 'ecal',
		data: ({ ecal }) => ({ url: ecal.apiBaseUrl, apiKey: 'demo-ecal-key', apiSecret: 'demo-ecal-secret' }),
	},
	monCampusApi: {
		id: 'monCampusDemo01',
		name: 'MonCampus (demo)',
		fake: 'moncampus',
		data: ({ moncampus }) => ({
			casLoginUrl: moncampus.casLoginUrl,
			timetableUrl: moncampus.timetableBaseUrl,
			username: 'demo.student',
			password: 'demo-password',
			sessionToken: '',
		}),
	},
	hubeeApi: {
		id: 'hubeeDemo000001',
		name: 'HubEE (demo)',
		fake: 'hubee',
		data: ({ hubee }) => ({
			environment: 'custom',
			apiUrl: hubee.apiBaseUrl,
			tokenUrl: hubee.tokenUrl,
			clientId: 'demo-hubee-client',
			clientSecret: 'demo-hubee-secret',
			scope: 'SI',
			editorName: 'Demo editor',
			applicationName: 'n8n-nodes-sync-connectors',
			softwareVersion: '0.1.0',
			accessToken: '',
		}),
	},
	bitrix24InboundWebhookApi: {
		id: 'bitrix24Demo001',
		name: 'Bitrix24 (demo)',
		fake: 'bitrix24',
		data: ({ bitrix24 }) => ({ webhookSecretUrl: bitrix24.webhookUrl }),
	},
	bitrix24OutgoingWebhookApi: {
		id: 'bitrix24HookDem',
		name: 'Bitrix24 outgoing webhook (demo)',
		data: () => ({ applicationToken: DEMO_SECRETS.bitrix24ApplicationToken }),
	},
	mySql: {
		id: 'mariadbDemo0001',
		name: 'MariaDB (demo)',
		fake: 'mariadb',
		data: ({ mariadb }) => ({
			host: mariadb.host,
			port: mariadb.port,
			database: mariadb.database,
			user: mariadb.user,
			password: mariadb.password,
		}),
	},
};

function availableServices() {
	return SERVICES.filter((service) => fs.existsSync(path.join(FAKES_DIR, `${service.key}.cjs`)));
}

/** Starts one fake on its fixed port (or `portOffset` + it) and gives it its demo data. */
async function startDemoFake(service, { portOffset = 0 } = {}) {
	const module = require(path.join(FAKES_DIR, `${service.key}.cjs`));
	const fake = module[service.factory](service.options ?? {});
	await fake.start(service.port + portOffset, '127.0.0.1');
	if (typeof fake.seedDemo === 'function') fake.seedDemo();
	return fake;
}

/** Every credential reference in the workflows: [{type, id, name, workflow}]. */
function credentialReferences(workflows) {
	const refs = [];
	for (const workflow of workflows) {
		for (const node of workflow.nodes ?? []) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				if (ref && typeof ref === 'object' && ref.id) refs.push({ type, id: ref.id, name: ref.name, workflow: workflow.name });
			}
		}
	}
	return refs;
}

/**
 * The credentials to import: the demo one of each type whose service runs, plus one per other id that a workflow
 * references. Returns {credentials, missing: [why a referenced credential could not be made]}.
 */
function demoCredentials(running, workflows = []) {
	const credentials = new Map();
	const missing = [];
	const add = (type, id, name) => {
		const spec = CREDENTIALS[type];
		if (!spec) {
			missing.push(`${type} (${id}): no demo data for this credential type`);
			return;
		}
		if (spec.fake && !running[spec.fake]) {
			missing.push(`${type} (${id}): its demo service "${spec.fake}" is not running`);
			return;
		}
		if (!credentials.has(id)) credentials.set(id, { id, name: name ?? spec.name, type, data: spec.data(running) });
	};
	for (const [type, spec] of Object.entries(CREDENTIALS)) {
		if (!spec.fake || running[spec.fake]) add(type, spec.id, spec.name);
	}
	for (const ref of credentialReferences(workflows)) add(ref.type, ref.id, ref.name);
	return { credentials: [...credentials.values()], missing };
}

module.exports = { SERVICES, CREDENTIALS, DEMO_SECRETS, availableServices, startDemoFake, credentialReferences, demoCredentials };
