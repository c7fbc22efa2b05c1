'use strict';
/**
 * Grist's document webhooks for the Grist fake, checked against grist-core 1.7.17 (app/server/lib/DocApiTriggers.ts,
 * Triggers.ts, WebhookQueue.ts, requestUtils.ts isUrlAllowed, app/common/Triggers.ts).
 *
 * Faithful points:
 * - `POST /api/docs/:doc/webhooks` `{webhooks: [{fields}]}` → `{webhooks: [{id}]}` (ids are uuids); `GET` lists
 *   `{webhooks: [{id, fields: {url, authorization, unsubscribeKey, eventTypes, isReadyColumn, tableId, watchedColIds,
 *   enabled, name, memo}, usage}]}`; `PATCH /webhooks/:id` and `DELETE /webhooks/:id` answer `{success: true}`, or
 *   404 `Webhook not found "<id>"`; `DELETE /webhooks/queue` empties the queue.
 * - The body is checked like ts-interface-checker's `check`: wrong types → 400 "Invalid payload"; unknown fields
 *   (e.g. `columnIds`) are ignored, so such a webhook watches every column. Empty `eventTypes` → 400; unknown table →
 *   404 `Table not found "X"`; unknown watched or ready column → 404 `Column not found "X"`; `$` before a watched
 *   column id is dropped.
 * - URLs pass `isUrlAllowed(ALLOWED_WEBHOOK_DOMAINS)` (option `allowedWebhookDomains`): unset refuses every URL with
 *   403 "Provided url is forbidden"; `*` allows any http(s) URL; otherwise https only (plain http only for the host
 *   name `localhost`) and the URL's host, port included, must be a listed domain or end with "." + one of them.
 * - A write that changes rows of a watched table queues one event per row and webhook (deletions fire nothing): a row
 *   that did not exist, or (with a ready column) was not ready before, is an "add"; a row that existed (and was ready)
 *   is an "update", sent only when a watched column changed (any column without a watch list). With a ready column,
 *   only rows where it is exactly `true` are sent. Unchanged cells are not changes.
 * - The payload of an event is the whole record as stored: `{id, manualSort, colId: cell…}`, cells in Grist's
 *   encoding (`["L", …]` lists, epoch seconds for dates, row ids for references).
 * - One send loop: up to 100 consecutive events of the same webhook form one POST of a JSON array, with
 *   `Content-Type: application/json` and `Authorization: <authorization>` when one is set. A batch answered non-2xx
 *   (or not answered) is retried after 1, 2, 4 … 64 × the wait delay (option `webhookRetryDelayMs`, Grist's
 *   GRIST_TRIGGER_WAIT_DELAY, 1000 ms) up to `webhookMaxAttempts` attempts (GRIST_TRIGGER_MAX_ATTEMPTS, 20), then
 *   moved to the end of the queue (status "postponed") and tried again later. A batch whose webhook was deleted is
 *   dropped.
 */
const { randomUUID } = require('node:crypto');

const BATCH_SIZE = 100;
const MAX_WAIT_STEPS = 64;
const EVENT_TYPES = new Set(['add', 'update']);

class WebhookApiError extends Error {
	constructor(status, message, details) {
		super(message);
		this.status = status;
		this.details = details;
	}
}

function invalidPayload(message) {
	return new WebhookApiError(400, 'Invalid payload', { userError: message });
}

function matchesBaseDomain(host, baseDomain) {
	return host === baseDomain || host.endsWith(`.${baseDomain}`);
}

/** requestUtils.ts isUrlAllowed. */
function isUrlAllowed(allowedDomains, urlString) {
	let url;
	try {
		url = new URL(urlString);
	} catch {
		return false;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
	if (allowedDomains === '*') return true;
	if (url.protocol !== 'https:' && url.hostname !== 'localhost') return false;
	return String(allowedDomains || '')
		.split(',')
		.some((domain) => domain && matchesBaseDomain(url.host, domain));
}

function checkType(path, value, type) {
	if (value === undefined) return;
	if (type === 'string' && typeof value !== 'string') throw invalidPayload(`${path} is not a string`);
	if (type === 'boolean' && typeof value !== 'boolean') throw invalidPayload(`${path} is not a boolean`);
	if (type === 'strings' && (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string'))) {
		throw invalidPayload(`${path} is not an array of strings`);
	}
	if (type === 'events' && (!Array.isArray(value) || value.some((entry) => !EVENT_TYPES.has(entry)))) {
		throw invalidPayload(`${path} is not an array of "add" | "update"`);
	}
}

/** WebhookFields / WebhookPatch as Triggers-ti checks them (non-strict: extra fields pass and are ignored). */
function checkFields(path, fields, { partial }) {
	if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw invalidPayload(`${path} is not an object`);
	if (!partial) {
		if (fields.url === undefined) throw invalidPayload(`${path}.url is missing`);
		if (fields.eventTypes === undefined) throw invalidPayload(`${path}.eventTypes is missing`);
		if (fields.tableId === undefined) throw invalidPayload(`${path}.tableId is missing`);
	}
	checkType(`${path}.url`, fields.url, 'string');
	checkType(`${path}.authorization`, fields.authorization, 'string');
	checkType(`${path}.eventTypes`, fields.eventTypes, 'events');
	checkType(`${path}.tableId`, fields.tableId, 'string');
	checkType(`${path}.watchedColIds`, fields.watchedColIds, 'strings');
	checkType(`${path}.enabled`, fields.enabled, 'boolean');
	if (fields.isReadyColumn !== undefined && fields.isReadyColumn !== null) checkType(`${path}.isReadyColumn`, fields.isReadyColumn, 'string');
	checkType(`${path}.name`, fields.name, 'string');
	checkType(`${path}.memo`, fields.memo, 'string');
}

function cellKey(value) {
	return JSON.stringify(value === undefined ? null : value);
}

/**
 * @param {object} fake      the Grist fake (its `ctx.state` holds docs, webhooks and the queue)
 * @param {object} options   {allowedWebhookDomains, webhookRetryDelayMs, webhookMaxAttempts}
 */
function createWebhookSupport(fake, options = {}) {
	const retryDelayMs = options.webhookRetryDelayMs ?? 1000;
	const maxAttempts = options.webhookMaxAttempts ?? 20;
	let allowedDomains = options.allowedWebhookDomains;
	let sending = false;
	let stopped = false;
	const waits = new Set();

	const state = () => fake.ctx.state;
	const webhooks = () => (state().webhooks ??= []);
	const queue = () => (state().webhookQueue ??= []);
	const deliveries = () => (state().webhookDeliveries ??= []);
	const stats = () => (state().webhookStats ??= {});

	function wait(ms) {
		return new Promise((resolve) => {
			const entry = { resolve };
			entry.timer = setTimeout(() => {
				waits.delete(entry);
				resolve();
			}, ms);
			waits.add(entry);
		});
	}

	function findWebhook(doc, id) {
		const webhook = webhooks().find((entry) => entry.docId === doc.id && entry.id === id);
		if (!webhook) throw new WebhookApiError(404, `Webhook not found "${id || ''}"`);
		return webhook;
	}

	function requireColumn(table, colId) {
		if (!table.column(colId)) throw new WebhookApiError(404, `Column not found "${colId}"`);
		return colId;
	}

	/** getWebhookSettings: resolves the table and columns, as a new webhook or a patch of `current`. */
	function settingsOf(doc, fields, current) {
		const settings = {};
		if (fields.url !== undefined && !isUrlAllowed(allowedDomains, fields.url)) throw new WebhookApiError(403, 'Provided url is forbidden');
		if (fields.eventTypes !== undefined) {
			if (!fields.eventTypes.length) throw new WebhookApiError(400, 'eventTypes must be a non-empty array');
			settings.eventTypes = [...fields.eventTypes];
		}
		let tableId = current?.tableId;
		if (fields.tableId !== undefined) {
			const table = doc.tables[fields.tableId];
			if (!table) throw new WebhookApiError(404, `Table not found "${fields.tableId}"`);
			if (fields.watchedColIds && !(current && current.tableId !== fields.tableId)) {
				settings.watchedColIds = fields.watchedColIds
					.map((colId) => colId.trim().replace(/^\$/, ''))
					.filter(Boolean)
					.map((colId) => requireColumn(table, colId));
			} else {
				settings.watchedColIds = [];
			}
			settings.tableId = fields.tableId;
			tableId = fields.tableId;
		}
		if (fields.isReadyColumn !== undefined) {
			if (fields.isReadyColumn) {
				const table = tableId && doc.tables[tableId];
				if (!table) throw new WebhookApiError(404, `Cannot find column "${fields.isReadyColumn}" because table is not known`);
				settings.isReadyColumn = requireColumn(table, fields.isReadyColumn);
			} else {
				settings.isReadyColumn = null;
			}
		} else if (fields.tableId !== undefined) {
			settings.isReadyColumn = null;
		}
		for (const key of ['url', 'authorization', 'enabled', 'memo', 'name']) {
			if (fields[key] !== undefined) settings[key] = fields[key];
		}
		return settings;
	}

	function register(doc, fields) {
		const settings = settingsOf(doc, fields);
		if (!settings.eventTypes || !settings.eventTypes.length) throw new WebhookApiError(400, 'eventTypes must be a non-empty array');
		if (!settings.tableId) throw new WebhookApiError(400, 'tableId is required');
		const webhook = {
			id: randomUUID(),
			docId: doc.id,
			fields: {
				url: settings.url,
				authorization: settings.authorization ?? '',
				unsubscribeKey: randomUUID(),
				eventTypes: settings.eventTypes,
				isReadyColumn: settings.isReadyColumn ?? null,
				tableId: settings.tableId,
				watchedColIds: settings.watchedColIds ?? [],
				enabled: settings.enabled ?? true,
				name: settings.name ?? '',
				memo: settings.memo ?? '',
			},
		};
		webhooks().push(webhook);
		return webhook;
	}

	function usage(id) {
		const numWaiting = queue().filter((event) => event.webhookId === id).length;
		return { status: 'idle', ...(stats()[id] || {}), numWaiting };
	}

	function summary(doc) {
		return {
			webhooks: webhooks()
				.filter((webhook) => webhook.docId === doc.id)
				.map((webhook) => ({ id: webhook.id, fields: { ...webhook.fields }, usage: usage(webhook.id) })),
		};
	}

	/** The /api/docs/:doc/webhooks routes; undefined when `rest` is not one of them. */
	function route(doc, rest, req) {
		if (rest[0] !== 'webhooks') return undefined;
		if (rest.length === 1 && req.method === 'GET') return { status: 200, body: summary(doc) };
		if (rest.length === 1 && req.method === 'POST') {
			const body = req.body;
			if (!body || !Array.isArray(body.webhooks)) throw invalidPayload('value.webhooks is not an array');
			body.webhooks.forEach((entry, i) => {
				if (!entry || typeof entry !== 'object') throw invalidPayload(`value.webhooks[${i}] is not a Webhook`);
				checkFields(`value.webhooks[${i}].fields`, entry.fields, { partial: false });
			});
			const created = body.webhooks.map((entry) => register(doc, entry.fields));
			return { status: 200, body: { webhooks: created.map((webhook) => ({ id: webhook.id })) } };
		}
		if (rest.length === 2 && rest[1] === 'queue' && req.method === 'DELETE') {
			state().webhookQueue = queue().filter((event) => webhooks().find((w) => w.id === event.webhookId)?.docId !== doc.id);
			return { status: 200, body: { success: true } };
		}
		if (rest.length === 2 && req.method === 'DELETE') {
			const webhook = findWebhook(doc, rest[1]);
			state().webhooks = webhooks().filter((entry) => entry !== webhook);
			return { status: 200, body: { success: true } };
		}
		if (rest.length === 2 && req.method === 'PATCH') {
			const webhook = findWebhook(doc, rest[1]);
			checkFields('value', req.body, { partial: true });
			const settings = settingsOf(doc, req.body, webhook.fields);
			Object.assign(webhook.fields, settings);
			if (settings.enabled === false) state().webhookQueue = queue().filter((event) => event.webhookId !== webhook.id);
			return { status: 200, body: { success: true } };
		}
		return undefined;
	}

	/** The webhooks a write to this table may fire: snapshot the rows before it runs (only when there are some). */
	function beforeWrite(doc, table) {
		const watching = webhooks().filter((webhook) => webhook.docId === doc.id && webhook.fields.tableId === table.id && webhook.fields.enabled);
		if (!watching.length) return undefined;
		const rows = new Map();
		for (const [id, row] of table.rows) rows.set(id, { ...row });
		return { watching, rows };
	}

	/** Triggers.ts handle + _shouldTriggerActions: the events of one applied write. */
	function afterWrite(table, before) {
		if (!before) return;
		const changes = [];
		for (const id of table.sortedIds()) {
			const row = table.rows.get(id);
			const old = before.rows.get(id);
			const changed = new Set();
			for (const column of table.columns) if (!old || cellKey(old[column.id]) !== cellKey(row[column.id])) changed.add(column.id);
			if (old && !changed.size) continue;
			changes.push({ id, row, old, changed });
		}
		const events = [];
		for (const webhook of before.watching) {
			const { isReadyColumn, watchedColIds, eventTypes } = webhook.fields;
			for (const { id, row, old, changed } of changes) {
				let readyBefore;
				if (!isReadyColumn) readyBefore = Boolean(old);
				else {
					if (row[isReadyColumn] !== true) continue;
					readyBefore = Boolean(old) && old[isReadyColumn] === true;
				}
				let eventType = 'add';
				if (readyBefore) {
					if (watchedColIds.length && !watchedColIds.some((colId) => changed.has(colId))) continue;
					eventType = 'update';
				}
				if (!eventTypes.includes(eventType)) continue;
				events.push({ webhookId: webhook.id, payload: { id, manualSort: id, ...row } });
			}
		}
		if (!events.length) return;
		queue().push(...events);
		startSending();
	}

	function logStats(id, values) {
		stats()[id] = { ...(stats()[id] || {}), ...values };
	}

	async function post(webhook, body, attempt) {
		const entry = { webhookId: webhook.id, url: webhook.fields.url, attempt, at: Date.now(), size: body.length };
		deliveries().push(entry);
		try {
			const response = await fetch(webhook.fields.url, {
				method: 'POST',
				body: JSON.stringify(body),
				headers: {
					'Content-Type': 'application/json',
					...(webhook.fields.authorization ? { Authorization: webhook.fields.authorization } : {}),
				},
			});
			const text = await response.text();
			entry.status = response.status;
			if (response.ok) return { ok: true, status: response.status };
			return { ok: false, status: response.status, error: text };
		} catch (error) {
			entry.error = error.message || 'Unrecognized error during fetch';
			return { ok: false, status: null, error: entry.error };
		}
	}

	/** _sendWebhookWithRetries: 1, 2, 4 … 64 waits between attempts. */
	async function sendWithRetries(webhookId, body) {
		let waitSteps = 1;
		for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
			const webhook = webhooks().find((entry) => entry.id === webhookId);
			if (stopped || !webhook) return !webhook;
			if (attempt > 0) logStats(webhookId, { status: 'retrying' });
			const result = await post(webhook, body, attempt + 1);
			const now = Date.now();
			const batch = { size: body.length, httpStatus: result.status, errorMessage: result.ok ? null : result.error, attempts: attempt + 1 };
			if (result.ok) {
				logStats(webhookId, { lastSuccessTime: now, lastHttpStatus: result.status, lastEventBatch: { ...batch, status: 'success' } });
				return true;
			}
			logStats(webhookId, {
				lastFailureTime: now,
				lastHttpStatus: result.status,
				lastErrorMessage: result.error,
				lastEventBatch: { ...batch, status: 'failure' },
			});
			if (attempt >= maxAttempts - 1) return false;
			await wait(waitSteps * retryDelayMs);
			if (waitSteps < MAX_WAIT_STEPS) waitSteps *= 2;
		}
		return false;
	}

	async function sendLoop() {
		while (!stopped && queue().length) {
			const webhookId = queue()[0].webhookId;
			let size = 0;
			while (size < Math.min(BATCH_SIZE, queue().length) && queue()[size].webhookId === webhookId) size += 1;
			const batch = queue().slice(0, size);
			logStats(webhookId, { status: 'sending' });
			const success = await sendWithRetries(
				webhookId,
				batch.map((event) => event.payload),
			);
			if (stopped) return;
			// The queue may have been replaced meanwhile (a reset, a cleared queue): only remove what is still there.
			const current = queue();
			if (current[0] === batch[0]) current.splice(0, size);
			if (!success) {
				current.push(...batch);
				logStats(webhookId, { status: 'postponed' });
			} else {
				logStats(webhookId, { status: 'idle' });
			}
		}
	}

	function startSending() {
		if (sending || stopped) return;
		sending = true;
		setImmediate(() => {
			sendLoop()
				.catch(() => undefined)
				.finally(() => {
					sending = false;
					if (!stopped && queue().length) startSending();
				});
		});
	}

	return {
		route,
		beforeWrite,
		afterWrite,
		WebhookApiError,
		/** ALLOWED_WEBHOOK_DOMAINS of the fake server (undefined: every webhook URL is refused). */
		setAllowedDomains(value) {
			allowedDomains = value;
		},
		webhooks: (docId) => webhooks().filter((webhook) => !docId || webhook.docId === docId),
		deliveries: () => deliveries(),
		queued: () => queue().length,
		/** Resolves once nothing waits to be sent (or after `timeoutMs`, rejecting). */
		async idle(timeoutMs = 10000) {
			const deadline = Date.now() + timeoutMs;
			while (sending || queue().length) {
				if (Date.now() > deadline) throw new Error(`fake grist: ${queue().length} webhook events still queued after ${timeoutMs} ms`);
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
		},
		stop() {
			stopped = true;
			for (const entry of waits) {
				clearTimeout(entry.timer);
				entry.resolve();
			}
			waits.clear();
		},
	};
}

module.exports = { createWebhookSupport, isUrlAllowed, WebhookApiError };
