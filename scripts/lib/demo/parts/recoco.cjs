'use strict';
/** Recoco in the demo: its fake, its API and webhook credentials, and the webhook URLs of the published Recoco workflows. */

const RECOCO_TRIGGER_TYPE = 'n8n-nodes-sync-connectors.recocoTrigger';

/** Production URLs of the Recoco Trigger nodes of published demo workflows (the trigger's path is `webhook`). */
function recocoWebhooks(workflows, baseUrl, published) {
	return workflows
		.filter((workflow) => published.has(workflow.id))
		.flatMap((workflow) =>
			(workflow.nodes ?? [])
				.filter((node) => node.type === RECOCO_TRIGGER_TYPE && !node.disabled)
				.map((node) => ({ workflowId: workflow.id, workflow: workflow.name, url: `${baseUrl}/webhook/${node.webhookId}/webhook` })),
		);
}

module.exports = {
	key: 'recoco',
	service: { factory: 'createRecocoFake', port: 5701 },
	secrets: { recocoWebhookSecret: 'demo-recoco-webhook-secret' },
	credentials: {
		recocoApi: {
			id: 'recocoDemo00001',
			name: 'Recoco (demo)',
			fake: 'recoco',
			data: ({ recoco }) => ({ url: recoco.baseUrl, authMethod: 'jwt', email: 'admin@recoco.test', password: 'recoco-admin-pw', accessToken: '' }),
		},
		recocoWebhookApi: {
			id: 'recocoHookDemo1',
			name: 'Recoco webhook (demo)',
			data: (_running, secrets) => ({ secret: secrets.recocoWebhookSecret }),
		},
	},
	workflows: {
		recocoToLesCommuns01: {
			// The Les Communs fake qualifies a projet at once, so a short wait shows the add-on path in seconds.
			config: { projectAllowList: '*', servicesDelaySeconds: 2, servicesReReadIntervalSeconds: 2 },
			publish: true,
			howTo: (workflow, stack) => {
				const lines = ['      live: npm run demo:recoco-event [-- --project=<id>]  (projet), or -- --task=501 (projet, services, Recoco add-on)'];
				if (stack.services.lescommuns) {
					lines.push(`      see: curl ${stack.services.lescommuns.baseUrl}/__fake/state  (projets); add-ons: curl ${stack.services.recoco.baseUrl}/__fake/state`);
				}
				return lines;
			},
		},
	},
	/** Published webhooks register a few seconds after n8n is ready: wait for each, and tell demo-recoco-event where they are. */
	async afterStart(stack, say) {
		stack.webhooks = recocoWebhooks(stack.workflows, stack.server.baseUrl, new Set(stack.publishedIds));
		for (const webhook of stack.webhooks) {
			await stack.server
				.waitForWebhook(webhook.url)
				.catch((error) => say(`the webhook of "${webhook.workflow}" is not live: ${error.message.split('\n')[0]}`));
		}
	},
	state: (stack) => ({ recocoWebhooks: stack.webhooks }),
	summary: {
		data: ['Recoco login admin@recoco.test / recoco-admin-pw, projects 1-12 (12 has no commune), task 501 tagged les-communs'],
		secrets: (secrets) => [`Recoco webhook "${secrets.recocoWebhookSecret}"`],
	},
	recocoWebhooks,
};
