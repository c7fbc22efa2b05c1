'use strict';
/**
 * The demo credentials: exactly one per credential type whose service runs, with the demo data of its part
 * (registry.cjs) and a name ending in "(demo)", so that a new node's credential picker offers one obvious choice.
 * The bundled workflows are imported pointing at them: each credential reference in a workflow is rewritten, in
 * memory, to the demo credential of its type (workflows/*.json keep their own ids and names).
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
 * credential a workflow references has no demo credential]}.
 */
function demoCredentials(running, workflows = []) {
	const credentials = [];
	for (const [type, spec] of Object.entries(CREDENTIALS)) {
		if (!spec.fake || running[spec.fake]) credentials.push({ id: spec.id, name: spec.name, type, data: spec.data(running, DEMO_SECRETS) });
	}
	const missing = new Set();
	for (const ref of credentialReferences(workflows)) {
		if (credentials.some((credential) => credential.type === ref.type)) continue;
		const spec = CREDENTIALS[ref.type];
		missing.add(spec ? `${ref.type} (${ref.id}): its demo service "${spec.fake}" is not running` : `${ref.type} (${ref.id}): no demo data for this credential type`);
	}
	return { credentials, missing: [...missing] };
}

/** A copy of the workflow whose credential references point at the demo credential of their type, where one exists. */
function withDemoCredentials(workflow, credentials) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes ?? []) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const demo = credentials.find((credential) => credential.type === type);
			if (demo) node.credentials[type] = { id: demo.id, name: demo.name };
		}
	}
	return copy;
}

module.exports = { credentialReferences, demoCredentials, withDemoCredentials };
