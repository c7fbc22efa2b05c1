'use strict';
/**
 * HubEE "teledossiers/v1" fake, seen from an SI (after the HubEE contract and swagger 1.2.7).
 *
 * - `POST /oauth2/token`: Basic clientId:clientSecret, form `grant_type=client_credentials&scope=SI`, and the
 *   identification headers editorName / applicationName / softwareVersion. Tokens expire (1 h by default).
 * - `/teledossiers/v1/...`: Bearer token; notifications (list as a bare array, DELETE = ack), cases, case and event
 *   attachments (octet-stream + base64 SHA-256 `digest` header), events (STATUS_UPDATE, ATTACH_DEPOSIT, …),
 *   `X-HTTP-Method-Override: PATCH` on POST, folders for OSL/ADMIN tokens only.
 * - Errors are `{errors: [{code, message}]}` with the documented codes: 400 validation (non-UUID id), 401 bad or
 *   expired token, 403 "Unauthorized user" (another démarche or scope), 404 "… is not found".
 *
 * Deliberately stricter than the swagger (our choice): identification headers are REQUIRED (so tests prove we send them), and
 * case status transitions are validated (the contract's "statuts entrants" table; whether the hub rejects an
 * out-of-order status is unknown, so the fake rejects it with 400 to make nodes' guards observable). The table is
 * widened where DINUM's own script needs it: that script posts its minimal status (SENT, SI_RECEIVED or IN_PROGRESS)
 * straight after fetching a HUBEE_NOTIFIED case, then the final one.
 * Token endpoint failures use the OAuth2 shape `{error, error_description}` (WSO2 gateway), inferred.
 */
const crypto = require('node:crypto');
const { Readable } = require('node:stream');
const zlib = require('node:zlib');
const { createFakeServer, json } = require('./core.cjs');

const API = '/teledossiers/v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Files are served in chunks of this size, like a gateway streaming a large body. */
const STREAM_CHUNK_BYTES = 64 * 1024;
const IDENTIFICATION_HEADERS = ['editorName', 'applicationName', 'softwareVersion'];
const ACTION_TYPES = ['STATUS_UPDATE', 'ATTACH_DEPOSIT', 'ATTACH_DL', 'ATTACH_DL_ALL', 'COM_ADD', 'SENDING_MESSAGE'];

/** Statuses an SI may set, and the statuses each may be set from (contract p.18-19, widened as said above). */
const HUBEE_CASE_TRANSITIONS = {
	SENT: ['HUBEE_NOTIFIED'],
	SI_RECEIVED: ['HUBEE_NOTIFIED', 'SENT'],
	IN_PROGRESS: ['HUBEE_NOTIFIED', 'SENT', 'SI_RECEIVED'],
	ADD_AWAITING: ['IN_PROGRESS'],
	DONE: ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING'],
	REFUSED: ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING'],
	// The contract allows SI_INTG_ERROR only once the case reached SI_RECEIVED.
	SI_INTG_ERROR: ['SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE'],
};
/** CLOSED is the OSL's, once the applicant has been told. */
const OSL_CLOSED_FROM = ['SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE', 'REFUSED', 'SI_INTG_ERROR'];
const STATUS_RANK = {
	HUBEE_RECEIVED: 0,
	HUBEE_COMPLETED: 1,
	HUBEE_NOTIFIED: 2,
	SENT: 3,
	SI_RECEIVED: 4,
	IN_PROGRESS: 5,
	ADD_AWAITING: 6,
	DONE: 7,
	REFUSED: 7,
	SI_INTG_ERROR: 7,
	CLOSED: 8,
};

const SI_PARTY = { type: 'SI', companyRegister: '21690123100011', branchCode: '69123' };
const OSL_PARTY = { type: 'OSL', companyRegister: '13000291100019', branchCode: 'DILA' };

function hubeeError(status, message) {
	return json(status, { errors: [{ code: status, message }] });
}

function notFound(kind) {
	return hubeeError(404, `${kind} is not found`);
}

function validation(req, where, problem) {
	return hubeeError(
		400,
		`Bad Request : Validation failed.\n[ERROR][REQUEST][${req.method} ${req.path} @${where}] ${problem}`,
	);
}

function oauthError(status, error, description) {
	return json(status, { error, error_description: description });
}

function omit(object, keys) {
	return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function toBuffer(input) {
	if (Buffer.isBuffer(input.content)) return input.content;
	if (typeof input.contentBase64 === 'string') return Buffer.from(input.contentBase64, 'base64');
	if (typeof input.content === 'string') return Buffer.from(input.content, 'utf8');
	return undefined;
}

function safeDecode(text) {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

function sha256Base64(buffer) {
	return crypto.createHash('sha256').update(buffer).digest('base64');
}

function initialState() {
	const state = {
		processes: {},
		folders: {},
		cases: {},
		events: {},
		attachments: {},
		notifications: [],
		oslNotifications: [],
		tokens: {},
	};
	// File bytes live outside the JSON state (GET /__fake/state stays small with 20 MB files): attachment id → Buffer.
	Object.defineProperty(state, 'blobs', { value: new Map(), enumerable: false });
	return state;
}

/** A Buffer sent as a stream of chunks, so a client sees a large body arrive progressively. */
function chunkedStream(buffer) {
	let offset = 0;
	return new Readable({
		read() {
			if (offset >= buffer.length) {
				this.push(null);
				return;
			}
			const end = Math.min(buffer.length, offset + STREAM_CHUNK_BYTES);
			this.push(buffer.subarray(offset, end));
			offset = end;
		},
	});
}

function createHubeeFake(options = {}) {
	const clients = options.clients ?? [{ clientId: 'demo-hubee-client', clientSecret: 'demo-hubee-secret' }];
	const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
	const requireHeaders = options.requireIdentificationHeaders ?? 'all';
	let clockOffsetMs = 0;

	const now = () => Date.now() + clockOffsetMs;
	const iso = () => new Date(now()).toISOString();

	function clientFor(id) {
		const client = clients.find((candidate) => candidate.clientId === id);
		return client && { scopes: ['SI'], ...client };
	}

	function missingHeaders(req) {
		const problems = [];
		for (const name of IDENTIFICATION_HEADERS) {
			const value = req.headers[name.toLowerCase()];
			if (typeof value !== 'string' || !value.trim()) problems.push(`missing identification header ${name}`);
			else if (value.length > 50) problems.push(`identification header ${name} is longer than 50 characters`);
		}
		return problems.length ? hubeeError(400, `Bad Request : ${problems.join('; ')}`) : undefined;
	}

	function handleToken(req, state) {
		if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Use POST');
		if (requireHeaders !== 'none') {
			const refused = missingHeaders(req);
			if (refused) return refused;
		}
		const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
		const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
		const separator = decoded.indexOf(':');
		const id = separator > 0 ? decoded.slice(0, separator) : '';
		const secret = decoded.slice(separator + 1);
		// RFC 6749 form-encodes both parts before Basic; most clients do not. Accept either spelling.
		const client = clientFor(id) ?? clientFor(safeDecode(id));
		if (!client || (client.clientSecret !== secret && client.clientSecret !== safeDecode(secret))) {
			return oauthError(401, 'invalid_client', 'Client Authentication failed.');
		}
		const form = new URLSearchParams(req.rawBody.toString('utf8'));
		if (form.get('grant_type') !== 'client_credentials') {
			return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type value');
		}
		const scope = form.get('scope');
		if (!scope || !client.scopes.includes(scope)) {
			return oauthError(400, 'invalid_scope', `Invalid scope ${scope ?? '(none)'}`);
		}
		const accessToken = crypto.randomUUID();
		state.tokens[accessToken] = { clientId: client.clientId, scope, expiresAt: now() + tokenTtlSeconds * 1000 };
		return json(200, { access_token: accessToken, scope, token_type: 'Bearer', expires_in: tokenTtlSeconds });
	}

	function authorize(req, state) {
		const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
		const grant = match && state.tokens[match[1].trim()];
		if (!grant) return { error: hubeeError(401, 'Unauthorized : invalid or missing access token') };
		if (grant.expiresAt <= now()) return { error: hubeeError(401, 'Unauthorized : access token has expired') };
		if (requireHeaders === 'all') {
			const refused = missingHeaders(req);
			if (refused) return { error: refused };
		}
		return { grant, client: clientFor(grant.clientId) };
	}

	/** Per-démarche credentials: a client restricted to processCodes sees only those. */
	function allowed(auth, processCode) {
		return !auth.client.processCodes || auth.client.processCodes.includes(processCode);
	}

	function partnerInfo(req) {
		return Object.fromEntries(IDENTIFICATION_HEADERS.map((name) => [name, req.headers[name.toLowerCase()] ?? null]));
	}

	function isPurged(state, attachment) {
		const theCase = state.cases[attachment.caseId];
		const process = theCase && state.processes[theCase.processCode];
		if (!process?.statusBeforeFileDeletion) return false;
		const threshold = STATUS_RANK[process.statusBeforeFileDeletion] ?? Infinity;
		const reached = theCase.statusHistory.find((entry) => (STATUS_RANK[entry.status] ?? -1) >= threshold);
		return Boolean(reached) && now() - reached.at >= (process.retentionDays ?? 0) * 86400000;
	}

	function attachmentView(attachment) {
		const { id, status, fileName, type, size, mimeType } = attachment;
		return { id, status, fileName, type, size, mimeType };
	}

	function eventView(state, event) {
		return {
			...omit(event, ['attachmentIds', 'caseId', 'origin']),
			attachments: event.attachmentIds.map((id) => attachmentView(state.attachments[id])),
		};
	}

	function caseView(state, theCase, lite) {
		const rest = omit(theCase, ['statusHistory', 'attachmentIds', 'eventIds', 'folderId', 'statusPatchedWithoutEvent']);
		// lite=true leaves out the attachment and event lists [I: the swagger does not say what "lite" drops].
		if (lite) return rest;
		return {
			...rest,
			attachments: theCase.attachmentIds.map((id) => attachmentView(state.attachments[id])),
			events: theCase.eventIds.map((id) => eventView(state, state.events[id])),
		};
	}

	function notificationView(state, notification, withDetails) {
		if (!withDetails) return notification;
		const event = notification.eventId ? state.events[notification.eventId] : undefined;
		return { ...notification, eventActionType: event?.actionType ?? null, eventStatus: event?.status ?? null };
	}

	function setCaseStatus(theCase, status) {
		theCase.status = status;
		theCase.updateDateTime = iso();
		if (status === 'SENT' && !theCase.transmissionDateTime) theCase.transmissionDateTime = iso();
		if (['DONE', 'REFUSED', 'CLOSED'].includes(status)) theCase.closeDateTime = iso();
		theCase.statusHistory.push({ status, at: now() });
	}

	/** undefined when allowed, else the 400 the fake answers. */
	function transitionError(theCase, target, scope) {
		if (typeof target !== 'string' || !(target in STATUS_RANK)) {
			return hubeeError(400, `Bad Request : unknown case status ${target}`);
		}
		const from = theCase.status;
		const allowedFrom = target === 'CLOSED' && scope !== 'SI' ? OSL_CLOSED_FROM : HUBEE_CASE_TRANSITIONS[target];
		if (!allowedFrom) return hubeeError(400, `Bad Request : status ${target} cannot be set by an ${scope}`);
		if (!allowedFrom.includes(from)) {
			return hubeeError(400, `Bad Request : invalid case status transition ${from} -> ${target}`);
		}
		return undefined;
	}

	function notifyOsl(state, theCase, event) {
		state.oslNotifications.push({
			id: crypto.randomUUID(),
			processCode: theCase.processCode,
			caseId: theCase.id,
			eventId: event.id,
			dateTime: iso(),
			recipient: OSL_PARTY,
			transmitter: theCase.recipient,
		});
	}

	function readJson(req) {
		if (!req.rawBody.length) return {};
		try {
			const value = JSON.parse(req.rawBody.toString('utf8'));
			return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
		} catch {
			return undefined;
		}
	}

	function listNotifications(req, state, auth) {
		const raw = req.query.maxResult;
		if (raw !== undefined && !/^[1-9]\d*$/.test(raw)) {
			return validation(req, 'query.maxResult', `Value '${raw}' is not a valid integer`);
		}
		const maxResult = raw === undefined ? 25 : Number(raw);
		const processCodes = req.searchParams.getAll('processCode').flatMap((value) => value.split(',')).filter(Boolean);
		// processPriority is accepted but not modelled: HubEE documents no priority values.
		const queue = auth.grant.scope === 'SI' ? state.notifications : state.oslNotifications;
		const visible = queue
			.filter((notification) => allowed(auth, notification.processCode))
			.filter((notification) => !processCodes.length || processCodes.includes(notification.processCode))
			.slice(0, maxResult);
		return json(200, visible.map((notification) => notificationView(state, notification, req.query.eventDetails === 'true')));
	}

	function deleteNotification(state, auth, id) {
		const queue = auth.grant.scope === 'SI' ? state.notifications : state.oslNotifications;
		const index = queue.findIndex((notification) => notification.id === id);
		if (index < 0 || !allowed(auth, queue[index].processCode)) return notFound('Notification');
		queue.splice(index, 1);
		return json(204);
	}

	/**
	 * PENDING files have no bytes yet (404 "File is not found"); CORRUPTED/REJECTED ones are served as stored (whether
	 * HubEE refuses them is [?]). The body is streamed with its length; `digest` is the base64 SHA-256 as stored, or
	 * as a seed chose to serve it (`sha-256=` prefix, no digest, or a wrong one to model a corrupted transfer).
	 */
	function sendAttachment(state, attachment) {
		const content = state.blobs.get(attachment.id);
		if (isPurged(state, attachment) || !content) return notFound('File');
		const headers = { 'content-type': 'application/octet-stream' };
		const digest = attachment.servedDigest === undefined ? attachment.digest : attachment.servedDigest;
		if (digest) headers.digest = digest;
		return { status: 200, headers, body: chunkedStream(content), length: content.length };
	}

	function patchCase(req, state, auth, theCase) {
		const body = readJson(req);
		if (!body || typeof body.status !== 'string') return validation(req, 'body.status', 'status is required');
		const refused = transitionError(theCase, body.status, auth.grant.scope);
		if (refused) return refused;
		setCaseStatus(theCase, body.status);
		// "Update the case status must be followed by the creation of an event to create a notification".
		theCase.statusPatchedWithoutEvent = body.status;
		return json(204);
	}

	function createEvent(req, state, auth, theCase) {
		const body = readJson(req);
		if (!body) return validation(req, 'body', 'body must be a JSON object');
		if (!ACTION_TYPES.includes(body.actionType)) {
			return validation(req, 'body.actionType', `actionType must be one of ${ACTION_TYPES.join(', ')}`);
		}
		const declared = Array.isArray(body.attachments) ? body.attachments : [];
		if (body.actionType === 'ATTACH_DEPOSIT' && !declared.length) {
			return hubeeError(400, 'Bad Request : an ATTACH_DEPOSIT event must declare at least one attachment');
		}
		if (body.actionType !== 'ATTACH_DEPOSIT' && declared.length) {
			return hubeeError(400, `Bad Request : a ${body.actionType} event cannot declare attachments`);
		}
		for (const [index, attachment] of declared.entries()) {
			if (typeof attachment?.fileName !== 'string' || !attachment.fileName) {
				return validation(req, `body.attachments[${index}].fileName`, 'fileName is required');
			}
		}
		if (body.actionType === 'STATUS_UPDATE') {
			const target = body.caseNewStatus;
			if (typeof target !== 'string') return validation(req, 'body.caseNewStatus', 'caseNewStatus is required');
			const followsPatch = theCase.statusPatchedWithoutEvent === target && theCase.status === target;
			if (!followsPatch) {
				if (body.caseCurrentStatus !== undefined && body.caseCurrentStatus !== theCase.status) {
					return hubeeError(
						400,
						`Bad Request : caseCurrentStatus ${body.caseCurrentStatus} does not match the case status ${theCase.status}`,
					);
				}
				const refused = transitionError(theCase, target, auth.grant.scope);
				if (refused) return refused;
			}
		}
		const createdAt = iso();
		const event = {
			id: crypto.randomUUID(),
			caseId: theCase.id,
			origin: auth.grant.scope,
			transmitter: auth.grant.scope === 'SI' ? theCase.recipient : OSL_PARTY,
			message: body.message ?? null,
			comment: body.comment ?? null,
			actionType: body.actionType,
			author: body.author ?? null,
			notification: body.notification === true,
			createDateTime: createdAt,
			updateDateTime: createdAt,
			status: body.actionType === 'ATTACH_DEPOSIT' ? 'IN_PROGRESS' : 'SENT',
			caseCurrentStatus: body.caseCurrentStatus ?? (body.actionType === 'STATUS_UPDATE' ? theCase.status : null),
			caseNewStatus: body.caseNewStatus ?? null,
			partnerAttributes: body.partnerAttributes ?? null,
			partnerInfo: partnerInfo(req),
			attachmentIds: [],
		};
		for (const input of declared) {
			const attachment = {
				id: crypto.randomUUID(),
				status: 'PENDING',
				fileName: input.fileName,
				type: input.type ?? null,
				size: input.size ?? null,
				mimeType: input.mimeType ?? 'application/octet-stream',
				caseId: theCase.id,
				eventId: event.id,
			};
			state.attachments[attachment.id] = attachment;
			event.attachmentIds.push(attachment.id);
		}
		state.events[event.id] = event;
		theCase.eventIds.push(event.id);
		if (body.actionType === 'STATUS_UPDATE') {
			if (theCase.status !== body.caseNewStatus) setCaseStatus(theCase, body.caseNewStatus);
			delete theCase.statusPatchedWithoutEvent;
		}
		if (event.notification && event.status === 'SENT') notifyOsl(state, theCase, event);
		return json(201, eventView(state, event));
	}

	function patchEvent(req, state, auth, theCase, event) {
		const body = readJson(req);
		const status = body?.status;
		if (typeof status !== 'string' || status.length > 12) {
			return validation(req, 'body.status', 'status is required (at most 12 characters)');
		}
		const own = event.origin === auth.grant.scope;
		if (status === 'RECEIVED') {
			if (own) return hubeeError(400, 'Bad Request : only the recipient of an event can acknowledge it');
			if (event.status === 'RECEIVED') return json(204);
			if (event.status !== 'SENT') return hubeeError(400, `Bad Request : invalid event status transition ${event.status} -> RECEIVED`);
		} else if (status === 'SENT') {
			if (!own || event.status !== 'IN_PROGRESS') {
				return hubeeError(400, `Bad Request : invalid event status transition ${event.status} -> SENT`);
			}
			const missing = event.attachmentIds.filter((id) => !state.blobs.has(id));
			if (missing.length) return hubeeError(400, `Bad Request : attachment(s) not uploaded: ${missing.join(', ')}`);
		} else {
			return hubeeError(400, `Bad Request : invalid event status ${status}`);
		}
		event.status = status;
		event.updateDateTime = iso();
		if (status === 'SENT' && event.notification) notifyOsl(state, theCase, event);
		return json(204);
	}

	function deleteEvent(state, auth, theCase, event) {
		if (event.origin !== auth.grant.scope || event.actionType !== 'ATTACH_DEPOSIT' || event.status !== 'IN_PROGRESS') {
			return hubeeError(400, 'Bad Request : only an ATTACH_DEPOSIT event still IN_PROGRESS can be deleted');
		}
		for (const id of event.attachmentIds) {
			delete state.attachments[id];
			state.blobs.delete(id);
		}
		delete state.events[event.id];
		theCase.eventIds = theCase.eventIds.filter((id) => id !== event.id);
		return json(204);
	}

	function uploadEventAttachment(req, state, auth, event, attachment) {
		if (event.origin !== auth.grant.scope || event.status !== 'IN_PROGRESS') {
			return hubeeError(400, 'Bad Request : files can only be added to your own ATTACH_DEPOSIT event while IN_PROGRESS');
		}
		if (attachment.size !== null && attachment.size !== undefined && Number(attachment.size) !== req.rawBody.length) {
			return hubeeError(400, `Bad Request : declared size ${attachment.size} differs from the ${req.rawBody.length} bytes received`);
		}
		state.blobs.set(attachment.id, Buffer.from(req.rawBody));
		attachment.digest = sha256Base64(req.rawBody);
		attachment.size = req.rawBody.length;
		attachment.status = 'RECEIVED';
		return json(204);
	}

	function handleApi(req, state) {
		const auth = authorize(req, state);
		if (auth.error) return auth.error;
		let method = req.method;
		const override = req.headers['x-http-method-override'];
		if (method === 'POST' && typeof override === 'string' && override.toUpperCase() === 'PATCH') method = 'PATCH';

		const parts = req.path.slice(API.length + 1).split('/');
		const [resource, id, sub, subId, leaf, leafId, ...rest] = parts;
		if (rest.length) return hubeeError(404, `No resource ${req.path}`);
		for (const [value, where] of [
			[id, `path.${resource === 'notifications' ? 'notificationId' : resource === 'folders' ? 'folderId' : 'caseId'}`],
			[subId, sub === 'events' ? 'path.eventId' : 'path.attachmentId'],
			[leafId, 'path.attachmentId'],
		]) {
			if (value !== undefined && value !== '' && !UUID.test(value)) {
				return validation(req, where, `Instance value ("${value}") failed to match format "uuid"`);
			}
		}

		if (resource === 'notifications') {
			if (!id && method === 'GET') return listNotifications(req, state, auth);
			if (id && method === 'DELETE') return deleteNotification(state, auth, id);
			return hubeeError(405, 'Method not allowed');
		}
		if (resource === 'folders') {
			if (auth.grant.scope === 'SI') return hubeeError(403, 'Unauthorized user');
			const folder = id && state.folders[id];
			if (!folder || !allowed(auth, folder.processCode)) return notFound('Folder');
			if (method !== 'GET') return hubeeError(405, 'Method not allowed');
			return json(200, {
				...omit(folder, ['caseIds']),
				cases: folder.caseIds.map((caseId) => ({
					id: caseId,
					status: state.cases[caseId].status,
					recipient: state.cases[caseId].recipient,
				})),
			});
		}
		if (resource !== 'cases' || !id) return hubeeError(404, `No resource ${req.path}`);

		const theCase = state.cases[id];
		if (!theCase) return notFound('Case');
		if (!allowed(auth, theCase.processCode)) return hubeeError(403, 'Unauthorized user');

		if (!sub) {
			if (method === 'GET') return json(200, caseView(state, theCase, req.query.lite === 'true'));
			if (method === 'PATCH') return patchCase(req, state, auth, theCase);
			return hubeeError(405, 'Method not allowed');
		}
		if (sub === 'attachments' && subId && !leaf) {
			const attachment = state.attachments[subId];
			if (!attachment || attachment.caseId !== theCase.id || attachment.eventId) return notFound('File');
			if (method !== 'GET') return hubeeError(405, 'Method not allowed');
			return sendAttachment(state, attachment);
		}
		if (sub !== 'events') return hubeeError(404, `No resource ${req.path}`);
		if (!subId) {
			if (method === 'POST') return createEvent(req, state, auth, theCase);
			return hubeeError(405, 'Method not allowed');
		}
		const event = state.events[subId];
		if (!event || event.caseId !== theCase.id) return notFound('Event');
		if (!leaf) {
			if (method === 'GET') return json(200, eventView(state, event));
			if (method === 'PATCH') return patchEvent(req, state, auth, theCase, event);
			if (method === 'DELETE') return deleteEvent(state, auth, theCase, event);
			return hubeeError(405, 'Method not allowed');
		}
		if (leaf !== 'attachments' || !leafId) return hubeeError(404, `No resource ${req.path}`);
		const attachment = state.attachments[leafId];
		if (!attachment || attachment.eventId !== event.id) return notFound('File');
		if (method === 'GET') return sendAttachment(state, attachment);
		if (method === 'PUT') return uploadEventAttachment(req, state, auth, event, attachment);
		return hubeeError(405, 'Method not allowed');
	}

	function route(req, ctx) {
		if (req.path === '/oauth2/token' || req.path === '/token') return handleToken(req, ctx.state);
		if (req.path.startsWith(`${API}/`)) return handleApi(req, ctx.state);
		return hubeeError(404, `No resource ${req.path}`);
	}

	/** With `gzip: true`, JSON answers are gzipped when the client accepts it, as formulaire-qf saw in production. */
	function handle(req, ctx) {
		const reply = route(req, ctx);
		const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
		if (!options.gzip || !accepts || reply.body === undefined || Buffer.isBuffer(reply.body) || reply.body instanceof Readable) {
			return reply;
		}
		return {
			...reply,
			headers: { ...reply.headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
			body: zlib.gzipSync(JSON.stringify(reply.body)),
		};
	}

	function addProcess(state, { processCode, statusBeforeFileDeletion, retentionDays = 0 }) {
		state.processes[processCode] = { processCode, statusBeforeFileDeletion, retentionDays };
		return state.processes[processCode];
	}

	/**
	 * `status` PENDING without content models a file the OSL has not uploaded yet. `digestFormat` 'prefixed' serves
	 * `sha-256=<base64>`, 'none' serves no digest header; `servedDigest` serves that value instead (a mismatch).
	 */
	function storeAttachment(state, input, caseId, eventId) {
		const content = toBuffer(input);
		const digest = content ? sha256Base64(content) : undefined;
		const attachment = {
			id: input.id ?? crypto.randomUUID(),
			status: input.status ?? 'RECEIVED',
			fileName: input.fileName,
			type: input.type ?? null,
			size: content ? content.length : (input.size ?? null),
			mimeType: input.mimeType ?? 'application/pdf',
			caseId,
			eventId,
			digest,
		};
		if (input.servedDigest !== undefined) attachment.servedDigest = input.servedDigest;
		else if (input.digestFormat === 'prefixed' && digest) attachment.servedDigest = `sha-256=${digest}`;
		else if (input.digestFormat === 'none') attachment.servedDigest = null;
		if (content) state.blobs.set(attachment.id, content);
		state.attachments[attachment.id] = attachment;
		return attachment;
	}

	function pushSiNotification(state, theCase, eventId) {
		const notification = {
			id: crypto.randomUUID(),
			processCode: theCase.processCode,
			caseId: theCase.id,
			eventId,
			dateTime: iso(),
			recipient: theCase.recipient,
			transmitter: OSL_PARTY,
		};
		state.notifications.push(notification);
		return notification;
	}

	function addCase(state, input) {
		const processCode = input.processCode ?? 'EtatCivil';
		if (!state.processes[processCode]) addProcess(state, { processCode });
		const createdAt = iso();
		const folder = {
			id: input.folderId ?? crypto.randomUUID(),
			processCode,
			externalId: input.externalId ?? `TD-${Object.keys(state.folders).length + 1}`,
			globalStatus: 'HUBEE_NOTIFIED',
			createDateTime: createdAt,
			updateDateTime: createdAt,
			applicant: input.applicant ?? { firstName: 'Camille', lastName: 'Martin', email: 'camille.martin@example.org' },
			partnerInfo: { editorName: 'DILA', applicationName: 'service-public.fr', softwareVersion: '1.0' },
			caseIds: [],
		};
		const theCase = {
			id: input.id ?? crypto.randomUUID(),
			folderId: folder.id,
			status: input.status ?? 'HUBEE_NOTIFIED',
			recipient: input.recipient ?? SI_PARTY,
			externalId: folder.externalId,
			processCode,
			createDateTime: createdAt,
			updateDateTime: createdAt,
			transmissionDateTime: null,
			closeDateTime: null,
			partnerAttributes: input.partnerAttributes ?? null,
			applicant: folder.applicant,
			attachmentIds: [],
			eventIds: [],
			statusHistory: [{ status: input.status ?? 'HUBEE_NOTIFIED', at: now() }],
		};
		for (const value of [folder.id, theCase.id]) {
			if (!UUID.test(value)) throw new Error(`hubee fake: ids must be UUIDs, got ${value}`);
		}
		for (const attachment of input.attachments ?? []) {
			theCase.attachmentIds.push(storeAttachment(state, attachment, theCase.id, null).id);
		}
		folder.caseIds.push(theCase.id);
		state.folders[folder.id] = folder;
		state.cases[theCase.id] = theCase;
		const notification = input.notify === false ? undefined : pushSiNotification(state, theCase, null);
		return { folder, case: theCase, notification };
	}

	function addOslEvent(state, caseId, input = {}) {
		const theCase = state.cases[caseId];
		if (!theCase) throw new Error(`hubee fake: no case ${caseId}`);
		const createdAt = iso();
		const event = {
			id: crypto.randomUUID(),
			caseId,
			origin: 'OSL',
			transmitter: OSL_PARTY,
			message: input.message ?? null,
			comment: null,
			actionType: input.actionType ?? (input.attachments?.length ? 'ATTACH_DEPOSIT' : 'SENDING_MESSAGE'),
			author: input.author ?? 'service-public.fr',
			notification: input.notify !== false,
			createDateTime: createdAt,
			updateDateTime: createdAt,
			status: 'SENT',
			caseCurrentStatus: theCase.status,
			caseNewStatus: input.caseNewStatus ?? null,
			partnerAttributes: null,
			partnerInfo: { editorName: 'DILA', applicationName: 'service-public.fr', softwareVersion: '1.0' },
			attachmentIds: [],
		};
		for (const attachment of input.attachments ?? []) {
			event.attachmentIds.push(storeAttachment(state, attachment, caseId, event.id).id);
		}
		state.events[event.id] = event;
		theCase.eventIds.push(event.id);
		if (input.caseNewStatus) setCaseStatus(theCase, input.caseNewStatus);
		const notification = input.notify === false ? undefined : pushSiNotification(state, theCase, event.id);
		return { event, notification };
	}

	function seed(state, data = {}) {
		for (const process of data.processes ?? []) addProcess(state, process);
		for (const input of data.cases ?? []) {
			const { case: theCase } = addCase(state, input);
			for (const event of input.oslEvents ?? []) addOslEvent(state, theCase.id, event);
		}
		if (data.demo) fake.seedDemo(typeof data.demo === 'object' ? data.demo : {});
	}

	const fake = createFakeServer({
		name: 'hubee',
		initialState,
		handle,
		seed,
		rateLimitResponse: () => ({ ...hubeeError(429, 'Too Many Requests'), headers: { 'retry-after': '1' } }),
	});

	const coreReset = fake.reset;
	return Object.defineProperties(
		fake,
		Object.getOwnPropertyDescriptors({
			reset() {
				coreReset();
				clockOffsetMs = 0;
			},
			get apiBaseUrl() {
				return fake.baseUrl;
			},
			get tokenUrl() {
				return `${fake.baseUrl}/oauth2/token`;
			},
			/** Every issued token is now unknown: the next API call answers 401. */
			expireTokens() {
				fake.state.tokens = {};
				return fake;
			},
			advanceClock(ms) {
				clockOffsetMs += ms;
				return fake;
			},
			now,
			addProcess(process) {
				return addProcess(fake.state, process);
			},
			addCase(input = {}) {
				return addCase(fake.state, input);
			},
			addOslEvent(caseId, input) {
				return addOslEvent(fake.state, caseId, input);
			},
			/** For `npm start`: three civil-status cases with PDFs, one of them with a follow-up message from the OSL. */
			seedDemo({ processCode = 'EtatCivil' } = {}) {
				addProcess(fake.state, { processCode, statusBeforeFileDeletion: 'DONE', retentionDays: 30 });
				const people = [
					['Camille', 'Martin'],
					['Louis', 'Bernard'],
					['Inès', 'Petit'],
				];
				const cases = people.map(([firstName, lastName], index) =>
					addCase(fake.state, {
						processCode,
						externalId: `DEMO-EC-${index + 1}`,
						applicant: { firstName, lastName, email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.org` },
						attachments: [
							{
								fileName: `demande-acte-${index + 1}.pdf`,
								type: 'EC_DemandeActe',
								mimeType: 'application/pdf',
								content: `%PDF-1.4\n% demo: demande d'acte de naissance de ${firstName} ${lastName}\n%%EOF\n`,
							},
						],
					}),
				);
				addOslEvent(fake.state, cases[0].case.id, { message: 'Le demandeur précise : copie intégrale.' });
				return cases.map((entry) => entry.case.id);
			},
			notifications() {
				return fake.state.notifications;
			},
			oslNotifications() {
				return fake.state.oslNotifications;
			},
			getCase(id) {
				return fake.state.cases[id];
			},
			getEvent(id) {
				return fake.state.events[id];
			},
			attachmentContent(attachmentId) {
				return fake.state.blobs.get(attachmentId);
			},
			/** The OSL finishes uploading a PENDING file (or replaces a file's bytes). */
			uploadAttachment(attachmentId, content, status = 'RECEIVED') {
				const attachment = fake.state.attachments[attachmentId];
				if (!attachment) throw new Error(`hubee fake: no attachment ${attachmentId}`);
				const buffer = Buffer.isBuffer(content) ? content : Buffer.from(String(content), 'utf8');
				fake.state.blobs.set(attachmentId, buffer);
				Object.assign(attachment, { status, size: buffer.length, digest: sha256Base64(buffer) });
				return attachment;
			},
		}),
	);
}

module.exports = { createHubeeFake, HUBEE_CASE_TRANSITIONS, STATUS_RANK };
