'use strict';
// A Paynet look-alike for tests and the local sandbox: raw-key Basic auth,
// Paynet's error shapes, and every request recorded for assertions. Routes
// live beside this file, one module per Paynet area.
const http = require('node:http');
const { URLSearchParams } = require('node:url');

const SUCCESS_MESSAGE = 'Başarılı İşlem';

class PaynetHttpError extends Error {
	constructor(status, type, message, resultCode) {
		super(message);
		this.status = status;
		this.type = type;
		this.resultCode = resultCode;
	}
}

const badRequest = (message) => new PaynetHttpError(400, 'invalid_request_error', message, 11);
const noData = (message) => new PaynetHttpError(404, 'no_data_error', message, 12);

function parseBody(contentType, raw) {
	if (raw === '') return {};
	if (/application\/x-www-form-urlencoded/i.test(contentType || '')) {
		return Object.fromEntries(new URLSearchParams(raw));
	}
	try {
		return JSON.parse(raw);
	} catch {
		throw badRequest('Request body is not valid JSON');
	}
}

/** Paynet's "Başarılı" envelope: HTTP 200 with code 0 (optionally as a string, as the create table types it). */
function success(server, objectName, fields) {
	return {
		...fields,
		object_name: objectName,
		code: server.quirks.codeAsString ? '0' : 0,
		message: SUCCESS_MESSAGE,
	};
}

/** A slow Paynet answers some endpoints slower than others, and not always equally slowly. */
function latencyOf(server, path) {
	const latency = server.latencyByPath.get(path) ?? server.latencyMs;
	if (!Array.isArray(latency)) return latency;
	const [min, max] = latency;
	return min + Math.random() * (max - min);
}

function createServer(options = {}) {
	const server = {
		secretKey: options.secretKey ?? 'sck_test_n8n/paynet+key==',
		latencyMs: options.latencyMs ?? 0,
		/** Per endpoint, instead of latencyMs: path → ms, or [min, max] for a delay drawn per request. */
		latencyByPath: new Map(Object.entries(options.latencyByPath ?? {})),
		quirks: { codeAsString: false, ...(options.quirks ?? {}) },
		maxPageSize: options.maxPageSize ?? 100,
		// Paynet's clock less this server's: the times it writes on payments made now.
		clockOffsetMs: options.clockOffsetMs ?? 0,
		requests: [],
		recordRequests: options.recordRequests ?? true,
		routes: new Map(),
		faults: new Map(),
		state: { payLinks: [], transactions: [], sequence: 1000 },
		url: undefined,
		httpServer: undefined,
		openSockets: new Set(),
		inFlight: 0,
		maxInFlight: 0,
	};

	server.route = (path, handler) => server.routes.set(path, handler);

	/** Pages a person uses in the sandbox (not Paynet's API): no auth, any method, not recorded. */
	server.publicRoutes = new Map();
	server.publicRoute = (method, path, handler) => server.publicRoutes.set(`${method} ${path}`, handler);

	/**
	 * Makes the next requests to `path` fail: {status, body?, retryAfter?} or {hang: true} or {reset: true},
	 * or {afterDoing: true, status, body} to do the work and then answer that (Paynet's own timeout, code 10).
	 */
	server.inject = (path, ...faults) => {
		const queue = server.faults.get(path) ?? [];
		queue.push(...faults);
		server.faults.set(path, queue);
	};

	/**
	 * Misbehaviour for the requests to `path` whose JSON body matches
	 * `predicate`, for as long as the test lasts: a fault as for inject(), or
	 * {delayMs} to answer normally but late (a slow create still in flight),
	 * or {delayMs, status, body?} to fail late.
	 */
	server.rules = [];
	server.when = (path, predicate, fault) => server.rules.push({ path, predicate, fault });

	/**
	 * A rate limiter in front of `path`, as one would behave: the next request
	 * gets 429 with `Retry-After: seconds`, and so does every request until that
	 * time has passed (a client that retries sooner only earns another 429).
	 */
	server.rateLimits = new Map();
	server.limitRate = (path, seconds) => server.rateLimits.set(path, { seconds, until: undefined });

	server.requestsTo = (path) => server.requests.filter((request) => request.path === path);

	async function handle(req, res, raw) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const path = url.pathname.replace(/\/+$/, '');
		const publicHandler = server.publicRoutes.get(`${req.method} ${path}`);
		if (publicHandler) return await publicHandler({ req, res, query: url.searchParams, raw });
		const record = { method: req.method, path, headers: req.headers, raw, body: undefined };
		if (server.recordRequests) server.requests.push(record);

		const limit = server.rateLimits.get(path);
		if (limit && (limit.until === undefined || Date.now() < limit.until)) {
			limit.until = limit.until ?? Date.now() + limit.seconds * 1000;
			res.writeHead(429, {
				'Content-Type': 'application/json; charset=utf-8',
				'Retry-After': String(Math.ceil((limit.until - Date.now()) / 1000)),
			});
			return res.end(JSON.stringify({ type: 'api_error', message: 'Too many requests', code: 429, result_code: 8 }));
		}
		if (limit) server.rateLimits.delete(path);

		const queue = server.faults.get(path);
		let fault = queue?.shift();
		if (!fault && server.rules.length > 0) {
			let body;
			try {
				body = JSON.parse(raw);
			} catch {
				body = undefined;
			}
			const rule = server.rules.find((candidate) => candidate.path === path && body && candidate.predicate(body));
			if (rule) record.body = body;
			if (rule?.fault.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.fault.delayMs));
			// {delayMs} alone answers normally, late; with a status it fails, late (a create failing while others are in flight)
			if (rule && (!rule.fault.delayMs || rule.fault.status !== undefined)) fault = rule.fault;
		}
		if (fault?.hang) return; // never answer: the client's timeout must fire
		if (fault?.reset) return req.socket.destroy();

		const delay = latencyOf(server, path);
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

		// {afterDoing: true, status, body}: Paynet did the work (a PayLink made), then answered this instead
		if (fault && !fault.afterDoing) {
			const headers = { 'Content-Type': 'application/json; charset=utf-8' };
			if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
			res.writeHead(fault.status, headers);
			return res.end(
				fault.body ??
					JSON.stringify({ type: 'api_error', message: 'Injected failure', code: fault.status, result_code: 8 }),
			);
		}

		try {
			if (req.method !== 'POST') {
				throw new PaynetHttpError(405, 'invalid_request_error', 'Method not allowed', 11);
			}
			if (req.headers.authorization !== `Basic ${server.secretKey}`) {
				throw new PaynetHttpError(401, 'authorization_error', 'Yetkisiz erişim: geçersiz secret key', 7);
			}
			const handler = server.routes.get(path);
			if (!handler) throw new PaynetHttpError(404, 'invalid_request_error', `Unknown endpoint ${path}`, 11);
			record.body = parseBody(req.headers['content-type'], raw);
			const result = await handler(record.body, server, req);
			const text = typeof result === 'string' ? result : JSON.stringify(result);
			res.writeHead(fault?.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(fault ? fault.body : text);
		} catch (error) {
			if (!(error instanceof PaynetHttpError)) {
				res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
				return res.end(
					JSON.stringify({ type: 'api_error', message: String(error?.message ?? error), code: 500, result_code: 8 }),
				);
			}
			res.writeHead(error.status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(
				JSON.stringify({ type: error.type, message: error.message, code: error.status, result_code: error.resultCode }),
			);
		}
	}

	server.listen = (port = 0, host = '127.0.0.1') =>
		new Promise((resolve, reject) => {
			const httpServer = http.createServer((req, res) => {
				const chunks = [];
				req.on('data', (chunk) => chunks.push(chunk));
				req.on('end', () => {
					server.inFlight++;
					server.maxInFlight = Math.max(server.maxInFlight, server.inFlight);
					res.on('close', () => server.inFlight--);
					handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
						res.writeHead(500);
						res.end(String(error));
					});
				});
			});
			httpServer.keepAliveTimeout = 5000;
			httpServer.on('connection', (socket) => {
				server.openSockets.add(socket);
				socket.on('close', () => server.openSockets.delete(socket));
			});
			httpServer.once('error', reject);
			httpServer.listen(port, host, () => {
				server.httpServer = httpServer;
				server.url = `http://${host}:${httpServer.address().port}`;
				resolve(server);
			});
		});

	server.close = () =>
		new Promise((resolve) => {
			if (!server.httpServer) return resolve();
			for (const socket of server.openSockets) socket.destroy();
			server.httpServer.close(() => resolve());
		});

	return server;
}

module.exports = { createServer, PaynetHttpError, badRequest, noData, success, SUCCESS_MESSAGE };
