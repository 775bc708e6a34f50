#!/usr/bin/env node
'use strict';
// Paynet Trigger: what one accepted post costs with 1,000, 10,000 and 50,000
// remembered payments, beside n8n's own Webhook node (n8n-nodes-base.webhook
// 2.1, POST, Respond "Immediately") taking the same posts through the same
// harness, inside one installed n8n. No target: the memory is sized for
// correctness (7 days, 50,000 payments); this says what it costs.
//
//   node scripts/bench-trigger.js [requests=1000] [connections=8] [rounds=3] [warmup=200] [sizes=1000,10000,50000]
//   PAYNET_BENCH_N8N=2 node scripts/bench-trigger.js ...   (default 1)
//
// PAYNET_BENCH_N8N picks the n8n: 1 → n8n 1.123.81 on this Node, 2 → n8n
// 2.41.1 on Node 24 (both from scripts/n8n-install.sh, installed if missing).
// The servers run on that n8n's Node with n8n-core, n8n-workflow and
// n8n-nodes-base resolved from its node_modules (scripts/n8n-modules.js), for
// our compiled node as well, as n8n resolves a community package's
// n8n-workflow to its own.
//
// Verify With Paynet is off, so what is measured is the trigger and its memory,
// not Paynet's answer time (a verified post adds one transaction/check call,
// a few hundred ms at Paynet, against which the figures here are small).
//
// One server per kind, each in its own child process: the Webhook node, our
// trigger with Deduplicate off, and our trigger with Deduplicate on and a
// memory of each size. The memory is seeded with that many entries (readable
// keys and ISO times, as the trigger writes them) and held at that size: each
// post is loaded with the seeded static data and saved as n8n would (JSON of
// the whole static data), then the seed is put back, so every measured post
// pays for exactly that many entries. Each post also gets a workflow id of its
// own, so the trigger's in-process registry does not re-add the posts the
// held memory keeps forgetting (in n8n those saves land).
//
// A load generator, also a child process (so it does not share the server's
// event loop), keeps `connections` keep-alive connections busy: `warmup`
// unmeasured posts, then `requests` measured ones; rps, p50/p99 latency and
// the server's CPU time per post are from those. Rounds alternate the kinds;
// each figure is the median of the rounds. Every post is a JSON confirmation
// like Paynet's, with its own reference and order id, and the Webhook node
// gets the very same bodies.
//
// Per request, the harness does for every kind what test/harness/webhook.js
// does (its body parsing and response helpers): reads and parses the body as
// n8n's body parser does, builds the Workflow from its stored JSON
// (parameters and static data structuredClone'd, as when n8n loads an active
// workflow for a post), n8n-core's real WebhookContext, calls the node's
// webhook() as n8n does, saves static data when `__dataChanged` says so (JSON
// round trip, as to the database), and counts a run when the node returns
// workflowData. It leaves out what real n8n adds per post around the node
// (database look-ups and writes, Express, starting the execution): in a real
// n8n 2.41 on this machine the Webhook node takes ~16–35 posts a second, so
// these figures are the node's share, not a throughput a merchant will see.
// The database write of the static data is not in them: its size is reported.
//
// Needs a built dist/ (npm run build). Writes a JSON summary to $PAYNET_BENCH_JSON when set.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { execFileSync, fork } = require('node:child_process');

const MAJOR = process.env.PAYNET_BENCH_N8N === '2' ? '2' : '1';
const CACHE = process.env.PAYNET_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-paynet');

/** The kinds of server measured: the Webhook node, ours without memory, ours with each memory size. */
function kindsFor(sizes) {
	const kinds = {
		webhook: { label: 'n8n Webhook node' },
		paynetNoDedupe: { label: 'Paynet Trigger (dedupe off)', options: { deduplicate: false } },
	};
	for (const size of sizes) {
		kinds[`paynet${size}`] = {
			label: `Paynet Trigger, ${size.toLocaleString('en')} remembered`,
			options: {},
			memory: size,
		};
	}
	return kinds;
}

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

/** Entries of the trigger's accepted-payment memory: a plain object, key → Paynet's payment time (its dedupe.ts). */
function memoryEntries(nodeStaticData = {}) {
	const { MEMORY_KEY } = require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'trigger', 'dedupe.js'));
	const memory = nodeStaticData[MEMORY_KEY];
	return memory && typeof memory === 'object' ? Object.keys(memory).length : 0;
}

/** A memory of `size` payments as the trigger stores it: made-up xact_ids, paid over the last few days. */
function seededStaticData(size) {
	const { MEMORY_KEY } = require(path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'trigger', 'dedupe.js'));
	const memory = {};
	const now = Date.now();
	for (let index = 0; index < size; index++) {
		memory[`xact:xk_${randomUUID().replace(/-/g, '')}`] = new Date(now - (size - index) * 10_000).toISOString();
	}
	return { 'node:Trigger': { [MEMORY_KEY]: memory } };
}

// ---------------------------------------------------------------- server --

function nodeUnderTest(kind, kinds) {
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
			parameters: { verifyWithApi: false, options: kinds[kind].options },
			credentials: { paynetApi: { id: '1', name: 'Paynet account' } },
		},
		run: (type, context) => type.webhook.call(context),
	};
}

async function serve(kind, sizes) {
	require('../test/setup-env');
	const { WebhookContext } = require('n8n-core');
	const { Workflow, NodeHelpers } = require('n8n-workflow');
	const { TestCredentialsHelper } = require('../test/harness/engine');
	// The same request handling as the trigger's test harness, for both nodes.
	const { contentTypeOf, parseBody, expressLike, webhookAdditionalData } = require('../test/harness/webhook');

	const kinds = kindsFor(sizes);
	const { instance, node: nodeJson, run } = nodeUnderTest(kind, kinds);
	const held = kinds[kind].memory;
	const nodeTypes = {
		getByName: () => instance,
		getByNameAndVersion: (_name, version) => NodeHelpers.getVersionedNodeType(instance, version),
		getKnownTypes: () => ({}),
	};
	const webhookId = randomUUID();
	const NODE_NAME = 'Trigger';
	const seed = held === undefined ? {} : seededStaticData(held);
	let savedStaticData = seed;
	let lastSaved = seed;
	let posts = 0;
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
			id: held === undefined ? 'trigger-bench' : `trigger-bench-${++posts}`,
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
		if (workflow.staticData.__dataChanged === true) {
			lastSaved = JSON.parse(JSON.stringify(workflow.staticData));
			// The memory is held at its size: the next post loads the seed again.
			if (held === undefined) savedStaticData = lastSaved;
		}
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
				dedupeKeys: memoryEntries(lastSaved['node:Trigger']),
				staticDataBytes: Buffer.byteLength(JSON.stringify(lastSaved)),
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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
	const requests = Number(process.argv[2] ?? 1000);
	const connections = Number(process.argv[3] ?? 8);
	const rounds = Number(process.argv[4] ?? 3);
	const warmup = Number(process.argv[5] ?? 200);
	const sizes = String(process.argv[6] ?? '1000,10000,50000')
		.split(',')
		.map(Number)
		.filter((size) => size > 0);
	const kinds = kindsFor(sizes);
	const n8n = installedN8n();

	const servers = {};
	for (const kind of Object.keys(kinds)) {
		const child = forkOnN8n(n8n, ['--serve', kind, sizes.join(',')]);
		servers[kind] = { child, ...(await ask(child)) };
	}
	const { versions } = servers.paynetNoDedupe;
	const n8nLabel = `n8n-core ${versions['n8n-core']}, Node ${versions.node}`;
	console.log(
		`n8n ${MAJOR}.x: n8n-core ${versions['n8n-core']}, n8n-workflow ${versions['n8n-workflow']}, n8n-nodes-base ${versions['n8n-nodes-base']} on Node ${versions.node}`,
	);

	const samples = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
	let batch = 0;
	for (let round = 1; round <= rounds; round++) {
		for (const kind of Object.keys(kinds)) {
			const server = servers[kind];
			// A fresh load generator per run: warm-up, then the measured posts.
			const generator = forkOnN8n(n8n, ['--load', String(connections), server.url]);
			await ask(generator);
			const warm = await ask(generator, { count: warmup, id: `r${round}w${batch++}` });
			if (warm.error) throw new Error(warm.error);
			const before = await ask(server.child, 'stats');
			const result = await ask(generator, { count: requests, id: `r${round}m${batch++}` });
			if (result.error) throw new Error(result.error);
			const after = await ask(server.child, 'stats');
			generator.kill('SIGTERM');
			const runs = after.runs - before.runs;
			const ok = result.status[200] ?? 0;
			if (ok !== requests || runs !== requests) {
				throw new Error(
					`${kinds[kind].label}: ${ok}/${requests} answered 200 and ${runs} runs started (statuses ${JSON.stringify(result.status)}; ${after.lastError ?? 'no error thrown'})`,
				);
			}
			// Each save held the seeded payments and the one just accepted (at the bound, less the oldest).
			const { MEMORY_MAX_ENTRIES } = require(
				path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'trigger', 'dedupe.js'),
			);
			const held = kinds[kind].memory;
			if (held !== undefined && after.dedupeKeys !== Math.min(held + 1, MEMORY_MAX_ENTRIES)) {
				throw new Error(`${kinds[kind].label}: the last save held ${after.dedupeKeys} entries`);
			}
			const sample = {
				rps: result.rps,
				p50: result.p50,
				p99: result.p99,
				cpuPerPostMs: (after.cpuMs - before.cpuMs) / requests,
				staticDataBytes: after.staticDataBytes,
			};
			samples[kind].push(sample);
			console.log(
				`round ${round}  ${kinds[kind].label.padEnd(38)} ${sample.rps.toFixed(0).padStart(6)} rps  p50 ${sample.p50.toFixed(2)} ms  p99 ${sample.p99.toFixed(2)} ms  server CPU ${sample.cpuPerPostMs.toFixed(2)} ms/post`,
			);
		}
	}
	for (const server of Object.values(servers)) server.child.send('close');

	const summary = {};
	for (const [kind, list] of Object.entries(samples)) {
		summary[kind] = {
			label: kinds[kind].label,
			memory: kinds[kind].memory ?? 0,
			rps: Math.round(median(list.map((s) => s.rps))),
			p50Ms: +median(list.map((s) => s.p50)).toFixed(2),
			p99Ms: +median(list.map((s) => s.p99)).toFixed(2),
			cpuPerPostMs: +median(list.map((s) => s.cpuPerPostMs)).toFixed(3),
			staticDataBytes: list.at(-1).staticDataBytes,
			rpsRuns: list.map((s) => Math.round(s.rps)),
		};
	}

	console.log(
		`\nTrigger on n8n ${MAJOR}.x (${n8nLabel}), Verify With Paynet off: ${requests} posts after ${warmup} warm-up, ${connections} keep-alive connections, median of ${rounds} (${os.cpus().length} CPUs)\n`,
	);
	console.table(
		Object.values(summary).map((s) => ({
			node: s.label,
			'CPU ms/post': s.cpuPerPostMs,
			'extra vs Webhook': +(s.cpuPerPostMs - summary.webhook.cpuPerPostMs).toFixed(3),
			'rps (median)': s.rps,
			'p50 ms': s.p50Ms,
			'p99 ms': s.p99Ms,
			'static data bytes': s.staticDataBytes,
		})),
	);

	const on = `n8n ${MAJOR}.x`;
	const checks = [
		{
			figure: `Trigger CPU per post on ${on}, Webhook node / ours (dedupe off)`,
			value: `${summary.webhook.cpuPerPostMs} / ${summary.paynetNoDedupe.cpuPerPostMs} ms`,
			target: 'info',
		},
	];
	for (const size of sizes) {
		const s = summary[`paynet${size}`];
		checks.push({
			figure: `Trigger per accepted post on ${on}, ${size.toLocaleString('en')} remembered`,
			value: `${s.cpuPerPostMs} ms CPU (${s.rps} rps, p99 ${s.p99Ms} ms), ${s.staticDataBytes} bytes of static data saved`,
			target: 'info',
		});
	}
	checks.push({ figure: `Trigger bench runtime on ${on}`, value: n8nLabel, target: 'info' });
	if (process.env.PAYNET_BENCH_JSON) {
		fs.writeFileSync(
			process.env.PAYNET_BENCH_JSON,
			JSON.stringify(
				{
					bench: 'trigger',
					n8n: MAJOR,
					versions,
					sizes,
					requests,
					warmup,
					connections,
					rounds,
					results: summary,
					checks,
				},
				null,
				2,
			),
		);
	}
}

// A child whose parent is gone (a failed or interrupted run) stops too, rather than keep listening.
if (process.argv[2] === '--serve' || process.argv[2] === '--load') process.on('disconnect', () => process.exit(0));

if (process.argv[2] === '--serve') {
	serve(process.argv[3], String(process.argv[4]).split(',').map(Number)).catch((error) => {
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
