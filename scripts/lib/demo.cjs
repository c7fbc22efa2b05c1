'use strict';
/**
 * The demo behind `npm start` and `npm run dev`: every service fake on a fixed loopback port, seeded with its demo
 * data, one demo credential per credential type pointing at it, and the bundled workflows with demo Config values.
 * One file per responsibility under demo/:
 *   registry.cjs     the list of parts; parts/<service>.cjs   one service's fake, credentials, workflow settings, banner
 *   services.cjs     starting the services          credentials.cjs   choosing the demo credentials
 *   workflows.cjs    Config rewriting               banner.cjs        what is printed once ready
 *   stack.cjs        the whole demo, start to stop, and the demo.json state file
 * A new service adds parts/<service>.cjs and one line in registry.cjs. This file only re-exports.
 */
const { SERVICES, CREDENTIALS, DEMO_SECRETS, DEMO_WORKFLOW_SETTINGS } = require('./demo/registry.cjs');
const { availableServices, startDemoFake } = require('./demo/services.cjs');
const { credentialReferences, demoCredentials, withDemoCredentials } = require('./demo/credentials.cjs');
const { readWorkflows, demoWorkflows, withConfigValues } = require('./demo/workflows.cjs');
const { DEMO_STATE_FILE, startDemoStack } = require('./demo/stack.cjs');
const { DEMO_GRIST_DOC } = require('./demo/parts/grist.cjs');
const { MARIADB_PORT } = require('./demo/parts/mariadb.cjs');
const { recocoWebhooks } = require('./demo/parts/recoco.cjs');

module.exports = {
	SERVICES,
	CREDENTIALS,
	DEMO_SECRETS,
	MARIADB_PORT,
	availableServices,
	startDemoFake,
	credentialReferences,
	demoCredentials,
	withDemoCredentials,
	readWorkflows,
	DEMO_GRIST_DOC,
	DEMO_WORKFLOW_SETTINGS,
	DEMO_STATE_FILE,
	demoWorkflows,
	withConfigValues,
	recocoWebhooks,
	startDemoStack,
};
