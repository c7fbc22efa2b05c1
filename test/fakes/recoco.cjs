'use strict';
/**
 * Recoco (Recommandations Collaboratives) portal API fake (checked against
 * betagouv/recommandations-collaboratives 1fb833bb: settings REST_FRAMEWORK/SIMPLE_JWT, survey/views/rest.py,
 * resources/rest.py + serializers.py, tasks/views/rest.py, rest_api/pagination.py).
 *
 * Faithful points:
 * - DRF authentication order Session, Basic, JWT: with SessionAuthentication first there is no WWW-Authenticate
 *   header, so DRF turns every authentication failure into **403** — expired or garbage JWT
 *   `{detail: "Given token not valid for any token type", code: "token_not_valid", messages}`, bad Basic
 *   `{detail: "Invalid username/password."}`, none `{detail: "Authentication credentials were not provided."}`.
 *   The token endpoints (SimpleJWT views) do answer 401.
 * - JWTs are real HS256 tokens; access lifetime 5 min by default (`accessTokenLifetimeSec`).
 * - LimitOffset paging `{count, next, previous, results}`; links are absolute, built from the request's Host, with the
 *   query re-encoded in sorted key order as DRF's replace_query_param does. Projects and resource add-ons: default 50,
 *   max 1000. Survey sessions/answers/questions: PAGE_SIZE 50, no max. Tasks are not paginated (plain array).
 * - Django URLs end with a slash; a request without it gets 301 to the slashed URL (APPEND_SLASH).
 * Inferred, not read in upstream: project visibility without `list_projects` (switchtender or owner e-mail), datetime strings in UTC,
 * the task object's extra fields.
 */
const crypto = require('node:crypto');
const { createFakeServer, json } = require('./core.cjs');
const { DEFAULT_WEBHOOK_UUID } = require('./recocoWebhook.cjs');

const NOT_FOUND = { detail: 'Not found.' };
const NO_CREDENTIALS = { detail: 'Authentication credentials were not provided.' };
const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
const JWT_SECRET = 'recoco-fake-django-secret-key';

const DEFAULT_USERS = [
	{
		id: 1,
		username: 'admin@recoco.test',
		password: 'recoco-admin-pw',
		first_name: 'Ada',
		last_name: 'Admin',
		isStaff: true,
		permissions: ['list_projects', 'manage_resources'],
	},
	{
		id: 2,
		username: 'advisor@recoco.test',
		password: 'recoco-advisor-pw',
		first_name: 'Alain',
		last_name: 'Conseiller',
		isStaff: false,
		permissions: [],
	},
];

const COMMUNES = [
	{ name: 'Lyon', insee: '69123', postal: '69001', department: { name: 'Rhône', code: '69', region: { name: 'Auvergne-Rhône-Alpes', code: '84' } }, latitude: 45.764, longitude: 4.8357 },
	{ name: 'Rennes', insee: '35238', postal: '35000', department: { name: 'Ille-et-Vilaine', code: '35', region: { name: 'Bretagne', code: '53' } }, latitude: 48.1173, longitude: -1.6778 },
	{ name: 'Ajaccio', insee: '2A004', postal: '20000', department: { name: 'Corse-du-Sud', code: '2A', region: { name: 'Corse', code: '94' } }, latitude: 41.9192, longitude: 8.7386 },
	{ name: 'Saint-Étienne', insee: '42218', postal: '42000', department: { name: 'Loire', code: '42', region: { name: 'Auvergne-Rhône-Alpes', code: '84' } }, latitude: 45.4397, longitude: 4.3872 },
	{ name: 'Besançon', insee: '25056', postal: '25000', department: { name: 'Doubs', code: '25', region: { name: 'Bourgogne-Franche-Comté', code: '27' } }, latitude: 47.2378, longitude: 6.0241 },
];
const STATUSES = ['DRAFT', 'TO_PROCESS', 'READY', 'IN_PROGRESS', 'DONE', 'STUCK', 'REJECTED'];

function djangoDate(date) {
	return new Date(date).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A project with every field of Recoco's ProjectSerializer; `partial` overrides. */
function makeProject(partial = {}) {
	const id = partial.id;
	const created = partial.created_on || djangoDate(Date.UTC(2025, 0, 1) + (id || 0) * 3600 * 1000);
	const status = partial.status || 'READY';
	return {
		id,
		name: `Projet ${id}`,
		description: `Description du projet ${id}`,
		inactive_since: null,
		status,
		created_on: created,
		updated_on: created,
		org_name: 'Mairie',
		switchtenders: [],
		commune: COMMUNES[0],
		location: '',
		latitude: null,
		longitude: null,
		recommendation_count: 0,
		public_message_count: 0,
		private_message_count: 0,
		project_sites: [{ id, site: 1, is_origin: true, status }],
		tags: [],
		is_diagnostic_done: false,
		advisors_note: null,
		exclude_stats: false,
		muted: false,
		deleted: null,
		topics: [],
		orga_owner: null,
		owner: null,
		...partial,
	};
}

function makeUser(user, index) {
	return {
		id: user.id ?? 100 + index,
		username: user.username || user.email,
		email: user.email || user.username,
		password: user.password,
		first_name: user.first_name || '',
		last_name: user.last_name || '',
		isStaff: Boolean(user.isStaff),
		permissions: user.permissions || [],
	};
}

function base64url(value) {
	return Buffer.from(value).toString('base64url');
}

function initialState() {
	return {
		users: [],
		projects: [],
		sessions: [],
		answers: [],
		questions: [],
		tasks: [],
		resourceAddons: [],
		nextAddonId: 1,
	};
}

function byId(list, id) {
	return list.find((item) => String(item.id) === String(id));
}

function upsertById(list, item) {
	const at = list.findIndex((existing) => String(existing.id) === String(item.id));
	if (at >= 0) list[at] = item;
	else list.push(item);
}

function positiveInt(text, { strict = false, cutoff } = {}) {
	if (text === undefined || !/^\d+$/.test(String(text))) return undefined;
	const value = Number(text);
	if (strict && value === 0) return undefined;
	return cutoff ? Math.min(value, cutoff) : value;
}

/** DRF replace_query_param: parse, set, then urlencode(sorted(items)). */
function linkWith(req, changes) {
	const params = new Map();
	for (const [key, value] of req.searchParams) {
		if (!params.has(key)) params.set(key, []);
		params.get(key).push(value);
	}
	for (const [key, value] of Object.entries(changes)) {
		if (value === undefined) params.delete(key);
		else params.set(key, [String(value)]);
	}
	const query = [...params.keys()]
		.sort()
		.flatMap((key) => params.get(key).map((value) => `${encodeURIComponent(key)}=${encodeURIComponent(value).replace(/%20/g, '+')}`))
		.join('&');
	return `http://${req.headers.host}${req.path}${query ? `?${query}` : ''}`;
}

function paginate(req, items, { defaultLimit = 50, maxLimit } = {}) {
	const limit = positiveInt(req.query.limit, { strict: true, cutoff: maxLimit }) ?? defaultLimit;
	const offset = positiveInt(req.query.offset) ?? 0;
	const count = items.length;
	const next = offset + limit >= count ? null : linkWith(req, { limit, offset: offset + limit });
	let previous = null;
	if (offset > 0) previous = offset - limit <= 0 ? linkWith(req, { limit, offset: undefined }) : linkWith(req, { limit, offset: offset - limit });
	return json(200, { count, next, previous, results: items.slice(offset, offset + limit) });
}

function createRecocoFake(options = {}) {
	const accessLifetime = (options.accessTokenLifetimeSec ?? 300) * 1000;
	const refreshLifetime = (options.refreshTokenLifetimeSec ?? 86400) * 1000;
	const configuredUsers = (options.users || DEFAULT_USERS).map(makeUser);
	// A token carries the generation it was minted in; expireTokens() starts a new one, refusing all earlier tokens.
	const generation = { access: 0, refresh: 0 };

	function freshState() {
		const state = initialState();
		state.users = configuredUsers.map((user) => ({ ...user }));
		return state;
	}

	function signToken(user, type) {
		const now = Date.now();
		const lifetime = type === 'access' ? accessLifetime : refreshLifetime;
		const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
		const payload = base64url(
			JSON.stringify({
				token_type: type,
				exp: Math.floor((now + lifetime) / 1000),
				iat: Math.floor(now / 1000),
				fake_generation: generation[type],
				jti: crypto.randomBytes(16).toString('hex'),
				user_id: user.id,
				email: user.email,
				first_name: user.first_name,
				last_name: user.last_name,
			}),
		);
		const signature = crypto.createHmac('sha256', JWT_SECRET).update(`${header}.${payload}`).digest('base64url');
		return `${header}.${payload}.${signature}`;
	}

	function readToken(token, type) {
		const parts = String(token || '').split('.');
		if (parts.length !== 3) return undefined;
		const expected = crypto.createHmac('sha256', JWT_SECRET).update(`${parts[0]}.${parts[1]}`).digest('base64url');
		if (expected !== parts[2]) return undefined;
		let payload;
		try {
			payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		} catch {
			return undefined;
		}
		if (payload.token_type !== type) return undefined;
		if (payload.exp * 1000 <= Date.now()) return undefined;
		if (payload.fake_generation !== generation[type]) return undefined;
		return payload;
	}

	function issueTokens(user) {
		return { refresh: signToken(user, 'refresh'), access: signToken(user, 'access') };
	}

	function findUser(state, username, password) {
		return state.users.find((user) => (user.username === username || user.email === username) && user.password === password);
	}

	/** DRF authenticate(): returns the user, null when no scheme applied, or a 403 reply. */
	function authenticate(state, req) {
		const header = String(req.headers.authorization || '');
		const [scheme, credentials] = header.split(' ');
		if (scheme && scheme.toLowerCase() === 'basic') {
			let decoded = '';
			try {
				decoded = Buffer.from(credentials || '', 'base64').toString('utf8');
			} catch {
				decoded = '';
			}
			const colon = decoded.indexOf(':');
			if (!credentials || colon < 0) return { reply: json(403, { detail: 'Invalid basic header. Credentials string should not contain spaces.' }) };
			const user = findUser(state, decoded.slice(0, colon), decoded.slice(colon + 1));
			return user ? { user } : { reply: json(403, { detail: 'Invalid username/password.' }) };
		}
		if (scheme === 'Bearer') {
			const payload = readToken(credentials, 'access');
			const user = payload && state.users.find((candidate) => candidate.id === payload.user_id);
			if (!user) {
				return {
					reply: json(403, {
						detail: 'Given token not valid for any token type',
						code: 'token_not_valid',
						messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
					}),
				};
			}
			return { user };
		}
		return { user: null };
	}

	function canSee(user, project) {
		if (project.deleted) return false;
		if (user.permissions.includes('list_projects')) return true;
		const emails = [user.email, user.username];
		return (
			(project.switchtenders || []).some((member) => emails.includes(member.email) || emails.includes(member.username)) ||
			(project.owner && (emails.includes(project.owner.email) || emails.includes(project.owner.username)))
		);
	}

	function projectForApi(project, user) {
		const isSwitchtender = (project.switchtenders || []).some((member) => member.email === user.email);
		return { ...project, is_switchtender: isSwitchtender, is_observer: false, notifications: { count: 0, has_collaborator_activity: false, unread_public_messages: 0 } };
	}

	function questionFor(state, question) {
		return typeof question === 'object' && question !== null ? question : byId(state.questions, question) || null;
	}

	function answerForApi(state, answer) {
		const question = questionFor(state, answer.question);
		const session = byId(state.sessions, answer.session);
		const choices = (answer.choices || []).map((choice) =>
			typeof choice === 'object' ? choice : (question?.choices || []).find((candidate) => candidate.id === choice) || { id: choice },
		);
		return {
			id: answer.id,
			created_on: answer.created_on || djangoDate(Date.UTC(2025, 0, 2)),
			updated_on: answer.updated_on || answer.created_on || djangoDate(Date.UTC(2025, 0, 2)),
			question,
			session: answer.session,
			project: answer.project ?? session?.project ?? null,
			choices,
			values: answer.values ?? [],
			comment: answer.comment ?? '',
			signals: answer.signals ?? '',
			updated_by: answer.updated_by ?? null,
			attachment: answer.attachment ?? null,
		};
	}

	function taskForApi(task) {
		return {
			id: task.id,
			project: task.project,
			status: task.status ?? 0,
			resource: task.resource ?? null,
			intent: task.intent ?? '',
			content: task.content ?? '',
			public: task.public ?? true,
			created_on: task.created_on || djangoDate(Date.UTC(2025, 0, 3)),
			updated_on: task.updated_on || task.created_on || djangoDate(Date.UTC(2025, 0, 3)),
			...task,
		};
	}

	function addonForApi(addon) {
		return { id: addon.id, nature: addon.nature, recommendation: addon.recommendation, data: addon.data, enabled: addon.enabled };
	}

	function validateAddon(state, body, existing, partial) {
		const errors = {};
		// DRF: PUT needs every required field, PATCH only the ones it sends; absent optional fields keep their value.
		const addon = existing ? { ...existing } : { data: {}, enabled: false };
		for (const field of ['nature', 'recommendation']) {
			if (!(field in body)) {
				if (!partial) errors[field] = ['This field is required.'];
				continue;
			}
			if (body[field] === null) errors[field] = ['This field may not be null.'];
		}
		if ('nature' in body && !errors.nature) {
			if (typeof body.nature !== 'string') errors.nature = ['Not a valid string.'];
			else if (body.nature.length > 32) errors.nature = ['Ensure this field has no more than 32 characters.'];
			else if (body.nature === '') errors.nature = ['This field may not be blank.'];
			else addon.nature = body.nature;
		}
		if ('recommendation' in body && !errors.recommendation) {
			const pk = body.recommendation;
			if (typeof pk === 'boolean' || !/^\d+$/.test(String(pk))) {
				errors.recommendation = [`Incorrect type. Expected pk value, received ${typeof pk === 'string' ? 'str' : typeof pk}.`];
			} else if (!byId(state.tasks, pk)) {
				errors.recommendation = [`Invalid pk "${pk}" - object does not exist.`];
			} else addon.recommendation = Number(pk);
		}
		if ('enabled' in body) {
			if (typeof body.enabled !== 'boolean') errors.enabled = ['Must be a valid boolean.'];
			else addon.enabled = body.enabled;
		}
		if ('data' in body) addon.data = body.data;
		if (Object.keys(errors).length) return { reply: json(400, errors) };
		const task = byId(state.tasks, addon.recommendation);
		if (!task || !task.resource) return { reply: json(400, ['Recommendation must be linked to a resource.']) };
		return { addon };
	}

	function tokenRoute(state, req) {
		const body = req.body && typeof req.body === 'object' ? req.body : {};
		if (req.path === '/api/token/') {
			const errors = {};
			for (const field of ['username', 'password']) {
				if (body[field] === undefined || body[field] === null) errors[field] = ['This field is required.'];
				else if (body[field] === '') errors[field] = ['This field may not be blank.'];
			}
			if (Object.keys(errors).length) return json(400, errors);
			const user = findUser(state, String(body.username), String(body.password));
			if (!user) return json(401, { detail: 'No active account found with the given credentials' }, { 'www-authenticate': 'Bearer realm="api"' });
			return json(200, issueTokens(user));
		}
		if (body.refresh === undefined || body.refresh === null) return json(400, { refresh: ['This field is required.'] });
		const payload = readToken(body.refresh, 'refresh');
		const user = payload && state.users.find((candidate) => candidate.id === payload.user_id);
		if (!user) return json(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }, { 'www-authenticate': 'Bearer realm="api"' });
		return json(200, { access: signToken(user, 'access') });
	}

	function handle(req, ctx) {
		const state = ctx.state;
		if (!req.path.endsWith('/')) {
			const query = req.searchParams.toString();
			return json(301, undefined, { location: `${req.path}/${query ? `?${query}` : ''}` });
		}
		if (req.body && req.body.__invalidJson !== undefined) {
			return json(400, { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
		}
		if (req.path === '/api/token/' || req.path === '/api/token/refresh/') {
			return req.method === 'POST' ? tokenRoute(state, req) : json(405, { detail: `Method "${req.method}" not allowed.` });
		}
		if (!req.path.startsWith('/api/')) return json(404, NOT_FOUND);
		const auth = authenticate(state, req);
		if (auth.reply) return auth.reply;
		const user = auth.user;
		if (!user) return json(403, NO_CREDENTIALS);
		const parts = req.path.slice('/api/'.length, -1).split('/');
		const visible = () => state.projects.filter((project) => canSee(user, project));

		if (parts[0] === 'projects' && parts.length === 1 && req.method === 'GET') {
			let projects = visible();
			const statuses = req.searchParams.getAll('status');
			if (statuses.length) projects = projects.filter((project) => statuses.includes(project.status));
			if (req.query.tags) {
				const tags = req.query.tags.split(',');
				projects = projects.filter((project) => (project.tags || []).some((tag) => tags.includes(tag)));
			}
			if (req.query.search) {
				const needle = req.query.search.toLowerCase();
				projects = projects.filter((project) => `${project.name} ${project.description}`.toLowerCase().includes(needle));
			}
			projects.sort((a, b) => (a.created_on < b.created_on ? 1 : a.created_on > b.created_on ? -1 : b.updated_on < a.updated_on ? -1 : 1));
			return paginate(req, projects.map((project) => projectForApi(project, user)), { defaultLimit: 50, maxLimit: 1000 });
		}
		if (parts[0] === 'projects' && parts.length === 2 && /^\d+$/.test(parts[1]) && req.method === 'GET') {
			const project = byId(state.projects, parts[1]);
			if (!project || project.deleted) return json(404, NOT_FOUND);
			if (!canSee(user, project)) return json(403, NO_PERMISSION);
			return json(200, projectForApi(project, user));
		}
		if (parts[0] === 'projects' && parts.length === 3 && parts[2] === 'tasks' && req.method === 'GET') {
			const project = byId(state.projects, parts[1]);
			if (project && !canSee(user, project)) return json(403, NO_PERMISSION);
			return json(200, state.tasks.filter((task) => String(task.project) === parts[1]).map(taskForApi));
		}
		if (parts[0] === 'survey' && parts[1] === 'sessions' && parts.length === 2 && req.method === 'GET') {
			const ids = new Set(visible().map((project) => project.id));
			let sessions = state.sessions.filter((session) => ids.has(session.project));
			if (req.query.project_id !== undefined && req.query.project_id !== '') {
				if (!ids.has(Number(req.query.project_id))) {
					return json(400, { project_id: ['Select a valid choice. That choice is not one of the available choices.'] });
				}
				sessions = sessions.filter((session) => session.project === Number(req.query.project_id));
			}
			return paginate(req, sessions.map(({ id, survey, project }) => ({ id, survey, project })));
		}
		if (parts[0] === 'survey' && parts[1] === 'sessions' && parts.length === 4 && parts[3] === 'answers' && req.method === 'GET') {
			const ids = new Set(visible().map((project) => project.id));
			const session = byId(state.sessions, parts[2]);
			const answers = session && ids.has(session.project) ? state.answers.filter((answer) => String(answer.session) === String(session.id)) : [];
			return paginate(req, answers.map((answer) => answerForApi(state, answer)));
		}
		if (parts[0] === 'survey' && parts[1] === 'questions' && parts.length === 2 && req.method === 'GET') {
			if (!user.isStaff) return json(403, NO_PERMISSION);
			const questions = [...state.questions].sort((a, b) => a.id - b.id);
			return paginate(req, questions);
		}
		if (parts[0] === 'resource-addons') {
			if (!user.permissions.includes('manage_resources')) return json(403, NO_PERMISSION);
			if (parts.length === 1 && req.method === 'GET') {
				let addons = state.resourceAddons;
				for (const field of ['recommendation', 'nature']) {
					const value = req.query[field];
					if (value === undefined || value === '') continue;
					if (field === 'recommendation' && !byId(state.tasks, value)) {
						return json(400, { recommendation: ['Select a valid choice. That choice is not one of the available choices.'] });
					}
					addons = addons.filter((addon) => String(addon[field]) === value);
				}
				return paginate(req, addons.map(addonForApi), { defaultLimit: 50, maxLimit: 1000 });
			}
			if (parts.length === 1 && req.method === 'POST') {
				const body = req.body && typeof req.body === 'object' ? req.body : {};
				const checked = validateAddon(state, body, undefined, false);
				if (checked.reply) return checked.reply;
				const addon = { ...checked.addon, id: state.nextAddonId++ };
				state.resourceAddons.push(addon);
				return json(201, addonForApi(addon));
			}
			if (parts.length === 2) {
				const existing = byId(state.resourceAddons, parts[1]);
				if (!existing) return json(404, NOT_FOUND);
				if (req.method === 'GET') return json(200, addonForApi(existing));
				if (req.method === 'PUT' || req.method === 'PATCH') {
					const body = req.body && typeof req.body === 'object' ? req.body : {};
					const checked = validateAddon(state, body, existing, req.method === 'PATCH');
					if (checked.reply) return checked.reply;
					Object.assign(existing, checked.addon, { id: existing.id });
					return json(200, addonForApi(existing));
				}
				if (req.method === 'DELETE') {
					state.resourceAddons = state.resourceAddons.filter((addon) => addon !== existing);
					return json(204);
				}
			}
			return json(405, { detail: `Method "${req.method}" not allowed.` });
		}
		return json(404, NOT_FOUND);
	}

	function seed(state, data) {
		if (data.demo) seedDemo(state);
		for (const user of data.users || []) upsertById(state.users, makeUser(user, state.users.length));
		for (const project of data.projects || []) upsertById(state.projects, makeProject(project));
		for (const question of data.questions || []) {
			const { id, text = '', text_short = '', slug = '', is_multiple = false, choices = [], ...extra } = question;
			upsertById(state.questions, { id, text, text_short, slug, is_multiple, choices, ...extra });
		}
		for (const session of data.sessions || []) upsertById(state.sessions, { survey: 1, ...session });
		for (const answer of data.answers || []) upsertById(state.answers, answer);
		for (const task of data.tasks || []) upsertById(state.tasks, task);
		for (const addon of data.resourceAddons || []) {
			upsertById(state.resourceAddons, { data: {}, enabled: false, ...addon });
			state.nextAddonId = Math.max(state.nextAddonId, Number(addon.id) + 1);
		}
	}

	/** For `npm start`: projects with communes (one without), a survey with the three question kinds, and tasks. */
	function seedDemo(state) {
		const projects = [];
		for (let id = 1; id <= 12; id += 1) {
			const status = STATUSES[id % STATUSES.length];
			projects.push({
				id,
				name: `Projet démo ${id}`,
				status,
				commune: id === 12 ? null : COMMUNES[id % COMMUNES.length],
				tags: id % 2 ? ['mobilité'] : ['énergie', 'eau'],
				switchtenders: [{ username: 'advisor@recoco.test', first_name: 'Alain', last_name: 'Conseiller', email: 'advisor@recoco.test' }],
				owner: { id: 10 + id, first_name: 'Élu', last_name: `N°${id}`, username: `maire${id}@commune.test`, email: `maire${id}@commune.test` },
				project_sites: [{ id, site: 1, is_origin: true, status }],
			});
		}
		seed(state, {
			projects,
			questions: [
				{ id: 1, text: 'Décrivez votre besoin', text_short: 'Besoin', slug: 'besoin', is_multiple: false, choices: [] },
				{
					id: 2,
					text: 'Avez-vous un budget ?',
					text_short: 'Budget',
					slug: 'a-un-budget',
					is_multiple: false,
					choices: [
						{ id: 21, value: 'oui', text: 'Oui', conclusion: '' },
						{ id: 22, value: 'non', text: 'Non', conclusion: '' },
					],
				},
				{
					id: 3,
					text: 'Quels thèmes ?',
					text_short: 'Thèmes',
					slug: 'themes',
					is_multiple: true,
					choices: [
						{ id: 31, value: 'mobilite', text: 'Mobilité', conclusion: 'Mobilité douce' },
						{ id: 32, value: 'energie', text: 'Énergie', conclusion: 'Rénovation énergétique' },
					],
				},
			],
			sessions: projects.slice(0, 6).map((project) => ({ id: 100 + project.id, survey: 1, project: project.id })),
			answers: projects.slice(0, 6).flatMap((project) => [
				{ id: 1000 + project.id * 10 + 1, session: 100 + project.id, question: 1, choices: [], comment: `Besoin du projet ${project.id}` },
				{ id: 1000 + project.id * 10 + 2, session: 100 + project.id, question: 2, choices: [project.id % 2 ? 21 : 22], comment: 'Budget voté' },
				{ id: 1000 + project.id * 10 + 3, session: 100 + project.id, question: 3, choices: [31, 32], comment: '' },
			]),
			tasks: [
				{ id: 501, project: 1, status: 1, resource: { id: 71, title: 'Les communs de la transition', subtitle: '', tags: ['les-communs'], status: 2 } },
				{ id: 502, project: 2, status: 0, resource: { id: 72, title: 'Guide de la mobilité', subtitle: '', tags: ['mobilité'], status: 2 } },
				{ id: 503, project: 3, status: 0, resource: null },
			],
		});
	}

	const fake = createFakeServer({ name: 'recoco', initialState: freshState, handle, seed });
	const state = () => fake.ctx.state;

	function webhookObject(objectType, id) {
		const type = objectType.split('/')[0];
		if (type === 'projects.Project' || type === 'taggit.TaggedItem') {
			const project = byId(state().projects, id);
			if (!project) throw new Error(`fake recoco: no project ${id}`);
			// The webhook serializer has no request user, so advisors_note is always null.
			// eslint-disable-next-line no-unused-vars
			const { owner, ...rest } = project;
			return { ...rest, advisors_note: null };
		}
		if (type === 'tasks.Task') {
			const task = byId(state().tasks, id);
			if (!task) throw new Error(`fake recoco: no task ${id}`);
			return { id: task.id, status: task.status ?? 0, resource: task.resource ?? null, project: task.project };
		}
		if (type === 'survey.Answer') {
			const answer = byId(state().answers, id);
			if (!answer) throw new Error(`fake recoco: no answer ${id}`);
			return answerForApi(state(), answer);
		}
		if (type === 'home.UserProfile') {
			const user = byId(state().users, id);
			if (!user) throw new Error(`fake recoco: no user ${id}`);
			const projects = state()
				.projects.filter((project) => project.owner && project.owner.email === user.email)
				.map((project) => project.id);
			return { id: user.id, email: user.email, projects };
		}
		throw new Error(`fake recoco: unknown object type ${objectType}`);
	}

	Object.defineProperty(fake, 'apiBaseUrl', { get: () => `${fake.baseUrl}/api` });
	Object.assign(fake, {
		users: configuredUsers,
		issueTokens(username) {
			const user = state().users.find((candidate) => candidate.username === username || candidate.email === username);
			if (!user) throw new Error(`fake recoco: no user ${username}`);
			return issueTokens(user);
		},
		expireTokens({ refresh = false } = {}) {
			generation.access += 1;
			if (refresh) generation.refresh += 1;
			return fake;
		},
		generateProjects(count, { startId, withCommune = true } = {}) {
			const first = startId ?? state().projects.reduce((max, project) => Math.max(max, project.id), 0) + 1;
			const created = [];
			for (let i = 0; i < count; i += 1) {
				const id = first + i;
				const status = STATUSES[id % STATUSES.length];
				created.push(
					makeProject({
						id,
						name: `Projet généré ${id}`,
						status,
						commune: withCommune ? COMMUNES[id % COMMUNES.length] : null,
						tags: id % 3 === 0 ? ['mobilité', 'énergie'] : [],
						project_sites: [{ id, site: 1, is_origin: true, status }],
					}),
				);
			}
			seed(state(), { projects: created });
			return created;
		},
		projects: () => state().projects,
		seedDemo() {
			seedDemo(state());
			return fake;
		},
		resourceAddons: () => state().resourceAddons,
		webhookObject,
		webhookEvent(topic, id, { webhookUuid } = {}) {
			const objectType = topic.split('/')[0];
			return { topic, object: webhookObject(objectType, id), object_type: objectType, webhook_uuid: webhookUuid || DEFAULT_WEBHOOK_UUID };
		},
	});
	if (options.seed) fake.seed(options.seed);
	return fake;
}

module.exports = { createRecocoFake, makeProject, DEFAULT_USERS, COMMUNES };
