#!/usr/bin/env node
'use strict';
// npm run bench: the benchmarks of issues 6 and 10, one after the other, each
// in its own process, then one table of figures against their targets.
//
//   1. Create 500 and 5,000 PayLinks at 20 ms per request, beside n8n's HTTP
//      Request node                              (scripts/bench-create.js)
//   2. List, Return All of 50,000 rows: calls, time, peak memory
//                                                (scripts/bench-list.js)
//   3. Polling Trigger, one poll with 10,000 new payments in its window:
//      calls, time, memory, runs; and the next poll (scripts/bench-poll.js)
//   3b. Polling Trigger with Listen on: post → run median and worst, and a
//      flood's runs and list calls               (scripts/bench-listen.js)
//   4. Trigger: CPU time and rate per accepted post, Verify With Paynet off,
//      with 1,000, 10,000 and 50,000 remembered payments, beside n8n's
//      Webhook node, inside n8n 1.123.81 on Node 20 and again inside n8n
//      2.41.1 on Node 24 (no target: figures only)
//                                                (scripts/bench-trigger.js)
//   5. Polling Trigger with Listen on in a real n8n 2.41.1 (default SQLite):
//      a backlog of 5,000 payments worked off after an outage, with all
//      5,000 confirmations posted meanwhile (20 at a time) and without:
//      runs per payment, posts answered 200, catch-up time, n8n's peak RSS,
//      list calls (issue 33 point 6; ~15 minutes)
//                                                (scripts/bench-backlog.js)
//      backlog-n8n1 does the same in n8n 1.123.81 on Node 20; it runs only
//      when PAYNET_BENCH_ONLY names it.
//
// Before that it always builds (npm run build: the n8n-node CLI's build, as
// tests and npm start use), so the figures are for the source as it is; the
// build empties dist/ first, so do not run tests beside it. It then makes
// sure n8n 1.x and 2.x are installed
// (scripts/n8n-install.sh 1 and 2: cached; ~5 minutes each the first time),
// for the HTTP Request and Webhook nodes and the trigger's n8n runtimes. A
// run takes a few minutes.
//
// Each bench writes a JSON summary to the file named by PAYNET_BENCH_JSON.
// Exits 1 if a bench fails, writes no summary, or misses a target.
// PAYNET_BENCH_ONLY=list,poll,listen,trigger,trigger-n8n2,backlog runs only those.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const BENCHES = [
	{ name: 'create', script: 'bench-create.js', args: ['500,5000', '20'] },
	{ name: 'list', script: 'bench-list.js', args: ['50000'] },
	{ name: 'poll', script: 'bench-poll.js', args: [] },
	{ name: 'listen', script: 'bench-listen.js', args: [] },
	{ name: 'trigger', script: 'bench-trigger.js', args: ['1000', '8', '3'], env: { PAYNET_BENCH_N8N: '1' } },
	{ name: 'trigger-n8n2', script: 'bench-trigger.js', args: ['1000', '8', '3'], env: { PAYNET_BENCH_N8N: '2' } },
	{ name: 'backlog', script: 'bench-backlog.js', args: ['5000', '2'], timeoutMs: 45 * 60_000 },
	{
		name: 'backlog-n8n1',
		script: 'bench-backlog.js',
		args: ['5000', '1'],
		timeoutMs: 45 * 60_000,
		onlyWhenNamed: true,
	},
];
/** A bench gets this long (or its own timeoutMs) before it is stopped and counted as failed. */
const BENCH_TIMEOUT_MS = 15 * 60_000;
/** A bench that has finished but not exited (n8n-core's timers) is stopped after this long. */
const LINGER_MS = 10_000;

function step(title, command, args) {
	console.log(`\n== ${title}: ${[command, ...args].join(' ')}`);
	const result = spawnSync(command, args, {
		cwd: root,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (result.status !== 0) {
		console.error(`${title} failed (${result.error?.message ?? `exit ${result.status}`})`);
		process.exit(1);
	}
}

function readSummary(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** The running bench's process group, stopped with us on Ctrl-C. */
let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		if (current) {
			try {
				process.kill(-current, 'SIGTERM');
			} catch {
				// already gone
			}
		}
		process.exit(130);
	});
}

/** The last console.table in a bench's output, as objects (the fallback when it wrote no summary). */
function lastTable(text) {
	const lines = text.split('\n');
	const end = lines.findLastIndex((line) => line.startsWith('└'));
	if (end === -1) return [];
	let start = end;
	while (start > 0 && /^[│├┌]/.test(lines[start - 1])) start--;
	const cells = (line) =>
		line
			.split('│')
			.slice(1, -1)
			.map((cell) => cell.trim().replace(/^'(.*)'$/, '$1'));
	const rows = lines.slice(start, end).filter((line) => line.startsWith('│'));
	const [header, ...body] = rows.map(cells);
	return body.map((row) =>
		Object.fromEntries(header.map((key, i) => [key, row[i]]).filter(([key]) => key !== '(index)')),
	);
}

/**
 * Runs one bench in its own process group and resolves with its exit code,
 * JSON summary and output. n8n-core leaves a 60 s interval running, so a
 * bench that has finished (written its summary, or printed its table) but
 * not exited is stopped after LINGER_MS; that is not a failure.
 */
function runBench({ name, script, args, env = {}, timeoutMs = BENCH_TIMEOUT_MS }, folder) {
	const file = path.join(folder, `${name}.json`);
	const envText = Object.entries(env)
		.map(([key, value]) => `${key}=${value} `)
		.join('');
	console.log(`\n== bench ${name}: ${envText}node scripts/${script} ${args.join(' ')}`);
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(process.execPath, [path.join(__dirname, script), ...args], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'inherit'],
			env: { ...process.env, ...env, PAYNET_BENCH_JSON: file },
			detached: true,
		});
		current = child.pid;
		let output = '';
		let lastOutputAt = Date.now();
		child.stdout.on('data', (chunk) => {
			process.stdout.write(chunk);
			output += chunk;
			lastOutputAt = Date.now();
		});
		let stopped;
		const stop = (why) => {
			stopped = why;
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// already gone
			}
		};
		let finishedAt;
		const watch = setInterval(() => {
			if (stopped) return;
			if (Date.now() - started > timeoutMs) return stop('timeout');
			if (finishedAt === undefined && (readSummary(file) || /\n└[^\n]*\n/.test(output))) finishedAt = Date.now();
			if (finishedAt !== undefined && Math.min(Date.now() - finishedAt, Date.now() - lastOutputAt) > LINGER_MS) {
				stop('linger');
			}
		}, 500);
		child.on('exit', (code, signal) => {
			clearInterval(watch);
			current = undefined;
			// Whatever the bench left behind in its group (its servers) goes too.
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// nothing left
			}
			resolve({ code, signal, stopped, output, summary: readSummary(file), seconds: (Date.now() - started) / 1000 });
		});
	});
}

/** The figures of one bench as rows { figure, value, target, ok }; `ok: false` fails the run. */
function figures(name, run) {
	const rows = reported(name, run);
	if (run.stopped === 'timeout') {
		rows.push({
			figure: `${name}: process`,
			value: `stopped after ${(run.bench.timeoutMs ?? BENCH_TIMEOUT_MS) / 60_000} min`,
			target: 'finishes',
			ok: false,
		});
	} else if (run.stopped !== 'linger' && run.code !== 0 && !rows.some((row) => row.ok === false)) {
		rows.push({ figure: `${name}: process`, value: `exit ${run.code ?? run.signal}`, target: 'exit 0', ok: false });
	}
	return rows;
}

/** What the bench reported: its summary's checks, else its summary's rows, else the table it printed. */
function reported(name, { summary, output }) {
	if (summary && Array.isArray(summary.checks)) return [...summary.checks];
	const rows = [];
	if (summary) {
		const list = Array.isArray(summary.results) ? summary.results : Array.isArray(summary.rows) ? summary.rows : [];
		for (const row of list) rows.push({ figure: name, value: describe(row), target: 'info' });
		rows.push({ figure: `${name}: targets`, value: String(summary.pass), target: 'pass', ok: summary.pass === true });
		return rows;
	}
	for (const row of lastTable(output))
		rows.push({ figure: `${name} (from its output)`, value: describe(row), target: 'info' });
	const missed = /target missed|FAIL/i.test(output);
	rows.push({
		figure: `${name}: targets (no JSON summary)`,
		value: missed ? 'missed' : 'met',
		target: 'met',
		ok: !missed && rows.length > 0,
	});
	return rows;
}

const describe = (row) =>
	Object.entries(row)
		.map(([key, value]) => `${key} ${value}`)
		.join(', ');

async function main() {
	const started = Date.now();
	step('build', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build']);
	step('n8n 1.x', 'bash', [path.join(__dirname, 'n8n-install.sh'), '1']);
	step('n8n 2.x', 'bash', [path.join(__dirname, 'n8n-install.sh'), '2']);

	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'paynet-bench-'));
	const runs = [];
	const only = process.env.PAYNET_BENCH_ONLY?.split(',').map((name) => name.trim());
	for (const bench of BENCHES.filter((b) => (only ? only.includes(b.name) : !b.onlyWhenNamed)))
		runs.push({ bench, ...(await runBench(bench, folder)) });

	const rows = [];
	let failed = false;
	for (const run of runs) {
		const list = figures(run.bench.name, run);
		if (list.some((row) => row.ok === false)) failed = true;
		for (const row of list) {
			rows.push([
				row.figure,
				String(row.value),
				String(row.target ?? ''),
				row.ok === undefined ? '' : row.ok ? 'ok' : 'FAIL',
			]);
		}
		rows.push([`${run.bench.name}: run time`, `${run.seconds.toFixed(0)} s`, '', '']);
	}
	fs.rmSync(folder, { recursive: true, force: true });

	const header = ['figure', 'value', 'target', ''];
	const widths = header.map((_h, column) => Math.max(header[column].length, ...rows.map((row) => row[column].length)));
	const line = (row) =>
		row
			.map((cell, column) => cell.padEnd(widths[column]))
			.join('  ')
			.trimEnd();
	console.log(`\n== npm run bench: summary (${((Date.now() - started) / 60_000).toFixed(1)} minutes)\n`);
	console.log(line(header));
	console.log(line(widths.map((width) => '-'.repeat(width))));
	for (const row of rows) console.log(line(row));
	console.log(failed ? '\nFAIL: a target was missed (see above)' : '\nall targets met');
	process.exit(failed ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
