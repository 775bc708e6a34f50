#!/usr/bin/env node
'use strict';
// PayLink → Create at speed, against the Paynet test server answering every
// request after 20 ms, beside n8n's own HTTP Request node (header auth with
// the raw key) sending the same rows in the same engine. Both run with their
// default settings. The server runs in a child process, so it does not share
// the engine's event loop.
//
//   node scripts/bench-create.js [counts=500,5000] [latencyMs=20]
//
// Targets, for 500 items: ours / HTTP Request ≤ 1.0, and ours ≤ 1.3 × the
// physical bound (items × latency / our default concurrency). Other counts
// are reported, not judged. Median of 5 runs up to 1,000 items, else 1 run.
//
// Needs a built dist/ (npm run build) and n8n 1.x from scripts/n8n-install.sh (for the
// HTTP Request node). Writes a JSON summary to $PAYNET_BENCH_JSON when set.
// Exits 1 if a target is missed. Also usable from another script:
// `require('./bench-create').runCreateBench({ counts, latencyMs })`.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, fork } = require('node:child_process');

const CREATE = '/v1/mailorder/create';
const TARGETS = { items: 500, ratio: 1.0, boundRatio: 1.3 };

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

/** Sends `message` (if any) to the server process and resolves with its answer; listeners go with the answer. */
function ask(child, message) {
	return new Promise((resolve, reject) => {
		const done = () => {
			child.off('message', onMessage);
			child.off('error', onError);
			child.off('exit', onExit);
		};
		const onMessage = (answer) => {
			done();
			resolve(answer);
		};
		const onError = (error) => {
			done();
			reject(error);
		};
		const onExit = (code) => {
			done();
			reject(new Error(`the test server process exited (${code}) before answering`));
		};
		child.on('message', onMessage);
		child.on('error', onError);
		child.on('exit', onExit);
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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value, digits = 0) => +value.toFixed(digits);

/**
 * Runs the benchmark and resolves with its summary (what PAYNET_BENCH_JSON
 * receives). n8n-core leaves a timer running afterwards: a caller that wants
 * to exit must exit itself.
 */
async function runCreateBench({ counts = [500, 5000], latencyMs = 20 } = {}) {
	require('../test/setup-env');
	const { runWorkflow, paynetWorkflow, paynetCredentials } = require('../test/harness/engine');
	const { DEFAULT_CONCURRENCY } = require('../dist/nodes/Paynet/actions/payLink/create');

	const base = n8nNodesBase();
	const { HttpRequest } = require(path.join(base, 'nodes/HttpRequest/HttpRequest.node.js'));
	const { HttpHeaderAuth } = require(path.join(base, 'credentials/HttpHeaderAuth.credentials.js'));

	const loadBefore = os.loadavg();
	const child = fork(__filename, ['serve', String(latencyMs)], { stdio: 'inherit' });
	try {
		const server = await ask(child);
		const options = {
			credentials: {
				...paynetCredentials(server),
				httpHeaderAuth: { name: 'Authorization', value: `Basic ${server.secretKey}` },
			},
			extraNodeTypes: { 'n8n-nodes-base.httpRequest': new HttpRequest() },
			extraCredentialTypes: { httpHeaderAuth: new HttpHeaderAuth() },
		};

		const rows = (count) =>
			Array.from({ length: count }, (_v, i) => ({ name: `Müşteri ${i}`, total: 100 + (i % 900) }));
		const ours = (count) =>
			paynetWorkflow({
				items: rows(count),
				parameters: {
					resource: 'payLink',
					operation: 'create',
					nameSurname: '={{ $json.name }}',
					amount: '={{ $json.total }}',
				},
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
			// Let the previous run's sockets close first: otherwise each run pays
			// for the teardown of the other node's connections (500 at once for
			// the HTTP Request node), which made whichever ran second look slower.
			await new Promise((resolve) => setTimeout(resolve, 500));
			const started = process.hrtime.bigint();
			const cpuBefore = process.cpuUsage();
			const { items, error } = await runWorkflow(workflow, options);
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			const cpu = process.cpuUsage(cpuBefore);
			const cpuMsPerItem = (cpu.user + cpu.system) / 1000 / count;
			if (error) throw new Error(`run failed: ${error.message}`);
			const { calls, maxInFlight } = await ask(child, 'calls');
			if (items.length !== count || calls !== count) {
				throw new Error(`expected ${count} items and calls, got ${items.length} and ${calls}`);
			}
			return { ms, cpuMsPerItem, calls, maxInFlight };
		}

		await timed(ours(50), 50); // warm-up: module loading, JIT
		await timed(httpRequest(50), 50);

		const results = [];
		for (const count of counts) {
			const runs = count <= 1000 ? 5 : 1;
			const oursRuns = [];
			const httpRuns = [];
			const oursCpu = [];
			const httpCpu = [];
			let last;
			let httpInFlight = 0;
			// Alternate the two, so a machine that gets busier or quieter affects both.
			for (let run = 0; run < runs; run++) {
				last = await timed(ours(count), count);
				oursRuns.push(last.ms);
				oursCpu.push(last.cpuMsPerItem);
				const http = await timed(httpRequest(count), count);
				httpRuns.push(http.ms);
				httpCpu.push(http.cpuMsPerItem);
				httpInFlight = http.maxInFlight;
			}
			const oursMs = median(oursRuns);
			const httpRequestMs = median(httpRuns);
			const boundMs = (count * latencyMs) / DEFAULT_CONCURRENCY;
			const ratio = oursMs / httpRequestMs;
			const boundRatio = oursMs / boundMs;
			const judged = count === TARGETS.items;
			results.push({
				items: count,
				latencyMs,
				concurrency: DEFAULT_CONCURRENCY,
				runs,
				oursMs: round(oursMs),
				httpRequestMs: round(httpRequestMs),
				ratio: round(ratio, 2),
				boundMs: round(boundMs),
				boundRatio: round(boundRatio, 2),
				perItemOverheadMs: round((oursMs - boundMs) / count, 3),
				// CPU time of this process (the engine; the server has its own) per item.
				oursCpuMsPerItem: round(median(oursCpu), 3),
				httpRequestCpuMsPerItem: round(median(httpCpu), 3),
				calls: last.calls,
				maxInFlight: last.maxInFlight,
				httpRequestMaxInFlight: httpInFlight,
				oursRunsMs: oursRuns.map((ms) => round(ms)),
				httpRequestRunsMs: httpRuns.map((ms) => round(ms)),
				judged,
				ratioTargetMet: ratio <= TARGETS.ratio,
				boundTargetMet: boundRatio <= TARGETS.boundRatio,
			});
		}

		const judged = results.filter((row) => row.judged);
		const checks = results.flatMap((row) => [
			{
				figure: `create ${row.items}: ours / HTTP Request`,
				value: `${row.ratio} (${row.oursMs} / ${row.httpRequestMs} ms)`,
				target: row.judged ? `≤ ${TARGETS.ratio.toFixed(1)}` : 'info',
				ok: row.judged ? row.ratioTargetMet : undefined,
			},
			{
				figure: `create ${row.items}: ours / bound`,
				value: `${row.boundRatio} (bound ${row.boundMs} ms at concurrency ${row.concurrency})`,
				target: row.judged ? `≤ ${TARGETS.boundRatio}` : 'info',
				ok: row.judged ? row.boundTargetMet : undefined,
			},
		]);
		return {
			bench: 'create',
			latencyMs,
			concurrency: DEFAULT_CONCURRENCY,
			targets: TARGETS,
			results,
			targetsMet: {
				ratio: judged.length ? judged.every((row) => row.ratioTargetMet) : null,
				boundRatio: judged.length ? judged.every((row) => row.boundTargetMet) : null,
			},
			pass: judged.every((row) => row.ratioTargetMet && row.boundTargetMet),
			checks,
			environment: {
				node: process.version,
				cpus: os.cpus().length,
				loadAverageBefore: loadBefore.map((load) => round(load, 2)),
				loadAverageAfter: os.loadavg().map((load) => round(load, 2)),
			},
		};
	} finally {
		if (child.connected) child.send('close');
	}
}

async function main() {
	const counts = (process.argv[2] ?? '500,5000').split(',').map(Number);
	const latencyMs = Number(process.argv[3] ?? 20);
	const summary = await runCreateBench({ counts, latencyMs });

	console.log(
		`Create, ${latencyMs} ms per request, default concurrency ${summary.concurrency}` +
			` (median of 5 runs for ≤ 1000 items; load average ${summary.environment.loadAverageBefore[0]} on ${summary.environment.cpus} CPUs):`,
	);
	console.table(
		summary.results.map((row) => ({
			items: row.items,
			'Paynet node ms': row.oursMs,
			'HTTP Request ms': row.httpRequestMs,
			[`ratio (≤ ${TARGETS.ratio.toFixed(1)})`]: row.ratio,
			'bound ms': row.boundMs,
			[`× bound (≤ ${TARGETS.boundRatio})`]: row.boundRatio,
			'overhead ms/item': row.perItemOverheadMs,
			'CPU ms/item ours | HTTP': `${row.oursCpuMsPerItem} | ${row.httpRequestCpuMsPerItem}`,
			'max in flight': row.maxInFlight,
		})),
	);
	if (process.env.PAYNET_BENCH_JSON)
		fs.writeFileSync(process.env.PAYNET_BENCH_JSON, JSON.stringify(summary, null, '\t'));
	if (summary.targetsMet.ratio === null) console.log(`No target checked: targets are for ${TARGETS.items} items.`);
	else if (!summary.pass) console.log(`Target missed for ${TARGETS.items} items.`);
	else console.log(`Targets met for ${TARGETS.items} items.`);
	// n8n-core leaves a timer running that would keep the process alive.
	process.exit(summary.pass ? 0 : 1);
}

if (require.main === module) {
	if (process.argv[2] === 'serve') serve();
	else
		main().catch((error) => {
			console.error(error);
			process.exit(1);
		});
}

module.exports = { runCreateBench, TARGETS };
