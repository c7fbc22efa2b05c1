'use strict';
/**
 * The one list of what the demo is made of. Each part (parts/<service>.cjs) describes one service and may hold:
 *   key            the service's name: stack.services[key], and test/fakes/<key>.cjs for a fake
 *   service        how it runs: a fake {factory, port, options?, seed?(fake)}, or any server {port, start({port, say}),
 *                  optional?, whyMissing?(), banner?(handle), bannerMissing?}; the fixed port keeps demo credentials
 *                  valid across restarts (tests pass freePorts)
 *   secrets        {name: value}: shape-checked secrets (trigger signatures) that demo scripts share
 *   credentials    {type: {id, name, fake?, data(running, secrets)}}: one demo credential per type; `fake` names the
 *                  service that must run for it; the fixed id is the one bundled workflows reference
 *   workflows      {workflowId: {config?, publish?, prepare?(stack, workflow), howTo?(workflow, stack)}}: Config node
 *                  values set in memory before import, published at start, seeding the workflow needs, banner lines
 *   afterStart?(stack, say), state?(stack) → extra demo.json fields, summary {data: [lines], secrets(secrets) → [lines]}
 * A new service adds one file in parts/ and one line below; nothing else in scripts/lib/demo changes.
 */
const PARTS = [
	require('./parts/recoco.cjs'),
	require('./parts/grist.cjs'),
	require('./parts/lescommuns.cjs'),
	require('./parts/ecal.cjs'),
	require('./parts/moncampus.cjs'),
	require('./parts/hubee.cjs'),
	require('./parts/bitrix24.cjs'),
	require('./parts/mariadb.cjs'),
	require('./parts/smtp.cjs'),
];

function merged(field, label) {
	const all = {};
	for (const part of PARTS) {
		for (const [name, value] of Object.entries(part[field] ?? {})) {
			if (name in all) throw new Error(`demo parts: ${label} "${name}" is declared twice (again by ${part.key})`);
			all[name] = value;
		}
	}
	return all;
}

/** [{key, ...service}] in start order. */
const SERVICES = PARTS.filter((part) => part.service).map((part) => ({ key: part.key, ...part.service }));
const DEMO_SECRETS = merged('secrets', 'secret');
const CREDENTIALS = merged('credentials', 'credential type');
/** workflowId → {config, publish, prepare, howTo}. */
const DEMO_WORKFLOW_SETTINGS = merged('workflows', 'workflow');

module.exports = { PARTS, SERVICES, DEMO_SECRETS, CREDENTIALS, DEMO_WORKFLOW_SETTINGS };
