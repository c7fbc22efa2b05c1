// `npm run demo:recoco-event`: what Recoco does when a project or a recommendation (task) changes, against the
// running `npm start` demo. The event is built from the demo Recoco service's current data by the Recoco fake's own
// webhook serializer, signed with the demo webhook secret exactly as django-webhook signs it
// (test/fakes/recocoWebhook.cjs), and POSTed once to each published Recoco workflow's webhook, as a portal with both
// webhooks registered would. Prints what was sent, n8n's answers, and where to see the result.
//   npm run demo:recoco-event                       a project event for the first demo project with a commune
//   npm run demo:recoco-event -- --project=<id>     that project (projects.Project/update)
//   npm run demo:recoco-event -- --task=<id>        that recommendation (tasks.Task/update); 501 is tagged les-communs
// Options: --action=create|update (default update), --demo=<file> (default: the demo.json that npm start, or npm run dev,
// writes into its n8n folder while it runs).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { DEMO_SECRETS, DEMO_STATE_FILE } = require('./lib/demo.cjs');
const { createRecocoFake } = require('../test/fakes/recoco.cjs');
const { deliverWebhook } = require('../test/fakes/recocoWebhook.cjs');

const say = (text = '') => process.stdout.write(`${text}\n`);

function option(name) {
	const arg = process.argv.slice(2).find((candidate) => candidate.startsWith(`--${name}=`));
	return arg?.slice(name.length + 3);
}

function fail(message) {
	process.stderr.write(`[demo:recoco-event] ${message}\n`);
	process.exit(1);
}

const known = ['project', 'task', 'action', 'demo'];
for (const arg of process.argv.slice(2)) {
	if (!known.some((name) => arg.startsWith(`--${name}=`))) fail(`unknown argument ${arg} (use --project=<id>, --task=<id>, --action=create|update, --demo=<file>)`);
}
const projectArg = option('project');
const taskArg = option('task');
const action = option('action') ?? 'update';
if (projectArg !== undefined && taskArg !== undefined) fail('give --project or --task, not both');
if (!['create', 'update'].includes(action)) fail(`--action must be create or update, not ${action}`);
for (const [name, value] of [['project', projectArg], ['task', taskArg]]) {
	if (value !== undefined && !/^\d+$/.test(value)) fail(`--${name} must be a numeric id, not "${value}"`);
}

// `npm start` keeps its n8n data in .n8n-local/, `npm run dev` in the cache folder: the newest running demo wins.
const candidates = option('demo')
	? [path.resolve(option('demo'))]
	: [path.join(REPO_ROOT, '.n8n-local'), path.join(require('./lib/n8n-install.cjs').paths.CACHE_ROOT, 'dev-n8n', 'n8n')].map((folder) =>
			path.join(folder, DEMO_STATE_FILE),
		);
const demoFile = candidates
	.filter((file) => fs.existsSync(file))
	.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
if (!demoFile) fail(`${candidates.join(' and ')} not found: is the demo running? Start it with \`npm start\` and wait for its banner.`);
const demo = JSON.parse(fs.readFileSync(demoFile, 'utf8'));
if (!demo.recocoWebhooks?.length) fail(`${demoFile} lists no published Recoco workflow`);

async function getJson(url) {
	let response;
	try {
		response = await fetch(url);
	} catch (error) {
		fail(`${url} does not answer (${error.cause?.code ?? error.message}): is \`npm start\` still running?`);
	}
	if (!response.ok) fail(`${url} answered ${response.status}`);
	return response.json();
}

// The Recoco fake's own serializer, fed with the running demo service's data: the event is what that service would send.
const recocoState = await getJson(`${demo.services.recoco}/__fake/state`);
const recoco = createRecocoFake();
recoco.ctx.state = recocoState;

let objectType;
let id;
if (taskArg !== undefined) {
	objectType = 'tasks.Task';
	id = Number(taskArg);
	if (!recocoState.tasks.some((task) => task.id === id)) {
		fail(`the demo Recoco has no task ${id}; its tasks: ${recocoState.tasks.map((task) => task.id).join(', ')}`);
	}
} else {
	objectType = 'projects.Project';
	const withCommune = recocoState.projects.find((project) => project.commune?.insee);
	id = projectArg !== undefined ? Number(projectArg) : withCommune?.id;
	if (id === undefined) fail('the demo Recoco has no project with a commune: give --project=<id>');
	if (!recocoState.projects.some((project) => project.id === id)) {
		fail(`the demo Recoco has no project ${id}; its projects: ${recocoState.projects.map((project) => project.id).join(', ')}`);
	}
}
const event = recoco.webhookEvent(`${objectType}/${action}`, id);

say(`Recoco event ${event.topic} (${objectType === 'tasks.Task' ? `task ${id} of project ${event.object.project}` : `project ${id}: ${event.object.name}`})`);
let failed = 0;
for (const webhook of demo.recocoWebhooks) {
	let answer;
	try {
		answer = await deliverWebhook(webhook.url, { event, secret: DEMO_SECRETS.recocoWebhookSecret });
	} catch (error) {
		fail(`POST ${webhook.url} failed (${error.cause?.code ?? error.message}): is \`npm start\` still running?`);
	}
	say();
	say(`→ POST ${webhook.url}   (${webhook.workflow})`);
	for (const [name, value] of Object.entries(answer.headers)) say(`  ${name}: ${value}`);
	say(`  body (${Buffer.byteLength(answer.body)} bytes): ${answer.body}`);
	say(`← ${answer.status} ${answer.text || '(empty body: the workflow ran and succeeded)'}`);
	if (answer.status < 200 || answer.status > 299) failed += 1;
}

say();
say('n8n answers once the run ended: 200 when it succeeded, 500 when it failed (Recoco would then retry). Where to look:');
say(`  n8n executions     ${demo.n8n}/home/executions`);
if (demo.services.grist && demo.grist) {
	say(`  Grist rows         curl -H 'Authorization: Bearer grist-demo-key' ${demo.services.grist}/api/docs/${demo.grist.docId}/tables/${demo.grist.tableId}/records`);
	say(`                     (or the whole fake: curl ${demo.services.grist}/__fake/state)`);
}
if (demo.services.lescommuns) say(`  Les Communs        curl ${demo.services.lescommuns}/__fake/state   (projets)`);
say(`  Recoco add-ons     curl ${demo.services.recoco}/__fake/state   (resourceAddons, after a --task event)`);
if (failed) fail(`${failed} of ${demo.recocoWebhooks.length} deliveries were not accepted`);
