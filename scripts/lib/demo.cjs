'use strict';
/**
 * The demo behind `npm start`: every service fake on a fixed loopback port, seeded with its demo data, and one demo
 * credential per credential type pointing at it. The credential ids are fixed so that bundled workflows can
 * reference them; start.mjs also creates a credential under any other id a bundled workflow references.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

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
	{ key: 'bitrix24', factory: 'createBitrix24Fake', port: 5707, options: { rateLimit: { rate: 2, burst: 50 } }, seed: seedBitrix24 },
];

/**
 * Bitrix24 demo data shaped for workflows/bitrix24-dictionaries-to-mysql.json as shipped: the `cities` and
 * `violations` lists, the VIOLATION_CATEGORY reference list, smart-process 1030 objects, users. Used only while the
 * fake has no seedDemo() of its own.
 */
function seedBitrix24(fake) {
	const cities = ['Paris', 'Lyon', 'Nantes', 'Lille', 'Marseille', "L'Haÿ-les-Roses"];
	const categories = ['Voirie', 'Propreté', 'Bruit', 'Stationnement'];
	const violations = ['Dépôt sauvage', 'Nid-de-poule', 'Tag', 'Tapage nocturne', 'Stationnement gênant', 'Éclairage en panne'];
	fake.seed({
		lists: [
			{
				iblockTypeId: 'lists',
				iblockId: 31,
				iblockCode: 'cities',
				elements: cities.map((name, i) => ({ ID: String(i + 1), IBLOCK_ID: '31', NAME: name, CODE: `city-${i + 1}` })),
			},
			{
				iblockTypeId: 'lists',
				iblockId: 32,
				iblockCode: 'violations',
				elements: violations.map((name, i) => ({
					ID: String(101 + i),
					IBLOCK_ID: '32',
					NAME: name,
					CODE: `violation-${101 + i}`,
					PROPERTY_201: { [String(90101 + i)]: String((i % categories.length) + 1) },
				})),
			},
		],
		statuses: categories.map((name, i) => ({
			ID: String(i + 1),
			ENTITY_ID: 'VIOLATION_CATEGORY',
			STATUS_ID: `VC${i + 1}`,
			NAME: name,
			SORT: 10 * (i + 1),
		})),
		crmItems: {
			1030: Array.from({ length: 12 }, (_, i) => ({
				id: 501 + i,
				entityTypeId: 1030,
				title: `Objet ${501 + i}`,
				ufCrm5Address: `${i + 1} rue de la République`,
				ufCrm5CityId: (i % cities.length) + 1,
			})),
		},
		users: ['Camille Martin', 'Léa Bernard', 'Hugo Petit', 'Inès Durand'].map((full, i) => {
			const [first, last] = full.split(' ');
			return { ID: String(i + 1), ACTIVE: true, NAME: first, LAST_NAME: last, EMAIL: `${first.toLowerCase()}@demo.test`, USER_TYPE: 'employee' };
		}),
	});
}

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
async function startDemoFake(service, { freePort = false } = {}) {
	const module = require(path.join(FAKES_DIR, `${service.key}.cjs`));
	const fake = module[service.factory](service.options ?? {});
	await fake.start(freePort ? 0 : service.port, '127.0.0.1');
	if (typeof fake.seedDemo === 'function') fake.seedDemo();
	else service.seed?.(fake);
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

const MARIADB_PORT = 5710;

/** The Grist fake's demo document (test/fakes/grist.cjs seedDemo). */
const DEMO_GRIST_DOC = 'demoDoc';

/**
 * What the demo changes in the bundled workflows, by workflow id: values of their Config node only, never logic, set in
 * memory before import (workflows/*.json keep their placeholders). `publish`: published at start, so that the trigger's
 * production webhook is live.
 */
const DEMO_WORKFLOW_SETTINGS = {
	recocoToGrist0001: { config: { gristDocId: DEMO_GRIST_DOC }, publish: true },
	recocoToLesCommuns01: {
		// The Les Communs fake qualifies a projet at once, so a short wait shows the add-on path in seconds.
		config: { projectAllowList: '*', servicesDelaySeconds: 2, servicesReReadIntervalSeconds: 2 },
		publish: true,
	},
};

const RECOCO_TRIGGER_TYPE = 'n8n-nodes-sync-connectors.recocoTrigger';

/** The workflow's Config node (a Set node named "Config"); throws when there is not exactly one. */
function configNode(workflow) {
	const found = (workflow.nodes ?? []).filter((node) => node.name === 'Config' && node.type === 'n8n-nodes-base.set');
	if (found.length !== 1) {
		throw new Error(`workflow "${workflow.name}" (${workflow.id}): expected one Set node named "Config", found ${found.length}`);
	}
	const assignments = found[0].parameters?.assignments?.assignments;
	if (!Array.isArray(assignments)) throw new Error(`workflow "${workflow.name}" (${workflow.id}): its Config node has no fields`);
	return assignments;
}

function configField(workflow, name) {
	const field = configNode(workflow).find((assignment) => assignment.name === name);
	if (!field) {
		throw new Error(`workflow "${workflow.name}" (${workflow.id}): its Config node has no field "${name}", which the demo needs (renamed?)`);
	}
	return field;
}

/** A copy of the workflow with Config values replaced; every name must be an existing Config field. */
function withConfigValues(workflow, values) {
	const copy = structuredClone(workflow);
	for (const [name, value] of Object.entries(values)) configField(copy, name).value = value;
	return copy;
}

/** The bundled workflows as the demo imports them: demo Config values set; throws if a configured one is missing. */
function demoWorkflows(workflows) {
	for (const id of Object.keys(DEMO_WORKFLOW_SETTINGS)) {
		if (!workflows.some((workflow) => workflow.id === id)) throw new Error(`workflows/ has no workflow with id "${id}", which the demo configures`);
	}
	return workflows.map((workflow) => {
		const settings = DEMO_WORKFLOW_SETTINGS[workflow.id];
		return settings ? withConfigValues(workflow, settings.config) : workflow;
	});
}

/** The Grist table the Recoco → Grist workflow upserts into must exist (its columns the workflow ensures itself). */
function ensureDemoGristTable(grist, workflows) {
	const workflow = workflows.find((candidate) => candidate.id === 'recocoToGrist0001');
	const docId = configField(workflow, 'gristDocId').value;
	const tableId = configField(workflow, 'gristTableId').value;
	grist.seed({ docs: [{ id: docId, name: 'Demo', tables: [{ id: tableId, columns: [{ id: 'object_id', fields: { label: 'ID', type: 'Int' } }] }] }] });
	return { docId, tableId };
}

/** Production URLs of the Recoco Trigger nodes of published demo workflows (the trigger's path is `webhook`). */
function recocoWebhooks(workflows, baseUrl) {
	return workflows
		.filter((workflow) => DEMO_WORKFLOW_SETTINGS[workflow.id]?.publish)
		.flatMap((workflow) =>
			(workflow.nodes ?? [])
				.filter((node) => node.type === RECOCO_TRIGGER_TYPE && !node.disabled)
				.map((node) => ({ workflowId: workflow.id, workflow: workflow.name, url: `${baseUrl}/webhook/${node.webhookId}/webhook` })),
		);
}

/** Where `npm run demo:recoco-event` finds the running demo: written at start in the user folder, removed at stop. */
const DEMO_STATE_FILE = 'demo.json';

function readWorkflows() {
	const dir = path.join(REPO_ROOT, 'workflows');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
}

/** workflows/*.sql (tables a bundled workflow writes to) applied to the demo database. */
function applySchemas(mariadb, say) {
	const dir = path.join(REPO_ROOT, 'workflows');
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.sql')).sort() : [];
	for (const file of files) {
		const result = spawnSync('mariadb', ['--no-defaults', `--socket=${mariadb.socket}`, '-uroot', mariadb.database], {
			input: fs.readFileSync(path.join(dir, file), 'utf8'),
			encoding: 'utf8',
		});
		say(result.status === 0 ? `MariaDB: applied workflows/${file}` : `MariaDB: workflows/${file} failed: ${result.stderr.trim()}`);
	}
}

/** The banner's lines for one workflow: how to run it in the demo and where to see what it did. */
function workflowHowTo(workflow, stack) {
	const { server, services, mariadb } = stack;
	const published = DEMO_WORKFLOW_SETTINGS[workflow.id]?.publish;
	const lines = [`    ${workflow.name}  [${published ? 'published' : 'inactive'}]  ${server.baseUrl}/workflow/${workflow.id}`];
	const config = DEMO_WORKFLOW_SETTINGS[workflow.id]?.config;
	if (config) lines.push(`      Config: ${Object.entries(config).map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(', ')}`);
	if (workflow.id === 'bitrix24DictSync') {
		lines.push('      run: open it and click "Execute workflow" (Run by hand); it fills MariaDB from the Bitrix24 demo');
		lines.push(
			mariadb
				? `      see: mysql -h 127.0.0.1 -P ${mariadb.port} -u ${mariadb.user} -p${mariadb.password} ${mariadb.database} -e 'SELECT * FROM object'`
				: '      needs MariaDB, which is not running',
		);
	} else if (workflow.id === 'recocoToGrist0001') {
		lines.push(`      Grist table "${stack.grist?.tableId}" of document "${stack.grist?.docId}" (seeded with its object_id key column)`);
		lines.push('      live: npm run demo:recoco-event [-- --project=<id>]  (a signed Recoco webhook, to both Recoco workflows)');
		lines.push('      full resync: open it and click "Execute workflow" on the "Full resync" trigger: every demo project');
		if (services.grist) lines.push(`      see: curl ${services.grist.baseUrl}/__fake/state  (or ${services.grist.baseUrl}/api/docs/${stack.grist?.docId}/tables/${stack.grist?.tableId}/records with Authorization: Bearer grist-demo-key)`);
	} else if (workflow.id === 'recocoToLesCommuns01') {
		lines.push('      live: npm run demo:recoco-event [-- --project=<id>]  (projet), or -- --task=501 (projet, services, Recoco add-on)');
		if (services.lescommuns) lines.push(`      see: curl ${services.lescommuns.baseUrl}/__fake/state  (projets); add-ons: curl ${services.recoco.baseUrl}/__fake/state`);
	}
	return lines;
}

/**
 * The whole demo: fakes, MariaDB when available, n8n with the package, demo credentials and the bundled workflows.
 * @param {object} options
 * @param {string} options.userFolder    N8N_USER_FOLDER, emptied first unless `keep` (and a key from a run exists)
 * @param {boolean} [options.keep]
 * @param {number} [options.port]        n8n's port (5678)
 * @param {boolean} [options.linkPackage] link the repo instead of copying dist/ (hot reload in `npm run dev`)
 * @param {boolean} [options.freePorts]  fakes and MariaDB on free ports instead of the fixed ones (tests)
 * @param {object} [options.env]         extra env for n8n
 * @param {(message: string) => void} [options.say]
 * Resolves {n8n, server, services, credentials, workflows, stop(), summary()}; stop() is safe to call any time.
 */
async function startDemoStack(options) {
	const say = options.say ?? ((message) => process.stdout.write(`[demo] ${message}\n`));
	const { createN8nRuntime } = require('./n8n-runtime.cjs');
	const { startMariaDb, ensureMariaDb, INSTALL_HINT } = require('./mariadb.cjs');
	const stack = { services: {}, fakes: [], mariadb: undefined, n8n: undefined, server: undefined };
	let stopped = false;
	stack.stop = async () => {
		if (stopped) return;
		stopped = true;
		if (stack.stateFile) fs.rmSync(stack.stateFile, { force: true });
		await stack.n8n?.stop().catch((error) => say(`n8n: ${error.message}`));
		for (const fake of stack.fakes) await fake.stop().catch(() => {});
		await stack.mariadb?.stop().catch(() => {});
	};
	try {
		// Before anything starts: a renamed Config field must stop the demo, not leave a workflow that cannot run.
		stack.workflows = demoWorkflows(readWorkflows());
		for (const service of availableServices()) {
			try {
				const fake = await startDemoFake(service, { freePort: options.freePorts });
				stack.fakes.push(fake);
				stack.services[service.key] = fake;
			} catch (error) {
				throw new Error(`could not start the ${service.key} fake on 127.0.0.1:${service.port}: ${error.message}`);
			}
		}
		if (stack.services.grist) stack.grist = ensureDemoGristTable(stack.services.grist, stack.workflows);
		try {
			ensureMariaDb();
			stack.mariadb = await startMariaDb({
				port: options.freePorts ? undefined : MARIADB_PORT,
				database: 'demo',
				user: 'n8n',
				password: 'demo-mariadb-password',
			});
			stack.services.mariadb = stack.mariadb;
			applySchemas(stack.mariadb, say);
		} catch (error) {
			say(`MariaDB not started: ${error.message.split('\n')[0]}`);
			say(`the Bitrix24 → MariaDB workflow needs it: ${INSTALL_HINT}`);
		}

		const { userFolder } = options;
		const keyFile = path.join(userFolder, 'encryption-key');
		if (!(options.keep && fs.existsSync(keyFile))) fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });
		if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
		const logFile = path.join(userFolder, 'n8n.log');
		const log = fs.createWriteStream(logFile, { flags: 'a' });
		stack.logFile = logFile;
		stack.n8n = await createN8nRuntime({
			userFolder,
			encryptionKey: fs.readFileSync(keyFile, 'utf8').trim(),
			linkPackage: options.linkPackage,
			env: options.env,
			onLog: (chunk) => log.write(chunk),
		});
		if (stack.n8n.installed.missing.length) say(`not built, left out: ${stack.n8n.installed.missing.join(', ')}`);

		const { credentials, missing } = demoCredentials(stack.services, stack.workflows);
		stack.credentials = credentials;
		say(`importing ${credentials.length} demo credentials and ${stack.workflows.length} workflows`);
		await stack.n8n.importCredentials(credentials);
		if (stack.workflows.length) await stack.n8n.importWorkflow(stack.workflows);
		for (const why of missing) say(`credential not created: ${why}`);

		const publish = stack.workflows.filter((workflow) => DEMO_WORKFLOW_SETTINGS[workflow.id]?.publish);
		stack.published = publish.map((workflow) => workflow.name);
		say(`publishing ${stack.published.join(' | ')}; starting n8n on 127.0.0.1:${options.port ?? 5678}…`);
		stack.server = await stack.n8n.startServer({
			port: options.port ?? 5678,
			healthTimeoutMs: 180000,
			publish: publish.map((workflow) => workflow.id),
		});
		stack.webhooks = recocoWebhooks(stack.workflows, stack.server.baseUrl);
		for (const webhook of stack.webhooks) {
			// Published webhooks register a few seconds after n8n is ready.
			await stack.server
				.waitForWebhook(webhook.url, { timeoutMs: 60000 })
				.catch((error) => say(`the webhook of "${webhook.workflow}" is not live: ${error.message.split('\n')[0]}`));
		}
		stack.stateFile = path.join(userFolder, DEMO_STATE_FILE);
		fs.writeFileSync(
			stack.stateFile,
			`${JSON.stringify(
				{
					n8n: stack.server.baseUrl,
					services: Object.fromEntries(
						Object.entries(stack.services)
							.filter(([key]) => key !== 'mariadb')
							.map(([key, fake]) => [key, fake.baseUrl]),
					),
					grist: stack.grist,
					recocoWebhooks: stack.webhooks,
				},
				null,
				2,
			)}\n`,
		);
	} catch (error) {
		await stack.stop();
		throw error;
	}
	stack.summary = () => {
		const { server, services, mariadb } = stack;
		return [
			'',
			`  n8n is ready:  ${server.baseUrl}`,
			`  login:         ${server.owner.email}  /  ${server.owner.password}`,
			'',
			'  demo services (fakes, in memory, reset at every start):',
			...Object.entries(services)
				.filter(([key]) => key !== 'mariadb')
				.map(([key, fake]) => `    ${key.padEnd(11)} ${fake.baseUrl}   (request log: ${fake.baseUrl}/__fake/log)`),
			mariadb
				? `    mariadb     127.0.0.1:${mariadb.port}  database ${mariadb.database}, user ${mariadb.user} / ${mariadb.password}`
				: '    mariadb     not running',
			'',
			`  credentials:   ${stack.credentials.map((credential) => credential.name).join(', ')}`,
			'  demo data:     Recoco login admin@recoco.test / recoco-admin-pw, projects 1-12 (12 has no commune), task 501',
			'                 tagged les-communs; Bitrix24 lists, statuses, objects and users for the dictionaries sync',
			`  trigger secrets: Recoco webhook "${DEMO_SECRETS.recocoWebhookSecret}", Bitrix24 application token "${DEMO_SECRETS.bitrix24ApplicationToken}"`,
			'',
			'  workflows (the demo sets their Config values; workflows/*.json are unchanged):',
			...stack.workflows.flatMap((workflow) => workflowHowTo(workflow, stack)),
			`  executions:    ${server.baseUrl}/home/executions`,
			`  n8n data:      ${options.userFolder}; n8n's log: ${stack.logFile}`,
			'',
		].join('\n');
	};
	return stack;
}

module.exports = {
	SERVICES,
	CREDENTIALS,
	DEMO_SECRETS,
	MARIADB_PORT,
	availableServices,
	startDemoFake,
	credentialReferences,
	demoCredentials,
	readWorkflows,
	DEMO_GRIST_DOC,
	DEMO_WORKFLOW_SETTINGS,
	DEMO_STATE_FILE,
	demoWorkflows,
	withConfigValues,
	recocoWebhooks,
	startDemoStack,
};
