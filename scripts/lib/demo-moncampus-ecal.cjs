'use strict';
/**
 * What `npm start` needs for workflows/moncampus-to-ecal.json, in one place: the fakes' demo data, the credentials the
 * workflow references, and the Config values set in memory before import (the shipped file keeps its placeholders).
 * Self-contained: it only reads the workflow file and talks to the two fakes it is given.
 *
 * Wiring, in the demo's order:
 *   1. before any fake starts: checkConfigFields(workflow)            — a renamed Config field stops the demo early
 *   2. once the fakes run:      const seeded = seed({ moncampus, ecal }) — idempotent with the fakes' own seedDemo()
 *   3. before import:           withDemoConfig(workflow, seeded)      — Config values for the demo services
 *   4. credentials:             credentials({ moncampus, ecal })      — under the ids the workflow references
 *   5. after n8n is up:         summaryLines(baseUrl, seeded)         — what to click and where to look
 * The workflow is not published: its Schedule Trigger would sync every 2 hours; the demo runs it with "Sync now".
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOW_FILE = path.join(REPO_ROOT, 'workflows', 'moncampus-to-ecal.json');
const WORKFLOW_ID = 'monCampusToEcal01';

/** The MonCampus fake's default account (test/fakes/moncampus.cjs). */
const MONCAMPUS_LOGIN = { username: 'demo.student', password: 'demo-password' };
const ECAL_KEYS = { apiKey: 'demo-ecal-key', apiSecret: 'demo-ecal-secret' };
/** The calendar the demo syncs into, and one it must never touch (the ecal fake's seedDemo creates both). */
const DEMO_CALENDAR = { name: 'IPI Lyon - Bachelor CDA G1', reference: 'demo-ipi-g1' };
const OTHER_CALENDAR = { name: 'BDE - soirées', reference: 'demo-bde' };

/** Config fields the demo sets; every one must exist in the workflow's Config node. */
const CONFIG_FIELDS = ['calendarId'];

function readWorkflow() {
	return JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8'));
}

function configAssignments(workflow) {
	const config = (workflow.nodes ?? []).filter((node) => node.name === 'Config' && node.type === 'n8n-nodes-base.set');
	if (config.length !== 1) throw new Error(`${workflow.id}: expected one Set node named "Config", found ${config.length}`);
	const assignments = config[0].parameters?.assignments?.assignments;
	if (!Array.isArray(assignments)) throw new Error(`${workflow.id}: its Config node has no fields`);
	return assignments;
}

function checkConfigFields(workflow = readWorkflow()) {
	const names = new Set(configAssignments(workflow).map((assignment) => assignment.name));
	for (const field of CONFIG_FIELDS) {
		if (!names.has(field)) throw new Error(`${workflow.id}: its Config node has no field "${field}", which the demo needs (renamed?)`);
	}
	return workflow;
}

/**
 * Demo data in both fakes: courses around today in MonCampus, the demo calendar (and a foreign one with an event)
 * in ecal. Leaves alone what the fakes' seedDemo() already made. Resolves {calendarId, otherCalendarId, courses}.
 */
function seed({ moncampus, ecal }) {
	if (moncampus.events().length === 0) moncampus.seedDemo();
	const find = (reference) => ecal.calendars().find((calendar) => calendar.reference === reference);
	if (!find(DEMO_CALENDAR.reference)) ecal.addCalendar(DEMO_CALENDAR);
	if (!find(OTHER_CALENDAR.reference)) {
		const other = ecal.addCalendar(OTHER_CALENDAR);
		const today = new Date().toISOString().slice(0, 10);
		ecal.addEvent({ calendarId: other.id, reference: 'bde-1', name: 'Soirée d’intégration', location: 'Campus', startDate: today, startTime: '19:00', endDate: today, endTime: '23:00' });
	}
	return { calendarId: find(DEMO_CALENDAR.reference).id, otherCalendarId: find(OTHER_CALENDAR.reference).id, courses: moncampus.events().length };
}

/** A copy of the workflow with the demo's Config values; the window stays "today → +60 days". */
function withDemoConfig(workflow, seeded) {
	const copy = JSON.parse(JSON.stringify(checkConfigFields(workflow)));
	for (const assignment of configAssignments(copy)) {
		if (assignment.name === 'calendarId') assignment.value = seeded.calendarId;
	}
	return copy;
}

/** The credentials the workflow references, pointing at the fakes: [{id, name, type, data}]. */
function credentials({ moncampus, ecal }, workflow = readWorkflow()) {
	const data = {
		monCampusApi: { casLoginUrl: moncampus.casLoginUrl, timetableUrl: moncampus.timetableBaseUrl, ...MONCAMPUS_LOGIN, sessionToken: '' },
		ecalApi: { url: ecal.apiBaseUrl, ...ECAL_KEYS },
	};
	const refs = new Map();
	for (const node of workflow.nodes ?? []) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			if (!data[type]) throw new Error(`${workflow.id}: node "${node.name}" needs a ${type} credential the demo cannot make`);
			refs.set(ref.id, { id: ref.id, name: ref.name, type, data: data[type] });
		}
	}
	return [...refs.values()];
}

function summaryLines(baseUrl, seeded) {
	return [
		`MonCampus → ecal: open ${baseUrl}/workflow/${WORKFLOW_ID} and click "Execute workflow" on "Sync now":`,
		`  ${seeded.courses} demo courses become events of the ecal calendar ${seeded.calendarId}; run it again: zero writes.`,
		`  The calendar ${seeded.otherCalendarId} (another of the same account) is never touched.`,
	];
}

module.exports = {
	WORKFLOW_ID,
	WORKFLOW_FILE,
	CONFIG_FIELDS,
	MONCAMPUS_LOGIN,
	ECAL_KEYS,
	DEMO_CALENDAR,
	OTHER_CALENDAR,
	readWorkflow,
	checkConfigFields,
	seed,
	withDemoConfig,
	credentials,
	summaryLines,
};
