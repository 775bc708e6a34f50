#!/usr/bin/env node
'use strict';
// One poll of the Paynet Polling Trigger with 10,000 new payments in its
// window, through n8n-core's TriggerContext, against the Paynet test server
// (in a child process, so the memory figures are the node's): calls to
// v1/transaction/list, wall time, peak memory, runs started, and the size of
// the static data n8n saves with each run. Then the next poll, when all
// 10,000 are known: the cost of every poll that day.
//
//   node scripts/bench-poll.js [count=10000]
//
// Needs a compiled dist/. Writes a JSON summary to $PAYNET_BENCH_JSON when set.
// Exits 1 if a target is missed.
const path = require('node:path');
const { fork } = require('node:child_process');

const LIST = '/v1/transaction/list';
const PAGE_SIZE = 100;
const MEMORY_TARGET_MB = 300;

async function serve() {
	const { startPaynetServer } = require('../test/paynet-server');
	const { createPayLink } = require('../test/paynet-server/mailorder');
	const server = await startPaynetServer({ recordRequests: false });
	const count = Number(process.argv[3]);
	const started = Date.now();
	const now = Date.now();
	for (let index = 0; index < count; index++) {
		const link = createPayLink(server, {
			name_surname: `Payer ${index}`,
			amount: 100 + (index % 50),
			reference_no: `n8n-bench-${index}`,
		});
		// Spread over the last 50 minutes: all after the poller's last completed poll, an hour ago.
		await server.pay(link.id, { at: new Date(now - 50 * 60 * 1000 + Math.floor((index * 50 * 60 * 1000) / count)) });
	}
	const seedMs = Date.now() - started;
	let calls = 0;
	const list = server.routes.get(LIST);
	server.route(LIST, (...args) => {
		calls++;
		return list(...args);
	});
	process.on('message', async (message) => {
		if (message === 'calls') process.send({ calls });
		if (message === 'close') {
			await server.close();
			process.exit(0);
		}
	});
	process.send({ url: server.url, secretKey: server.secretKey, seedMs });
}

function nextMessage(child) {
	return new Promise((resolve, reject) => {
		const exited = (code) => reject(new Error(`the test server process exited (${code}) before answering`));
		child.once('exit', exited);
		child.once('error', reject);
		child.once('message', (message) => {
			child.off('exit', exited);
			resolve(message);
		});
	});
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function measure(fn) {
	global.gc?.();
	const baseline = process.memoryUsage();
	const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peak.rss = Math.max(peak.rss, now.rss);
		peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
	}, 20);
	const started = process.hrtime.bigint();
	await fn();
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	const end = process.memoryUsage();
	return {
		wallMs,
		rssGrowth: Math.max(peak.rss, end.rss) - baseline.rss,
		heapGrowth: Math.max(peak.heapUsed, end.heapUsed) - baseline.heapUsed,
	};
}

async function bench() {
	const count = Number(process.argv[2] ?? 10_000);
	const { activatePollingTrigger } = require('../test/harness/polling');
	const child = fork(__filename, ['--serve', String(count)], { stdio: 'inherit' });
	const server = await nextMessage(child);
	const callsSoFar = async () => {
		child.send('calls');
		return (await nextMessage(child)).calls;
	};

	const hourAgo = new Date(Date.now() - 60 * 60 * 1000).toISOString();
	const trigger = await activatePollingTrigger(
		{ url: server.url, secretKey: server.secretKey },
		{
			staticData: { activatedAt: hourAgo, coveredUntil: hourAgo, payments: {} },
			// n8n serialises the static data on each run it starts; measured once below instead.
			snapshotOnEmit: false,
		},
	);
	// The activation started a poll at once (not a first activation): that is the poll measured.
	const first = await measure(() => trigger.poll());
	const firstCalls = await callsSoFar();
	const ran = trigger.emits.length;
	const distinct = new Set(trigger.emits.map((emit) => emit.json.xact_id)).size;
	const staticJson = JSON.stringify(trigger.staticData());
	const serialiseStarted = process.hrtime.bigint();
	for (let index = 0; index < 10; index++) JSON.stringify(trigger.staticData());
	const serialiseMs = Number(process.hrtime.bigint() - serialiseStarted) / 1e7;

	const second = await measure(() => trigger.poll());
	const secondCalls = (await callsSoFar()) - firstCalls;
	const ranAgain = trigger.emits.length - ran;
	await trigger.close();

	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.send('close');
	await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
	child.kill();

	const expectedCalls = Math.ceil(count / PAGE_SIZE);
	const under = (bytes) => (bytes < MEMORY_TARGET_MB * 2 ** 20 ? 'ok' : 'FAIL');
	const rows = [
		['payments in the window', String(count), `seeded in ${server.seedMs} ms`, ''],
		[
			'runs started (first poll)',
			String(ran),
			`= ${count}, each once`,
			ran === count && distinct === count ? 'ok' : 'FAIL',
		],
		['calls to ' + LIST, String(firstCalls), `= ${expectedCalls}`, firstCalls === expectedCalls ? 'ok' : 'FAIL'],
		['wall time (first poll)', `${(first.wallMs / 1000).toFixed(2)} s`, '', ''],
		['peak RSS growth (first poll)', `${mb(first.rssGrowth)} MB`, `< ${MEMORY_TARGET_MB} MB`, under(first.rssGrowth)],
		[
			'peak heap growth (first poll)',
			`${mb(first.heapGrowth)} MB`,
			`< ${MEMORY_TARGET_MB} MB`,
			under(first.heapGrowth),
		],
		['static data saved with each run', `${(staticJson.length / 1024).toFixed(0)} KB`, '', ''],
		['JSON.stringify of it', `${serialiseMs.toFixed(1)} ms`, '', ''],
		['runs started (next poll, all known)', String(ranAgain), '= 0', ranAgain === 0 ? 'ok' : 'FAIL'],
		['calls (next poll)', String(secondCalls), `= ${expectedCalls}`, secondCalls === expectedCalls ? 'ok' : 'FAIL'],
		['wall time (next poll)', `${(second.wallMs / 1000).toFixed(2)} s`, '', ''],
		[
			'peak heap growth (next poll)',
			`${mb(second.heapGrowth)} MB`,
			`< ${MEMORY_TARGET_MB} MB`,
			under(second.heapGrowth),
		],
	];
	const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length)));
	console.log(`\nPaynet Polling Trigger, one poll (${path.basename(__filename)})\n`);
	for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
	const failed = rows.some((row) => row[3] === 'FAIL');
	console.log(failed ? '\nFAIL: a target was missed' : '\nall targets met');
	if (process.env.PAYNET_BENCH_JSON) {
		const checks = rows
			.filter((row) => row[3] !== '' || /wall time|static data|stringify/.test(row[0]))
			.map(([figure, value, target, ok]) => ({
				figure: `Poll ${figure}`,
				value,
				target: target || 'info',
				ok: ok === '' ? undefined : ok === 'ok',
			}));
		require('node:fs').writeFileSync(
			process.env.PAYNET_BENCH_JSON,
			JSON.stringify({ bench: 'poll', count, pass: !failed, checks }, null, 2),
		);
	}
	// n8n-core's SSH client manager keeps a 60 s interval running: leave explicitly.
	process.exit(failed ? 1 : 0);
}

if (process.argv[2] === '--serve') {
	serve().catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else {
	require('../test/setup-env');
	bench().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
