'use strict';
/**
 * ECAL API v2 fake, after ECAL's API v2 documentation (authentication, event and calendar pages).
 *
 * Every request must carry `apiKey` and `apiSign` in the query string, where
 * apiSign = md5(secret + sorted key+value query pairs (apiKey included, apiSign excluded) + raw body).
 * The signature is checked over the bytes actually received, so a client that re-serialises the body
 * after signing fails here exactly as it would against ECAL.
 *
 * Faithful points: the error body `{status, statusLong}` and the status codes of ECAL's "Errors" page
 * (400/403/404/409), 204 with no body once a list page is exhausted, `limit` default 100,
 * `showPastEvents` default false, `startDate`/`endDate` as inclusive bounds on the event's start date.
 * Options: apiKey, secret, basePath, today (YYYY-MM-DD, for showPastEvents), latencyMs (added to every request),
 * takenReference: 'refuse' (default: 409 "Event already exists" on a create or update whose reference another event
 * holds, ECAL's documented 409, read as references being unique) or 'accept' (the other reading, not ruled out by
 * anything verified: a second event with the same reference is stored, and GET by reference finds the first).
 * Faults: rateLimitNext (429 + Retry-After), loseNextReply (applied, then the reply is lost), hideFromListings (lists
 * lag behind writes), and the core's.
 * Inferred, not documented: the success envelope `{data, status, statusLong}` (ECAL documents it for /account only),
 * `limit` above 100 being clamped, draft events hidden from lists unless `showDraft=true`.
 */
const crypto = require('node:crypto');
const { createFakeServer, json } = require('./core.cjs');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const PAGE_LIMIT = 100;

/** The documented signing rule, over raw (decoded) values and the exact body bytes. */
function ecalSignature(secret, params, rawBody = '') {
	const concatenated = Object.keys(params)
		.filter((key) => key !== 'apiSign')
		.sort()
		.map((key) => `${key}${params[key]}`)
		.join('');
	const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(String(rawBody ?? ''), 'utf8');
	return crypto
		.createHash('md5')
		.update(Buffer.concat([Buffer.from(`${secret}${concatenated}`, 'utf8'), body]))
		.digest('hex');
}

function ecalError(status, statusLong) {
	return json(status, { status: String(status), statusLong });
}

function ok(data) {
	return json(200, data === undefined ? { status: '200', statusLong: 'OK' } : { data, status: '200', statusLong: 'OK' });
}

function isTrue(value) {
	return typeof value === 'string' && ['true', '1', 'yes'].includes(value.toLowerCase());
}

function initialState() {
	// listingLag: {match, remaining}: the next `remaining` list requests leave out the matching events.
	return { calendars: [], events: [], nextId: 1, listingLag: null };
}

function newId(state) {
	// 24 hex characters, like ECAL's (Mongo-style) ids; deterministic so tests can predict them.
	const id = `5ec0${state.nextId.toString(16).padStart(20, '0')}`;
	state.nextId += 1;
	return id;
}

function findByIdOrReference(list, key) {
	return (
		list.find((item) => item.id === key) ??
		list.find((item) => item.reference !== undefined && item.reference !== null && String(item.reference) === key)
	);
}

function validateEvent(event) {
	const problems = [];
	if (typeof event.name !== 'string' || !event.name.trim()) problems.push('name is required');
	if (typeof event.location !== 'string' || !event.location.trim()) problems.push('location is required');
	if (!DATE.test(event.startDate ?? '')) problems.push('startDate must be YYYY-MM-DD');
	if (!DATE.test(event.endDate ?? '')) problems.push('endDate must be YYYY-MM-DD');
	const allDay = String(event.allDay ?? '').toLowerCase() === 'yes';
	if (!allDay) {
		if (!TIME.test(event.startTime ?? '')) problems.push('startTime must be HH:MM');
		if (!TIME.test(event.endTime ?? '')) problems.push('endTime must be HH:MM');
	}
	if (!problems.length) {
		const start = `${event.startDate} ${allDay ? '00:00' : event.startTime}`;
		const end = `${event.endDate} ${allDay ? '23:59' : event.endTime}`;
		if (end < start) problems.push('end is before start');
	}
	return problems;
}

function validateCalendar(calendar) {
	const problems = [];
	if (typeof calendar.name !== 'string' || calendar.name.length < 2 || calendar.name.length > 250) {
		problems.push('name must be between 2 and 250 characters');
	}
	if (calendar.type !== 'fixture') problems.push('type must be fixture');
	if (typeof calendar.categories !== 'string' || !calendar.categories.trim()) problems.push('categories is required');
	return problems;
}

function eventDefaults(state, input) {
	return {
		id: newId(state),
		type: 'fixture',
		publisherId: 100001,
		publisherOrgId: 200001,
		allDay: 'no',
		timezone: 'Europe/Paris',
		alert: '',
		alert2: '',
		details: '',
		draft: 0,
		...input,
	};
}

function calendarDefaults(state, input) {
	return { id: newId(state), type: 'fixture', categories: 'Education', draft: 0, ...input };
}

function sortEvents(events) {
	return [...events].sort((a, b) =>
		`${a.startDate} ${a.startTime ?? ''} ${a.id}`.localeCompare(`${b.startDate} ${b.startTime ?? ''} ${b.id}`),
	);
}

/** Adds helpers (getters included, which Object.assign would evaluate once) to the core api. */
function extend(target, helpers) {
	return Object.defineProperties(target, Object.getOwnPropertyDescriptors(helpers));
}

function createEcalFake(options = {}) {
	const apiKey = options.apiKey ?? 'demo-ecal-key';
	const secret = options.secret ?? 'demo-ecal-secret';
	const basePath = (options.basePath ?? '/apiv2').replace(/\/$/, '');
	let today = options.today;
	let refuseTakenReference = (options.takenReference ?? 'refuse') === 'refuse';

	const todayString = () => today ?? new Date().toISOString().slice(0, 10);

	function checkSignature(req) {
		const params = Object.fromEntries(req.searchParams);
		if (params.apiKey !== apiKey) {
			return ecalError(403, 'API key status is inactive/expired/non-existent');
		}
		if (!params.apiSign || params.apiSign.toLowerCase() !== ecalSignature(secret, params, req.rawBody)) {
			return ecalError(403, 'API signature does not match');
		}
		return undefined;
	}

	function parseJsonBody(req) {
		if (!req.rawBody.length) return { value: {} };
		try {
			const value = JSON.parse(req.rawBody.toString('utf8'));
			if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'body must be a JSON object' };
			return { value };
		} catch {
			return { error: 'body is not valid JSON' };
		}
	}

	function invalid(problems) {
		return ecalError(400, `Invalid input sent in either request body or params: ${problems.join('; ')}`);
	}

	function listEvents(state, query) {
		let events = state.events;
		if (query.calendarIds) {
			const ids = new Set(query.calendarIds.split(',').map((id) => id.trim()));
			events = events.filter((event) => ids.has(event.calendarId));
		}
		if (query.type) events = events.filter((event) => event.type === query.type);
		if (!isTrue(query.showDraft)) events = events.filter((event) => !Number(event.draft));
		if (!isTrue(query.showPastEvents)) events = events.filter((event) => event.startDate >= todayString());
		if (query.startDate) events = events.filter((event) => event.startDate >= query.startDate);
		if (query.endDate) events = events.filter((event) => event.endDate === undefined || event.startDate <= query.endDate);
		const lag = state.listingLag;
		if (lag && lag.remaining > 0) {
			lag.remaining -= 1;
			events = events.filter((event) => !lag.match(event));
		}
		const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '', 10) || PAGE_LIMIT, 1), PAGE_LIMIT);
		const page = Math.max(Number.parseInt(query.page ?? '', 10) || 1, 1);
		const slice = sortEvents(events).slice((page - 1) * limit, page * limit);
		return slice.length ? ok(slice) : json(204);
	}

	function handleEvents(req, state, key) {
		if (!key && req.method === 'GET') return listEvents(state, req.query);
		if (!key && req.method === 'POST') {
			const { value, error } = parseJsonBody(req);
			if (error) return invalid([error]);
			const problems = validateEvent(value);
			if (problems.length) return invalid(problems);
			if (value.calendarId && !state.calendars.some((calendar) => calendar.id === value.calendarId)) {
				return ecalError(404, `Calendar not found for given id or reference: ${value.calendarId}`);
			}
			if (refuseTakenReference && value.reference !== undefined && state.events.some((event) => event.reference === value.reference)) {
				return ecalError(409, `Event already exists: ${value.reference}`);
			}
			const event = eventDefaults(state, value);
			state.events.push(event);
			return ok(event);
		}
		if (!key) return ecalError(400, `Invalid input sent in either request body or params: ${req.method} needs an id`);
		const event = findByIdOrReference(state.events, key);
		if (!event) return ecalError(404, `Event not found for given id or reference: ${key}`);
		if (req.method === 'GET') return ok(event);
		if (req.method === 'DELETE') {
			state.events.splice(state.events.indexOf(event), 1);
			return ok();
		}
		if (req.method === 'PUT') {
			const { value, error } = parseJsonBody(req);
			if (error) return invalid([error]);
			const next = { ...event, ...value, id: event.id };
			const problems = validateEvent(next);
			if (problems.length) return invalid(problems);
			if (next.calendarId && !state.calendars.some((calendar) => calendar.id === next.calendarId)) {
				return ecalError(404, `Calendar not found for given id or reference: ${next.calendarId}`);
			}
			if (
				refuseTakenReference &&
				next.reference !== undefined &&
				state.events.some((other) => other !== event && other.reference === next.reference)
			) {
				return ecalError(409, `Event already exists: ${next.reference}`);
			}
			Object.assign(event, next);
			return ok(event);
		}
		return ecalError(400, `Invalid input sent in either request body or params: ${req.method} not supported`);
	}

	function handleCalendars(req, state, key) {
		if (!key && req.method === 'GET') {
			const calendars = isTrue(req.query.showDraft)
				? state.calendars
				: state.calendars.filter((calendar) => !Number(calendar.draft));
			return calendars.length ? ok(calendars) : json(204);
		}
		if (!key && req.method === 'POST') {
			const { value, error } = parseJsonBody(req);
			if (error) return invalid([error]);
			const problems = validateCalendar(value);
			if (problems.length) return invalid(problems);
			if (value.reference !== undefined && state.calendars.some((calendar) => calendar.reference === value.reference)) {
				return ecalError(409, `Calendar already exists: ${value.reference}`);
			}
			const calendar = calendarDefaults(state, value);
			state.calendars.push(calendar);
			return ok(calendar);
		}
		if (!key) return ecalError(400, `Invalid input sent in either request body or params: ${req.method} needs an id`);
		const calendar = findByIdOrReference(state.calendars, key);
		if (!calendar) return ecalError(404, `Calendar not found for given id or reference: ${key}`);
		if (req.method === 'GET') return ok(calendar);
		if (req.method === 'DELETE') {
			state.calendars.splice(state.calendars.indexOf(calendar), 1);
			state.events = state.events.filter((event) => event.calendarId !== calendar.id);
			return ok();
		}
		if (req.method === 'PUT') {
			const { value, error } = parseJsonBody(req);
			if (error) return invalid([error]);
			const next = { ...calendar, ...value, id: calendar.id };
			const problems = validateCalendar(next);
			if (problems.length) return invalid(problems);
			Object.assign(calendar, next);
			return ok(calendar);
		}
		return ecalError(400, `Invalid input sent in either request body or params: ${req.method} not supported`);
	}

	function handle(req, ctx) {
		if (!req.path.startsWith(`${basePath}/`)) return ecalError(404, `No route for ${req.path}`);
		const denied = checkSignature(req);
		if (denied) return denied;
		const [resource, key, ...rest] = req.path.slice(basePath.length + 1).split('/');
		if (rest.some(Boolean)) return ecalError(404, `No route for ${req.path}`);
		const id = key ? decodeURIComponent(key) : '';
		if (resource === 'event') return handleEvents(req, ctx.state, id);
		if (resource === 'calendar') return handleCalendars(req, ctx.state, id);
		return ecalError(404, `No route for ${req.path}`);
	}

	function seed(state, data = {}) {
		for (const calendar of data.calendars ?? []) state.calendars.push(calendarDefaults(state, calendar));
		for (const event of data.events ?? []) state.events.push(eventDefaults(state, event));
		if (data.hideFromListings) fake.hideFromListings(data.hideFromListings.referencePrefix, data.hideFromListings.count);
		if (data.demo) fake.seedDemo();
	}

	const fake = createFakeServer({
		name: 'ecal',
		initialState,
		handle,
		seed,
		// ECAL documents 429 without a number; the fake says when to come back, as a well-behaved API would.
		rateLimitResponse: () => ({ ...ecalError(429, 'Too many requests! Try again after sometime.'), headers: { 'retry-after': '1' } }),
	});
	if (options.latencyMs) fake.setFaults({ latencyMs: options.latencyMs });

	return extend(fake, {
		apiKey,
		get apiBaseUrl() {
			return `${fake.baseUrl}${basePath}`;
		},
		sign(params, rawBody = '') {
			return ecalSignature(secret, { apiKey, ...params }, rawBody);
		},
		/** A ready-to-call URL: `path` is relative to apiBaseUrl, e.g. '/event'. */
		signedUrl(path, params = {}, rawBody = '') {
			const all = { apiKey, ...params };
			const query = new URLSearchParams({ ...all, apiSign: ecalSignature(secret, all, rawBody) });
			return `${fake.baseUrl}${basePath}${path}?${query}`;
		},
		events() {
			return fake.state.events;
		},
		calendars() {
			return fake.state.calendars;
		},
		addCalendar(calendar) {
			const stored = calendarDefaults(fake.state, calendar);
			fake.state.calendars.push(stored);
			return stored;
		},
		addEvent(event) {
			const stored = eventDefaults(fake.state, event);
			fake.state.events.push(stored);
			return stored;
		},
		/** For `npm start`: one live calendar for the MonCampus sync, one foreign calendar it must never touch. */
		seedDemo() {
			const calendar = fake.addCalendar({ name: 'IPI Lyon - Bachelor CDA G1', reference: 'demo-ipi-g1' });
			const other = fake.addCalendar({ name: 'BDE - soirées', reference: 'demo-bde' });
			fake.addEvent({
				name: 'Soirée d’intégration',
				location: 'Campus',
				startDate: todayString(),
				startTime: '19:00',
				endDate: todayString(),
				endTime: '23:00',
				calendarId: other.id,
				reference: 'bde-1',
			});
			return { calendarId: calendar.id, otherCalendarId: other.id };
		},
		/** The next 429 (for `count` matching calls) carries Retry-After: `seconds`. */
		rateLimitNext(count = 1, seconds = 1, match = undefined) {
			return fake.setFaults({
				failNext: count,
				status: 429,
				body: { status: '429', statusLong: 'Too many requests! Try again after sometime.' },
				headers: { 'retry-after': String(seconds) },
				match,
			});
		},
		/**
		 * The next matching call is APPLIED, then its reply is lost (half a body, then the socket closes): what a
		 * client sees when the connection drops after ECAL created the event.
		 */
		loseNextReply(match = 'POST /apiv2/event') {
			return fake.setFaults({ truncateNext: 1, match });
		},
		/**
		 * ECAL's list lagging behind its writes: the next `count` list requests (each page counts) leave out the events
		 * whose reference starts with `match` (or for which `match(event)` is true); GET by id/reference and 409s still
		 * see them. Over HTTP: POST /__fake/seed {hideFromListings: {referencePrefix, count}}.
		 */
		hideFromListings(match, count = 1) {
			const test = typeof match === 'function' ? match : (event) => String(event.reference ?? '').startsWith(String(match));
			fake.state.listingLag = { match: test, remaining: count };
			return fake;
		},
		/** Calls that reached the API (control calls excluded), e.g. for request budgets. */
		apiRequests() {
			return fake.log.filter((entry) => entry.path.startsWith(basePath));
		},
		/** 'refuse' (409) or 'accept' a create/update whose reference another event holds; see the options above. */
		setTakenReference(mode) {
			refuseTakenReference = mode === 'refuse';
			return fake;
		},
		setToday(date) {
			today = date;
			return fake;
		},
	});
}

module.exports = { createEcalFake, ecalSignature };
