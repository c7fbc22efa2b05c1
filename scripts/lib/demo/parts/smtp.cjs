'use strict';
/**
 * The failure alert in the demo: a loopback SMTP sink (scripts/lib/smtp-sink.cjs) that keeps every mail as an .eml
 * file, its SMTP credential, and the sync workflows' Error Workflow set to the "Sync failure alert" workflow, so a
 * failed production run (schedule or webhook) of any of them mails the sink. n8n runs error workflows for production
 * executions only, not for runs started by hand in the editor.
 */
const os = require('node:os');
const path = require('node:path');

const SMTP_PORT = 5711;
const ALERT_WORKFLOW_ID = 'syncFailureAlert01';

module.exports = {
	key: 'smtp',
	service: {
		port: SMTP_PORT,
		optional: true,
		async start({ port }) {
			const fs = require('node:fs');
			const { startSmtpSink } = require('../../smtp-sink.cjs');
			// A fixed folder for the fixed port; with --free-ports, one per demo process so two demos keep their mail apart.
			const folder = path.join(os.tmpdir(), `n8n-sync-connectors-mail-${port ?? process.pid}`);
			fs.rmSync(folder, { recursive: true, force: true });
			const sink = await startSmtpSink({ port: port ?? 0, folder });
			return { ...sink, folder, stop: sink.stop };
		},
		banner: (sink) => `    smtp        127.0.0.1:${sink.port}  every mail kept as .eml in ${sink.folder}`,
		bannerMissing: '    smtp        not running (no failure alert mail in the demo)',
	},
	credentials: {
		smtp: {
			id: 'smtpDemo0000001',
			name: 'SMTP sink (demo)',
			fake: 'smtp',
			data: ({ smtp }) => ({ host: smtp.host, port: smtp.port, user: '', password: '', secure: false, disableStartTls: true }),
		},
	},
	workflows: {
		[ALERT_WORKFLOW_ID]: {
			// n8n 2.41 runs an error workflow only when it is published ("is not active and cannot be executed").
			publish: true,
			/** Every other bundled workflow reports its failed production runs to the alert workflow. */
			prepare(stack) {
				if (!stack.services.smtp) return;
				for (const workflow of stack.workflows) {
					if (workflow.id !== ALERT_WORKFLOW_ID) workflow.settings = { ...(workflow.settings ?? {}), errorWorkflow: ALERT_WORKFLOW_ID };
				}
			},
			howTo: (_workflow, stack) =>
				stack.services.smtp
					? [`      Error Workflow of every sync above: a failed scheduled or webhook run mails ${stack.services.smtp.folder}`]
					: [],
		},
	},
	SMTP_PORT,
};
