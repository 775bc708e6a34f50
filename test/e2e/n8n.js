'use strict';
// A real n8n for the end-to-end suite: its CLI, one server process, and the
// REST / public API calls the suite needs. scripts/e2e.sh prepares n8n (see
// scripts/n8n-start.sh) and exports where it is; this file only runs it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REQUIRED_ENV = ['PAYNET_N8N_NODE', 'PAYNET_N8N_BIN', 'N8N_USER_FOLDER', 'N8N_PORT', 'PAYNET_E2E_DIR'];

function checkEnvironment() {
	const missing = REQUIRED_ENV.filter((name) => !process.env[name]);
	if (missing.length > 0) {
		throw new Error(`Missing ${missing.join(', ')}: run the suite with scripts/e2e.sh [1|2] (npm run test:e2e)`);
	}
}

/**
 * n8n's environment: the exports of n8n-start.sh, with the PATH that holds
 * n8n's Node (24 for 2.x), and a test's own settings on top (a value of
 * `undefined` removes that variable).
 */
function n8nEnv(overrides = {}) {
	const env = { ...process.env, PATH: process.env.PAYNET_N8N_PATH || process.env.PATH, ...overrides };
	for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
	return env;
}

const baseUrl = () => `http://127.0.0.1:${process.env.N8N_PORT}`;

/** Kills a process group started with `detached: true` (n8n and its task runner). */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/** Runs one n8n CLI command to completion; rejects with its output on a non-zero exit. */
function cli(args, { timeoutMs = 120_000, env } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.env.PAYNET_N8N_NODE, [process.env.PAYNET_N8N_BIN, ...args], {
			env: n8nEnv(env),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			killGroup(child.pid, 'SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr.slice(-2000)}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code === 0) return resolve({ stdout, stderr });
			const error = new Error(
				`n8n ${args.join(' ')} exited with ${code}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`,
			);
			Object.assign(error, { stdout, stderr });
			reject(error);
		});
	});
}

/** The JSON object that starts at `start`, up to its matching brace (strings and escapes respected). */
function jsonObjectAt(text, start) {
	let depth = 0;
	let inString = false;
	for (let index = start; index < text.length; index++) {
		const char = text[index];
		if (inString) {
			if (char === '\\') index++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{' || char === '[') depth++;
		else if ((char === '}' || char === ']') && --depth === 0) return JSON.parse(text.slice(start, index + 1));
	}
	throw new Error(`unterminated JSON in n8n's output:\n${text.slice(-2000)}`);
}

/**
 * `n8n execute --rawOutput` prints log lines first, then the run as JSON;
 * n8n 2.x may log more lines after it (the task runner shutting down).
 */
async function executeWorkflow(id, { env } = {}) {
	const { stdout } = await cli(['execute', `--id=${id}`, '--rawOutput'], { env });
	const start = stdout.search(/^\{/m);
	if (start < 0) throw new Error(`n8n execute printed no run data:\n${stdout.slice(-2000)}`);
	return jsonObjectAt(stdout, start);
}

/**
 * `n8n execute` of a workflow that stops with an error: n8n exits 1 after
 * logging the run (at info level) following "Execution error:". The run, with
 * its `resultData.error` (message and description as the node set them).
 */
async function executeFailingWorkflow(id, { env } = {}) {
	let output;
	try {
		await cli(['execute', `--id=${id}`, '--rawOutput'], { env: { N8N_LOG_LEVEL: 'info', ...env } });
	} catch (error) {
		output = `${error.stdout ?? ''}\n${error.stderr ?? ''}`;
	}
	if (output === undefined) throw new Error(`workflow ${id} was expected to stop with an error but succeeded`);
	const marker = output.indexOf('Execution error:');
	const start = marker < 0 ? -1 : output.slice(marker).search(/^\{/m);
	if (start < 0) throw new Error(`n8n execute printed no failed run:\n${output.slice(-3000)}`);
	return jsonObjectAt(output, marker + start);
}

/** The items a node output in a run (first run of the node, first output). */
function nodeOutput(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs)
		throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	return runs[0].data.main[0].map((item) => item.json);
}

/**
 * Every output of a node's first run, as lists of item JSON: `[success]`, or
 * `[success, error]` for a node set to *On Error → Continue (using error output)*.
 */
function nodeOutputs(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs)
		throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	return runs[0].data.main.map((items) => (items ?? []).map((item) => item.json));
}

/** Adds a suite file's step timings to the run's timings.json, which scripts/e2e.sh prints. */
function saveTimings(timings) {
	const dir = process.env.PAYNET_E2E_DIR;
	if (!dir) return;
	const file = path.join(dir, 'timings.json');
	const earlier = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
	fs.writeFileSync(file, JSON.stringify([...earlier, ...timings], null, 2));
}

/** A step timer: `timed(step, fn)` runs fn and records how long it took in `timings` (for saveTimings). */
function stepTimer() {
	const timings = [];
	async function timed(step, fn) {
		const start = Date.now();
		try {
			return await fn();
		} finally {
			timings.push({ step, seconds: (Date.now() - start) / 1000 });
		}
	}
	return { timings, timed };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 250 ms until it returns something truthy; rejects after `timeoutMs`. */
async function waitFor(what, check, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await sleep(250);
	}
}

/** Activates a workflow while n8n is stopped: 1.x `update:workflow --active`, 2.x `publish:workflow`. */
async function activateWorkflow(major, id) {
	if (String(major) === '2') await cli(['publish:workflow', `--id=${id}`]);
	else await cli(['update:workflow', `--id=${id}`, '--active=true']);
}

/**
 * Starts `n8n start` in its own process group (so stop() also ends the task
 * runner it spawns), records the PID for scripts/e2e.sh's exit trap, and
 * resolves once production webhooks are registered: n8n logs "Editor is now
 * accessible" only after the active workflows are.
 */
async function startN8n({ timeoutMs = 120_000, env, logName = 'n8n.log' } = {}) {
	const dir = process.env.PAYNET_E2E_DIR;
	const logFile = path.join(dir, logName);
	const out = fs.openSync(logFile, 'a');
	const logStart = fs.statSync(logFile).size;
	const child = spawn(process.env.PAYNET_N8N_NODE, [process.env.PAYNET_N8N_BIN, 'start'], {
		env: n8nEnv(env),
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	fs.writeFileSync(path.join(dir, 'n8n.pid'), String(child.pid));
	let exited = null;
	const exitPromise = new Promise((resolve) =>
		child.on('exit', (code, signal) => resolve((exited = { code, signal }))),
	);
	// This boot's part of the log (a log may hold several boots).
	const readLog = () => fs.readFileSync(logFile).subarray(logStart).toString('utf8');

	const deadline = Date.now() + timeoutMs;
	while (!/Editor is now accessible/.test(readLog())) {
		if (exited || Date.now() > deadline) {
			if (!exited) killGroup(child.pid, 'SIGKILL');
			throw new Error(
				`n8n did not start (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}):\n${readLog().slice(-4000)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}

	return {
		pid: child.pid,
		log: readLog,
		async stop() {
			if (exited) return;
			killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 15_000);
			await exitPromise;
			clearTimeout(timer);
			killGroup(child.pid, 'SIGKILL'); // the task runner, should it outlive n8n
			fs.rmSync(path.join(dir, 'n8n.pid'), { force: true });
		},
		/** SIGKILL to n8n and its task runner at once: no shutdown, no last save. */
		async kill() {
			if (exited) return;
			killGroup(child.pid, 'SIGKILL');
			await exitPromise;
			fs.rmSync(path.join(dir, 'n8n.pid'), { force: true });
		},
	};
}

async function request(method, urlPath, { cookie, apiKey, json, body, headers = {} } = {}) {
	const response = await fetch(`${baseUrl()}${urlPath}`, {
		method,
		headers: {
			...(cookie ? { cookie } : {}),
			...(apiKey ? { 'X-N8N-API-KEY': apiKey } : {}),
			...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
			...headers,
		},
		body: json !== undefined ? JSON.stringify(json) : body,
	});
	return await readResponse(response);
}

/** A fetch response as the suites read it: `data` is the JSON body, or the text when it is not JSON. */
async function readResponse(response) {
	const text = await response.text();
	let data;
	try {
		data = JSON.parse(text);
	} catch {
		data = text;
	}
	return { status: response.status, headers: response.headers, data, text };
}

/** Creates the instance owner (once per user folder) and returns the auth cookie. */
async function setupOwner() {
	const response = await request('POST', '/rest/owner/setup', {
		json: { email: 'e2e@example.com', firstName: 'E2E', lastName: 'Tester', password: 'E2e-Passw0rd!' },
	});
	if (response.status !== 200) throw new Error(`owner setup: HTTP ${response.status} ${response.text}`);
	const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	if (!cookie.startsWith('n8n-auth=')) throw new Error('owner setup set no n8n-auth cookie');
	return cookie;
}

/** A public API key with every scope the owner may grant (the scope list differs between majors). */
async function createApiKey(cookie) {
	const scopes = await request('GET', '/rest/api-keys/scopes', { cookie });
	if (scopes.status !== 200) throw new Error(`api key scopes: HTTP ${scopes.status} ${scopes.text}`);
	const created = await request('POST', '/rest/api-keys', {
		cookie,
		json: { label: 'e2e', expiresAt: null, scopes: scopes.data.data },
	});
	if (created.status !== 200) throw new Error(`api key: HTTP ${created.status} ${created.text}`);
	return created.data.data.rawApiKey;
}

/** A workflow's executions from the public API, newest first, with their run data. */
async function listExecutions(apiKey, workflowId) {
	// n8n's public API pages by cursor: a trigger that ran hundreds of payments has more than one page.
	const executions = [];
	let cursor;
	do {
		const page = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
		const response = await request(
			'GET',
			`/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=100${page}`,
			{ apiKey },
		);
		if (response.status !== 200) throw new Error(`executions: HTTP ${response.status} ${response.text}`);
		executions.push(...response.data.data);
		cursor = response.data.nextCursor;
	} while (cursor);
	return executions;
}

module.exports = {
	checkEnvironment,
	baseUrl,
	cli,
	executeWorkflow,
	executeFailingWorkflow,
	nodeOutput,
	nodeOutputs,
	saveTimings,
	stepTimer,
	sleep,
	waitFor,
	activateWorkflow,
	startN8n,
	request,
	readResponse,
	setupOwner,
	createApiKey,
	listExecutions,
};
