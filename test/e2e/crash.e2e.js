'use strict';
// Issue 35 in a real n8n: a Paynet Polling Trigger (Listen on) catches up on
// payments made while n8n was down, and n8n is killed with SIGKILL twice in
// the middle of it. Then, for every payment: a finished run, an execution
// n8n shows (crashed), or nothing. On n8n ≥ 2.20 nothing must be the answer
// for none, and no payment runs twice; on 1.x no payment runs twice and each
// payment without an execution is named in a warning of n8n's log (reference
// and xact_id). Its own n8n user folder and SQLite database (the package
// copied from the suite's), four boots: about 100 s.
// Run with scripts/e2e.sh [1|2].
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startPaynetServer } = require('../paynet-server');
const { createPayLink } = require('../paynet-server/mailorder');
const { listedPayment } = require('../paynet-server/transaction');
const n8n = require('./n8n');

n8n.checkEnvironment();

const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '1';
const RUN_DIR = process.env.PAYNET_E2E_DIR;
const USER_FOLDER = path.join(RUN_DIR, 'crash');
const ENV = { N8N_USER_FOLDER: USER_FOLDER, N8N_LOG_LEVEL: 'info' };
const LOG = 'n8n-crash.log';
const WORKFLOW_ID = 'pnE2eCrash00001';
const CREDENTIAL = { id: 'pnE2eCrashCred1', name: 'Paynet e2e crash' };
const WEBHOOK_ID = '3535e270-27aa-4b2d-9e3f-27c0ffee3535';
const SECRET_KEY = 'sck_e2e_crash/key+with=chars';
const NODE_NAME = 'Paynet Polling Trigger';
const LIST = '/v1/transaction/list';
const BACKLOG = 200;
const POSTED = 4;
const XACT_ID = /xk_[0-9a-f]{32}/g;

const { timings, timed } = n8n.stepTimer();

let paynet;
let server;

function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Paynet e2e: polling trigger killed mid catch-up',
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Europe/Istanbul' },
		nodes: [
			{
				id: 'e2e35000-0000-4000-8000-000000000001',
				name: NODE_NAME,
				type: 'n8n-nodes-paynet.paynetPollingTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				credentials: { paynetApi: CREDENTIAL },
				parameters: { event: 'successfulPayment', pollMinutes: 1, listen: true },
			},
			{
				// A run takes a second, as one that writes to a database and mails a receipt does: runs are in flight when n8n dies.
				id: 'e2e35000-0000-4000-8000-000000000002',
				name: 'Handle payment',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [220, 0],
				webhookId: 'e2e35000-0000-4000-8000-0000000000aa',
				parameters: { resume: 'timeInterval', amount: 1, unit: 'seconds' },
			},
		],
		connections: { [NODE_NAME]: { main: [[{ node: 'Handle payment', type: 'main', index: 0 }]] } },
		pinData: {},
		tags: [],
	};
}

/** Every execution of the workflow in n8n's SQLite, read with n8n's own Node and sqlite3 (n8n stopped). */
function readExecutions() {
	const sqlite = path.join(path.dirname(process.env.PAYNET_N8N_BIN), '..', '..', 'sqlite3');
	const script = `
		const sqlite3 = require(${JSON.stringify(sqlite)});
		const db = new sqlite3.Database(${JSON.stringify(path.join(USER_FOLDER, '.n8n', 'database.sqlite'))}, sqlite3.OPEN_READONLY);
		db.all('SELECT e.*, d.data AS runData FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ?', [${JSON.stringify(WORKFLOW_ID)}], (error, rows) => {
			if (error) { console.error(error.message); process.exit(1); }
			const xk = /xk_[0-9a-f]{32}/g;
			process.stdout.write(JSON.stringify(rows.map((row) => ({
				id: row.id, status: row.status, finished: row.finished, deletedAt: row.deletedAt ?? null,
				deduplicationKey: row.deduplicationKey ?? null,
				xactIds: [...new Set([...(row.runData ?? '').matchAll(xk), ...(row.deduplicationKey ?? '').matchAll(xk)].map((m) => m[0]))],
			}))));
			db.close();
		});`;
	return new Promise((resolve, reject) => {
		const child = spawn(process.env.PAYNET_N8N_NODE, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => (err += chunk));
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
	});
}

/** A PayLink whose Confirmation URL is the node's Production URL, paid: Paynet posts to n8n. */
async function payWithPost(index) {
	const link = createPayLink(paynet, {
		name_surname: `Crash Payer ${index}`,
		amount: 70 + index,
		reference_no: `n8n-crash-post-${index}`,
		confirmation_url: `http://localhost:${process.env.N8N_PORT}/webhook/${WEBHOOK_ID}/paynet`,
	});
	const { transaction } = await paynet.pay(link.id);
	return transaction;
}

beforeAll(async () => {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY });
	// The package as the suite installed it, in a user folder (and database) of this file's own.
	fs.cpSync(path.join(process.env.N8N_USER_FOLDER, '.n8n', 'nodes'), path.join(USER_FOLDER, '.n8n', 'nodes'), {
		recursive: true,
	});
	const importDir = path.join(RUN_DIR, 'crash-import');
	fs.mkdirSync(importDir, { recursive: true });
	const credential = {
		...CREDENTIAL,
		type: 'paynetApi',
		data: { secretKey: SECRET_KEY, environment: 'custom', baseUrl: paynet.url },
	};
	fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify([credential]));
	fs.writeFileSync(path.join(importDir, 'workflow.json'), JSON.stringify(workflow()));
	await timed('crash: import + activate (CLI)', async () => {
		await n8n.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`], { env: ENV });
		await n8n.cli(['import:workflow', `--input=${path.join(importDir, 'workflow.json')}`], { env: ENV });
		if (MAJOR === '2') await n8n.cli(['publish:workflow', `--id=${WORKFLOW_ID}`], { env: ENV });
		else await n8n.cli(['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true'], { env: ENV });
	});
}, 120_000);

afterAll(async () => {
	await server?.kill();
	await paynet?.close();
	n8n.saveTimings(timings);
});

describe(`n8n ${MAJOR}.x killed twice during a Polling Trigger catch-up (issue 35)`, () => {
	test(`${BACKLOG} payments made while n8n was down and ${POSTED} posted meanwhile, Paynet failing some list calls, SIGKILL twice: every payment ran, or shows, or (1.x) is named in a warning; none ran twice`, async () => {
		// The first activation: the trigger starts from now.
		server = await timed('crash: boot 1 (first activation)', () => n8n.startN8n({ env: ENV, logName: LOG }));
		await n8n.sleep(1500);
		await server.stop();

		// n8n is down: the payments pile up.
		const made = [];
		const now = Date.now();
		for (let index = 0; index < BACKLOG; index++) made.push(listedPayment(paynet, now - 1000 + index));
		// Some list calls fail (each retried by the client).
		paynet.inject(LIST, { status: 500 }, { status: 503 });

		const logs = [];
		for (const [boot, killAfterMs] of [
			[2, 7_000],
			[3, 7_000],
		]) {
			server = await timed(`crash: boot ${boot}`, () => n8n.startN8n({ env: ENV, logName: LOG }));
			if (boot === 2) {
				// Posted while the catch-up runs: Listen makes a poll come sooner; those payments also ride through the kills.
				for (let index = 0; index < POSTED; index++) made.push(await payWithPost(index));
				paynet.inject(LIST, { status: 500 });
			}
			await n8n.sleep(killAfterMs);
			logs.push(server.log());
			await server.kill();
		}

		// The last boot works off the rest; done once no execution has been added for a while.
		server = await timed('crash: boot 4, until the catch-up ends', () => n8n.startN8n({ env: ENV, logName: LOG }));
		let last = -1;
		await n8n.waitFor(
			'the catch-up to end',
			async () => {
				await n8n.sleep(3_000);
				const count = (await readExecutions().catch(() => [])).filter((run) => run.status !== 'running').length;
				const done = count > 0 && count === last;
				last = count;
				return done;
			},
			150_000,
		);
		logs.push(server.log());
		await server.stop();

		const executions = await readExecutions();
		const log = logs.join('\n');
		// n8n's log lines carry no level: the node's warnings are the lines that say what happened to a run.
		const warnings = log
			.split('\n')
			.filter((line) => /Paynet Polling Trigger: the run of payment .* when n8n stopped/.test(line));
		const byPayment = new Map(made.map((payment) => [payment.xact_id, []]));
		for (const execution of executions) {
			for (const xactId of execution.xactIds) byPayment.get(xactId)?.push(execution);
		}
		const finished = [];
		const shown = [];
		const nothing = [];
		const twice = [];
		for (const payment of made) {
			const runs = byPayment.get(payment.xact_id);
			if (runs.length > 1) twice.push({ xact_id: payment.xact_id, runs });
			if (runs.some((run) => run.status === 'success')) finished.push(payment);
			else if (runs.length > 0) shown.push({ payment, statuses: runs.map((run) => run.status) });
			else nothing.push(payment);
		}
		const summary = `n8n ${MAJOR}.x, ${made.length} payments: ${finished.length} finished, ${shown.length} shown by n8n (${[...new Set(shown.flatMap((each) => each.statuses))].join(', ') || 'none'}), ${nothing.length} nothing; ${executions.length} executions`;
		console.log(summary);

		if (MAJOR === '2') expect(twice).toEqual([]);
		else {
			// 1.x's one window (README): n8n killed after it inserted a run's execution and before the static data
			// saved with it landed; that run shows as crashed and the payment runs once more. Two runs that both
			// went on past the crash are a double, and fail.
			const beyondTheWindow = twice.filter(({ runs }) => runs.filter((run) => run.status !== 'crashed').length > 1);
			expect(beyondTheWindow).toEqual([]);
			if (twice.length > 0)
				console.log(`1.x window (crashed, then run again): ${twice.map((each) => each.xact_id).join(', ')}`);
		}
		// The kills happened mid catch-up: payments were started in each boot.
		expect(warnings.join('\n')).toMatch(/was in flight when n8n stopped/);
		expect(log).not.toMatch(/Paynet Polling Trigger: poll failed/);
		if (MAJOR === '2') {
			expect(nothing.map((payment) => payment.xact_id)).toEqual([]);
		} else {
			for (const payment of nothing) {
				const named = warnings.some(
					(line) =>
						line.includes(`xact_id "${payment.xact_id}"`) &&
						line.includes(`reference "${payment.agent_reference ?? payment.reference_no}"`),
				);
				expect([payment.xact_id, named]).toEqual([payment.xact_id, true]);
			}
		}
		// A crashed run is named after the restart too: the user retries it from the Executions list.
		for (const { payment } of shown) {
			expect([payment.xact_id, warnings.some((line) => line.includes(payment.xact_id))]).toEqual([
				payment.xact_id,
				true,
			]);
		}
	}, 300_000);
});
