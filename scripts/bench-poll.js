#!/usr/bin/env node
'use strict';
// The Paynet Polling Trigger at a busy merchant's volume, through n8n-core's
// TriggerContext against the Paynet test server (in a child process, so the
// memory figures are the node's), for both list orders Paynet may use:
//   - list calls per quiet poll with 1,000 / 10,000 / 50,000 earlier
//     payments today (one new payment per poll);
//   - the static data n8n saves with each run, at 1,000 / 10,000 / 50,000
//     payments a day (steady state: what the overlap holds);
//   - a poll that finds 10,000 new payments: calls and wall time until every
//     one ran (at most 500 per poll, the polls following one another).
// The trigger's clock is set to noon Istanbul, so "today" has room.
//
//   node scripts/bench-poll.js
//
// Needs a built dist/ (npm run build). Writes a JSON summary to $PAYNET_BENCH_JSON when set.
// Exits 1 if a target is missed.
const { countCalls, forkServer, runBench } = require('./bench-server');

const LIST = '/v1/transaction/list';
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const NOON = Date.parse('2026-03-11T09:00:00Z');
const DAY_START = NOON - 12 * HOUR;
const QUIET_CALLS_TARGET = 2;
const NEW_PAYMENTS = 10_000;

async function serve() {
	const { startPaynetServer } = require('../test/paynet-server');
	const { listedPayment } = require('../test/paynet-server/transaction');
	const server = await startPaynetServer({ recordRequests: false });
	const calls = countCalls(server, LIST);
	const pay = (atMs) => listedPayment(server, atMs);
	process.on('message', async (message) => {
		if (message.reset) {
			server.reset();
			server.quirks.transactionsNewestFirst = message.newestFirst;
			for (let index = 0; index < message.count; index++) {
				pay(message.fromMs + Math.floor(((message.toMs - message.fromMs) * index) / message.count));
			}
			calls.reset();
		}
		if (message.pay) pay(message.pay);
		for (const atMs of message.payAll ?? []) pay(atMs);
		if (message.close) {
			await server.close();
			process.exit(0);
		}
		process.send({ calls: calls.count() });
	});
	process.send({ url: server.url, secretKey: server.secretKey });
}

async function bench() {
	const { activatePollingTrigger } = require('../test/harness/polling');
	const { child, ask } = forkServer(__filename);
	const server = await ask();
	const paynet = { url: server.url, secretKey: server.secretKey };
	const realNow = Date.now;
	let offset = NOON - realNow();
	Date.now = () => realNow() + offset;
	const calls = async () => (await ask({ ask: true })).calls;
	const memoryFrom = (coveredUntilMs) => ({
		activatedAt: new Date(DAY_START).toISOString(),
		coveredUntil: new Date(coveredUntilMs).toISOString(),
		payments: {},
	});
	const rows = [];
	const orders = [
		['newest first', true],
		['oldest first', false],
	];

	for (const [order, newestFirst] of orders) {
		for (const earlier of [1_000, 10_000, 50_000]) {
			offset = NOON - realNow();
			await ask({ reset: true, newestFirst, count: earlier, fromMs: DAY_START, toMs: NOON - 20 * MINUTE });
			const trigger = await activatePollingTrigger(paynet, {
				staticData: memoryFrom(NOON - MINUTE),
				snapshotOnEmit: false,
			});
			await trigger.poll();
			const firstCalls = await calls();
			let worst = 0;
			for (let poll = 0; poll < 3; poll++) {
				offset += MINUTE;
				await ask({ pay: Date.now() - 5_000 });
				const before = await calls();
				await trigger.poll();
				worst = Math.max(worst, (await calls()) - before);
			}
			const ran = trigger.emits.length;
			await trigger.close();
			rows.push([
				`${order}: list calls per quiet poll, ${earlier.toLocaleString('en')} earlier payments today`,
				String(worst),
				`≤ ${QUIET_CALLS_TARGET} (first poll after activation: ${firstCalls})`,
				worst <= QUIET_CALLS_TARGET && ran === 3 ? 'ok' : 'FAIL',
			]);
		}
	}

	for (const perDay of [1_000, 10_000, 50_000]) {
		offset = NOON - realNow();
		// Two hours at this rate, all new: the runs fill the memory as a busy day does.
		const count = Math.round(perDay / 12);
		await ask({ reset: true, newestFirst: true, count, fromMs: NOON - 2 * HOUR, toMs: NOON - MINUTE });
		const trigger = await activatePollingTrigger(paynet, { staticData: memoryFrom(NOON - 2 * HOUR) });
		await trigger.poll();
		offset += MINUTE;
		await trigger.poll();
		const steady = JSON.stringify(trigger.staticData()).length;
		const lastHour = trigger.savedBytes.slice(-Math.max(1, Math.round(count / 2)));
		const perRun = Math.max(...lastHour);
		await trigger.close();
		rows.push([
			`static data at ${perDay.toLocaleString('en')} payments a day (steady; largest saved with a run)`,
			`${(steady / 1024).toFixed(1)} KB; ${(perRun / 1024).toFixed(1)} KB`,
			'info',
			trigger.emits.length === count ? '' : 'FAIL',
		]);
	}

	for (const [order, newestFirst] of orders) {
		offset = NOON - realNow();
		await ask({
			reset: true,
			newestFirst,
			count: NEW_PAYMENTS,
			fromMs: NOON - 50 * MINUTE,
			toMs: NOON - MINUTE,
		});
		const trigger = await activatePollingTrigger(paynet, {
			staticData: memoryFrom(NOON - HOUR),
			snapshotOnEmit: false,
		});
		const started = process.hrtime.bigint();
		await trigger.poll();
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		const distinct = new Set(trigger.emits.map((emit) => emit.json.xact_id)).size;
		await trigger.close();
		rows.push([
			`${order}: ${NEW_PAYMENTS.toLocaleString('en')} new payments, every one run once (one poll)`,
			`${await calls()} calls, ${(wallMs / 1000).toFixed(2)} s`,
			'info',
			distinct === NEW_PAYMENTS && trigger.emits.length === NEW_PAYMENTS ? '' : 'FAIL',
		]);
	}

	// Steady state: payments spread over the day, one every few seconds, and the trigger polling each minute.
	const { fetchTestEvent } = require('../test/harness/polling');
	for (const perDay of [10_000, 50_000]) {
		for (const [order, newestFirst] of orders) {
			offset = NOON - realNow();
			const everyMs = (24 * HOUR) / perDay;
			await ask({ reset: true, newestFirst, count: perDay / 2, fromMs: DAY_START, toMs: NOON });
			const trigger = await activatePollingTrigger(paynet);
			let worstBusy = 0;
			let worstBudget = 0;
			let largest = 0;
			for (let poll = 0; poll < 10; poll++) {
				const arriving = Math.round(MINUTE / everyMs);
				const at = Date.now();
				await ask({ payAll: Array.from({ length: arriving }, (_, index) => at + index * everyMs) });
				offset += MINUTE;
				const before = await calls();
				await trigger.poll();
				const made = (await calls()) - before;
				worstBusy = Math.max(worstBusy, made);
				worstBudget = Math.ceil(arriving / 100) + 5;
				largest = Math.max(largest, ...trigger.savedBytes);
			}
			const beforeQuiet = await calls();
			await trigger.poll();
			const quiet = (await calls()) - beforeQuiet;
			await trigger.close();
			const beforeTest = await calls();
			const { error } = await fetchTestEvent(paynet);
			const testCalls = (await calls()) - beforeTest;
			const label = `${order}, steady ${perDay.toLocaleString('en')} a day`;
			rows.push([`${label}: quiet poll`, `${quiet} calls`, '≤ 2', quiet <= 2 ? 'ok' : 'FAIL']);
			rows.push([
				`${label}: poll finding a minute's payments`,
				`${worstBusy} calls`,
				`≤ ${worstBudget}`,
				worstBusy <= worstBudget ? 'ok' : 'FAIL',
			]);
			rows.push([`${label}: Fetch Test Event`, `${testCalls} calls`, '≤ 5', testCalls <= 5 && !error ? 'ok' : 'FAIL']);
			rows.push([
				`${label}: largest static data saved`,
				`${(largest / 1024).toFixed(1)} KB`,
				perDay === 10_000 ? '≤ 100 KB' : 'info',
				perDay === 10_000 ? (largest <= 100 * 1024 ? 'ok' : 'FAIL') : '',
			]);
		}
	}

	Date.now = realNow;
	child.send({ close: true });
	const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
	console.log('\nPaynet Polling Trigger at volume (bench-poll.js)\n');
	for (const row of rows)
		console.log(row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join('  '));
	const failed = rows.some((row) => row[3] === 'FAIL');
	console.log(failed ? '\nFAIL: a target was missed' : '\nall targets met');
	if (process.env.PAYNET_BENCH_JSON) {
		const checks = rows.map(([figure, value, target, ok]) => ({
			figure: `Poll ${figure}`,
			value,
			target,
			ok: ok === '' ? undefined : ok === 'ok',
		}));
		require('node:fs').writeFileSync(
			process.env.PAYNET_BENCH_JSON,
			JSON.stringify({ bench: 'poll', pass: !failed, checks }, null, 2),
		);
	}
	// n8n-core's SSH client manager keeps a 60 s interval running: leave explicitly.
	process.exit(failed ? 1 : 0);
}

runBench({ serve, bench });
