'use strict';
/**
 * The shared skeleton of every loopback fake: a port-0 HTTP server with a request log, seeding,
 * and fault injection (next N calls fail, added latency, a leaky-bucket rate limit, truncated bodies).
 * Each service fake supplies `handle(req, ctx)` and its own state; the same fakes back the
 * integration tests, the e2e runs and the `npm start` demo.
 *
 * Control from another process goes through `/__fake/*`:
 *   GET  /__fake/log            the request log      DELETE /__fake/log   clear it
 *   GET  /__fake/state          the service state    POST   /__fake/seed  service-specific seeding
 *   POST /__fake/faults         {failNext, status, body, headers, match, latencyMs, truncateNext, rateLimit}
 *   POST /__fake/reset          empty state, log and faults
 */
const http = require('node:http');

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseBody(raw, contentType) {
	if (!raw.length) return undefined;
	const text = raw.toString('utf8');
	if ((contentType || '').includes('application/json')) {
		try {
			return JSON.parse(text);
		} catch {
			return { __invalidJson: text };
		}
	}
	if ((contentType || '').includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	return text;
}

/** A leaky bucket as Bitrix24 documents it: `rate` drains per second, `burst` requests fit. */
function createLeakyBucket({ rate, burst }) {
	let level = 0;
	let last = Date.now();
	return {
		tryTake() {
			const now = Date.now();
			level = Math.max(0, level - ((now - last) / 1000) * rate);
			last = now;
			if (level + 1 > burst) return false;
			level += 1;
			return true;
		},
	};
}

function json(status, body, headers = {}) {
	return { status, body, headers };
}

/**
 * @param {object} spec
 * @param {string} spec.name
 * @param {() => object} spec.initialState
 * @param {(req: object, ctx: object) => Promise<object>|object} spec.handle  returns {status, headers, body}
 * @param {(state: object, seed: object) => void} [spec.seed]
 * @param {(ctx: object) => object} [spec.rateLimitResponse]   what a rate-limited call answers
 */
function createFakeServer(spec) {
	const ctx = {
		name: spec.name,
		state: spec.initialState(),
		log: [],
		faults: { failNext: 0, status: 503, body: undefined, headers: {}, match: undefined, latencyMs: 0, truncateNext: 0 },
		bucket: undefined,
		baseUrl: '',
	};

	function matches(req) {
		const match = ctx.faults.match;
		if (!match) return true;
		return req.path.includes(match) || `${req.method} ${req.path}`.includes(match);
	}

	async function control(req) {
		const action = req.path.slice('/__fake/'.length);
		if (action === 'log' && req.method === 'GET') return json(200, ctx.log);
		if (action === 'log' && req.method === 'DELETE') {
			ctx.log.length = 0;
			return json(204);
		}
		if (action === 'state') return json(200, ctx.state);
		if (action === 'seed' && spec.seed) {
			spec.seed(ctx.state, req.body || {}, ctx);
			return json(200, { ok: true });
		}
		if (action === 'faults') {
			api.setFaults(req.body || {});
			return json(200, ctx.faults);
		}
		if (action === 'reset') {
			api.reset();
			return json(200, { ok: true });
		}
		return json(404, { error: `unknown control ${action}` });
	}

	async function onRequest(rawReq, res) {
		const raw = await readBody(rawReq);
		const url = new URL(rawReq.url, 'http://fake.local');
		const req = {
			method: rawReq.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			searchParams: url.searchParams,
			headers: rawReq.headers,
			rawBody: raw,
			body: parseBody(raw, rawReq.headers['content-type']),
		};
		if (req.path.startsWith('/__fake/')) return send(res, await control(req));

		ctx.log.push({
			at: Date.now(),
			method: req.method,
			path: req.path,
			query: req.query,
			headers: { ...req.headers },
			body: req.body,
			rawBody: raw.toString('utf8'),
		});
		if (ctx.faults.latencyMs) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));

		if (ctx.bucket && !ctx.bucket.tryTake()) {
			const limited = spec.rateLimitResponse
				? spec.rateLimitResponse(ctx)
				: json(429, { error: 'rate limited' }, { 'retry-after': '1' });
			return send(res, limited);
		}
		if (ctx.faults.failNext > 0 && matches(req)) {
			ctx.faults.failNext -= 1;
			if (ctx.faults.status === 'reset') {
				rawReq.socket.destroy();
				return;
			}
			return send(res, json(ctx.faults.status, ctx.faults.body ?? { error: 'injected fault' }, ctx.faults.headers));
		}
		let reply;
		try {
			reply = await spec.handle(req, ctx);
		} catch (error) {
			reply = json(500, { error: `fake ${spec.name} crashed: ${error.message}` });
		}
		if (ctx.faults.truncateNext > 0 && matches(req)) {
			ctx.faults.truncateNext -= 1;
			return send(res, reply, { truncate: true });
		}
		return send(res, reply);
	}

	/** A streamed body (a large file): sent as it is read, with `reply.length` as Content-Length when known. */
	function sendStream(res, reply, truncate) {
		const headers = { ...(reply.headers || {}) };
		if (reply.length !== undefined) headers['content-length'] = String(reply.length);
		res.writeHead(reply.status, headers);
		if (!truncate) {
			reply.body.on('error', () => res.destroy());
			reply.body.pipe(res);
			return;
		}
		let sent = 0;
		const half = Math.floor((reply.length ?? 0) / 2);
		reply.body.on('data', (chunk) => {
			if (sent >= half) return;
			res.write(chunk.subarray(0, Math.max(0, half - sent)));
			sent += chunk.length;
			if (sent >= half) {
				reply.body.destroy();
				res.socket.destroy();
			}
		});
	}

	function send(res, reply, { truncate = false } = {}) {
		if (reply.body && typeof reply.body.pipe === 'function') return sendStream(res, reply, truncate);
		const headers = { ...(reply.headers || {}) };
		let payload = '';
		if (reply.body !== undefined) {
			if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') {
				payload = reply.body;
			} else {
				payload = JSON.stringify(reply.body);
				headers['content-type'] ??= 'application/json';
			}
		}
		const buffer = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
		if (truncate) {
			headers['content-length'] = String(buffer.length);
			res.writeHead(reply.status, headers);
			res.write(buffer.subarray(0, Math.floor(buffer.length / 2)));
			res.socket.destroy();
			return;
		}
		headers['content-length'] = String(buffer.length);
		res.writeHead(reply.status, headers);
		res.end(buffer);
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((error) => {
			if (!res.headersSent) send(res, json(500, { error: error.message }));
		});
	});

	const api = {
		ctx,
		get state() {
			return ctx.state;
		},
		get log() {
			return ctx.log;
		},
		get baseUrl() {
			return ctx.baseUrl;
		},
		get port() {
			return server.address()?.port;
		},
		async start(port = 0, host = '127.0.0.1') {
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, resolve);
			});
			ctx.baseUrl = `http://${host}:${server.address().port}`;
			return api;
		},
		async stop() {
			server.closeAllConnections?.();
			await new Promise((resolve) => server.close(() => resolve()));
		},
		seed(seed) {
			spec.seed?.(ctx.state, seed, ctx);
			return api;
		},
		/** failNext: the next N matching calls answer `status` (or 'reset' to drop the socket). */
		setFaults(faults) {
			Object.assign(ctx.faults, faults);
			if (faults.rateLimit === null) ctx.bucket = undefined;
			else if (faults.rateLimit) ctx.bucket = createLeakyBucket(faults.rateLimit);
			return api;
		},
		clearLog() {
			ctx.log.length = 0;
		},
		reset() {
			ctx.state = spec.initialState();
			ctx.log.length = 0;
			ctx.faults = { failNext: 0, status: 503, body: undefined, headers: {}, match: undefined, latencyMs: 0, truncateNext: 0 };
			ctx.bucket = undefined;
		},
		requests(filter = () => true) {
			return ctx.log.filter(filter);
		},
	};
	return api;
}

module.exports = { createFakeServer, createLeakyBucket, json };
