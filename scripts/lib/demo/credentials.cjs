'use strict';
/**
 * The demo credentials: one per credential type whose service runs, with the demo data of its part
 * (registry.cjs), plus one under every other id a bundled workflow references, so that every imported workflow
 * finds its credentials.
 */
const { CREDENTIALS, DEMO_SECRETS } = require('./registry.cjs');

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
 * `running`: service key → its running handle. Returns {credentials: [{id, name, type, data}], missing: [why a
 * referenced credential could not be made]}.
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
		if (!credentials.has(id)) credentials.set(id, { id, name: name ?? spec.name, type, data: spec.data(running, DEMO_SECRETS) });
	};
	for (const [type, spec] of Object.entries(CREDENTIALS)) {
		if (!spec.fake || running[spec.fake]) add(type, spec.id, spec.name);
	}
	for (const ref of credentialReferences(workflows)) add(ref.type, ref.id, ref.name);
	return { credentials: [...credentials.values()], missing };
}

module.exports = { credentialReferences, demoCredentials };
