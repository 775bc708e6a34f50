#!/usr/bin/env node
'use strict';
// PayLink → List with Return All against the Paynet test server, through
// n8n-core's real WorkflowExecute. The server runs in a child process so the
// memory figures are the node's and the engine's, not the seeded server's.
//
//   node scripts/bench-list.js [count=50000]
//
// Needs a built dist/ (npm run build). Writes a JSON summary to
// $PAYNET_BENCH_JSON when set. Exits 1 if a target is missed.
const path = require('node:path');
const { countCalls, forkServer, runBench } = require('./bench-server');

const LIST = '/v1/mailorder/list';
const PAGE_SIZE = 100;
const MEMORY_TARGET_MB = 300;

async function serve() {
	const { startPaynetServer } = require('../test/paynet-server');
	const server = await startPaynetServer({ recordRequests: false });
	const started = Date.now();
	server.seedPayLinks(Number(process.argv[3]), { from: '2024-01-01', to: '2024-12-31', statuses: [0, 1, 2, 3] });
	const seedMs = Date.now() - started;
	const calls = countCalls(server, LIST);
	process.on('message', async (message) => {
		if (message === 'calls') process.send({ calls: calls.count() });
		if (message === 'close') {
			await server.close();
			process.exit(0);
		}
	});
	process.send({ url: server.url, secretKey: server.secretKey, seedMs });
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function bench() {
	const count = Number(process.argv[2] ?? 50_000);
	const { runWorkflow, paynetWorkflow, paynetCredentials } = require('../test/harness/engine');

	const { child, ask } = forkServer(__filename, [String(count)]);
	const server = await ask();

	global.gc?.();
	const baseline = process.memoryUsage();
	const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peak.rss = Math.max(peak.rss, now.rss);
		peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
	}, 20);

	const started = process.hrtime.bigint();
	const { items, error } = await runWorkflow(
		paynetWorkflow({
			parameters: {
				resource: 'payLink',
				operation: 'list',
				startDate: '2024-01-01',
				endDate: '2024-12-31',
				returnAll: true,
			},
		}),
		{ credentials: paynetCredentials(server) },
	);
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	const end = process.memoryUsage();
	peak.rss = Math.max(peak.rss, end.rss);
	peak.heapUsed = Math.max(peak.heapUsed, end.heapUsed);

	const { calls } = await ask('calls');
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.send('close');
	// The explicit exit below must not leave the server process behind.
	await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
	child.kill();

	const expectedCalls = Math.ceil(count / PAGE_SIZE);
	const rssGrowth = peak.rss - baseline.rss;
	const heapGrowth = peak.heapUsed - baseline.heapUsed;
	const rows = [
		['PayLinks seeded', String(count), `in ${server.seedMs} ms`, ''],
		['items output', String(items.length), `= ${count}`, items.length === count && !error ? 'ok' : 'FAIL'],
		['calls to ' + LIST, String(calls), `= ${expectedCalls}`, calls === expectedCalls ? 'ok' : 'FAIL'],
		['wall time', `${(wallMs / 1000).toFixed(2)} s`, '', ''],
		[
			'peak RSS growth',
			`${mb(rssGrowth)} MB`,
			`< ${MEMORY_TARGET_MB} MB`,
			rssGrowth < MEMORY_TARGET_MB * 2 ** 20 ? 'ok' : 'FAIL',
		],
		[
			'peak heap growth',
			`${mb(heapGrowth)} MB`,
			`< ${MEMORY_TARGET_MB} MB`,
			heapGrowth < MEMORY_TARGET_MB * 2 ** 20 ? 'ok' : 'FAIL',
		],
	];
	const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length)));
	console.log(`\nPayLink → List, Return All (${path.basename(__filename)})\n`);
	for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
	if (error) console.log(`\nerror: ${error.message}`);
	const failed = rows.some((row) => row[3] === 'FAIL');
	console.log(failed ? '\nFAIL: a target was missed' : '\nall targets met');
	if (process.env.PAYNET_BENCH_JSON) {
		const checks = rows
			.filter((row) => row[3] !== '' || row[0] === 'wall time')
			.map(([figure, value, target, ok]) => ({
				figure: `List ${figure}`,
				value,
				target: target || 'info',
				ok: ok === '' ? undefined : ok === 'ok',
			}));
		const summary = {
			bench: 'list',
			count,
			pageSize: PAGE_SIZE,
			items: items.length,
			calls,
			expectedCalls,
			wallMs: Math.round(wallMs),
			peakRssGrowthMb: +mb(rssGrowth),
			peakHeapGrowthMb: +mb(heapGrowth),
			memoryTargetMb: MEMORY_TARGET_MB,
			error: error?.message,
			pass: !failed,
			checks,
		};
		require('node:fs').writeFileSync(process.env.PAYNET_BENCH_JSON, JSON.stringify(summary, null, 2));
	}
	// n8n-core's SSH client manager keeps a 60 s interval running: leave explicitly.
	process.exit(failed ? 1 : 0);
}

runBench({ serve, bench });
