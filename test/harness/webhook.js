'use strict';
// Serves the compiled Paynet Trigger over real HTTP on 127.0.0.1, the way an
// n8n instance serves a production webhook: n8n's body parsing, the request's
// `ip` from the socket (n8n without proxy hops), and n8n-core's real
// WebhookContext and HookContext around our node, so getBodyData,
// getResponseObject, static data and httpRequestWithAuthentication are n8n's
// own code. Static data is handled as n8n's live-webhooks.js does it
// (1.123.81 and 2.41.1): each request loads the workflow, static data
// included, fresh from the database; the node runs on that copy; the whole
// static data is saved (only when `__dataChanged`) after the node returns, so
// concurrent requests never see each other's writes and the last save wins.
const http = require('node:http');
const path = require('node:path');
const querystring = require('node:querystring');
const { randomUUID } = require('node:crypto');
const { WebhookContext, HookContext } = require('n8n-core');
const { Workflow, NodeHelpers } = require('n8n-workflow');
const { TestCredentialsHelper, PAYNET_TRIGGER } = require('./engine');

const { PaynetTrigger } = require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Paynet', 'PaynetTrigger.node.js'));

const NODE_NAME = 'Paynet Trigger';
const WEBHOOK_BASE_URL = 'http://127.0.0.1:5678/webhook';

function nodeTypes() {
	const trigger = new PaynetTrigger();
	return {
		getByName: () => trigger,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(trigger, 1),
		getKnownTypes: () => ({}),
	};
}

/** The instance data n8n hands a webhook call: its URLs as a local n8n on port 5678 has them. */
function webhookAdditionalData(credentialsHelper, extra = {}) {
	return {
		credentialsHelper,
		webhookBaseUrl: WEBHOOK_BASE_URL,
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		variables: {},
		userId: 'test-user',
		...extra,
	};
}

/** The request's media type, as n8n's body parser reads it. */
function contentTypeOf(req) {
	return String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

/** What n8n's body parser does before the node runs: JSON, form, or (throwing) 422. */
function parseBody(type, raw) {
	if (raw === '') return {};
	if (type === 'application/x-www-form-urlencoded') return { ...querystring.parse(raw) };
	if (type === 'application/json') return JSON.parse(raw);
	return {};
}

/** The bits of Express's response that nodes use (status, json, setHeader is Node's own). */
function expressLike(res) {
	res.status = (code) => {
		res.statusCode = code;
		return res;
	};
	res.json = (body) => {
		if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return res;
	};
	return res;
}

/**
 * Starts the trigger. `parameters` are the node's (n8n fills in defaults),
 * `credentials` e.g. `paynetCredentials(paynet)` from the engine harness.
 * Resolves with `{ url, runs, logs, staticData(), setParameters(), activate(),
 * deactivate(), close() }`: each accepted post adds its items to `runs`.
 */
async function startTriggerServer({ parameters = {}, credentials } = {}) {
	const webhookId = randomUUID();
	// A new workflow id per server and per reset: the trigger's in-process registry is keyed by it, as for a new workflow.
	let workflowId = `trigger-test-${randomUUID()}`;
	const harness = { runs: [], logs: [], url: undefined };
	let nodeParameters = parameters;
	let loadGapMs = 0;
	/** Milliseconds from a call's return to its save landing, by the call's number (from 1): saves can land out of order. */
	let saveDelayMs = () => 0;
	let calls = 0;
	/** 'webhook' for the Production URL; 'manual' for the Test URL, whose static data n8n does not save. */
	let mode = 'webhook';
	let savedStaticData = {};

	const logger = {};
	for (const level of ['debug', 'info', 'warn', 'error']) {
		logger[level] = (message) => harness.logs.push({ level, message });
	}

	function loadWorkflow() {
		const node = {
			id: 'trigger',
			name: NODE_NAME,
			type: PAYNET_TRIGGER,
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: structuredClone(nodeParameters),
			credentials: { paynetApi: { id: '1', name: 'Paynet account' } },
		};
		const workflow = new Workflow({
			id: workflowId,
			name: 'trigger test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: nodeTypes(),
			staticData: structuredClone(savedStaticData),
			settings: { executionOrder: 'v1' },
		});
		return { workflow, node: workflow.getNode(NODE_NAME) };
	}

	const additionalData = (extra = {}) => webhookAdditionalData(new TestCredentialsHelper(credentials ?? {}), extra);

	function save(workflow) {
		// n8n stores static data as JSON in its database.
		if (workflow.staticData.__dataChanged === true) savedStaticData = JSON.parse(JSON.stringify(workflow.staticData));
	}

	/** Node-level logger: n8n-core reads it from a DI container we do not run, so it is set on the context. */
	function withLogger(context) {
		Object.defineProperty(context, 'logger', { value: logger, configurable: true });
		return context;
	}

	async function handle(req, res, raw) {
		expressLike(res);
		try {
			req.body = parseBody(contentTypeOf(req), raw);
		} catch {
			return res.status(422).json({ code: 422, message: 'Failed to parse request body' });
		}
		req.ip = req.socket.remoteAddress;
		const { workflow, node } = loadWorkflow();
		harness.loads++;
		const call = ++calls;
		// n8n awaits its own set-up (additional data, isolate) between loading the workflow and running the node.
		if (loadGapMs > 0) await new Promise((resolve) => setTimeout(resolve, loadGapMs));
		const webhookData = { webhookDescription: new PaynetTrigger().description.webhooks[0] };
		const context = withLogger(
			new WebhookContext(
				workflow,
				node,
				additionalData({ httpRequest: req, httpResponse: res }),
				mode,
				webhookData,
				[],
			),
		);
		let result;
		try {
			result = await workflow.nodeTypes.getByNameAndVersion(node.type, 1).webhook.call(context);
		} catch (error) {
			harness.logs.push({ level: 'thrown', message: String(error?.message ?? error) });
			if (!res.headersSent) res.status(500).json({ code: 0, message: 'Error in workflow' });
			return;
		}
		if (mode === 'webhook') {
			const delay = saveDelayMs(call);
			if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
			save(workflow);
		}
		if (result.workflowData) harness.runs.push(result.workflowData[0].map((item) => item.json));
		if (result.noWebhookResponse !== true && !res.headersSent) {
			res.status(200).json({ message: 'Workflow was started' });
		}
	}

	async function lifecycle(method) {
		const { workflow, node } = loadWorkflow();
		const webhookData = { webhookDescription: new PaynetTrigger().description.webhooks[0], isTest: false };
		const context = withLogger(new HookContext(workflow, node, additionalData(), 'trigger', 'activate', webhookData));
		const result = await new PaynetTrigger().webhookMethods.default[method].call(context);
		save(workflow);
		return result;
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
				res.statusCode = 500;
				res.end(String(error));
			});
		});
	});
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	harness.url = `http://127.0.0.1:${server.address().port}/webhook/${webhookId}/paynet`;
	harness.productionUrl = `${WEBHOOK_BASE_URL}/${webhookId}/paynet`;
	harness.staticData = () => savedStaticData;
	harness.setParameters = (next) => {
		nodeParameters = next;
	};
	harness.checkExists = () => lifecycle('checkExists');
	harness.create = () => lifecycle('create');
	harness.delete = () => lifecycle('delete');
	harness.loads = 0;
	/** Milliseconds between loading a request's workflow (and static data) and running the node. */
	harness.setLoadGap = (ms) => {
		loadGapMs = ms;
	};
	harness.setSaveDelay = (byCall) => {
		saveDelayMs = byCall;
		calls = 0;
	};
	harness.setMode = (next) => {
		mode = next;
	};
	harness.reset = () => {
		harness.runs.length = 0;
		harness.logs.length = 0;
		savedStaticData = {};
		workflowId = `trigger-test-${randomUUID()}`;
		loadGapMs = 0;
		saveDelayMs = () => 0;
		calls = 0;
		mode = 'webhook';
	};
	/** Replaces the saved static data, as if the database held it (e.g. a memory written by an earlier version). */
	harness.setStaticData = (data) => {
		savedStaticData = structuredClone(data);
	};
	/** The same trigger in a fresh n8n process would have an empty registry: a new id stands in for that. */
	harness.restartProcess = () => {
		workflowId = `${workflowId.split('#')[0]}#${randomUUID()}`;
	};
	/** Posts like Paynet: JSON unless `form` is set. Resolves with { status, body, text, headers }. */
	harness.post = async (body, { form = false, headers = {} } = {}) => {
		const response = await fetch(harness.url, {
			method: 'POST',
			headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
			body: typeof body === 'string' ? body : form ? new URLSearchParams(body).toString() : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return { status: response.status, body: parsed, text, headers: response.headers };
	};
	harness.close = () =>
		new Promise((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		});
	return harness;
}

module.exports = { startTriggerServer, NODE_NAME, contentTypeOf, parseBody, expressLike, webhookAdditionalData };
