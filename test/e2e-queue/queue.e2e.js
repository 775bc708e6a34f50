'use strict';
// n8n in queue mode (2.x; 1.x on request): a main, a worker and a webhook processor (a second
// one for the burst) on PostgreSQL and Redis, n8n-nodes-paynet installed as a
// community package in each, against the Paynet look-alike.
// Run with scripts/e2e-queue.sh [2|1] (npm run test:e2e:queue: 2.x).
//
// Where a run happened is read twice: each workflow ends in a Set node that
// records $env.PAYNET_E2E_PROCESS (the name the suite gave the process that
// evaluated it), and the processes' logs say who enqueued an execution
// ("Enqueued execution N") and who ran it ("Worker started execution N").
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { startPaynetServer } = require('../paynet-server');
const { istanbulDay } = require('../paynet-server/formats');
const { createPayLink } = require('../paynet-server/mailorder');
const { checkEnvironment, createCluster } = require('./cluster');
const n8n = require('../e2e/n8n');

checkEnvironment();

const RUN_DIR = process.env.PAYNET_E2E_DIR;
const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '2';
const SECRET_KEY = 'sck_queue_secret/key+with=chars';
const CREATE_COUNT = 200;
const TRIGGER_WEBHOOK_ID = randomUUID();
const CREATE_PATH = 'queue-create-paylinks';
const LIST_CHECK_PATH = 'queue-list-and-check';
// The burst: identical copies of one confirmation posted at the same moment.
const BURST_ROUNDS = 4;
const BURST_COPIES = 8;
// Paynet's check answers in tens to hundreds of milliseconds; with none, the
// window between "not seen yet" and "remembered" would be unrealistically small.
const BURST_PAYNET_LATENCY_MS = 100;
// Rounds of different payments confirmed at once (BURST_COPIES each), per layout.
const DISTINCT_ROUNDS = 3;
// The Polling Trigger runs only this suite's payments with this prefix, paid with no confirmation URL.
const POLL_PREFIX = 'n8n-queue-poll-';
const POLL_PAYMENTS = 3;
// The Polling Trigger also listens for Paynet's posts (issue 27): its webhook is answered by the webhook processor.
const POLL_WEBHOOK_ID = randomUUID();

const { timings, timed } = n8n.stepTimer();
const figures = {};

const { sleep } = n8n;

const waitFor = (what, check, timeoutMs = 60_000) => n8n.waitFor(what, check, timeoutMs);

async function post(url, body) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return await n8n.readResponse(response);
}

// --- workflows -------------------------------------------------------------------

let nodeSeq = 0;
function node(name, type, typeVersion, parameters, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion, position: [(nodeSeq++ % 6) * 220, 0], parameters, ...extra };
}

/** A Set node that records, on each item, which process ran it and how many items it got. */
const ranOn = (name) =>
	node(name, 'n8n-nodes-base.set', 3.4, {
		mode: 'manual',
		includeOtherFields: false,
		assignments: {
			assignments: [
				{ id: randomUUID(), name: 'process', value: '={{ $env.PAYNET_E2E_PROCESS }}', type: 'string' },
				{ id: randomUUID(), name: 'items', value: '={{ $input.all().length }}', type: 'number' },
			],
		},
		options: {},
	});

const connect = (...names) => {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		const from = names[i];
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: names[i + 1], type: 'main', index: 0 });
	}
	return connections;
};

const SETTINGS = { executionOrder: 'v1', timezone: 'Europe/Istanbul' };

function createWorkflow(credential) {
	const nodes = [
		node(
			'Rows posted',
			'n8n-nodes-base.webhook',
			2,
			{ httpMethod: 'POST', path: CREATE_PATH, responseMode: 'onReceived', options: {} },
			{ webhookId: randomUUID() },
		),
		node('One item per row', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.rows', options: {} }),
		node(
			'Create PayLink',
			'n8n-nodes-paynet.paynet',
			1,
			{
				resource: 'payLink',
				operation: 'create',
				nameSurname: '={{ $json.name }}',
				amount: '={{ $json.amount }}',
				additionalFields: { referenceNo: '={{ $json.order_no }}', expireHours: 48 },
				options: {},
			},
			{ credentials: { paynetApi: credential } },
		),
		ranOn('Ran on'),
	];
	return {
		name: 'Queue: rows to PayLinks',
		nodes,
		connections: connect('Rows posted', 'One item per row', 'Create PayLink', 'Ran on'),
		settings: SETTINGS,
	};
}

function listCheckWorkflow(credential) {
	const today = istanbulDay(new Date());
	const nodes = [
		node(
			'Asked',
			'n8n-nodes-base.webhook',
			2,
			{ httpMethod: 'POST', path: LIST_CHECK_PATH, responseMode: 'onReceived', options: {} },
			{ webhookId: randomUUID() },
		),
		node(
			'All PayLinks',
			'n8n-nodes-paynet.paynet',
			1,
			{ resource: 'payLink', operation: 'list', startDate: today, endDate: today, returnAll: true, filters: {} },
			{ credentials: { paynetApi: credential } },
		),
		ranOn('List ran on'),
		node(
			'Check payment',
			'n8n-nodes-paynet.paynet',
			1,
			{
				resource: 'payment',
				operation: 'check',
				lookupBy: 'referenceNo',
				referenceNo: '={{ $json.body.reference_no }}',
			},
			{ credentials: { paynetApi: credential } },
		),
		ranOn('Check ran on'),
	];
	const connections = { ...connect('All PayLinks', 'List ran on'), ...connect('Check payment', 'Check ran on') };
	connections.Asked = {
		main: [
			[
				{ node: 'All PayLinks', type: 'main', index: 0 },
				{ node: 'Check payment', type: 'main', index: 0 },
			],
		],
	};
	return { name: 'Queue: list and check', nodes, connections, settings: SETTINGS };
}

function triggerWorkflow(credential) {
	const nodes = [
		node(
			'Paynet Trigger',
			'n8n-nodes-paynet.paynetTrigger',
			1,
			{ event: 'successfulPayment', verifyWithApi: true, options: { deduplicate: true } },
			{ webhookId: TRIGGER_WEBHOOK_ID, credentials: { paynetApi: credential } },
		),
		node('Confirmed', 'n8n-nodes-base.set', 3.4, {
			mode: 'manual',
			includeOtherFields: false,
			assignments: {
				assignments: [
					{ id: randomUUID(), name: 'reference_no', value: '={{ $json.reference_no }}', type: 'string' },
					{ id: randomUUID(), name: 'xact_id', value: '={{ $json.xact_id }}', type: 'string' },
					{ id: randomUUID(), name: 'verified', value: '={{ $json.verified }}', type: 'boolean' },
					{ id: randomUUID(), name: 'process', value: '={{ $env.PAYNET_E2E_PROCESS }}', type: 'string' },
				],
			},
			options: {},
		}),
	];
	return {
		name: 'Queue: payment confirmations',
		nodes,
		connections: connect('Paynet Trigger', 'Confirmed'),
		settings: SETTINGS,
	};
}

/** The Polling Trigger, filtered to this suite's "n8n-queue-poll-" payments, then the process that ran each. */
function pollingWorkflow(credential) {
	const nodes = [
		node(
			'Paynet Polling Trigger',
			'n8n-nodes-paynet.paynetPollingTrigger',
			1,
			{ event: 'successfulPayment', pollMinutes: 1, listen: true, filters: { referencePrefix: POLL_PREFIX } },
			{ credentials: { paynetApi: credential }, webhookId: POLL_WEBHOOK_ID },
		),
		node('Paid', 'n8n-nodes-base.set', 3.4, {
			mode: 'manual',
			includeOtherFields: false,
			assignments: {
				assignments: [
					{ id: randomUUID(), name: 'xact_id', value: '={{ $json.xact_id }}', type: 'string' },
					{ id: randomUUID(), name: 'verified', value: '={{ $json.verified }}', type: 'boolean' },
					{ id: randomUUID(), name: 'process', value: '={{ $env.PAYNET_E2E_PROCESS }}', type: 'string' },
				],
			},
			options: {},
		}),
	];
	return {
		name: 'Queue: polling trigger',
		nodes,
		connections: connect('Paynet Polling Trigger', 'Paid'),
		settings: SETTINGS,
	};
}

/** One SQL statement against the suite's PostgreSQL, as n8n's own user; rows as text. */
function sql(statement) {
	const result = spawnSync(
		'psql',
		['-h', '127.0.0.1', '-p', process.env.PAYNET_QUEUE_PG_PORT, '-U', 'n8n', '-d', 'n8n', '-At', '-c', statement],
		{ encoding: 'utf8' },
	);
	if (result.status !== 0) throw new Error(`psql: ${result.stderr || result.error}`);
	return result.stdout.trim() === '' ? [] : result.stdout.trim().split('\n');
}

// --- the cluster -----------------------------------------------------------------

const cluster = createCluster();
let paynet;
let apiKey;
const ids = {};

const api = (method, urlPath, json) => n8n.request(method, `/api/v1${urlPath}`, { apiKey, json });
const triggerUrl = (processName) => `${cluster.url(processName)}/webhook/${TRIGGER_WEBHOOK_ID}/paynet`;

/** The distinct items a "ran on" node output, and how many it output. */
function ranOnSummary(execution, nodeName) {
	const items = outputOf(execution, nodeName);
	return {
		distinct: [...new Set(items.map((item) => JSON.stringify(item)))].map((text) => JSON.parse(text)),
		count: items.length,
	};
}

function outputOf(execution, nodeName) {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`"${nodeName}" did not run in execution ${execution.id}`);
	return runs[0].data.main[0].map((item) => item.json);
}

/** Where n8n's own logs place an execution: who enqueued it, who ran it. */
function placement(executionId) {
	const mentions = (name, verb) =>
		new RegExp(`${verb} execution ${executionId} \\(job`).test(cluster.log(name)) ? [name] : [];
	const names = ['main', 'worker', 'webhook-1', 'webhook-2'].filter((name) => cluster.get(name)?.starts);
	return {
		enqueuedBy: names.flatMap((name) => mentions(name, 'Enqueued')),
		ranBy: names.flatMap((name) => mentions(name, 'Worker started')),
	};
}

const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * A workflow's finished executions, newest first, without their data. The
 * public API's list leaves out what the main still counts as running, and
 * n8n 2.41.1's main keeps some of the runs it enqueued there after the worker
 * has finished them; so every execution a worker logged as finished that the
 * list lacks is fetched on its own, and kept if it belongs to the workflow.
 */
async function finishedExecutions(workflowId) {
	const listed = [];
	let cursor;
	do {
		const query = `workflowId=${workflowId}&includeData=false&limit=250${cursor ? `&cursor=${cursor}` : ''}`;
		const response = await api('GET', `/executions?${query}`);
		if (response.status !== 200) throw new Error(`executions: HTTP ${response.status} ${response.text}`);
		listed.push(...response.data.data);
		cursor = response.data.nextCursor;
	} while (cursor);
	const known = new Set(listed.map((execution) => String(execution.id)));
	const finishedByWorker = [...cluster.log('worker').matchAll(/Worker finished execution (\d+) \(job/g)].map(
		(match) => match[1],
	);
	for (const id of finishedByWorker.filter((id) => !known.has(id))) {
		if (workflowOfExecution.has(id) && workflowOfExecution.get(id) !== String(workflowId)) continue;
		const response = await api('GET', `/executions/${id}?includeData=false`);
		if (response.status !== 200) throw new Error(`execution ${id}: HTTP ${response.status} ${response.text}`);
		workflowOfExecution.set(id, String(response.data.workflowId));
		if (String(response.data.workflowId) !== String(workflowId)) continue;
		hiddenFromList.add(id);
		listed.push(response.data);
	}
	return listed.filter((execution) => DONE.has(execution.status)).sort((a, b) => Number(b.id) - Number(a.id));
}
/** Finished executions the list left out (a figure), and which workflow each unlisted one belongs to. */
const hiddenFromList = new Set();
const workflowOfExecution = new Map();

/** One execution with its run data. */
async function withData({ id }) {
	const response = await api('GET', `/executions/${id}?includeData=true`);
	if (response.status !== 200) throw new Error(`execution ${id}: HTTP ${response.status} ${response.text}`);
	return response.data;
}

/** Waits until the workflow has `count` finished runs, then a little longer to catch extra ones. */
async function waitForRuns(workflowId, count, { settleMs = 2000 } = {}) {
	try {
		await waitFor(`${count} finished run(s) of workflow ${workflowId}`, async () => {
			const done = await finishedExecutions(workflowId);
			return done.length >= count ? done : undefined;
		});
	} catch (error) {
		const all = await finishedExecutions(workflowId);
		error.message += `; finished: ${all.map(({ id, status }) => `${id} ${status}`).join(', ')}`;
		throw error;
	}
	await sleep(settleMs);
	return await finishedExecutions(workflowId);
}

beforeAll(async () => {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY });
	for (const [name, kind] of [
		['main', 'start'],
		['worker', 'worker'],
		['webhook-1', 'webhook'],
		['webhook-2', 'webhook'],
	]) {
		cluster.define(name, kind);
	}
	// Production URLs, as the editor shows them, point at the webhook processor.
	cluster.setWebhookUrl(`http://localhost:${cluster.get('webhook-1').port}/`);
	// The main first: it creates the schema the others need.
	await timed('boot main (n8n start, migrations on an empty PostgreSQL)', () => cluster.start('main', 'start'));
	process.env.N8N_PORT = String(cluster.get('main').port); // test/e2e/n8n.js talks to the main
	await timed('boot worker + webhook processor', () =>
		Promise.all([cluster.start('worker', 'worker'), cluster.start('webhook-1', 'webhook')]),
	);

	await timed('owner, API key, credential, 4 workflows activated (public API)', async () => {
		const cookie = await n8n.setupOwner();
		apiKey = await n8n.createApiKey(cookie);
		const created = await api('POST', '/credentials', {
			name: 'Paynet (queue e2e)',
			type: 'paynetApi',
			data: {
				secretKey: SECRET_KEY,
				environment: 'custom',
				baseUrl: paynet.url,
				// n8n 1.x adds a domain restriction to every credential, and its public
				// API's schema refuses the credential unless that field is given.
				...(MAJOR === '1' ? { allowedHttpRequestDomains: 'all' } : {}),
			},
		});
		if (created.status !== 200) throw new Error(`credential: HTTP ${created.status} ${created.text}`);
		ids.credential = created.data.id;
		const credential = { id: created.data.id, name: created.data.name };
		for (const [key, workflow] of [
			['create', createWorkflow(credential)],
			['listCheck', listCheckWorkflow(credential)],
			['trigger', triggerWorkflow(credential)],
			['polling', pollingWorkflow(credential)],
		]) {
			const response = await api('POST', '/workflows', workflow);
			if (response.status !== 200)
				throw new Error(`workflow ${workflow.name}: HTTP ${response.status} ${response.text}`);
			ids[key] = response.data.id;
			const activated = await api('POST', `/workflows/${response.data.id}/activate`);
			if (activated.status !== 200)
				throw new Error(`activate ${workflow.name}: HTTP ${activated.status} ${activated.text}`);
		}
	});
}, 400_000);

afterAll(async () => {
	await cluster.stopAll();
	await paynet?.close();
	figures.finishedRunsMissingFromTheExecutionsList = hiddenFromList.size;
	if (RUN_DIR) {
		fs.writeFileSync(path.join(RUN_DIR, 'timings.json'), JSON.stringify(timings, null, 2));
		fs.writeFileSync(path.join(RUN_DIR, 'figures.json'), JSON.stringify(figures));
	}
}, 120_000);

/** Posts to a production webhook until the processor knows it (activation reaches it through the database). */
async function postWhenRegistered(url, body) {
	return await waitFor(`${url} to be registered`, async () => {
		const response = await post(url, body);
		return response.status === 404 ? undefined : response;
	});
}

describe(`n8n ${MAJOR}.x in queue mode (main + worker + webhook processor, PostgreSQL, Redis)`, () => {
	test(`a webhook-started Create over ${CREATE_COUNT} rows runs on the worker and creates each PayLink once`, async () => {
		const rows = Array.from({ length: CREATE_COUNT }, (_, i) => ({
			order_no: `Q-${String(i + 1).padStart(4, '0')}`,
			name: `Müşteri ${i + 1}`,
			amount: `${100 + i},50`,
		}));
		const response = await timed('post 200 rows to the webhook processor', () =>
			postWhenRegistered(`${cluster.url('webhook-1')}/webhook/${CREATE_PATH}`, { rows }),
		);
		expect(response.status).toBe(200);

		const [run] = await timed(`create ${CREATE_COUNT} PayLinks on the worker`, () =>
			waitForRuns(ids.create, 1, { settleMs: 0 }),
		);
		const execution = await withData(run);
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(ranOnSummary(execution, 'Ran on')).toEqual({
			distinct: [{ process: 'worker', items: CREATE_COUNT }],
			count: CREATE_COUNT,
		});
		expect(placement(execution.id)).toEqual({ enqueuedBy: ['webhook-1'], ranBy: ['worker'] });

		const links = outputOf(execution, 'Create PayLink');
		expect(links).toHaveLength(CREATE_COUNT);
		const creates = paynet.requestsTo('/v1/mailorder/create');
		expect(creates).toHaveLength(CREATE_COUNT);
		const references = creates.map((request) => request.body.reference_no);
		expect(new Set(references).size).toBe(CREATE_COUNT);
		expect(references.sort()).toEqual(rows.map((row) => row.order_no));
		for (const request of creates) expect(request.headers.authorization).toBe(`Basic ${SECRET_KEY}`);
		expect(paynet.state.payLinks.filter((link) => link.reference_no.startsWith('Q-'))).toHaveLength(CREATE_COUNT);
		expect(paynet.state.payLinks.find((link) => link.reference_no === 'Q-0007').amount).toBe(106.5);
	});

	test('List with Return All and Payment → Check run on the worker', async () => {
		await paynet.pay('Q-0010'); // no confirmation_url: only the transaction is recorded
		const listsBefore = paynet.requestsTo('/v1/mailorder/list').length;
		const response = await postWhenRegistered(`${cluster.url('webhook-1')}/webhook/${LIST_CHECK_PATH}`, {
			reference_no: 'Q-0010',
		});
		expect(response.status).toBe(200);

		const [run] = await timed('list all + check on the worker', () => waitForRuns(ids.listCheck, 1, { settleMs: 0 }));
		const execution = await withData(run);
		expect(execution.status).toBe('success');
		expect(placement(execution.id)).toEqual({ enqueuedBy: ['webhook-1'], ranBy: ['worker'] });
		const linkCount = paynet.state.payLinks.length;
		expect(ranOnSummary(execution, 'List ran on')).toEqual({
			distinct: [{ process: 'worker', items: linkCount }],
			count: linkCount,
		});
		expect(ranOnSummary(execution, 'Check ran on')).toEqual({ distinct: [{ process: 'worker', items: 1 }], count: 1 });

		const listed = outputOf(execution, 'All PayLinks');
		expect(new Set(listed.map((link) => link.reference_no))).toEqual(
			new Set(paynet.state.payLinks.map((link) => link.reference_no)),
		);
		// Paynet pages by 100 here: Return All had to follow the pages.
		expect(paynet.requestsTo('/v1/mailorder/list').length - listsBefore).toBeGreaterThanOrEqual(2);
		expect(listed.find((link) => link.reference_no === 'Q-0010')).toMatchObject({ status: 1, status_text: 'paid' });

		const [payment] = outputOf(execution, 'Check payment');
		const transaction = paynet.state.transactions.find((row) => row.agent_reference === 'Q-0010');
		expect(payment).toMatchObject({ reference_no: 'Q-0010', xact_id: transaction.xact_id, is_succeed: true });
	});

	describe('the Paynet Trigger', () => {
		let first; // the confirmation of Q-0020, accepted once
		let runsOfFirst;

		const triggerRuns = () => finishedExecutions(ids.trigger);
		const confirmedOf = async (execution) => outputOf(await withData(execution), 'Confirmed')[0];

		// n8n 1.x's public API has no credential test; the main's own verification below covers it there.
		(MAJOR === '1' ? test.skip : test)(
			'the credential, encrypted once by the main, passes its test on the main (public API)',
			async () => {
				const response = await api('POST', `/credentials/${ids.credential}/test`);
				expect(response.status).toBe(200);
				expect(response.data).toMatchObject({ status: 'OK' });
			},
		);

		test("a confirmation posted to the webhook processor's production URL is verified there and starts one run on the worker", async () => {
			first = (await paynet.pay('Q-0020')).confirmation;
			const checksBefore = paynet.requestsTo('/v1/transaction/check').length;
			const response = await timed('confirmation → webhook processor → verified (HTTP)', () =>
				postWhenRegistered(triggerUrl('webhook-1'), first),
			);
			expect(response.status).toBe(200);
			expect(response.data).toMatchObject({ received: true, result: 'accepted' });
			// The webhook processor decrypted the credential and asked Paynet.
			const checks = paynet.requestsTo('/v1/transaction/check').slice(checksBefore);
			expect(checks.length).toBeGreaterThanOrEqual(1);
			for (const check of checks) expect(check.headers.authorization).toBe(`Basic ${SECRET_KEY}`);

			runsOfFirst = await timed('confirmation → run finished on the worker', () => waitForRuns(ids.trigger, 1));
			expect(runsOfFirst).toHaveLength(1);
			const [execution] = runsOfFirst;
			expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
			expect(await confirmedOf(execution)).toMatchObject({ reference_no: 'Q-0020', verified: true, process: 'worker' });
			expect(placement(execution.id)).toEqual({ enqueuedBy: ['webhook-1'], ranBy: ['worker'] });
		});

		test('the same confirmation posted again, to the webhook processor and to the main, starts no run', async () => {
			const again = await post(triggerUrl('webhook-1'), first);
			expect(again).toMatchObject({ status: 200, data: { received: true, result: 'duplicate' } });
			const toMain = await post(triggerUrl('main'), first);
			expect(toMain).toMatchObject({ status: 200, data: { received: true, result: 'duplicate' } });
			await sleep(2000);
			expect((await triggerRuns()).map((run) => run.id)).toEqual(runsOfFirst.map((run) => run.id));
		});

		test('a forged confirmation is refused with 403, on the webhook processor and on the main', async () => {
			// Q-0021 was never paid.
			const forged = { ...first, referance_no: 'Q-0021', amount: 120.5 };
			const refused = await post(triggerUrl('webhook-1'), forged);
			expect(refused).toMatchObject({ status: 403, data: { received: false } });
			const refusedByMain = await post(triggerUrl('main'), forged);
			expect(refusedByMain).toMatchObject({ status: 403, data: { received: false } });
			await sleep(1500);
			expect(await triggerRuns()).toHaveLength(runsOfFirst.length);
		});

		test('the main verifies with the same credential: a new payment posted to it runs on the worker', async () => {
			const confirmation = (await paynet.pay('Q-0022')).confirmation;
			const response = await post(triggerUrl('main'), confirmation);
			expect(response).toMatchObject({ status: 200, data: { received: true, result: 'accepted' } });
			const runs = await waitForRuns(ids.trigger, runsOfFirst.length + 1);
			expect(runs).toHaveLength(runsOfFirst.length + 1);
			const [newest] = runs;
			expect(await confirmedOf(newest)).toMatchObject({ reference_no: 'Q-0022', verified: true, process: 'worker' });
			expect(placement(newest.id)).toEqual({ enqueuedBy: ['main'], ranBy: ['worker'] });
			runsOfFirst = runs;
		});

		test('deduplication survives a restart of the webhook processor and of the worker', async () => {
			await timed('restart webhook processor', () => cluster.restart('webhook-1'));
			const afterWebhookRestart = await postWhenRegistered(triggerUrl('webhook-1'), first);
			expect(afterWebhookRestart).toMatchObject({ status: 200, data: { result: 'duplicate' } });

			await timed('restart worker', () => cluster.restart('worker'));
			// A run on the restarted worker, which saves the workflow's static data at its end...
			const fresh = (await paynet.pay('Q-0023')).confirmation;
			expect(await post(triggerUrl('webhook-1'), fresh)).toMatchObject({ status: 200, data: { result: 'accepted' } });
			const runs = await waitForRuns(ids.trigger, runsOfFirst.length + 1);
			expect(runs).toHaveLength(runsOfFirst.length + 1);
			expect(await confirmedOf(runs[0])).toMatchObject({ reference_no: 'Q-0023', process: 'worker' });
			expect(placement(runs[0].id).ranBy).toEqual(['worker']);
			// ...and every confirmation accepted before either restart is still a duplicate, anywhere.
			for (const url of [triggerUrl('webhook-1'), triggerUrl('main')]) {
				for (const confirmation of [first, fresh]) {
					expect(await post(url, confirmation)).toMatchObject({ status: 200, data: { result: 'duplicate' } });
				}
			}
			await sleep(1500);
			expect(await triggerRuns()).toHaveLength(runs.length);
			runsOfFirst = runs;
		});

		test(`measured: bursts of ${BURST_COPIES} identical confirmations, on one webhook processor and spread over two`, async () => {
			await timed('boot a second webhook processor', () => cluster.start('webhook-2', 'webhook'));
			paynet.latencyMs = BURST_PAYNET_LATENCY_MS;
			let reference = 100;
			const burst = async (targets) => {
				const confirmation = (await paynet.pay(`Q-0${reference++}`)).confirmation;
				const before = (await triggerRuns()).length;
				const responses = await Promise.all(
					Array.from({ length: BURST_COPIES }, (_, i) => post(triggerUrl(targets[i % targets.length]), confirmation)),
				);
				for (const response of responses) expect(response.status).toBe(200);
				const accepted = responses.filter((response) => response.data.result === 'accepted').length;
				// Let every run that was started finish.
				const runs = await waitForRuns(ids.trigger, before + Math.max(accepted, 1), { settleMs: 1500 });
				const started = runs.length - before;
				const sequentialReplays = await Promise.all(
					targets.map((target) => post(triggerUrl(target), confirmation).then((r) => r.data.result)),
				);
				return { accepted, runs: started, replays: sequentialReplays, confirmation };
			};

			try {
				await timed(`burst rounds (${BURST_ROUNDS} on one processor, ${BURST_ROUNDS} on two)`, async () => {
					const oneProcessor = [];
					const twoProcessors = [];
					for (let round = 0; round < BURST_ROUNDS; round++) {
						oneProcessor.push(await burst(['webhook-1']));
						twoProcessors.push(await burst(['webhook-1', 'webhook-2']));
					}
					figures.burst = {
						copiesPerRound: BURST_COPIES,
						paynetLatencyMs: BURST_PAYNET_LATENCY_MS,
						oneWebhookProcessor: oneProcessor.map((round) => round.runs),
						twoWebhookProcessors: twoProcessors.map((round) => round.runs),
					};
					for (const round of [...oneProcessor, ...twoProcessors]) {
						// A confirmation is never lost, and once the burst is over it is remembered everywhere.
						expect(round.runs).toBeGreaterThanOrEqual(1);
						expect(round.runs).toBe(round.accepted);
						expect(round.replays.every((result) => result === 'duplicate')).toBe(true);
					}
				});
			} finally {
				paynet.latencyMs = 0;
			}
			console.log(`[e2e-queue] burst figures: ${JSON.stringify(figures.burst)}`);
		});

		// n8n saves a workflow's static data whole after each webhook call, and
		// each call starts from what the database held when it arrived: two
		// processes (or two calls) accepting different payments at the same
		// moment can each write back a memory without the other's payment.
		test(`measured: ${BURST_COPIES} different payments confirmed at the same moment, then each replayed`, async () => {
			paynet.latencyMs = BURST_PAYNET_LATENCY_MS;
			let reference = 150;
			const round = async (targets) => {
				const confirmations = [];
				for (let i = 0; i < BURST_COPIES; i++) confirmations.push((await paynet.pay(`Q-0${reference++}`)).confirmation);
				const before = (await triggerRuns()).length;
				const responses = await Promise.all(
					confirmations.map((confirmation, i) => post(triggerUrl(targets[i % targets.length]), confirmation)),
				);
				for (const response of responses) expect(response).toMatchObject({ status: 200, data: { result: 'accepted' } });
				await waitForRuns(ids.trigger, before + BURST_COPIES, { settleMs: 1000 });
				// Replayed one by one to the main, which took no part in the round:
				// it knows only what the database remembers.
				const replays = [];
				for (const confirmation of confirmations)
					replays.push((await post(triggerUrl('main'), confirmation)).data.result);
				const forgotten = replays.filter((result) => result === 'accepted').length;
				const runs = await waitForRuns(ids.trigger, before + BURST_COPIES + forgotten, { settleMs: 1500 });
				expect(runs.length - before).toBe(BURST_COPIES + forgotten);
				return forgotten;
			};
			try {
				await timed(
					`distinct-payment rounds (${DISTINCT_ROUNDS} on one processor, ${DISTINCT_ROUNDS} on two)`,
					async () => {
						const oneProcessor = [];
						const twoProcessors = [];
						for (let i = 0; i < DISTINCT_ROUNDS; i++) {
							oneProcessor.push(await round(['webhook-1']));
							twoProcessors.push(await round(['webhook-1', 'webhook-2']));
						}
						figures.concurrentDistinctPayments = {
							paymentsPerRound: BURST_COPIES,
							forgottenOnOneWebhookProcessor: oneProcessor,
							forgottenOnTwoWebhookProcessors: twoProcessors,
						};
					},
				);
			} finally {
				paynet.latencyMs = 0;
			}
			console.log(`[e2e-queue] concurrent distinct payments: ${JSON.stringify(figures.concurrentDistinctPayments)}`);
		});
	});
	describe('the Paynet Polling Trigger', () => {
		const pollingRuns = () => finishedExecutions(ids.polling);
		let pollingNodeId;
		let paid;

		test(`${POLL_PAYMENTS} payments that no confirmation announces: one run each, started by the main, run on the worker, each with its deduplication key in the database`, async () => {
			paid = [];
			for (let i = 0; i < POLL_PAYMENTS; i++) {
				const link = createPayLink(paynet, {
					name_surname: `Poller ${i}`,
					amount: 60 + i,
					reference_no: `${POLL_PREFIX}${i}`,
				});
				paid.push((await paynet.pay(link.id)).transaction);
			}
			const runs = await timed('payments → polled → runs finished (≤ 1 min poll)', async () => {
				await n8n.waitFor(
					`${POLL_PAYMENTS} polling runs`,
					async () => (await pollingRuns()).length >= POLL_PAYMENTS,
					150_000,
				);
				await sleep(3000);
				return await pollingRuns();
			});
			expect(runs).toHaveLength(POLL_PAYMENTS);
			const outputs = await Promise.all(runs.map(async (run) => outputOf(await withData(run), 'Paid')[0]));
			expect(outputs.map((output) => output.xact_id).sort()).toEqual(paid.map((payment) => payment.xact_id).sort());
			for (const output of outputs) expect(output).toMatchObject({ verified: true, process: 'worker' });
			for (const run of runs) expect(placement(run.id)).toEqual({ enqueuedBy: ['main'], ranBy: ['worker'] });

			// n8n 1.x has no deduplication key: there the node's memory alone keeps runs unique.
			if (MAJOR === '1') return;
			const workflow = await api('GET', `/workflows/${ids.polling}`);
			pollingNodeId = workflow.data.nodes.find((entry) => entry.name === 'Paynet Polling Trigger').id;
			const keys = sql(
				`SELECT "deduplicationKey" FROM execution_entity WHERE "workflowId" = '${ids.polling}' ORDER BY id`,
			);
			expect(keys.sort()).toEqual(
				paid.map((payment) => `paynet:${ids.polling}:${pollingNodeId}:${payment.xact_id}`).sort(),
			);
		}, 200_000);

		(MAJOR === '1' ? test.skip : test)(
			"the main restarted with the payments gone from the node's memory (a save that never landed): its first poll starts nothing, n8n refusing each key again",
			async () => {
				await timed('stop main', () => cluster.stop('main'));
				const [stored] = sql(`SELECT "staticData" FROM workflow_entity WHERE id = '${ids.polling}'`);
				const staticData = JSON.parse(stored);
				const memory = staticData['node:Paynet Polling Trigger'];
				// The save that never landed: the three payments neither remembered nor counted in their day.
				for (const payment of paid) {
					expect(memory.payments).toHaveProperty([payment.xact_id]);
					delete memory.payments[payment.xact_id];
					memory.days[istanbulDay(payment.xact_date)] -= 1;
				}
				const literal = JSON.stringify(staticData).replaceAll("'", "''");
				sql(`UPDATE workflow_entity SET "staticData" = '${literal}' WHERE id = '${ids.polling}'`);

				const listsBefore = paynet.requestsTo('/v1/transaction/list').length;
				await timed('restart main (re-activation polls at once)', () => cluster.start('main', 'start'));
				const skipped = () => (cluster.log('main').match(/duplicate deduplication key/g) ?? []).length;
				await n8n.waitFor(
					'the main to poll and n8n to skip every payment',
					async () => paynet.requestsTo('/v1/transaction/list').length > listsBefore && skipped() >= POLL_PAYMENTS,
					90_000,
				);
				await sleep(3000);
				expect(await pollingRuns()).toHaveLength(POLL_PAYMENTS);
				const keys = sql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${ids.polling}'`);
				expect(keys).toEqual([String(POLL_PAYMENTS)]);
			},
			200_000,
		);

		test("listening: a post answered by the webhook processor (which does not run the trigger) starts no run there; the payment's one run comes from the main's next scheduled poll", async () => {
			const before = (await pollingRuns()).length;
			const url = `http://localhost:${cluster.get('webhook-1').port}/webhook/${POLL_WEBHOOK_ID}/paynet`;
			const link = createPayLink(paynet, {
				name_surname: 'Poller posted',
				amount: 91,
				reference_no: `${POLL_PREFIX}posted`,
			});
			const { transaction, confirmation } = await paynet.pay(link.id);
			const answer = await postWhenRegistered(url, confirmation);
			expect([answer.status, answer.data]).toEqual([
				200,
				{ received: true, message: 'Received; the payment is read from Paynet' },
			]);
			const runs = await timed('post to the webhook processor → the next scheduled poll → one run', async () => {
				await n8n.waitFor('the posted payment’s run', async () => (await pollingRuns()).length > before, 150_000);
				await sleep(5000);
				return await pollingRuns();
			});
			expect(runs).toHaveLength(before + 1);
			const [newest] = runs;
			expect(outputOf(await withData(newest), 'Paid')[0]).toMatchObject({
				xact_id: transaction.xact_id,
				process: 'worker',
			});
			expect(placement(newest.id)).toEqual({ enqueuedBy: ['main'], ranBy: ['worker'] });
			// The webhook processor started nothing: a post there is only answered.
			expect(cluster.log('webhook-1')).not.toMatch(new RegExp(`Enqueued execution ${newest.id} `));
		}, 200_000);

		test(`issue 35: the main killed (SIGKILL) in the middle of a catch-up the worker runs: no payment twice; on 2.x every payment has its execution, on 1.x each one without is named in a warning`, async () => {
			const CATCH_UP = 120;
			const payments = () =>
				sql(
					`SELECT coalesce(substring(d.data from 'xk_[0-9a-f]{32}'), '-') FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${ids.polling}'`,
				);
			const before = payments().length;
			await timed('crash: stop main', () => cluster.stop('main'));
			const made = [];
			for (let i = 0; i < CATCH_UP; i++) {
				const link = createPayLink(paynet, {
					name_surname: `Crash poller ${i}`,
					amount: 30 + i,
					reference_no: `${POLL_PREFIX}crash-${i}`,
				});
				made.push((await paynet.pay(link.id)).transaction);
			}
			const logStart = cluster.log('main').length;
			await timed('crash: start main, kill it mid catch-up', async () => {
				await cluster.start('main', 'start');
				await n8n.waitFor('20 runs of the catch-up', async () => payments().length >= before + 20, 120_000);
				await cluster.kill('main');
			});
			const killedAt = payments().length - before;
			await timed('crash: restart main, catch-up to its end', async () => {
				await cluster.start('main', 'start');
				let last = -1;
				await n8n.waitFor(
					'the catch-up to end',
					async () => {
						await sleep(4000);
						const count = payments().length;
						const done = count === last;
						last = count;
						return done;
					},
					150_000,
				);
			});
			const ran = payments();
			const log = cluster.log('main').slice(logStart);
			const counts = new Map(made.map((payment) => [payment.xact_id, 0]));
			for (const xactId of ran) if (counts.has(xactId)) counts.set(xactId, counts.get(xactId) + 1);
			const twice = [...counts].filter(([, count]) => count > 1);
			const none = [...counts].filter(([, count]) => count === 0).map(([xactId]) => xactId);
			console.log(
				`queue mode, n8n ${MAJOR}.x: main killed after ${killedAt} of ${CATCH_UP} runs; ${none.length} payments without an execution, ${twice.length} with two`,
			);
			expect(killedAt).toBeLessThan(CATCH_UP);
			expect(twice).toEqual([]);
			if (MAJOR === '2') expect(none).toEqual([]);
			for (const xactId of none) {
				expect([xactId, new RegExp(`xact_id "${xactId}".*when n8n stopped`).test(log)]).toEqual([xactId, true]);
			}
		}, 400_000);
	});
});
