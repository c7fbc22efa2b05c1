'use strict';
/**
 * The bundled workflows as the demo imports them: read from workflows/, with the values of their Config node (a Set
 * node named "Config") replaced in memory; never their logic, and workflows/*.json keep their placeholders.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function readWorkflows() {
	const dir = path.join(REPO_ROOT, 'workflows');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
}

/** The workflow's Config node fields; throws when there is not exactly one Config node. */
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

/** A shipped workflow (file name in workflows/) with some Config values replaced, for tests, benches and the demo. */
function bundledWorkflow(file, values = {}) {
	const full = path.join(REPO_ROOT, 'workflows', file);
	if (!fs.existsSync(full)) throw new Error(`workflows/${file} does not exist`);
	return withConfigValues(JSON.parse(fs.readFileSync(full, 'utf8')), values);
}

/**
 * The workflows with the demo's Config values (`settings`: workflowId → {config}); throws if a configured workflow is
 * missing or a Config field it sets was renamed, so the demo stops instead of leaving a workflow that cannot run.
 */
function demoWorkflows(workflows, settings = require('./registry.cjs').DEMO_WORKFLOW_SETTINGS) {
	for (const id of Object.keys(settings)) {
		if (!workflows.some((workflow) => workflow.id === id)) throw new Error(`workflows/ has no workflow with id "${id}", which the demo configures`);
	}
	return workflows.map((workflow) => {
		const config = settings[workflow.id]?.config;
		return config ? withConfigValues(workflow, config) : workflow;
	});
}

module.exports = { REPO_ROOT, readWorkflows, configNode, configField, withConfigValues, bundledWorkflow, demoWorkflows };
