'use strict';
/**
 * "Les communs de la transition écologique des collectivités" API fake (checked against
 * betagouv/communs-de-la-transition-ecologique-des-collectivites fc8bd411: setup-app.ts,
 * api-key-guard.ts, projets.controller.ts, create-projet.dto.ts, create/update-projets.service.ts,
 * services.controller.ts, throttler.config.ts, global-exception-filter.ts).
 *
 * Faithful points:
 * - Routes at the root. `POST /projets` upserts on the calling service's id column (`recocoId` for a Recoco key) =
 *   `externalId` and answers 201 `{id}` with the same UUID every time; the porteur is always rewritten (nulls when
 *   absent); optional fields left out keep their stored value. `PATCH /projets/{uuid}` is partial.
 * - ValidationPipe({whitelist, forbidNonWhitelisted, transform}): 400 `{statusCode, message: [...], error}` with
 *   class-validator's messages; a Commune code that the geo lookup cannot find → 400 with a string message.
 * - `GET /services/project/{id}` is public; services appear only once the projet is "qualified" (asynchronous
 *   upstream: `servicesDelayMs` here).
 * - Express json limit 100 kB. Upstream's own comment (setup-app.ts) says the PayloadTooLargeError reaches the global
 *   exception filter and comes out as **500**; `bodyTooLargeStatus: 413` gives a plain 413 instead.
 * - @nestjs/throttler: per route handler and per IP, 500/min on ProjetsController, 50/min elsewhere; 429
 *   `{statusCode: 429, message: "ThrottlerException: Too Many Requests"}` with Retry-After.
 * Inferred, not read in upstream: the IP is X-Forwarded-For or 127.0.0.1 (the core does not expose the socket); the window is fixed
 * from its first hit; competences/leviers are not checked against upstream's enum lists; a non-UUID id on
 * /services/project without idType reaches Postgres' uuid cast → 500.
 */
const crypto = require('node:crypto');
const { createFakeServer, json } = require('./core.cjs');

const PHASES = ['Idée', 'Étude', 'Opération'];
const PHASE_STATUTS = ['En cours', 'En retard', 'En pause', 'Bloqué', 'Abandonné', 'Terminé'];
const COLLECTIVITE_TYPES = ['Commune', 'EPCI'];
const PORTEUR_FIELDS = ['codeSiret', 'referentEmail', 'referentTelephone', 'referentPrenom', 'referentNom', 'referentFonction'];
const PROJET_FIELDS = [
	'nom',
	'description',
	'porteur',
	'budgetPrevisionnel',
	'dateDebutPrevisionnelle',
	'phase',
	'phaseStatut',
	'programme',
	'collectivites',
	'competences',
	'leviers',
	'classificationThematiques',
	'classificationSites',
	'classificationInterventions',
	'probabiliteTE',
	'classificationScores',
	'externalId',
];
const SERVICE_ID_FIELD = {
	Recoco: 'recocoId',
	MEC: 'mecId',
	TeT: 'tetId',
	UrbanVitaliz: 'urbanVitalizId',
	SosPonts: 'sosPontsId',
	FondVert: 'fondVertId',
	DashboardTE: 'dashboardTeId',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const INSEE = /^(\d{5}|2[AB]\d{3})$/;
const SIREN = /^\d{9}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

const DEMO_SERVICES = [
	{
		id: '0191f3a2-7c1e-7a3b-9c4d-5e6f7a8b9c01',
		name: 'Facili-TACCT',
		description: "Adapter son territoire au changement climatique",
		sousTitre: 'Diagnostic de vulnérabilité',
		redirectionUrl: 'https://facili-tacct.beta.gouv.fr',
		logoUrl: 'https://example.org/logos/facili-tacct.svg',
		extraFields: [],
		isListed: true,
		redirectionLabel: null,
		iframeUrl: null,
		extendLabel: null,
	},
	{
		id: '0191f3a2-7c1e-7a3b-9c4d-5e6f7a8b9c02',
		name: 'Mon Espace Collectivité',
		description: 'Trouver les aides et l’ingénierie pour son projet',
		sousTitre: 'Aides et accompagnement',
		redirectionUrl: 'https://monespacecollectivite.anct.gouv.fr',
		logoUrl: 'https://example.org/logos/mec.svg',
		extraFields: [{ name: 'surface', label: 'Surface (m²)' }],
		isListed: true,
		redirectionLabel: 'Découvrir',
		iframeUrl: null,
		extendLabel: null,
	},
];

function uuidv7() {
	const bytes = crypto.randomBytes(16);
	const now = BigInt(Date.now());
	for (let i = 0; i < 6; i += 1) bytes[i] = Number((now >> BigInt(8 * (5 - i))) & 0xffn);
	bytes[6] = (bytes[6] & 0x0f) | 0x70;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The same collectivité always gets the same id, as it is one row in upstream's table. */
function stableUuid(text) {
	const hex = crypto.createHash('sha256').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function nestError(status, message, error) {
	return json(status, error ? { statusCode: status, message, error } : { statusCode: status, message });
}

const badRequest = (message) => nestError(400, message, 'Bad Request');
const notFound = (message) => nestError(404, message, 'Not Found');

function isPlainObject(value) {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isValidIsoDate(value) {
	if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
	const [year, month, day] = value.slice(0, 10).split('-').map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** class-validator over CreateProjetRequest (or its PartialType for PATCH): the list of messages. */
function validateProjet(body, partial) {
	const messages = [];
	const absent = (value) => value === undefined || value === null;
	for (const key of Object.keys(body)) if (!PROJET_FIELDS.includes(key)) messages.push(`property ${key} should not exist`);

	const requiredString = (field) => {
		const value = body[field];
		if (partial && absent(value)) return;
		if (absent(value) || value === '') messages.push(`${field} should not be empty`);
		if (typeof value !== 'string') messages.push(`${field} must be a string`);
	};
	const optional = (field, check, message) => {
		if (!absent(body[field]) && !check(body[field])) messages.push(message);
	};
	const stringArray = (field) => {
		const value = body[field];
		if (absent(value)) return;
		if (!Array.isArray(value)) messages.push(`${field} must be an array`);
		else if (!value.every((item) => typeof item === 'string')) messages.push(`each value in ${field} must be a string`);
	};

	requiredString('nom');
	optional('description', (v) => typeof v === 'string', 'description must be a string');
	if (!absent(body.porteur)) {
		if (!isPlainObject(body.porteur)) messages.push('nested property porteur must be either object or array');
		else {
			for (const key of Object.keys(body.porteur)) {
				if (!PORTEUR_FIELDS.includes(key)) messages.push(`porteur.property ${key} should not exist`);
			}
			for (const field of PORTEUR_FIELDS) {
				const value = body.porteur[field];
				if (!absent(value) && typeof value !== 'string') messages.push(`porteur.${field} must be a string`);
			}
		}
	}
	optional(
		'budgetPrevisionnel',
		(v) => typeof v === 'number' && Number.isFinite(v),
		'budgetPrevisionnel must be a number conforming to the specified constraints',
	);
	optional('dateDebutPrevisionnelle', isValidIsoDate, 'dateDebutPrevisionnelle must be a valid ISO 8601 date string');
	optional('phase', (v) => PHASES.includes(v), `phase must be one of the following values: ${PHASES.join(', ')}`);
	if (!absent(body.phaseStatut)) {
		if (!PHASE_STATUTS.includes(body.phaseStatut)) {
			messages.push(`phaseStatut must be one of the following values: ${PHASE_STATUTS.join(', ')}`);
		}
		if (absent(body.phase)) messages.push('Cannot specify phaseStatut without a phase');
	}
	optional('programme', (v) => typeof v === 'string', 'programme must be a string');

	const collectivites = body.collectivites;
	if (!(partial && absent(collectivites))) {
		if (!Array.isArray(collectivites)) {
			messages.push('collectivites must be an array');
			messages.push('nested property collectivites must be either object or array');
			messages.push('At least one commune insee code must be provided');
		} else {
			if (!collectivites.length) messages.push('At least one commune insee code must be provided');
			collectivites.forEach((item, i) => {
				if (!isPlainObject(item)) {
					messages.push(`nested property collectivites.${i} must be either object or array`);
					return;
				}
				for (const key of Object.keys(item)) {
					if (!['type', 'code'].includes(key)) messages.push(`collectivites.${i}.property ${key} should not exist`);
				}
				if (!COLLECTIVITE_TYPES.includes(item.type)) {
					messages.push(`collectivites.${i}.type must be one of the following values: ${COLLECTIVITE_TYPES.join(', ')}`);
				}
				if (typeof item.code !== 'string') messages.push(`collectivites.${i}.code must be a string`);
			});
		}
	}
	stringArray('competences');
	stringArray('leviers');
	stringArray('classificationThematiques');
	stringArray('classificationSites');
	stringArray('classificationInterventions');
	optional('probabiliteTE', (v) => typeof v === 'string', 'probabiliteTE must be a string');
	requiredString('externalId');
	return messages;
}

function initialState() {
	return { projets: [], services: DEMO_SERVICES.map((service) => ({ ...service })), projectServices: {}, hits: {} };
}

function makeService(service) {
	return {
		id: service.id || uuidv7(),
		name: service.name ?? 'Service',
		description: service.description ?? '',
		sousTitre: service.sousTitre ?? '',
		redirectionUrl: service.redirectionUrl ?? '',
		logoUrl: service.logoUrl ?? '',
		extraFields: service.extraFields ?? [],
		isListed: service.isListed ?? true,
		redirectionLabel: service.redirectionLabel ?? null,
		iframeUrl: service.iframeUrl ?? null,
		extendLabel: service.extendLabel ?? null,
	};
}

function createLesCommunsFake(options = {}) {
	const apiKeys = Array.isArray(options.apiKeys)
		? Object.fromEntries(options.apiKeys.map((key) => [key, 'Recoco']))
		: options.apiKeys || { 'lescommuns-demo-key': 'Recoco' };
	const settings = {
		servicesDelayMs: options.servicesDelayMs ?? 0,
		bodyLimitBytes: options.bodyLimitBytes ?? 100 * 1024,
		bodyTooLargeStatus: options.bodyTooLargeStatus ?? 500,
		unknownInseeCodes: new Set(options.unknownInseeCodes || []),
		communes: options.communes || {},
		limits: { projets: 500, other: 50, windowMs: 60000, ...(options.rateLimits || {}) },
	};

	function freshState() {
		const state = initialState();
		if (options.services) state.services = options.services.map(makeService);
		return state;
	}

	function collectiviteFor(ref) {
		const code = ref.code;
		if (ref.type === 'Commune') {
			const department = /^97/.test(code) ? code.slice(0, 3) : code.slice(0, 2);
			return {
				id: stableUuid(`Commune:${code}`),
				nom: settings.communes[code] || `Commune ${code}`,
				type: 'Commune',
				codeInsee: code,
				codeEpci: null,
				codeDepartements: [department],
				codeRegions: [],
				siren: null,
			};
		}
		return {
			id: stableUuid(`EPCI:${code}`),
			nom: `EPCI ${code}`,
			type: 'EPCI',
			codeInsee: null,
			codeEpci: code,
			codeDepartements: [],
			codeRegions: [],
			siren: code,
		};
	}

	/** The geo lookup for collectivités that are not in the database yet. */
	function checkCollectivites(collectivites) {
		for (const ref of collectivites) {
			const known = ref.type === 'Commune' ? INSEE.test(ref.code) && !settings.unknownInseeCodes.has(ref.code) : SIREN.test(ref.code);
			if (!known) return badRequest(`Cannot find a corresponding Commune for this code ${ref.code}`);
		}
		return undefined;
	}

	function projetResponse(projet) {
		const { porteur, collectivites, ...rest } = projet;
		return { ...rest, porteur: { ...porteur }, collectivites: collectivites.map(collectiviteFor) };
	}

	function porteurFrom(porteur) {
		return Object.fromEntries(PORTEUR_FIELDS.map((field) => [field, porteur?.[field] ?? null]));
	}

	function emptyProjet() {
		const now = new Date();
		const projet = {
			id: uuidv7(),
			createdAt: now.toISOString(),
			updatedAt: now.toISOString(),
			nom: '',
			description: null,
			porteur: porteurFrom(null),
			collectivites: [],
			budgetPrevisionnel: null,
			dateDebutPrevisionnelle: null,
			phaseStatut: null,
			phase: null,
			programme: null,
			competences: null,
			leviers: null,
			classificationThematiques: null,
			classificationSites: null,
			classificationInterventions: null,
			probabiliteTE: null,
			classificationScores: null,
		};
		for (const field of Object.values(SERVICE_ID_FIELD)) projet[field] = null;
		Object.defineProperty(projet, 'createdAtMs', { value: now.getTime(), enumerable: false, writable: true });
		return projet;
	}

	function upsertProjet(state, body, serviceType) {
		const idField = SERVICE_ID_FIELD[serviceType] || 'recocoId';
		const { externalId, porteur, collectivites, ...otherFields } = body;
		if (otherFields.phase && !otherFields.phaseStatut) otherFields.phaseStatut = 'En cours';
		let projet = state.projets.find((candidate) => candidate[idField] === externalId);
		if (!projet) {
			projet = emptyProjet();
			projet[idField] = externalId;
			state.projets.push(projet);
		}
		for (const [key, value] of Object.entries(otherFields)) if (value !== undefined) projet[key] = value;
		projet.porteur = porteurFrom(porteur);
		projet.collectivites = (collectivites || []).map(({ type, code }) => ({ type, code }));
		projet.updatedAt = new Date().toISOString();
		return projet;
	}

	function throttle(state, routeKey, req) {
		const limit = routeKey.includes('/projets') ? settings.limits.projets : settings.limits.other;
		const ip = String(req.headers['x-forwarded-for'] || '127.0.0.1').split(',')[0].trim();
		const key = `${routeKey}|${ip}`;
		const now = Date.now();
		let hit = state.hits[key];
		if (!hit || hit.expiresAt <= now) hit = state.hits[key] = { count: 0, expiresAt: now + settings.limits.windowMs };
		hit.count += 1;
		const reset = Math.max(1, Math.ceil((hit.expiresAt - now) / 1000));
		if (hit.count > limit) {
			return {
				reply: json(429, { statusCode: 429, message: 'ThrottlerException: Too Many Requests' }, { 'retry-after': String(reset) }),
			};
		}
		return {
			headers: { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(limit - hit.count), 'x-ratelimit-reset': String(reset) },
		};
	}

	function authenticate(req) {
		const header = req.headers.authorization;
		if (!header || !String(header).startsWith('Bearer ')) {
			return { reply: nestError(401, 'Invalid authorization header format', 'Unauthorized') };
		}
		const serviceType = apiKeys[String(header).split(' ')[1]];
		if (!serviceType) return { reply: nestError(401, 'Invalid API key', 'Unauthorized') };
		return { serviceType };
	}

	function servicesFor(state, projet) {
		if (state.projectServices[projet.id]) return state.projectServices[projet.id];
		if (Date.now() - projet.createdAtMs < settings.servicesDelayMs) return [];
		return state.services;
	}

	function matchRoute(req) {
		const path = req.path.replace(/\/+$/, '') || '/';
		const parts = path.split('/').slice(1);
		if (parts[0] === 'projets') {
			if (parts.length === 1 && req.method === 'POST') return { key: 'POST /projets', name: 'create' };
			if (parts.length === 1 && req.method === 'GET') return { key: 'GET /projets', name: 'findAll' };
			if (parts.length === 2 && req.method === 'GET') return { key: 'GET /projets/:id', name: 'findOne', id: parts[1] };
			if (parts.length === 2 && req.method === 'PATCH') return { key: 'PATCH /projets/:id', name: 'update', id: parts[1] };
		}
		if (parts[0] === 'services' && parts[1] === 'project' && parts.length === 3 && req.method === 'GET') {
			return { key: 'GET /services/project/:id', name: 'services', id: decodeURIComponent(parts[2]) };
		}
		return undefined;
	}

	function handle(req, ctx) {
		const state = ctx.state;
		const isJson = String(req.headers['content-type'] || '').includes('json');
		if (isJson && req.rawBody.length > settings.bodyLimitBytes) {
			if (settings.bodyTooLargeStatus === 500) {
				return json(500, {
					statusCode: 500,
					errorInstanceId: crypto.randomUUID(),
					timestamp: new Date().toISOString(),
					path: req.path,
					message: 'Internal server error',
				});
			}
			return nestError(settings.bodyTooLargeStatus, 'request entity too large', 'Payload Too Large');
		}
		if (req.body && req.body.__invalidJson !== undefined) {
			return badRequest(`Unexpected token in JSON at position 0`);
		}
		const route = matchRoute(req);
		if (!route) return notFound(`Cannot ${req.method} ${req.path}`);
		const throttled = throttle(state, route.key, req);
		if (throttled.reply) return throttled.reply;
		const reply = dispatch(state, route, req);
		reply.headers = { ...throttled.headers, ...(reply.headers || {}) };
		return reply;
	}

	function dispatch(state, route, req) {
		if (route.name === 'services') {
			const idType = req.query.idType;
			if (idType === 'communId' && !UUID.test(route.id)) return badRequest('ID invalide : doit être un UUID valide');
			if (idType !== 'tetId' && !UUID.test(route.id)) {
				return json(500, {
					statusCode: 500,
					errorInstanceId: crypto.randomUUID(),
					timestamp: new Date().toISOString(),
					path: req.path,
					message: 'Internal server error',
				});
			}
			const projet = state.projets.find((candidate) => (idType === 'tetId' ? candidate.tetId === route.id : candidate.id === route.id));
			if (!projet) return notFound(`Projet with ${idType} ${route.id} not found`);
			return json(200, servicesFor(state, projet));
		}
		const auth = authenticate(req);
		if (auth.reply) return auth.reply;
		if (route.id !== undefined && !UUID.test(route.id)) return badRequest(['id must be a UUID']);
		if (route.name === 'findAll') return json(200, state.projets.map(projetResponse));
		if (route.name === 'findOne') {
			const projet = state.projets.find((candidate) => candidate.id === route.id);
			return projet ? json(200, projetResponse(projet)) : notFound(`Projet with ID ${route.id} not found`);
		}
		const body = isPlainObject(req.body) ? req.body : {};
		const messages = validateProjet(body, route.name === 'update');
		if (messages.length) return badRequest(messages);
		if (body.collectivites) {
			const geo = checkCollectivites(body.collectivites);
			if (geo) return geo;
		}
		if (route.name === 'create') {
			const projet = upsertProjet(state, body, auth.serviceType);
			return json(201, { id: projet.id });
		}
		const projet = state.projets.find((candidate) => candidate.id === route.id);
		if (!projet) return notFound(`Projet with ID ${route.id} not found`);
		// eslint-disable-next-line no-unused-vars
		const { porteur, collectivites, externalId, ...otherFields } = body;
		for (const [key, value] of Object.entries(otherFields)) if (value !== undefined) projet[key] = value;
		if (porteur) for (const field of PORTEUR_FIELDS) if (porteur[field] !== undefined && porteur[field] !== null) projet.porteur[field] = porteur[field];
		if (collectivites && collectivites.length) projet.collectivites = collectivites.map(({ type, code }) => ({ type, code }));
		projet.updatedAt = new Date().toISOString();
		return json(200, { id: projet.id });
	}

	function seed(state, data) {
		if (data.demo) state.services = DEMO_SERVICES.map(makeService);
		for (const service of data.services || []) state.services.push(makeService(service));
		for (const { id, serviceType, qualified, ...projet } of data.projets || []) {
			const stored = upsertProjet(state, projet, serviceType || 'Recoco');
			if (id) stored.id = id;
			if (qualified) stored.createdAtMs = 0;
		}
	}

	const fake = createFakeServer({
		name: 'lescommuns',
		initialState: freshState,
		handle,
		seed,
		rateLimitResponse: () => json(429, { statusCode: 429, message: 'ThrottlerException: Too Many Requests' }, { 'retry-after': '60' }),
	});
	const state = () => fake.ctx.state;

	Object.assign(fake, {
		apiKey: Object.keys(apiKeys)[0],
		projets: () => state().projets.map(projetResponse),
		projetByExternalId(externalId, serviceType = 'Recoco') {
			const projet = state().projets.find((candidate) => candidate[SERVICE_ID_FIELD[serviceType]] === String(externalId));
			return projet && projetResponse(projet);
		},
		seedDemo() {
			state().services = DEMO_SERVICES.map(makeService);
			return fake;
		},
		seedServices(services) {
			state().services = services.map(makeService);
			return fake;
		},
		setProjectServices(projetId, services) {
			state().projectServices[projetId] = services.map(makeService);
			return fake;
		},
		setServicesDelay(ms) {
			settings.servicesDelayMs = ms;
			return fake;
		},
		setRateLimits(limits) {
			Object.assign(settings.limits, limits);
			return fake;
		},
		resetRateLimits() {
			state().hits = {};
			return fake;
		},
	});
	if (options.seed) fake.seed(options.seed);
	return fake;
}

module.exports = { createLesCommunsFake, validateProjet, DEMO_SERVICES };
