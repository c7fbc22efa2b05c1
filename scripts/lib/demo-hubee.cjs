'use strict';
/**
 * What `npm start` needs for the HubEE workflow (workflows/hubee-attachments-to-folders.json), self-contained so the
 * demo launcher only wires it in:
 *   - WORKFLOW_ID / WORKFLOW_NAME of the bundled workflow;
 *   - config(filesFolder): the Config values to set in memory before import (the JSON keeps its placeholders): the
 *     download root inside the folder n8n may write to (N8N_RESTRICT_FILE_ACCESS_TO), the démarche of the demo fake;
 *   - seed(fake): the demo HubEE's data: three civil-status cases with a PDF each and an OSL message (the fake's own
 *     seedDemo), a case whose files arrive later through an ATTACH_DEPOSIT event, and a case of another démarche that the
 *     workflow must leave in the queue; seedMore(fake) is the part after seedDemo, for a fake already seeded;
 *   - summaryLines: the banner's lines (where the files land, how to run it);
 *   - publish: false, the workflow is run by hand ("Run now") in the demo; its Schedule Trigger would poll every 10
 *     minutes once published.
 * The demo credential "HubEE (demo)" (scripts/lib/demo/parts/hubee.cjs) points at the fake; the workflow's placeholder
 * credential reference below is rewritten to it at import (scripts/lib/demo/credentials.cjs), like every reference.
 */
const path = require('node:path');

const WORKFLOW_ID = 'hubeeAttachments01';
const WORKFLOW_NAME = 'HubEE → files in per-démarche folders';
const CREDENTIAL_REF = { type: 'hubeeApi', id: 'hubeeDemarche01', name: 'HubEE (one démarche)' };
const PROCESS_CODE = 'EtatCivil';

/** Config values for the demo; `filesFolder` is the folder N8N_RESTRICT_FILE_ACCESS_TO allows. */
function config(filesFolder) {
	return {
		downloadRoot: path.join(filesFolder, 'hubee'),
		demarcheName: 'EtatCivil',
		processCode: PROCESS_CODE,
		minimalStatus: 'SI_RECEIVED',
		maximalStatus: 'DONE',
	};
}

/** The download root must exist before the first run (the node creates the folders below it). */
function prepare(filesFolder) {
	require('node:fs').mkdirSync(config(filesFolder).downloadRoot, { recursive: true });
}

/** The whole demo queue, on a fake that has nothing yet: the fake's own seedDemo, then seedMore. */
function seed(fake) {
	return [...fake.seedDemo({ processCode: PROCESS_CODE }), ...seedMore(fake)];
}

/**
 * What the demo adds to the fake's own seedDemo (which `npm start` runs when it starts the fake, with this
 * démarche's processCode, its default): files sent later through an ATTACH_DEPOSIT event, and a case of another
 * démarche. Returns the ids of the démarche's cases it added.
 */
function seedMore(fake) {
	const later = fake.addCase({
		processCode: PROCESS_CODE,
		externalId: 'DEMO-EC-4',
		applicant: { firstName: 'Jules', lastName: 'Moreau', email: 'jules.moreau@example.org' },
		attachments: [],
	}).case;
	fake.addOslEvent(later.id, {
		actionType: 'ATTACH_DEPOSIT',
		message: 'Pièces justificatives envoyées après la demande.',
		attachments: [
			{ fileName: 'justificatif-domicile.pdf', type: 'EC_Justificatif', mimeType: 'application/pdf', content: '%PDF-1.4\n% demo: justificatif de domicile\n%%EOF\n' },
		],
	});
	fake.addCase({
		processCode: 'recensementCitoyen',
		externalId: 'DEMO-RC-1',
		attachments: [{ fileName: 'recensement.pdf', mimeType: 'application/pdf', content: '%PDF-1.4\n% demo: autre démarche\n%%EOF\n' }],
	});
	return [later.id];
}

/** Banner lines: what the demo queue holds, how to run the workflow and where the files land. */
function summaryLines({ downloadRoot }) {
	return [
		`demo HubEE queue: 4 new ${PROCESS_CODE} cases (DEMO-EC-1…4; an OSL message; a file sent later by ATTACH_DEPOSIT), and another démarche's case, left in the queue`,
		`run it: open the workflow and click "Execute workflow" (its "Run now" trigger); not published, so it does not poll every 10 minutes`,
		`files land in ${path.join(downloadRoot, PROCESS_CODE)}/<case>/<attachmentId>__<name>; the cases move to DONE and their notifications are deleted`,
	];
}

module.exports = { WORKFLOW_ID, WORKFLOW_NAME, CREDENTIAL_REF, PROCESS_CODE, config, prepare, seed, seedMore, summaryLines, publish: false };
