'use strict';
/** What `npm start` / `npm run dev` print once the demo is ready: URLs, logins, demo data, and how to run each workflow. */
const { PARTS, SERVICES, DEMO_SECRETS, DEMO_WORKFLOW_SETTINGS } = require('./registry.cjs');

/** The banner's lines for one workflow: how to run it in the demo and where to see what it did. */
function workflowHowTo(workflow, stack) {
	const settings = DEMO_WORKFLOW_SETTINGS[workflow.id];
	const lines = [`    ${workflow.name}  [${settings?.publish ? 'published' : 'inactive'}]  ${stack.server.baseUrl}/workflow/${workflow.id}`];
	if (settings?.config) lines.push(`      Config: ${Object.entries(settings.config).map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(', ')}`);
	if (settings?.howTo) lines.push(...settings.howTo(workflow, stack));
	return lines;
}

function serviceLines(services) {
	return SERVICES.flatMap((service) => {
		const handle = services[service.key];
		if (service.start) return handle ? [service.banner?.(handle) ?? `    ${service.key.padEnd(11)} running`] : [service.bannerMissing ?? `    ${service.key.padEnd(11)} not running`];
		return handle ? [`    ${service.key.padEnd(11)} ${handle.baseUrl}   (request log: ${handle.baseUrl}/__fake/log)`] : [];
	});
}

function labelled(label, lines) {
	const width = Math.max(15, label.length + 1);
	return lines.map((line, index) => `  ${(index === 0 ? label : '').padEnd(width)}${line}`);
}

/** The banner, as one string. `stack`: what startDemoStack resolved; `userFolder`: n8n's data folder. */
function demoSummary(stack, userFolder) {
	const { server } = stack;
	return [
		'',
		`  n8n is ready:  ${server.baseUrl}`,
		`  login:         ${server.owner.email}  /  ${server.owner.password}`,
		'',
		'  demo services (fakes, in memory, reset at every start):',
		...serviceLines(stack.services),
		'',
		`  credentials:   ${stack.credentials.map((credential) => credential.name).join(', ')}`,
		...labelled('demo data:', PARTS.flatMap((part) => part.summary?.data ?? [])),
		...labelled('trigger secrets:', [PARTS.flatMap((part) => part.summary?.secrets?.(DEMO_SECRETS) ?? []).join(', ')]),
		'',
		'  workflows (the demo sets their Config values; workflows/*.json are unchanged):',
		...stack.workflows.flatMap((workflow) => workflowHowTo(workflow, stack)),
		`  executions:    ${server.baseUrl}/home/executions`,
		`  n8n data:      ${userFolder}; n8n's log: ${stack.logFile}`,
		'',
	].join('\n');
}

module.exports = { demoSummary, workflowHowTo };
