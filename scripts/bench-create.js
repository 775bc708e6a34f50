#!/usr/bin/env node
'use strict';
// PayLink → Create at speed, against the Paynet test server answering every
// request after 20 ms, beside n8n's own HTTP Request node (header auth with
// the raw key) sending the same rows in the same engine. The server runs in a
// child process, so it does not share the engine's event loop.
//
//   node scripts/bench-create.js [counts=500,5000] [latencyMs=20]
//
// Needs a compiled dist/ and n8n 1.x from scripts/n8n-install.sh (for the
// HTTP Request node). Exits 1 if a target is missed.
const path = require('node:path');
const { execFileSync, fork } = require('node:child_process');

const CREATE = '/v1/mailorder/create';
const BOUND_TARGET = 1.3;
const RATIO_TARGET = 1.0;

async function serve() {
	const { startPaynetServer } = require('../test/paynet-server');
	const server = await startPaynetServer({ recordRequests: false, latencyMs: Number(process.argv[3]) });
	let calls = 0;
	const create = server.routes.get(CREATE);
	server.route(CREATE, (...args) => {
		calls++;
		return create(...args);
	});
	process.on('message', async (message) => {
		if (message === 'calls') process.send({ calls, maxInFlight: server.maxInFlight });
		if (message === 'reset') {
			calls = 0;
			server.maxInFlight = 0;
			server.state.payLinks.length = 0;
			process.send({ ok: true });
		}
		if (message === 'close') {
			await server.close();
			process.exit(0);
		}
	});
	process.send({ url: server.url, secretKey: server.secretKey });
}

function ask(child, message) {
	return new Promise((resolve, reject) => {
		child.once('message', resolve);
		child.once('error', reject);
		if (message) child.send(message);
	});
}

function n8nNodesBase() {
	const script = path.join(__dirname, 'n8n-install.sh');
	const folder = execFileSync('bash', [script, '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
		.trim()
		.split('\n')
		.pop();
	return path.join(folder, 'node_modules', 'n8n-nodes-base', 'dist');
}

async function main() {
	const counts = (process.argv[2] ?? '500,5000').split(',').map(Number);
	const latencyMs = Number(process.argv[3] ?? 20);
	require('../test/setup-env');
	const { runWorkflow, paynetWorkflow, paynetCredentials } = require('../test/harness/engine');
	const { DEFAULT_CONCURRENCY } = require('../dist/nodes/Paynet/actions/payLink/create');

	const base = n8nNodesBase();
	const { HttpRequest } = require(path.join(base, 'nodes/HttpRequest/HttpRequest.node.js'));
	const { HttpHeaderAuth } = require(path.join(base, 'credentials/HttpHeaderAuth.credentials.js'));

	const child = fork(__filename, ['serve', String(latencyMs)], { stdio: 'inherit' });
	const server = await ask(child);
	const credentials = {
		...paynetCredentials(server),
		httpHeaderAuth: { name: 'Authorization', value: `Basic ${server.secretKey}` },
	};
	const options = {
		credentials,
		extraNodeTypes: { 'n8n-nodes-base.httpRequest': new HttpRequest() },
		extraCredentialTypes: { httpHeaderAuth: new HttpHeaderAuth() },
	};

	const rows = (count) => Array.from({ length: count }, (_v, i) => ({ name: `Müşteri ${i}`, total: 100 + (i % 900) }));
	const ours = (count) =>
		paynetWorkflow({
			items: rows(count),
			parameters: { resource: 'payLink', operation: 'create', nameSurname: '={{ $json.name }}', amount: '={{ $json.total }}' },
		});
	const httpRequest = (count) => {
		const workflow = ours(count);
		workflow.nodes[1] = {
			id: 'http',
			name: 'Paynet',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [200, 0],
			parameters: {
				method: 'POST',
				url: `${server.url}${CREATE}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify({ name_surname: $json.name, amount: $json.total }) }}',
				options: {},
			},
			credentials: { httpHeaderAuth: { id: '2', name: 'Paynet header' } },
		};
		return workflow;
	};

	async function timed(workflow, count) {
		await ask(child, 'reset');
		const started = process.hrtime.bigint();
		const { items, error } = await runWorkflow(workflow, options);
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (error) throw new Error(`run failed: ${error.message}`);
		const { calls, maxInFlight } = await ask(child, 'calls');
		if (items.length !== count || calls !== count) throw new Error(`expected ${count} items and calls, got ${items.length} and ${calls}`);
		return { ms, maxInFlight };
	}

	await timed(ours(50), 50); // warm-up: module loading, JIT
	await timed(httpRequest(50), 50);

	const results = [];
	let failed = false;
	for (const count of counts) {
		const runs = count <= 1000 ? 3 : 1;
		const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
		const oursMs = [];
		const httpMs = [];
		let inFlight = 0;
		for (let run = 0; run < runs; run++) {
			const result = await timed(ours(count), count);
			oursMs.push(result.ms);
			inFlight = result.maxInFlight;
			httpMs.push((await timed(httpRequest(count), count)).ms);
		}
		const ourTime = median(oursMs);
		const httpTime = median(httpMs);
		const bound = (count * latencyMs) / DEFAULT_CONCURRENCY;
		const row = {
			items: count,
			'Paynet node ms': Math.round(ourTime),
			'HTTP Request ms': Math.round(httpTime),
			'ratio (≤ 1.0)': +(ourTime / httpTime).toFixed(2),
			'bound ms': Math.round(bound),
			'× bound (≤ 1.3)': +(ourTime / bound).toFixed(2),
			'overhead ms/item': +((ourTime - bound) / count).toFixed(3),
			'max in flight': inFlight,
		};
		results.push(row);
		if (count === 500 && (row['ratio (≤ 1.0)'] > RATIO_TARGET || row['× bound (≤ 1.3)'] > BOUND_TARGET)) failed = true;
	}
	child.send('close');
	console.log(`Create, ${latencyMs} ms per request, default concurrency ${DEFAULT_CONCURRENCY} (median of 3 runs for ≤ 1000 items):`);
	console.table(results);
	if (failed) {
		console.log('Target missed for 500 items.');
		process.exitCode = 1;
	}
}

if (process.argv[2] === 'serve') serve();
else
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
