'use strict';
/**
 * `npm run bench -- ecal`: sync one ECAL calendar of 2,000 events of which exactly 20 changed, with 50 ms added to
 * every request by the ecal fake (a distant API), in two ways in the same run, each from the same seeded state:
 *   - ours: the ECAL node's Event → Sync alone (list limit 100), on n8n-core's WorkflowExecute through the test harness,
 *     from the TypeScript sources (bench/lib/registerTs.cjs: no build needed);
 *   - baseline: what the old MonCampus_Ecal_Docker tool does: list the calendar, delete every event, create every
 *     event again, one signed request at a time (it is even given the calendarIds scope the old tool lacked).
 * The fake runs in a process of its own, checks every signature, and holds a second calendar that must stay as it is.
 * Both runs must leave the same 2,000 events. Timed: the node's execution time as n8n records it; the baseline loop.
 * Env: ECAL_BENCH_EVENTS (2000), ECAL_BENCH_CHANGED (20), ECAL_BENCH_LATENCY_MS (50).
 */
require('./lib/registerTs.cjs');

const { runWorkflow } = require('../test/harness/runWorkflow.ts');
const { ecalSignature } = require('../test/fakes/ecal.cjs');
const { startFakeProcess } = require('./lib/fakeProcess.cjs');

const EVENTS = Number(process.env.ECAL_BENCH_EVENTS || 2000);
const CHANGED = Number(process.env.ECAL_BENCH_CHANGED || 20);
const LATENCY_MS = Number(process.env.ECAL_BENCH_LATENCY_MS || 50);
const KEY = 'bench-ecal-key';
const SECRET = 'bench-ecal-secret';
const CALENDAR = '5ec0aaaaaaaaaaaaaaaaaaa1';
const OTHER_CALENDAR = '5ec0bbbbbbbbbbbbbbbbbbb2';
const PREFIX = 'moncampus-';
const WINDOW = { windowStart: '2030-09-01', windowEnd: '2031-08-31' };
const SLOTS = [
	['08:30', '10:00'],
	['10:15', '12:00'],
	['13:30', '15:00'],
	['15:15', '17:00'],
	['17:15', '18:45'],
	['19:00', '20:30'],
];
const ROOMS = ['B110-S(Bâtiment B)', 'A204', 'DISTANCIEL', 'C012 Amphi'];

/** Course n: 6 slots a day from 2030-09-01 on (334 days), in Paris time, across both DST changes (27 Oct, 30 Mar). */
function course(n) {
	const day = new Date(Date.UTC(2030, 8, 1 + Math.floor(n / SLOTS.length)));
	const date = day.toISOString().slice(0, 10);
	const [start, end] = SLOTS[n % SLOTS.length];
	const offset = date < '2030-10-27' || date >= '2031-03-30' ? '+02:00' : '+01:00';
	return {
		reference: `${PREFIX}${CALENDAR}-${100000 + n}`,
		name: `Cours ${n % 37} – Développement d’applications`,
		location: ROOMS[n % ROOMS.length],
		start: `${date}T${start}:00${offset}`,
		end: `${date}T${end}:00${offset}`,
		details: `Intervenant : PROF ${n % 11}\nGroupe : CDA G${1 + (n % 3)}`,
		_date: date,
		_start: start,
		_end: end,
	};
}

/** The event as ECAL stores it (what the last sync wrote). */
function stored(course) {
	return {
		calendarId: CALENDAR,
		reference: course.reference,
		name: course.name,
		location: course.location,
		startDate: course._date,
		startTime: course._start,
		endDate: course._date,
		endTime: course._end,
		allDay: 'no',
		timezone: 'Europe/Paris',
		details: course.details,
	};
}

function desiredEvents() {
	const courses = Array.from({ length: EVENTS }, (_, n) => course(n));
	// Exactly CHANGED courses moved room since the last sync, spread over the calendar.
	const step = Math.floor(EVENTS / CHANGED);
	const changed = new Set(Array.from({ length: CHANGED }, (_, i) => i * step + 7));
	const before = courses.map(stored);
	const after = courses.map((entry, n) => (changed.has(n) ? { ...entry, location: `${entry.location} → salle 3${n % 10}` } : entry));
	const desired = after.map((entry) => {
		const event = { ...entry };
		for (const key of ['_date', '_start', '_end']) delete event[key];
		return event;
	});
	return { before, desired, expected: after.map(stored) };
}

async function seed(fake, events) {
	await fake.control('reset', 'POST');
	await fake.control('seed', 'POST', {
		calendars: [
			{ id: CALENDAR, name: 'IPI Lyon - Bachelor CDA G1' },
			{ id: OTHER_CALENDAR, name: 'BDE - soirées' },
		],
		events: [
			...events,
			...Array.from({ length: 30 }, (_, n) => ({
				calendarId: OTHER_CALENDAR,
				reference: `bde-${n}`,
				name: `Soirée ${n}`,
				location: 'Campus',
				startDate: '2030-10-10',
				startTime: '19:00',
				endDate: '2030-10-10',
				endTime: '23:00',
			})),
		],
	});
	await fake.control('faults', 'POST', { latencyMs: LATENCY_MS });
}

const FIELDS = ['reference', 'name', 'location', 'startDate', 'startTime', 'endDate', 'endTime', 'details'];

async function snapshot(fake) {
	const state = await fake.control('state');
	const line = (event) => JSON.stringify(FIELDS.map((field) => event[field]));
	return {
		ours: state.events.filter((event) => event.calendarId === CALENDAR).map(line).sort(),
		other: state.events.filter((event) => event.calendarId === OTHER_CALENDAR).map((event) => `${event.id} ${line(event)}`).sort(),
	};
}

async function traffic(fake) {
	const log = (await fake.control('log')).filter((entry) => entry.path.startsWith('/apiv2'));
	return { requests: log.length, writes: log.filter((entry) => entry.method !== 'GET').length };
}

async function runOurs(fake, desired) {
	await fake.control('log', 'DELETE');
	const run = await runWorkflow({
		nodes: [
			{
				name: 'Sync timetable',
				type: 'ecal',
				parameters: {
					resource: 'event',
					operation: 'sync',
					calendarId: { __rl: true, mode: 'id', value: CALENDAR },
					...WINDOW,
					timezone: 'Europe/Paris',
					referencePrefix: PREFIX,
					options: {},
				},
				credentials: { ecalApi: 'ecal' },
			},
		],
		connections: ['Sync timetable'],
		input: desired.map((json) => ({ json })),
		credentials: { ecal: { type: 'ecalApi', data: { url: `${fake.info.baseUrl}/apiv2`, apiKey: KEY, apiSecret: SECRET } } },
	});
	if (run.error) throw run.error;
	const summary = run.output('Sync timetable').at(-1);
	const ms = run.run.data.resultData.runData['Sync timetable'][0].executionTime;
	return { ms, summary, ...(await traffic(fake)) };
}

/** One signed ECAL call, as the old tool's client makes them. */
async function call(fake, method, path, params = {}, body) {
	const raw = body === undefined ? '' : JSON.stringify(body);
	const query = { ...params, apiKey: KEY };
	const url = `${fake.info.baseUrl}/apiv2${path}?${new URLSearchParams({ ...query, apiSign: ecalSignature(SECRET, query, raw) })}`;
	const response = await fetch(url, {
		method,
		headers: raw ? { 'content-type': 'application/json' } : {},
		body: raw || undefined,
	});
	const text = await response.text();
	if (response.status >= 300) throw new Error(`baseline: ${method} ${path} answered ${response.status}: ${text}`);
	return text ? JSON.parse(text) : undefined;
}

async function runBaseline(fake, desired) {
	await fake.control('log', 'DELETE');
	const started = process.hrtime.bigint();
	const listed = [];
	for (let page = 1; ; page++) {
		const response = await call(fake, 'GET', '/event/', { calendarIds: CALENDAR, showPastEvents: 'true', limit: '100', page: String(page) });
		if (!response?.data?.length) break;
		listed.push(...response.data);
	}
	for (const event of listed) await call(fake, 'DELETE', `/event/${event.id}`);
	for (const event of desired) {
		const [startDate, startTime] = [event.start.slice(0, 10), event.start.slice(11, 16)];
		const [endDate, endTime] = [event.end.slice(0, 10), event.end.slice(11, 16)];
		await call(fake, 'POST', '/event/', {}, {
			calendarId: CALENDAR,
			reference: event.reference,
			name: event.name,
			location: event.location,
			startDate,
			startTime,
			endDate,
			endTime,
			allDay: 'no',
			timezone: 'Europe/Paris',
			details: event.details,
		});
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { ms, ...(await traffic(fake)) };
}

async function main() {
	const fake = await startFakeProcess('ecal', 'createEcalFake', { apiKey: KEY, secret: SECRET, today: '2030-09-01' });
	try {
		const { before, desired, expected } = desiredEvents();
		console.log(`ecal bench: ${EVENTS} events, ${CHANGED} changed, fake latency ${LATENCY_MS} ms per request, list limit 100`);

		// Untimed warm-up: loads n8n's HTTP stack and the node code.
		await seed(fake, before.slice(0, 10));
		await runOurs(fake, desired.slice(0, 10));

		await seed(fake, before);
		const untouched = (await snapshot(fake)).other;
		const ours = await runOurs(fake, desired);
		const oursState = await snapshot(fake);
		console.log(
			`ours: ${ours.ms.toFixed(0)} ms, ${ours.requests} requests, ${ours.writes} writes ` +
				`(updated ${ours.summary.updated}, created ${ours.summary.created}, deleted ${ours.summary.deleted}, unchanged ${ours.summary.unchanged})`,
		);

		await seed(fake, before);
		const baseline = await runBaseline(fake, desired);
		const baselineState = await snapshot(fake);
		console.log(`baseline: ${baseline.ms.toFixed(0)} ms, ${baseline.requests} requests, ${baseline.writes} writes (delete all, create all)`);

		const wanted = expected.map((event) => JSON.stringify(FIELDS.map((field) => event[field]))).sort();
		const sameAsWanted = (state) => JSON.stringify(state.ours) === JSON.stringify(wanted);
		if (!sameAsWanted(oursState)) throw new Error('ours: the calendar does not hold the desired events');
		if (!sameAsWanted(baselineState)) throw new Error('baseline: the calendar does not hold the desired events');
		if (JSON.stringify(oursState.other) !== JSON.stringify(untouched)) throw new Error('ours: the other calendar changed');
		console.log(`both runs left the same ${EVENTS} events; the other calendar's ${untouched.length} events untouched`);

		const budget = Math.ceil(EVENTS / 100) + CHANGED + 2;
		const writesOk = ours.writes === CHANGED;
		const requestsOk = ours.requests <= budget;
		const speedup = baseline.ms / ours.ms;
		console.log(`check writes: ${ours.writes} = ${CHANGED} ... ${writesOk ? 'PASS' : 'FAIL'}`);
		console.log(`check requests: ${ours.requests} <= ${budget} ... ${requestsOk ? 'PASS' : 'FAIL'}`);
		console.log(
			`ecal writes: ${ours.writes}/${baseline.writes} requests: ${ours.requests}/${baseline.requests} speedup: ${speedup.toFixed(1)}x`,
		);
		process.exitCode = writesOk && requestsOk ? 0 : 1;
	} finally {
		await fake.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
