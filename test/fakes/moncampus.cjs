'use strict';
/**
 * MonCampus / Wigor fake: an Apereo-CAS-like login under `/cas` and the Wigor timetable under `/edt`. As in
 * real life (cas-p.wigorservices.net vs ws-edt-*.wigorservices.net) the CAS runs on its own server (another
 * loopback port) unless `casOnSeparatePort: false`. A credential points its "CAS login URL" at `casLoginUrl`
 * and its "timetable URL" at `timetableBaseUrl`.
 *
 * The flow, as real clients see it:
 *   GET  /cas/login?service=S      → 200 HTML form with hidden `execution` and `lt`
 *   POST /cas/login?service=S      → 302 S?ticket=ST-… (+ TGC cookie) ; wrong password → 401 with the form again
 *   GET  S?ticket=ST-…             → Set-Cookie ASP.NET_SessionId + .DotNetCasClientAuth, 302 to S without ticket
 *   GET  /edt/Home/Get?sort=&group=&filter=&dateDebut=…&dateFin=…  → Kendo `{Data, Total, AggregateResults, Errors}`
 * Without a live session the timetable answers 302 to `/cas/login?service=<this URL>`, as Wigor does, or — some
 * schools — 200 with the CAS login page (`expiredSession: 'loginPage'`). Sessions can be made to die after N
 * more timetable answers (`expireSessionsAfter`), i.e. in the middle of a paged read.
 * A school may cap the range one Home/Get covers (`maxRangeDays`): longer requests silently get the first days only.
 * After `lockAfterFailures` wrong passwords in a row CAS locks the account: every later POST, even with the
 * right password, answers 401 with the "account locked" page (Apereo CAS's AccountLockedException view).
 *
 * Wigor's quirk is kept: Start/End carry the Paris wall-clock time as UTC digits, displayed with the Paris
 * offset (a class at 08:30 comes back as `…T10:30:00+02:00`), so clients must take the UTC components.
 * Inferred, not documented: 401 (not 200) for a wrong password, a replayed ticket sending back to the login, the exact
 * HTML of the pages, the status of the locked page, silent truncation by the range cap, the all-day shape
 * (Kendo: IsAllDay with Start and End at midnight of the first and last day).
 */
const crypto = require('node:crypto');
const { DateTime } = require('luxon');
const { createFakeServer, json } = require('./core.cjs');

const SESSION_COOKIE = '.DotNetCasClientAuth';
const SUBJECTS = ['Administration des BDD', 'Développement Web', 'Anglais professionnel', 'Gestion de projet'];
const ROOMS = ['B110-S(Bâtiment B)', 'B108-S(Bâtiment B)', 'DISTANCIEL'];
const TEACHERS = ['DUPONT Marie', 'MARTIN Paul', null];
const SLOTS = [
	['08:30', '12:00'],
	['13:30', '17:00'],
	['17:15', '18:45'],
];

function token(prefix) {
	return `${prefix}${crypto.randomBytes(12).toString('hex')}`;
}

function html(status, body, headers = {}) {
	return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body };
}

function escapeHtml(text) {
	return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function parseCookies(header) {
	const cookies = {};
	for (const part of String(header ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index > 0) cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
	}
	return cookies;
}

function servicePath(service) {
	try {
		return new URL(service).pathname;
	} catch {
		return undefined;
	}
}

function formBody(req) {
	return Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
}

/** "2025-09-16", "08:30" (Paris wall clock) → Wigor's Start: the same digits as UTC, shown in Paris offset. */
function wigorDateTime(date, time) {
	const [hour, minute] = time.split(':').map(Number);
	const asUtc = DateTime.fromISO(date, { zone: 'utc' }).set({ hour, minute });
	return asUtc.setZone('Europe/Paris').toISO({ suppressMilliseconds: true });
}

function initialState() {
	return {
		events: [],
		nextNoCours: 1000,
		executions: {},
		tickets: {},
		grantingTickets: {},
		sessions: {},
		htmlInsteadOfJson: false,
		dateFormat: 'iso',
		expiredSession: undefined,
		expireAfterAnswers: undefined,
		maxRangeDays: undefined,
		failedLogins: 0,
		locked: false,
		rejectSessions: false,
	};
}

function createMonCampusFake(options = {}) {
	const username = options.username ?? 'demo.student';
	const password = options.password ?? 'demo-password';
	const casPrefix = options.casPrefix ?? '/cas';
	const timetablePrefix = options.timetablePrefix ?? '/edt';
	const sessionTtlMs = options.sessionTtlMs ?? 2 * 60 * 60 * 1000;
	const casOnSeparatePort = options.casOnSeparatePort ?? true;
	const lockAfterFailures = options.lockAfterFailures ?? 5;
	const defaultExpiredSession = options.expiredSession ?? 'redirect';

	function origin(req) {
		return `http://${req.headers.host ?? '127.0.0.1'}`;
	}

	/** The CAS origin: its own server, or this one. */
	function casOrigin(req) {
		return casOnSeparatePort ? casServer.baseUrl : origin(req);
	}

	function loginUrl(req, service) {
		const base = `${casOrigin(req)}${casPrefix}/login`;
		return service ? `${base}?service=${encodeURIComponent(service)}` : base;
	}

	function loginPage(state, req, { status = 200, error } = {}) {
		const execution = `${crypto.randomUUID()}_${Buffer.from(token('flow-')).toString('base64')}`;
		const lt = token('LT-');
		state.executions[execution] = { lt, used: false };
		const onCas = req.path.startsWith(casPrefix);
		const action = escapeHtml(
			onCas ? `${casPrefix}/login${req.searchParams.size ? `?${req.searchParams}` : ''}` : loginUrl(req, `${origin(req)}${req.path}`),
		);
		return html(
			status,
			`<!DOCTYPE html><html lang="fr"><head><meta charset="UTF-8"/><title>CAS - Central Authentication Service</title></head>
<body><main><div id="login">
${error ? `<div class="banner banner-danger alert alert-danger" id="loginErrorsPanel"><p>${escapeHtml(error)}</p></div>` : ''}
<form method="post" id="fm1" action="${action}">
<input class="required" type="text" id="username" name="username" size="25" autocomplete="off" value=""/>
<input class="required" type="password" id="password" name="password" size="25" autocomplete="off" value=""/>
<input type="hidden" name="execution" value="${escapeHtml(execution)}"/>
<input type="hidden" name="lt" value="${escapeHtml(lt)}"/>
<input type="hidden" name="_eventId" value="submit"/>
<input type="hidden" name="geolocation"/>
<button class="mdc-button mdc-button--raised btn btn-primary" name="submitBtn" accesskey="l" type="submit">Se connecter</button>
</form></div></main></body></html>`,
		);
	}

	function redirect(location, headers = {}) {
		return html(302, `<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="${escapeHtml(location)}">here</a>.</h2></body></html>`, {
			location,
			...headers,
		});
	}

	function issueTicket(state, service, user) {
		const ticket = `ST-${Object.keys(state.tickets).length + 1}-${crypto.randomBytes(10).toString('hex')}-cas-p`;
		state.tickets[ticket] = { service, user, used: false };
		const separator = service.includes('?') ? '&' : '?';
		return `${service}${separator}ticket=${encodeURIComponent(ticket)}`;
	}

	function handleCas(req, state) {
		const route = req.path.slice(casPrefix.length);
		if (route === '/logout') {
			const tgc = parseCookies(req.headers.cookie).TGC;
			if (tgc) delete state.grantingTickets[tgc];
			return html(200, '<html><body>Déconnexion réussie</body></html>', {
				'set-cookie': `TGC=; Path=${casPrefix}/; Max-Age=0; HttpOnly`,
			});
		}
		if (route !== '/login') return html(404, '<html><body>Not found</body></html>');
		const service = req.query.service;

		if (req.method === 'GET') {
			const tgc = parseCookies(req.headers.cookie).TGC;
			const granting = tgc && state.grantingTickets[tgc];
			if (granting && service) return redirect(issueTicket(state, service, granting.user));
			if (granting) return html(200, `<html><body><h2>Connexion réussie</h2><table><tr><td>sAMAccountName</td><td>${escapeHtml(granting.user)}</td></tr></table></body></html>`);
			return loginPage(state, req);
		}
		if (req.method !== 'POST') return html(405, '<html><body>Method not allowed</body></html>');

		const form = formBody(req);
		const flow = form.execution && state.executions[form.execution];
		if (!flow || flow.used || (form.lt !== undefined && form.lt !== flow.lt)) {
			// Apereo CAS restarts the webflow when the execution token is unknown or replayed.
			return loginPage(state, req);
		}
		flow.used = true;
		if (state.locked) {
			return loginPage(state, req, { status: 401, error: 'Ce compte a été verrouillé (AccountLockedException). Contactez le support.' });
		}
		if (form.username !== username || form.password !== password) {
			state.failedLogins += 1;
			if (state.failedLogins >= lockAfterFailures) state.locked = true;
			return loginPage(state, req, { status: 401, error: 'Mauvais identifiant / mot de passe.' });
		}
		state.failedLogins = 0;
		const tgt = token('TGT-');
		state.grantingTickets[tgt] = { user: username, createdAt: Date.now() };
		const tgcCookie = `TGC=${tgt}; Path=${casPrefix}/; HttpOnly`;
		if (!service) {
			return html(200, '<html><body><h2>Connexion réussie</h2></body></html>', { 'set-cookie': tgcCookie });
		}
		return redirect(issueTicket(state, service, username), { 'set-cookie': tgcCookie });
	}

	function liveSession(state, req) {
		const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
		const session = id && state.sessions[id];
		if (!session || state.rejectSessions) return undefined;
		if (Date.now() - session.createdAt > sessionTtlMs) {
			delete state.sessions[id];
			return undefined;
		}
		return session;
	}

	function formatDate(state, iso) {
		if (state.dateFormat !== 'aspnet') return iso;
		return `/Date(${DateTime.fromISO(iso, { setZone: true }).toMillis()})/`;
	}

	function homeGet(state, req) {
		const { dateDebut, dateFin } = req.query;
		const from = Date.parse(dateDebut ?? '');
		let to = Date.parse(dateFin ?? '');
		if (Number.isNaN(from) || Number.isNaN(to)) {
			return html(500, '<html><body><h1>Server Error in \'/\' Application.</h1><p>Object reference not set to an instance of an object.</p></body></html>');
		}
		const maxRangeDays = state.maxRangeDays ?? options.maxRangeDays;
		if (maxRangeDays !== undefined) to = Math.min(to, from + maxRangeDays * 86_400_000 - 1);
		const data = state.events
			.filter((event) => Date.parse(event.Start) <= to && Date.parse(event.End) >= from)
			.sort((a, b) => Date.parse(a.Start) - Date.parse(b.Start) || a.NoCours - b.NoCours)
			.map((event) => ({ ...event, Start: formatDate(state, event.Start), End: formatDate(state, event.End) }));
		return json(200, { Data: data, Total: data.length, AggregateResults: null, Errors: null }, {
			'content-type': 'application/json; charset=utf-8',
		});
	}

	function handleTimetable(req, state) {
		const route = req.path.slice(timetablePrefix.length) || '/';
		const ticket = req.query.ticket;
		if (ticket) {
			const issued = state.tickets[ticket];
			const clean = new URLSearchParams(req.searchParams);
			clean.delete('ticket');
			const cleanUrl = `${origin(req)}${req.path}${clean.size ? `?${clean}` : ''}`;
			// The .NET CAS client validates the ticket against its own URL; compare paths only, since clients may
			// encode the query differently from how the service was registered.
			if (!issued || issued.used || servicePath(issued.service) !== req.path) {
				return redirect(loginUrl(req, cleanUrl));
			}
			issued.used = true;
			const authId = crypto.randomBytes(32).toString('hex').toUpperCase();
			const aspSession = crypto.randomBytes(12).toString('base64url').toLowerCase();
			state.sessions[authId] = { user: issued.user, aspSession, createdAt: Date.now() };
			return redirect(cleanUrl, {
				'set-cookie': [
					`ASP.NET_SessionId=${aspSession}; path=/; HttpOnly; SameSite=Lax`,
					`${SESSION_COOKIE}=${authId}; path=/; HttpOnly`,
				],
			});
		}
		if (!liveSession(state, req)) {
			if ((state.expiredSession ?? defaultExpiredSession) === 'loginPage') return loginPage(state, req);
			return redirect(loginUrl(req, `${origin(req)}${req.path}${req.searchParams.size ? `?${req.searchParams}` : ''}`));
		}
		if (route === '/Home/Get') {
			if (state.htmlInsteadOfJson) return loginPage(state, req);
			const answer = homeGet(state, req);
			if (answer.status === 200 && state.expireAfterAnswers !== undefined) {
				state.expireAfterAnswers -= 1;
				if (state.expireAfterAnswers <= 0) {
					state.expireAfterAnswers = undefined;
					state.sessions = {};
					state.grantingTickets = {};
				}
			}
			return answer;
		}
		return html(200, '<html><head><title>Emploi du temps</title></head><body><div id="scheduler"></div></body></html>');
	}

	function handle(req, ctx) {
		const isCas = req.path === casPrefix || req.path.startsWith(`${casPrefix}/`);
		if (isCas && !casOnSeparatePort) return handleCas(req, ctx.state);
		if (isCas) return html(404, '<html><body>Not found</body></html>');
		if (timetablePrefix === '' || req.path === timetablePrefix || req.path.startsWith(`${timetablePrefix}/`)) {
			return handleTimetable(req, ctx.state);
		}
		return html(404, '<html><body>Not found</body></html>');
	}

	function makeEvent(state, input = {}) {
		const { date, endDate, startTime, endTime, allDay, ...rest } = input;
		const noCours = rest.NoCours ?? state.nextNoCours;
		state.nextNoCours = Math.max(state.nextNoCours, noCours + 1);
		const start = rest.Start ?? wigorDateTime(date ?? '2025-09-15', allDay ? '00:00' : (startTime ?? '08:30'));
		const end = rest.End ?? wigorDateTime(endDate ?? date ?? '2025-09-15', allDay ? '00:00' : (endTime ?? '12:00'));
		const subject = rest.Commentaire ?? SUBJECTS[noCours % SUBJECTS.length];
		const startUtc = DateTime.fromISO(start, { setZone: true }).toUTC();
		return {
			NoCours: noCours,
			NoGroupe: 4242,
			Title: `G1 ${subject ?? 'COMMENTAIRE'}`,
			Commentaire: subject,
			Matiere: 'COMMENTAIRE',
			Salles: ROOMS[noCours % ROOMS.length],
			NomProf: TEACHERS[noCours % TEACHERS.length],
			Start: start,
			End: end,
			StartTimezone: null,
			EndTimezone: null,
			IsAllDay: Boolean(allDay),
			Duree: Math.round((Date.parse(end) - Date.parse(start)) / 60000),
			LibelleGroupe: 'IPI - Bachelor Concepteur Développeur 2025-2026 G1',
			LibelleSemaine: `Semaine ${startUtc.weekNumber}`,
			NomEcole: 'IPI',
			LogoEcole: '/Content/logos/ipi.png',
			TeamsUrl:
				noCours % 3 === 2
					? `<a href="https://teams.microsoft.com/l/meetup-join/19%3ameeting_${noCours}%40thread.v2/0" target="_blank"><img src="/Content/img/MTeams_PRINCIPAL.png"></a>`
					: null,
			LienTrack: null,
			ColorRed: 51,
			ColorGreen: 122,
			ColorBlue: 183,
			Origine: 'WIGOR',
			Description: null,
			FondCour: null,
			CoursMixtePicto: null,
			CoursMixteInfoBulle: null,
			RecurrenceRule: null,
			RecurrenceID: null,
			RecurrenceException: null,
			...rest,
		};
	}

	function seedRange(state, { from, to, perDay = 2, weekdaysOnly = true, startNoCours } = {}) {
		if (startNoCours !== undefined) state.nextNoCours = startNoCours;
		const added = [];
		for (let day = DateTime.fromISO(from, { zone: 'utc' }); day <= DateTime.fromISO(to, { zone: 'utc' }); day = day.plus({ days: 1 })) {
			if (weekdaysOnly && day.weekday > 5) continue;
			for (let slot = 0; slot < Math.min(perDay, SLOTS.length); slot += 1) {
				const event = makeEvent(state, { date: day.toISODate(), startTime: SLOTS[slot][0], endTime: SLOTS[slot][1] });
				state.events.push(event);
				added.push(event);
			}
		}
		return added;
	}

	function seed(state, data = {}) {
		for (const event of data.events ?? []) state.events.push(makeEvent(state, event));
		for (const range of [].concat(data.range ?? [])) seedRange(state, range);
		if (data.demo) fake.seedDemo(typeof data.demo === 'object' ? data.demo : {});
		// School behaviour, settable from another process through POST /__fake/seed.
		for (const key of ['expiredSession', 'maxRangeDays', 'locked', 'rejectSessions']) if (key in data) state[key] = data[key];
		if (data.expireSessionsAfter !== undefined) state.expireAfterAnswers = data.expireSessionsAfter;
	}

	const fake = createFakeServer({ name: 'moncampus', initialState, handle, seed });
	// The CAS server keeps no state of its own: logins, tickets and sessions live in the timetable fake's state.
	const casServer = createFakeServer({
		name: 'moncampus-cas',
		initialState: () => ({}),
		handle: (req) => {
			if (req.path === casPrefix || req.path.startsWith(`${casPrefix}/`)) return handleCas(req, fake.state);
			return html(404, '<html><body>Not found</body></html>');
		},
	});
	const timetable = { start: fake.start, stop: fake.stop, reset: fake.reset, clearLog: fake.clearLog, requests: fake.requests };

	return Object.defineProperties(
		fake,
		Object.getOwnPropertyDescriptors({
			username,
			/** The CAS server (its own log and faults) when it runs on a separate port. */
			cas: casServer,
			/** `start(port)` for the timetable; the CAS takes `options.casPort` (0 = any free port). */
			async start(port = 0, host = '127.0.0.1') {
				await timetable.start(port, host);
				if (casOnSeparatePort) await casServer.start(options.casPort ?? 0, host);
				return fake;
			},
			async stop() {
				if (casOnSeparatePort) await casServer.stop();
				await timetable.stop();
			},
			reset() {
				timetable.reset();
				casServer.reset();
			},
			clearLog() {
				timetable.clearLog();
				casServer.clearLog();
			},
			/** Both servers' requests in arrival order; CAS entries carry `server: 'cas'`. */
			requests(filter = () => true) {
				const all = [
					...casServer.requests().map((entry) => ({ ...entry, server: 'cas' })),
					...timetable.requests().map((entry) => ({ ...entry, server: 'timetable' })),
				].sort((a, b) => a.at - b.at);
				return all.filter(filter);
			},
			get casBaseUrl() {
				return casOnSeparatePort ? casServer.baseUrl : fake.baseUrl;
			},
			get casLoginUrl() {
				return `${fake.casBaseUrl}${casPrefix}/login`;
			},
			get timetableBaseUrl() {
				return `${fake.baseUrl}${timetablePrefix}`;
			},
			/** Home/Get URL as Wigor's own page and the clients build it (empty Kendo params first). */
			homeGetUrl(dateDebut, dateFin) {
				const query = new URLSearchParams({ sort: '', group: '', filter: '', dateDebut, dateFin });
				return `${fake.baseUrl}${timetablePrefix}/Home/Get?${query}`;
			},
			/** Every Wigor session and CAS granting ticket dies: the next timetable call answers 302 to cas/login. */
			expireSessions() {
				fake.state.sessions = {};
				fake.state.grantingTickets = {};
				return fake;
			},
			/** What the timetable answers without a live session: 'redirect' (302 to cas/login) or 'loginPage' (200 HTML). */
			setExpiredSessionAnswer(mode) {
				fake.state.expiredSession = mode;
				return fake;
			},
			/** Sessions die right after the next `answers` successful Home/Get answers (a session ending mid-run). */
			expireSessionsAfter(answers) {
				fake.state.expireAfterAnswers = answers;
				return fake;
			},
			/** The school caps one Home/Get to `days` days from dateDebut (undefined = no cap). */
			setMaxRangeDays(days) {
				fake.state.maxRangeDays = days;
				return fake;
			},
			/** The timetable refuses every session, even one fresh from CAS (a school whose CAS and Wigor disagree). */
			setRejectSessions(on = true) {
				fake.state.rejectSessions = on;
				return fake;
			},
			/** CAS locks the account (as after too many wrong passwords). */
			lockAccount(on = true) {
				fake.state.locked = on;
				return fake;
			},
			/** CAS login POSTs so far (both outcomes). */
			loginAttempts() {
				return fake.requests((entry) => entry.method === 'POST' && entry.path === `${casPrefix}/login`).length;
			},
			/** Home/Get answers 200 with the CAS HTML page instead of JSON, even with a live session. */
			setHtmlInsteadOfJson(on = true) {
				fake.state.htmlInsteadOfJson = on;
				return fake;
			},
			/** 'iso' (default) or 'aspnet' (`/Date(ms)/`, which some Wigor deployments return). */
			setDateFormat(format) {
				fake.state.dateFormat = format;
				return fake;
			},
			makeEvent(input) {
				return makeEvent(fake.state, input);
			},
			addEvents(list) {
				const events = list.map((input) => makeEvent(fake.state, input));
				fake.state.events.push(...events);
				return events;
			},
			seedRange(range) {
				return seedRange(fake.state, range);
			},
			/** For `npm start`: courses on weekdays from 2 weeks before to 6 weeks after `today` (UTC dates). */
			seedDemo({ today = new Date().toISOString().slice(0, 10), perDay = 2 } = {}) {
				const day = DateTime.fromISO(today, { zone: 'utc' });
				return seedRange(fake.state, {
					from: day.minus({ weeks: 2 }).toISODate(),
					to: day.plus({ weeks: 6 }).toISODate(),
					perDay,
				});
			},
			events() {
				return fake.state.events;
			},
			sessions() {
				return fake.state.sessions;
			},
		}),
	);
}

module.exports = { createMonCampusFake, wigorDateTime };
