'use strict';
// Runs the Paynet Polling Trigger the way n8n's active-workflow manager does:
// trigger() on n8n-core's real TriggerContext, with emit standing in for
// n8n's (three parameters as in 1.x, or four with the deduplication key as
// in 2.20+), the cron registration captured so a test fires polls itself,
// and the static data snapshot n8n would save with each run it starts.
const http = require('node:http');
const path = require('node:path');
const { TriggerContext, WebhookContext } = require('n8n-core');
const { Workflow, NodeHelpers } = require('n8n-workflow');
const { TestCredentialsHelper, paynetCredentials, runWorkflow } = require('./engine');

const dist = path.join(__dirname, '..', '..', 'dist');
const TRIGGER_MODULE = path.join(dist, 'nodes/Paynet/PaynetPollingTrigger.node.js');
const { PaynetPollingTrigger } = require(TRIGGER_MODULE);

/**
 * The node's class as a newly started n8n process loads it: its modules
 * (and their process-wide state: live activations, runs in flight) fresh.
 */
function freshProcessTrigger() {
	let Trigger;
	jest.isolateModules(() => {
		Trigger = require(TRIGGER_MODULE).PaynetPollingTrigger;
	});
	return Trigger;
}

const PAYNET_POLLING_TRIGGER = 'n8n-nodes-paynet.paynetPollingTrigger';
const NODE_NAME = 'Paynet Polling Trigger';

function pollingNode(parameters) {
	return {
		id: 'polling-node',
		name: NODE_NAME,
		type: PAYNET_POLLING_TRIGGER,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { paynetApi: { id: '1', name: 'Paynet account' } },
	};
}

function nodeTypesOf(trigger) {
	return {
		getByName: () => trigger,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(trigger, 1),
		getKnownTypes: () => ({}),
	};
}

/**
 * Activates one Polling Trigger; `staticData` is the node's. `saved` is the node's static data as n8n last
 * stored it (on activation, and with every emit), so a "restart" is a new
 * activation from `saved`. `saveFailedExecution`, when given, stands for
 * n8n 2.x's; without it the context has none, as in 1.x.
 */
/** The active one-node workflow both the trigger and its webhook run in. */
function pollingWorkflow(trigger, workflowId, parameters, staticData) {
	return new Workflow({
		id: workflowId,
		name: 'polling test',
		nodes: [pollingNode(parameters)],
		connections: {},
		active: true,
		nodeTypes: nodeTypesOf(trigger),
		staticData,
		settings: { executionOrder: 'v1' },
	});
}

async function activatePollingTrigger(
	paynet,
	{
		parameters = {},
		staticData = {},
		emitArity = 4,
		workflowId = 'wf-polling',
		saveFailedExecution,
		now,
		snapshotOnEmit = true,
		settleRuns = 'at once',
		freshProcess = false,
		executions,
	} = {},
) {
	const trigger = new (freshProcess ? freshProcessTrigger() : PaynetPollingTrigger)();
	const workflow = pollingWorkflow(trigger, workflowId, parameters, {
		[`node:${NODE_NAME}`]: JSON.parse(JSON.stringify(staticData)),
	});
	const node = workflow.getNode(NODE_NAME);
	const state = {
		emits: [],
		emitErrors: [],
		crons: [],
		logs: [],
		saved: undefined,
		unsettled: [],
		savedBytes: [],
		skipped: [],
	};
	// n8n saves the whole static data; a test reads the node's part of it.
	const save = () => {
		const json = JSON.stringify(workflow.staticData[`node:${NODE_NAME}`] ?? {});
		state.savedBytes.push(json.length);
		state.saved = JSON.parse(json);
	};
	// n8n settles the donePromise when the run ends; `settleRuns: 'by test'` leaves that to the test (`endRuns`).
	const record = (data, donePromise, deduplicationKey) => {
		// n8n starts the save with the emit but serialises the static data some ticks later ('later').
		if (snapshotOnEmit === 'later') setImmediate(save);
		else if (snapshotOnEmit) save();
		// n8n ≥ 2.20's unique index: a second execution under a key is not created, and donePromise resolves empty.
		if (executions && emitArity === 4) {
			if (executions.has(deduplicationKey)) {
				state.skipped.push(deduplicationKey);
				if (donePromise) setImmediate(() => donePromise.resolve(undefined));
				return;
			}
			executions.add(deduplicationKey);
		}
		state.emits.push({ json: data[0][0].json, deduplicationKey, items: data[0].length });
		if (!donePromise) return;
		if (settleRuns === 'at once') setImmediate(() => donePromise.resolve({ finished: true }));
		else state.unsettled.push(donePromise);
	};
	// n8n 1.x's emit takes three parameters, 2.20+'s four; the node must tell them apart by the function itself.
	const emit =
		emitArity === 4
			? (data, _responsePromise, donePromise, deduplicationKey) => record(data, donePromise, deduplicationKey)
			: function (data, _responsePromise, donePromise) {
					record(data, donePromise, arguments[3]);
				};
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(paynetCredentials(paynet)),
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		variables: {},
	};
	const context = new TriggerContext(workflow, node, additionalData, 'trigger', 'activate', emit, (error) =>
		state.emitErrors.push(error),
	);
	context.saveFailedExecution = saveFailedExecution;
	context.helpers.registerCron = (cron, onTick) => state.crons.push({ cron, onTick });
	const log = (level) => (message) => state.logs.push({ level, message });
	Object.defineProperty(context, 'logger', {
		value: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
	});
	const realNow = Date.now;
	if (now) Date.now = now;
	let response;
	try {
		response = await trigger.trigger.call(context);
	} finally {
		Date.now = realNow;
	}
	// n8n saves the static data at the end of an activation.
	save();
	return {
		emits: state.emits,
		/** Keys n8n refused as duplicates (with `executions`). */
		skipped: state.skipped,
		emitErrors: state.emitErrors,
		crons: state.crons,
		logs: state.logs,
		/** The static data as n8n last saved it. */
		saved: () => state.saved,
		context,
		response,
		staticData: () => workflow.getStaticData('node', node),
		/** Bytes of the node's static data each time n8n would have saved it (activation, and each run). */
		savedBytes: state.savedBytes,
		/** Runs started and not yet ended (with `settleRuns: 'by test'`). */
		runsInFlight: () => state.unsettled.length,
		/** Ends the oldest `count` runs in flight, as n8n does when they finish (or with `error`, as when n8n fails them). */
		endRuns: (count = state.unsettled.length, error) => {
			for (const done of state.unsettled.splice(0, count)) {
				if (error) done.reject(error);
				else done.resolve({ finished: true });
			}
		},
		/** Fires the cron tick n8n registered, as its scheduler does every minute. */
		tick: () => state.crons.forEach((cron) => cron.onTick()),
		/** One poll now (or the one an activation started), to its end. */
		poll: async () => await response.pollNow(),
		close: async () => await response.closeFunction(),
		warnings: () => state.logs.filter((entry) => entry.level === 'warn').map((entry) => entry.message),
		errors: () => state.logs.filter((entry) => entry.level === 'error').map((entry) => entry.message),
	};
}

/** "Fetch Test Event": the node run alone in manual mode through n8n-core's engine. */
async function fetchTestEvent(paynet, { parameters = {}, staticData } = {}) {
	const node = pollingNode(parameters);
	const workflowJson = { nodes: [node], connections: {}, staticData };
	return await runWorkflow(workflowJson, {
		credentials: paynetCredentials(paynet),
		extraNodeTypes: { [PAYNET_POLLING_TRIGGER]: new PaynetPollingTrigger() },
	});
}

/**
 * The Polling Trigger's webhook (Listen on) over real HTTP on 127.0.0.1, as
 * n8n serves it: n8n-core's WebhookContext around webhook(), for the workflow
 * and node `activatePollingTrigger` activated under the same `workflowId`.
 * `runs` collects any workflowData a post returned: a production post must
 * return none. `mode: 'manual'` stands for the Test URL.
 */
async function startListenServer(paynet, { parameters = {}, workflowId = 'wf-polling', mode = 'webhook' } = {}) {
	const { contentTypeOf, parseBody, expressLike, webhookAdditionalData } = require('./webhook');
	const trigger = new PaynetPollingTrigger();
	const harness = { runs: [], answers: [], logs: [], mode };
	const log = (level) => (message) => harness.logs.push({ level, message });
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			expressLike(res);
			req.body = parseBody(contentTypeOf(req), Buffer.concat(chunks).toString('utf8'));
			req.ip = req.socket.remoteAddress;
			const workflow = pollingWorkflow(trigger, workflowId, parameters, {});
			const node = workflow.getNode(NODE_NAME);
			const additionalData = webhookAdditionalData(new TestCredentialsHelper(paynetCredentials(paynet)), {
				httpRequest: req,
				httpResponse: res,
			});
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				harness.mode,
				{
					webhookDescription: trigger.description.webhooks[0],
				},
				[],
			);
			Object.defineProperty(context, 'logger', {
				value: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
			});
			try {
				const result = await trigger.webhook.call(context);
				if (result.workflowData) harness.runs.push(result.workflowData[0].map((item) => item.json));
				if (!res.headersSent) res.status(200).json({ message: 'Workflow was started' });
			} catch (error) {
				harness.logs.push({ level: 'thrown', message: String(error?.message ?? error) });
				if (!res.headersSent) res.status(500).json({ code: 0, message: 'Error in workflow' });
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	harness.url = `http://127.0.0.1:${server.address().port}/webhook/listen/paynet`;
	harness.post = async (body) => {
		const response = await fetch(harness.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		const answer = { status: response.status, text: await response.text() };
		harness.answers.push(answer);
		return answer;
	};
	harness.close = () => new Promise((resolve) => server.close(resolve));
	return harness;
}

/**
 * The clocks of a polling test: each test starts with n8n's clock (Date.now) and
 * Paynet's at `startMs`; `advance` moves both, `setSkew` sets n8n's clock apart
 * from Paynet's (n8n's less Paynet's), and `paynetNow` is Paynet's.
 */
function useTestClock(startMs) {
	const realNow = Date.now;
	let paynetOffset = 0;
	let skew = 0;
	const paynetNow = () => realNow() + paynetOffset;
	beforeEach(() => {
		paynetOffset = startMs - realNow();
		skew = 0;
		Date.now = () => paynetNow() + skew;
	});
	afterEach(() => {
		Date.now = realNow;
	});
	return {
		paynetNow,
		advance: (ms) => {
			paynetOffset += ms;
		},
		setSkew: (ms) => {
			skew = ms;
		},
		/** Back to the real time (a look-alike that dates payments by the real clock). */
		reset: () => {
			paynetOffset = 0;
			skew = 0;
		},
	};
}

module.exports = {
	useTestClock,
	activatePollingTrigger,
	fetchTestEvent,
	startListenServer,
	PAYNET_POLLING_TRIGGER,
	NODE_NAME,
};
