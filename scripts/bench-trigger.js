#!/usr/bin/env node
'use strict';
// Paynet Trigger: confirmations per second with Verify With Paynet off and a
// full accepted-payment memory, beside n8n's own Webhook node
// (n8n-nodes-base.webhook 2.1, POST, Respond "Immediately") taking the same
// posts through the same harness, inside one installed n8n.
//
//   node scripts/bench-trigger.js [requests=5000] [connections=16] [rounds=3] [warmup=1500]
//   PAYNET_BENCH_N8N=2 node scripts/bench-trigger.js ...   (default 1)
//
// PAYNET_BENCH_N8N picks the n8n: 1 → n8n 1.123.81 on this Node, 2 → n8n
// 2.41.1 on Node 24 (both from scripts/n8n-install.sh, installed if missing).
// The servers run on that n8n's Node with n8n-core, n8n-workflow and
// n8n-nodes-base resolved from its node_modules (scripts/n8n-modules.js), for
// our compiled node as well, as n8n resolves a community package's
// n8n-workflow to its own.
//
// Before the rounds, our trigger with Deduplicate on is sent unique posts
// until its static data stops growing: the memory is full, and every measured
// post then adds a key and drops the oldest. Its size in bytes (JSON, as n8n
// stores it) is reported.
//
// Three servers, each in its own child process: our trigger with Deduplicate
// on (the default), our trigger with Deduplicate off, and the Webhook node. A
// load generator, also a child process (so it does not share the server's
// event loop), keeps `connections` keep-alive connections busy: `warmup`
// unmeasured posts, then `requests` measured ones; rps and p50/p99 latency
// are from those. Rounds alternate ours, Webhook, ours without dedupe; each
// figure is the median of the rounds. Every post is a JSON confirmation like
// Paynet's, with its own reference and order id (Deduplicate would refuse a
// repeat), and the Webhook node gets the very same bodies.
//
// Per request, the harness does for both nodes what test/harness/webhook.js
// does (its body parsing and response helpers, with the rest of its request path
// parameterised by node type):
//   - reads the body and parses it as n8n's body parser does (JSON), sets
//     req.ip from the socket, and req.query/req.params/req.contentType as
//     Express and n8n's parser would;
//   - builds the Workflow from its stored JSON (parameters and static data
//     structuredClone'd, as when n8n loads an active workflow for a post),
//     n8n-core's real WebhookContext, and calls the node's webhook() as n8n
//     does (`webhook(context)` for the Webhook node's class, `webhook.call`
//     for ours);
//   - saves static data when n8n would (`__dataChanged`, JSON round trip as
//     in the database): only our trigger with Deduplicate on changes it;
//   - answers {"message":"Workflow was started"} unless the node answered
//     itself (ours does; its body is of the same size), and counts a run when
//     the node returns workflowData.
// It leaves out, for both, what real n8n adds per post around the node: the
// webhook and workflow database look-ups, evaluating the webhook
// description's expressions (the Webhook node's are expressions, ours are
// constants), Express's middleware, saving static data to the database, and
// starting the workflow execution. Those are costs the node does not control,
// so the harness ratio is stricter than one measured in a running n8n. Unlike
// test/harness/webhook.js, the node type is instantiated once (as n8n does)
// rather than per post, and runs are counted rather than kept.
//
// Needs a compiled dist/. Writes a JSON summary to $PAYNET_BENCH_JSON when set.
// Exits 1 if the target (ours ≥ 0.9 × the Webhook node's rps) is missed.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { execFileSync, fork } = require('node:child_process');

const RATIO_TARGET = 0.9;
/** Unique posts per step while filling the memory; full when a step leaves the static data's size unchanged. */
const FILL_STEP = 500;
const FILL_MAX = 100_000;
const MAJOR = process.env.PAYNET_BENCH_N8N === '2' ? '2' : '1';
const CACHE = process.env.PAYNET_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-paynet');

const KINDS = {
	paynet: { label: 'Paynet Trigger (dedupe on, full memory)', options: {} },
	webhook: { label: 'n8n Webhook node' },
	paynetNoDedupe: {
		label: 'Paynet Trigger (dedupe off)',
		options: { deduplicate: false },
	},
};

/** The installed n8n of MAJOR: its node_modules, and the Node it runs on. */
function installedN8n() {
	const script = path.join(__dirname, 'n8n-install.sh');
	const folder = execFileSync('bash', [script, MAJOR], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.trim()
		.split('\n')
		.pop();
	return {
		modules: path.join(folder, 'node_modules'),
		node: MAJOR === '2' ? path.join(CACHE, 'node24', 'bin', 'node') : process.execPath,
	};
}

/** A child on the n8n's Node, resolving n8n's packages from its install. */
function forkOnN8n(n8n, args) {
	return fork(__filename, args, {
		stdio: 'inherit',
		execPath: n8n.node,
		execArgv: ['-r', path.join(__dirname, 'n8n-modules.js')],
		env: { ...process.env, PAYNET_BENCH_N8N_MODULES: n8n.modules },
	});
}

/** Entries of the trigger's accepted-payment memory: one string of fixed-width entries (its dedupe.ts). */
function memoryEntries(nodeStaticData = {}) {
	const { ENTRY_LENGTH, MEMORY_KEY } = require(
		path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'trigger', 'dedupe.js'),
	);
	if (typeof nodeStaticData[MEMORY_KEY] === 'string') return nodeStaticData[MEMORY_KEY].length / ENTRY_LENGTH;
	if (typeof nodeStaticData.acceptedConfirmations === 'string') return nodeStaticData.acceptedConfirmations.length / 16;
	if (Array.isArray(nodeStaticData.acceptedConfirmations)) return nodeStaticData.acceptedConfirmations.length;
	return 0;
}

// ---------------------------------------------------------------- server --

function nodeUnderTest(kind) {
	if (kind === 'webhook') {
		const { Webhook } = require('n8n-nodes-base/dist/nodes/Webhook/Webhook.node.js');
		return {
			instance: new Webhook(),
			node: {
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				parameters: {
					httpMethod: 'POST',
					path: 'paynet-bench',
					responseMode: 'onReceived',
					options: {},
				},
			},
			// n8n: `nodeType instanceof Node ? nodeType.webhook(context) : nodeType.webhook.call(context)`
			run: (type, context) => type.webhook(context),
		};
	}
	const { PaynetTrigger } = require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'PaynetTrigger.node.js'));
	return {
		instance: new PaynetTrigger(),
		node: {
			type: 'n8n-nodes-paynet.paynetTrigger',
			typeVersion: 1,
			parameters: { verifyWithApi: false, options: KINDS[kind].options },
			credentials: { paynetApi: { id: '1', name: 'Paynet account' } },
		},
		run: (type, context) => type.webhook.call(context),
	};
}

async function serve(kind) {
	require('../test/setup-env');
	const { WebhookContext } = require('n8n-core');
	const { Workflow, NodeHelpers } = require('n8n-workflow');
	const { TestCredentialsHelper } = require('../test/harness/engine');
	// The same request handling as the trigger's test harness, for both nodes.
	const { contentTypeOf, parseBody, expressLike, webhookAdditionalData } = require('../test/harness/webhook');

	const { instance, node: nodeJson, run } = nodeUnderTest(kind);
	const nodeTypes = {
		getByName: () => instance,
		getByNameAndVersion: (_name, version) => NodeHelpers.getVersionedNodeType(instance, version),
		getKnownTypes: () => ({}),
	};
	const webhookId = randomUUID();
	const NODE_NAME = 'Trigger';
	let savedStaticData = {};
	const stats = { runs: 0, thrown: 0, lastError: undefined, status: {} };
	const logger = {};
	for (const level of ['debug', 'info', 'warn', 'error']) logger[level] = () => {};

	function loadWorkflow() {
		const node = {
			id: 'trigger',
			name: NODE_NAME,
			position: [0, 0],
			webhookId,
			...nodeJson,
			parameters: structuredClone(nodeJson.parameters),
		};
		const workflow = new Workflow({
			id: 'trigger-bench',
			name: 'trigger bench',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: structuredClone(savedStaticData),
			settings: { executionOrder: 'v1' },
		});
		return { workflow, node: workflow.getNode(NODE_NAME) };
	}

	const additionalData = (extra) => webhookAdditionalData(new TestCredentialsHelper({}), extra);

	async function handle(req, res, raw) {
		expressLike(res);
		const type = contentTypeOf(req);
		try {
			req.body = parseBody(type, raw);
		} catch {
			return res.status(422).json({ code: 422, message: 'Failed to parse request body' });
		}
		req.ip = req.socket.remoteAddress;
		req.ips = [];
		req.contentType = type;
		req.query = {};
		req.params = {};
		const { workflow, node } = loadWorkflow();
		const webhookData = {
			webhookDescription: instance.description.webhooks[0],
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData({ httpRequest: req, httpResponse: res }),
			'webhook',
			webhookData,
			[],
		);
		Object.defineProperty(context, 'logger', {
			value: logger,
			configurable: true,
		});
		let result;
		try {
			result = await run(workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion), context);
		} catch (error) {
			stats.thrown++;
			stats.lastError = String(error?.message ?? error);
			if (!res.headersSent) res.status(500).json({ code: 0, message: 'Error in workflow' });
			return;
		}
		if (workflow.staticData.__dataChanged === true) savedStaticData = JSON.parse(JSON.stringify(workflow.staticData));
		if (result.workflowData) stats.runs++;
		if (result.noWebhookResponse !== true && !res.headersSent) {
			res.status(200).json({ message: 'Workflow was started' });
		}
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			handle(req, res, Buffer.concat(chunks).toString('utf8'))
				.catch((error) => {
					stats.thrown++;
					stats.lastError = String(error);
					res.statusCode = 500;
					res.end(String(error));
				})
				.finally(() => {
					stats.status[res.statusCode] = (stats.status[res.statusCode] ?? 0) + 1;
				});
		});
	});
	server.keepAliveTimeout = 60_000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const url = `http://127.0.0.1:${server.address().port}/webhook/${webhookId}/${kind === 'webhook' ? 'paynet-bench' : 'paynet'}`;
	process.on('message', (message) => {
		if (message === 'stats') {
			const cpu = process.cpuUsage();
			process.send({
				...stats,
				status: { ...stats.status },
				cpuMs: (cpu.user + cpu.system) / 1000,
				dedupeKeys: memoryEntries(savedStaticData['node:Trigger']),
				staticDataBytes: Buffer.byteLength(JSON.stringify(savedStaticData)),
			});
		}
		if (message === 'close') server.close(() => process.exit(0));
	});
	const version = (name) => require(`${name}/package.json`).version;
	process.send({
		url,
		versions: {
			node: process.version,
			'n8n-core': version('n8n-core'),
			'n8n-workflow': version('n8n-workflow'),
			'n8n-nodes-base': version('n8n-nodes-base'),
		},
	});
}

// ---------------------------------------------------------------- load ----

/** A confirmation as Paynet's test server posts it (test/paynet-server/transaction.js), unique per `id`. */
function confirmationBody(id, n) {
	return Buffer.from(
		JSON.stringify({
			referance_no: `BENCH-${id}-${n}`,
			xact_date: '2024-05-17T14:03:11',
			agent_id: '1234',
			bank_id: 'AKBANK',
			instalment: 1,
			card_holder: 'AYŞE YILMAZ',
			card_number: '435508****4358',
			amount: 120.5 + (n % 100),
			netAmount: 116.9,
			comission: 3.6,
			comission_tax: 0.65,
			currency: 'TRY',
			authorization_code: String(100000 + (n % 900000)),
			order_id: `ORD-${id}-${n}`,
			is_succeed: true,
		}),
	);
}

async function load(url, connections) {
	const target = new URL(url);
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

	function post(body) {
		return new Promise((resolve, reject) => {
			const started = process.hrtime.bigint();
			const req = http.request(
				{
					agent,
					host: target.hostname,
					port: target.port,
					path: target.pathname,
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': body.length,
					},
				},
				(res) => {
					res.resume();
					res.on('end', () =>
						resolve({
							status: res.statusCode,
							ms: Number(process.hrtime.bigint() - started) / 1e6,
						}),
					);
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	}

	/** `count` posts over `connections` concurrent loops; returns wall time, latencies and statuses. */
	async function phase(count, id) {
		const latencies = new Float64Array(count);
		const status = {};
		let next = 0;
		const started = process.hrtime.bigint();
		const cpuBefore = process.cpuUsage();
		await Promise.all(
			Array.from({ length: connections }, async () => {
				while (next < count) {
					const n = next++;
					const result = await post(confirmationBody(id, n));
					latencies[n] = result.ms;
					status[result.status] = (status[result.status] ?? 0) + 1;
				}
			}),
		);
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		const cpu = process.cpuUsage(cpuBefore);
		latencies.sort();
		const pick = (q) => latencies[Math.min(count - 1, Math.floor(q * count))];
		return {
			wallMs,
			rps: (count * 1000) / wallMs,
			p50: pick(0.5),
			p99: pick(0.99),
			status,
			cpuMs: (cpu.user + cpu.system) / 1000,
		};
	}

	process.on('message', async ({ count, id }) => {
		try {
			process.send(await phase(count, id));
		} catch (error) {
			process.send({ error: String(error?.stack ?? error) });
		}
	});
	process.send({ ready: true });
}

// ---------------------------------------------------------------- main ----

function ask(child, message) {
	return new Promise((resolve, reject) => {
		const exited = (code) => reject(new Error(`child exited (${code}) before answering`));
		child.once('exit', exited);
		child.once('message', (answer) => {
			child.off('exit', exited);
			resolve(answer);
		});
		if (message !== undefined) child.send(message);
	});
}

/**
 * Unique posts to our trigger until a step of FILL_STEP leaves its static
 * data's size unchanged: the memory holds as much as it ever will.
 */
async function fillMemory(n8n, server, connections) {
	const generator = forkOnN8n(n8n, ['--load', String(connections), server.url]);
	await ask(generator);
	let posts = 0;
	let last = await ask(server.child, 'stats');
	try {
		for (let step = 0; posts < FILL_MAX; step++) {
			const result = await ask(generator, { count: FILL_STEP, id: `fill${step}` });
			if (result.error) throw new Error(result.error);
			posts += FILL_STEP;
			const now = await ask(server.child, 'stats');
			if (now.dedupeKeys > 0 && now.staticDataBytes === last.staticDataBytes) {
				return { posts, entries: now.dedupeKeys, bytes: now.staticDataBytes };
			}
			last = now;
		}
	} finally {
		generator.kill('SIGTERM');
	}
	throw new Error(`the memory was still growing after ${FILL_MAX} unique posts (${last.staticDataBytes} bytes)`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
	const requests = Number(process.argv[2] ?? 5000);
	const connections = Number(process.argv[3] ?? 16);
	const rounds = Number(process.argv[4] ?? 3);
	const warmup = Number(process.argv[5] ?? 1500);
	const n8n = installedN8n();

	const servers = {};
	for (const kind of Object.keys(KINDS)) {
		const child = forkOnN8n(n8n, ['--serve', kind]);
		servers[kind] = { child, ...(await ask(child)) };
	}
	const { versions } = servers.paynet;
	const n8nLabel = `n8n-core ${versions['n8n-core']}, Node ${versions.node}`;
	console.log(
		`n8n ${MAJOR}.x: n8n-core ${versions['n8n-core']}, n8n-workflow ${versions['n8n-workflow']}, n8n-nodes-base ${versions['n8n-nodes-base']} on Node ${versions.node}`,
	);

	// Fill our trigger's memory to its bound before anything is measured.
	const memory = await fillMemory(n8n, servers.paynet, connections);
	console.log(
		`memory full after ${memory.posts} unique posts: ${memory.entries} entries, static data ${memory.bytes} bytes`,
	);

	const samples = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, []]));
	let batch = 0;
	for (let round = 1; round <= rounds; round++) {
		for (const kind of Object.keys(KINDS)) {
			const server = servers[kind];
			// A fresh load generator per run: warm-up, then the measured posts.
			const generator = forkOnN8n(n8n, ['--load', String(connections), server.url]);
			await ask(generator);
			const warm = await ask(generator, {
				count: warmup,
				id: `r${round}w${batch++}`,
			});
			if (warm.error) throw new Error(warm.error);
			const before = await ask(server.child, 'stats');
			const result = await ask(generator, {
				count: requests,
				id: `r${round}m${batch++}`,
			});
			if (result.error) throw new Error(result.error);
			const after = await ask(server.child, 'stats');
			generator.kill('SIGTERM');
			const runs = after.runs - before.runs;
			const ok = result.status[200] ?? 0;
			if (ok !== requests || runs !== requests) {
				throw new Error(
					`${KINDS[kind].label}: ${ok}/${requests} answered 200 and ${runs} runs started (statuses ${JSON.stringify(result.status)}; ${after.lastError ?? 'no error thrown'})`,
				);
			}
			const sample = {
				rps: result.rps,
				p50: result.p50,
				p99: result.p99,
				serverCpu: (after.cpuMs - before.cpuMs) / result.wallMs,
				cpuPerPostMs: (after.cpuMs - before.cpuMs) / requests,
				loaderCpu: result.cpuMs / result.wallMs,
				dedupeKeys: after.dedupeKeys,
				staticDataBytes: after.staticDataBytes,
			};
			if (kind === 'paynet' && after.dedupeKeys < memory.entries) {
				throw new Error(`the memory shrank during the run: ${after.dedupeKeys} entries, ${memory.entries} when full`);
			}
			samples[kind].push(sample);
			console.log(
				`round ${round}  ${KINDS[kind].label.padEnd(28)} ${sample.rps.toFixed(0).padStart(6)} rps  p50 ${sample.p50.toFixed(2)} ms  p99 ${sample.p99.toFixed(2)} ms  server CPU ${(sample.serverCpu * 100).toFixed(0)}%  load generator CPU ${(sample.loaderCpu * 100).toFixed(0)}%`,
			);
		}
	}
	for (const server of Object.values(servers)) server.child.send('close');

	const summary = {};
	for (const [kind, list] of Object.entries(samples)) {
		summary[kind] = {
			label: KINDS[kind].label,
			rps: Math.round(median(list.map((s) => s.rps))),
			p50Ms: +median(list.map((s) => s.p50)).toFixed(2),
			p99Ms: +median(list.map((s) => s.p99)).toFixed(2),
			serverCpu: +median(list.map((s) => s.serverCpu)).toFixed(2),
			cpuPerPostMs: +median(list.map((s) => s.cpuPerPostMs)).toFixed(3),
			rpsRuns: list.map((s) => Math.round(s.rps)),
		};
	}
	const ratio = +(summary.paynet.rps / summary.webhook.rps).toFixed(2);
	const ratioNoDedupe = +(summary.paynetNoDedupe.rps / summary.webhook.rps).toFixed(2);
	const pass = ratio >= RATIO_TARGET;

	console.log(
		`\nTrigger on n8n ${MAJOR}.x (${n8nLabel}), Verify With Paynet off: ${requests} posts after ${warmup} warm-up, ${connections} keep-alive connections, median of ${rounds} (${os.cpus().length} CPUs); our memory full: ${memory.entries} entries, ${memory.bytes} bytes of static data\n`,
	);
	console.table(
		Object.values(summary).map((s) => ({
			node: s.label,
			'rps (median)': s.rps,
			'p50 ms': s.p50Ms,
			'p99 ms': s.p99Ms,
			'server CPU': `${Math.round(s.serverCpu * 100)}%`,
			'CPU ms/post': s.cpuPerPostMs,
			'rps per run': s.rpsRuns.join(', '),
		})),
	);
	console.log(
		`ours / Webhook node: ${ratio} with dedupe on (target ≥ ${RATIO_TARGET}: ${pass ? 'ok' : 'FAIL'}), ${ratioNoDedupe} with dedupe off`,
	);

	const on = `n8n ${MAJOR}.x`;
	const checks = [
		{
			figure: `Trigger rps on ${on}, ours (dedupe on, full memory) / Webhook node`,
			value: `${ratio} (${summary.paynet.rps} / ${summary.webhook.rps} rps)`,
			target: `≥ ${RATIO_TARGET}`,
			ok: pass,
		},
		{
			figure: `Trigger rps on ${on}, ours (dedupe off) / Webhook node`,
			value: `${ratioNoDedupe} (${summary.paynetNoDedupe.rps} / ${summary.webhook.rps} rps)`,
			target: 'info',
		},
		{
			figure: `Trigger server CPU per post on ${on}, ours (dedupe on / off) / Webhook node`,
			value: `${summary.paynet.cpuPerPostMs} / ${summary.paynetNoDedupe.cpuPerPostMs} / ${summary.webhook.cpuPerPostMs} ms`,
			target: 'info',
		},
		{
			figure: `Trigger static data on ${on}, memory full`,
			value: `${memory.bytes} bytes (${memory.entries} entries)`,
			target: 'info',
		},
		{
			figure: `Trigger p50 / p99 latency on ${on}, ours (dedupe on)`,
			value: `${summary.paynet.p50Ms} / ${summary.paynet.p99Ms} ms`,
			target: 'info',
		},
		{
			figure: `Trigger p50 / p99 latency on ${on}, Webhook node`,
			value: `${summary.webhook.p50Ms} / ${summary.webhook.p99Ms} ms`,
			target: 'info',
		},
		{ figure: `Trigger bench runtime on ${on}`, value: n8nLabel, target: 'info' },
	];
	if (process.env.PAYNET_BENCH_JSON) {
		fs.writeFileSync(
			process.env.PAYNET_BENCH_JSON,
			JSON.stringify(
				{
					bench: 'trigger',
					n8n: MAJOR,
					versions,
					memory,
					requests,
					warmup,
					connections,
					rounds,
					results: summary,
					ratio,
					ratioNoDedupe,
					target: RATIO_TARGET,
					pass,
					checks,
				},
				null,
				2,
			),
		);
	}
	process.exitCode = pass ? 0 : 1;
}

// A child whose parent is gone (a failed or interrupted run) stops too, rather than keep listening.
if (process.argv[2] === '--serve' || process.argv[2] === '--load') process.on('disconnect', () => process.exit(0));

if (process.argv[2] === '--serve') {
	serve(process.argv[3]).catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else if (process.argv[2] === '--load') {
	load(process.argv[4], Number(process.argv[3])).catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
