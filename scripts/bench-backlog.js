#!/usr/bin/env node
'use strict';
// npm run bench (backlog): issue 33 point 6 in a real n8n with its default
// SQLite. A workflow of one Paynet Polling Trigger (Listen on, Poll Every 1)
// and a No Operation node is activated once (the first activation counts what
// Paynet lists), n8n is stopped, N payments are made on PayLinks (default
// 5,000: a busy merchant's backlog after an outage), and n8n is started
// again. Twice, each time in a fresh user folder and database:
//   - posts: as soon as n8n is up, the confirmation of every one of the N
//     payments is posted to the node's Production URL, 20 at a time, while
//     the catch-up works the backlog off;
//   - no posts: the same catch-up, nothing posted.
// Figures: posts answered 200 (and not), runs per payment read from n8n's
// database (execution_entity / execution_data, with n8n's own Node and
// sqlite3): exactly one each, 0 missing; the catch-up's wall time (n8n
// started → last execution stopped); n8n's peak RSS (VmHWM of its main
// process; the process group's peak beside it); list calls to Paynet.
// The catch-up ends when N executions have stopped and a poll after the last
// one started nothing more (or nothing changed for 3 minutes).
//
//   node scripts/bench-backlog.js [payments=5000] [majors=2]     majors: 2, 1 or 2,1
//
// Reuses the e2e plumbing: scripts/n8n-start.sh --prepare-only (n8n from the
// cache, the package packed and installed as a community package; it packs
// the existing dist/ — run npm run build first; PAYNET_PACKAGE_DIR picks
// another checkout) and test/e2e/n8n.js (CLI, boot, stop).
// PAYNET_BENCH_BACKLOG_KEEP=1 keeps the run folder (n8n logs, databases).
// Writes a JSON summary to $PAYNET_BENCH_JSON when set; exits 1 on a miss.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { startPaynetServer } = require('../test/paynet-server');
const { createPayLink } = require('../test/paynet-server/mailorder');
const { countCalls } = require('./bench-server');

const PAYMENTS = Number(process.argv[2] ?? 5000);
const MAJORS = (process.argv[3] ?? '2').split(',').map((major) => major.trim());
const POSTS_AT_ONCE = 20;
const RSS_LIMIT = 2 * 1024 ** 3;
const RSS_REFERENCE = '1.55 GiB (issue 33)';
const LIST = '/v1/transaction/list';
const CHECK = '/v1/transaction/check';
const WORKFLOW_ID = 'pnBenchBacklog01';
const CREDENTIAL = { id: 'pnBenchBacklogC1', name: 'Paynet bench backlog' };
const WEBHOOK_ID = '33b6e270-27aa-4b2d-9e3f-27c0ffee0033';
const SECRET_KEY = 'sck_bench_backlog/key+with=chars';
const NODE_NAME = 'Paynet Polling Trigger';
/** Nothing stopped for this long (and at least one run): the catch-up is over, whatever the count. */
const QUIET_END_MS = 180_000;
/** A catch-up gets this long. */
const CATCH_UP_LIMIT_MS = 25 * 60_000;

const REPO = path.join(__dirname, '..');
const RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'paynet-bench-backlog-'));
// test/e2e/n8n.js reads where n8n is and where to log from the environment (set by prepare()).
process.env.PAYNET_E2E_DIR = RUN_DIR;
const n8n = require('../test/e2e/n8n');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const gib = (bytes) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

/** The n8n process running now: stopped with us on Ctrl-C or when npm run bench stops us. */
let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, async () => {
		await running?.kill();
		process.exit(130);
	});
}

/** Two distinct free TCP ports on 127.0.0.1 (n8n and its task-runner broker). */
async function freePorts(count) {
	const servers = Array.from({ length: count }, () => net.createServer());
	await Promise.all(servers.map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))));
	const ports = servers.map((server) => server.address().port);
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

/**
 * n8n MAJOR installed (cached), the package packed from dist/ and installed in
 * a user folder, as scripts/e2e.sh does; the exports become this process's
 * environment, which test/e2e/n8n.js reads. Returns the installed nodes folder.
 */
async function prepare(major) {
	const userFolder = path.join(RUN_DIR, `prepared-${major}`);
	const [port, brokerPort] = await freePorts(2);
	// The previous major's exports go first: n8n-start.sh keeps any N8N_* it is given (2.x's N8N_DISABLED_MODULES stops 1.x).
	for (const name of Object.keys(process.env)) if (/^(N8N_|WEBHOOK_URL$|DB_)/.test(name)) delete process.env[name];
	const result = spawnSync('bash', [path.join(__dirname, 'n8n-start.sh'), '--prepare-only', major], {
		cwd: REPO,
		env: {
			...process.env,
			PAYNET_SKIP_BUILD: '1',
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		},
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (result.status !== 0) throw new Error(`scripts/n8n-start.sh --prepare-only ${major} failed`);
	for (const line of result.stdout.split('\n')) {
		const match = /^export ([A-Za-z0-9_]+)='(.*)'$/.exec(line);
		if (!match) continue;
		// n8n (and its task runner) run with n8n's Node first in PATH; this process keeps its own.
		if (match[1] === 'PATH') process.env.PAYNET_N8N_PATH = match[2];
		else process.env[match[1]] = match[2];
	}
	return path.join(userFolder, '.n8n', 'nodes');
}

function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Paynet bench: backlog catch-up',
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Europe/Istanbul' },
		nodes: [
			{
				id: 'b33b6000-0000-4000-8000-000000000001',
				name: NODE_NAME,
				type: 'n8n-nodes-paynet.paynetPollingTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				credentials: { paynetApi: CREDENTIAL },
				parameters: { event: 'successfulPayment', pollMinutes: 1, listen: true },
			},
			{
				id: 'b33b6000-0000-4000-8000-000000000002',
				name: 'Handle payment',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [NODE_NAME]: { main: [[{ node: 'Handle payment', type: 'main', index: 0 }]] } },
		pinData: {},
		tags: [],
	};
}

/** Runs a script with n8n's Node and its sqlite3 against a user folder's database; resolves with its JSON output. */
function queryDatabase(userFolder, body) {
	const sqlite = path.join(path.dirname(process.env.PAYNET_N8N_BIN), '..', '..', 'sqlite3');
	const script = `
		const sqlite3 = require(${JSON.stringify(sqlite)});
		const db = new sqlite3.Database(${JSON.stringify(path.join(userFolder, '.n8n', 'database.sqlite'))}, sqlite3.OPEN_READONLY);
		const workflowId = ${JSON.stringify(WORKFLOW_ID)};
		const done = (error, value) => {
			if (error) { console.error(error.message); process.exit(1); }
			process.stdout.write(JSON.stringify(value));
			db.close();
		};
		${body}`;
	return new Promise((resolve, reject) => {
		const child = spawn(process.env.PAYNET_N8N_NODE, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => (err += chunk));
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
	});
}

/** SQLite's UTC 'YYYY-MM-DD HH:MM:SS.SSS' (or an ISO string) as epoch ms. */
const dbTime = (value) =>
	value == null ? undefined : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);

/** How many of the workflow's executions have stopped, and the last stop (cheap: no run data). */
async function progress(userFolder) {
	const rows = await queryDatabase(
		userFolder,
		`db.all("SELECT status, COUNT(*) AS n, MIN(startedAt) AS firstStart, MAX(stoppedAt) AS lastStop FROM execution_entity WHERE workflowId = ? GROUP BY status", [workflowId], done);`,
	);
	const stopped = rows.filter((row) => !['running', 'new', 'waiting'].includes(row.status));
	return {
		stopped: stopped.reduce((sum, row) => sum + row.n, 0),
		all: rows.reduce((sum, row) => sum + row.n, 0),
		lastStopMs: Math.max(0, ...stopped.map((row) => dbTime(row.lastStop) ?? 0)),
		firstStartMs: Math.min(...rows.map((row) => dbTime(row.firstStart) ?? Number.POSITIVE_INFINITY)),
	};
}

/** Every execution of the workflow with the payments (xact_ids) its run data names (n8n stopped). */
function executions(userFolder) {
	return queryDatabase(
		userFolder,
		`db.all('SELECT e.id, e.status, e.startedAt, e.stoppedAt, d.data AS runData FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ?', [workflowId], (error, rows) => {
			if (error) return done(error);
			const xk = /xk_[0-9a-f]{32}/g;
			done(null, rows.map((row) => ({
				id: row.id, status: row.status, startedAt: row.startedAt, stoppedAt: row.stoppedAt,
				xactIds: [...new Set([...(row.runData ?? '').matchAll(xk)].map((m) => m[0]))],
			})));
		});`,
	);
}

/** Peak memory of n8n: VmHWM of its main process, and the largest RSS sum of its process group seen. */
function memorySampler(pid) {
	let groupPeak = 0;
	let mainPeak = 0;
	let mainAtStart;
	const kb = (text, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
	const sample = () => {
		let sum = 0;
		for (const entry of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			try {
				const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
				const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
				if (pgrp !== pid) continue;
				const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
				sum += kb(status, 'VmRSS');
				if (Number(entry) === pid) {
					mainPeak = Math.max(mainPeak, kb(status, 'VmHWM'));
					mainAtStart ??= kb(status, 'VmRSS');
				}
			} catch {
				// the process ended meanwhile
			}
		}
		groupPeak = Math.max(groupPeak, sum);
	};
	sample();
	const timer = setInterval(sample, 1_000);
	return {
		stop() {
			sample();
			clearInterval(timer);
			return { mainPeak, groupPeak, mainAtStart };
		},
	};
}

/** Posts every confirmation to `url`, `atOnce` at a time; the answers' statuses counted, and the slowest. */
async function postAll(url, confirmations, atOnce) {
	const statuses = new Map();
	let next = 0;
	let slowestMs = 0;
	const durations = [];
	const worker = async () => {
		while (next < confirmations.length) {
			const body = JSON.stringify(confirmations[next++]);
			const started = Date.now();
			let status;
			try {
				const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
				await response.text();
				status = response.status;
			} catch (error) {
				status = error.cause?.code ?? error.message;
			}
			const took = Date.now() - started;
			durations.push(took);
			slowestMs = Math.max(slowestMs, took);
			statuses.set(status, (statuses.get(status) ?? 0) + 1);
		}
	};
	const started = Date.now();
	await Promise.all(Array.from({ length: atOnce }, worker));
	durations.sort((a, b) => a - b);
	return {
		statuses,
		ok: statuses.get(200) ?? 0,
		medianMs: durations[Math.floor(durations.length / 2)] ?? 0,
		slowestMs,
		wallMs: Date.now() - started,
	};
}

/** One catch-up in a fresh user folder: first activation, stop, N payments, boot, (posts), until the backlog is worked off. */
async function catchUp(major, nodesFolder, withPosts) {
	const label = `${major}-${withPosts ? 'posts' : 'quiet'}`;
	const userFolder = path.join(RUN_DIR, label);
	const env = { N8N_USER_FOLDER: userFolder, N8N_LOG_LEVEL: 'info' };
	const logName = `n8n-${label}.log`;
	fs.cpSync(nodesFolder, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });

	const paynet = await startPaynetServer({ secretKey: SECRET_KEY, recordRequests: false });
	const lists = countCalls(paynet, LIST);
	const checks = countCalls(paynet, CHECK);
	try {
		const importDir = path.join(RUN_DIR, `${label}-import`);
		fs.mkdirSync(importDir, { recursive: true });
		const credential = {
			...CREDENTIAL,
			type: 'paynetApi',
			data: { secretKey: SECRET_KEY, environment: 'custom', baseUrl: paynet.url },
		};
		fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify([credential]));
		fs.writeFileSync(path.join(importDir, 'workflow.json'), JSON.stringify(workflow()));
		await n8n.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`], { env });
		await n8n.cli(['import:workflow', `--input=${path.join(importDir, 'workflow.json')}`], { env });
		if (major === '2') await n8n.cli(['publish:workflow', `--id=${WORKFLOW_ID}`], { env });
		else await n8n.cli(['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true'], { env });

		// The first activation counts what Paynet lists (nothing): every payment after it is new.
		running = await n8n.startN8n({ env, logName });
		await sleep(1_500);
		await running.stop();
		running = undefined;

		// n8n is down: the payments pile up; their confirmations wait to be posted.
		const confirmations = [];
		const made = [];
		for (let index = 0; index < PAYMENTS; index++) {
			const link = createPayLink(paynet, {
				name_surname: `Backlog Payer ${index}`,
				amount: 50 + (index % 500),
				reference_no: `n8n-backlog-${index}`,
			});
			const { transaction, confirmation } = await paynet.pay(link.id);
			made.push(transaction);
			confirmations.push(confirmation);
		}
		lists.reset();
		checks.reset();

		const bootMs = Date.now();
		running = await n8n.startN8n({ env, logName, timeoutMs: 300_000 });
		const upMs = Date.now();
		const memory = memorySampler(running.pid);
		const url = `${n8n.baseUrl()}/webhook/${WEBHOOK_ID}/paynet`;
		const posting = withPosts ? postAll(url, confirmations, POSTS_AT_ONCE) : undefined;

		// Until every payment's execution stopped and a later poll added none (or nothing moved for a while).
		let last = { stopped: -1 };
		let changedAt = Date.now();
		let listsAtChange = 0;
		let endedBy = 'limit';
		while (Date.now() - bootMs < CATCH_UP_LIMIT_MS) {
			await sleep(3_000);
			const now = await progress(userFolder).catch(() => undefined);
			if (!now) continue;
			if (now.stopped !== last.stopped || now.all !== last.all) {
				last = now;
				changedAt = Date.now();
				listsAtChange = lists.count();
				continue;
			}
			const postsDone = !posting || (await Promise.race([posting.then(() => true), sleep(0).then(() => false)]));
			if (postsDone && now.stopped >= PAYMENTS && now.all === now.stopped && lists.count() > listsAtChange) {
				// The poll after the last change has been answered: give its runs (if any) a moment to show.
				await sleep(5_000);
				const after = await progress(userFolder);
				if (after.all === now.all) {
					endedBy = 'all stopped, a later poll added none';
					break;
				}
				last = after;
				changedAt = Date.now();
				listsAtChange = lists.count();
				continue;
			}
			if (postsDone && now.stopped > 0 && Date.now() - changedAt > QUIET_END_MS) {
				endedBy = `nothing changed for ${QUIET_END_MS / 1000} s`;
				break;
			}
		}
		const posted = posting ? await posting : undefined;
		const { mainPeak, groupPeak, mainAtStart } = memory.stop();
		await running.stop();
		running = undefined;

		const listCalls = lists.count();
		const checkCalls = checks.count();
		const runs = await executions(userFolder);
		const byPayment = new Map(made.map((payment) => [payment.xact_id, []]));
		const unknown = [];
		for (const run of runs) {
			const mine = run.xactIds.filter((xactId) => byPayment.has(xactId));
			if (mine.length === 0) unknown.push(run);
			for (const xactId of mine) byPayment.get(xactId).push(run);
		}
		const missing = made.filter((payment) => byPayment.get(payment.xact_id).length === 0);
		const twice = made.filter((payment) => byPayment.get(payment.xact_id).length > 1);
		const failed = runs.filter((run) => run.status !== 'success');
		const lastStopMs = Math.max(...runs.map((run) => dbTime(run.stoppedAt) ?? 0));
		const firstStartMs = Math.min(...runs.map((run) => dbTime(run.startedAt) ?? Number.POSITIVE_INFINITY));
		const result = {
			major,
			withPosts,
			payments: PAYMENTS,
			executions: runs.length,
			exactlyOnce: made.length - missing.length - twice.length,
			missing: missing.map((payment) => ({ xact_id: payment.xact_id, reference: payment.agent_reference })),
			twice: twice.map((payment) => ({
				xact_id: payment.xact_id,
				reference: payment.agent_reference,
				executions: byPayment.get(payment.xact_id).map((run) => `${run.id} ${run.status} ${run.startedAt}`),
			})),
			notSuccess: failed.map((run) => `${run.id} ${run.status}`),
			withoutPayment: unknown.map((run) => `${run.id} ${run.status}`),
			bootToUpMs: upMs - bootMs,
			bootToFirstRunMs: firstStartMs - bootMs,
			catchUpMs: lastStopMs - bootMs,
			mainPeak,
			groupPeak,
			mainAtStart,
			listCalls,
			checkCalls,
			endedBy,
			posts: posted && {
				count: confirmations.length,
				ok: posted.ok,
				statuses: Object.fromEntries(posted.statuses),
				medianMs: posted.medianMs,
				slowestMs: posted.slowestMs,
				wallMs: posted.wallMs,
			},
			log: path.join(RUN_DIR, logName),
		};
		console.log(`\n${label}: ${JSON.stringify({ ...result, missing: result.missing.slice(0, 20) })}`);
		return result;
	} finally {
		await running?.kill();
		running = undefined;
		await paynet.close();
	}
}

function rowsFor(result) {
	const name = `n8n ${result.major}.x, ${result.payments.toLocaleString('en')} payments, ${result.withPosts ? `all posted ${POSTS_AT_ONCE} at a time` : 'no posts'}`;
	const once = result.exactlyOnce === result.payments && result.missing.length === 0 && result.twice.length === 0;
	const rows = [
		[
			`${name}: runs per payment`,
			`${result.exactlyOnce} exactly once, ${result.missing.length} missing, ${result.twice.length} more than once; ${result.executions} executions, ${result.notSuccess.length} not successful`,
			'each exactly once',
			once && result.notSuccess.length === 0 ? 'ok' : 'FAIL',
		],
	];
	if (result.posts) {
		const others = Object.entries(result.posts.statuses)
			.filter(([status]) => status !== '200')
			.map(([status, count]) => `${count} × ${status}`);
		rows.push([
			`${name}: posts answered 200`,
			`${result.posts.ok} / ${result.posts.count}${others.length ? ` (${others.join(', ')})` : ''}; median ${result.posts.medianMs} ms, slowest ${result.posts.slowestMs} ms, all posted in ${seconds(result.posts.wallMs)}`,
			'all',
			result.posts.ok === result.posts.count ? 'ok' : 'FAIL',
		]);
	}
	rows.push(
		[
			`${name}: catch-up, n8n started → last execution stopped`,
			`${seconds(result.catchUpMs)} (up ${seconds(result.bootToUpMs)}, first run at ${seconds(result.bootToFirstRunMs)})`,
			'info (issue 33: 227 s, 500 s with posts)',
			'',
		],
		[
			`${name}: n8n peak RSS (main process VmHWM; its process group)`,
			`${gib(result.mainPeak)}; ${gib(result.groupPeak)} (main ${gib(result.mainAtStart ?? 0)} when up)`,
			`≤ 2 GiB (reference ${RSS_REFERENCE})`,
			result.mainPeak > 0 && result.mainPeak <= RSS_LIMIT ? 'ok' : 'FAIL',
		],
		[`${name}: list calls to Paynet`, `${result.listCalls} (check calls ${result.checkCalls})`, 'info', ''],
	);
	return rows;
}

async function main() {
	const rows = [];
	const results = [];
	for (const major of MAJORS) {
		const nodesFolder = await prepare(major);
		for (const withPosts of [true, false]) {
			const result = await catchUp(major, nodesFolder, withPosts);
			results.push(result);
			rows.push(...rowsFor(result));
		}
	}
	const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
	console.log('\nPaynet Polling Trigger, a backlog worked off in real n8n (bench-backlog.js)\n');
	for (const row of rows)
		console.log(row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join('  '));
	const failed = rows.some((row) => row[3] === 'FAIL');
	console.log(failed ? '\nFAIL: a target was missed' : '\nall targets met');
	if (process.env.PAYNET_BENCH_JSON) {
		const checks = rows.map(([figure, value, target, ok]) => ({
			figure: `Backlog ${figure}`,
			value,
			target,
			ok: ok === '' ? undefined : ok === 'ok',
		}));
		fs.writeFileSync(
			process.env.PAYNET_BENCH_JSON,
			JSON.stringify({ bench: 'backlog', pass: !failed, checks, results }, null, 2),
		);
	}
	if (failed || process.env.PAYNET_BENCH_BACKLOG_KEEP === '1') console.log(`kept ${RUN_DIR}`);
	else fs.rmSync(RUN_DIR, { recursive: true, force: true });
	process.exit(failed ? 1 : 0);
}

main().catch(async (error) => {
	console.error(error);
	await running?.kill();
	console.error(`kept ${RUN_DIR}`);
	process.exit(1);
});
