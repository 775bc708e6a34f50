'use strict';
// n8n in queue mode for the suite: the main, worker and webhook processes,
// each with its own user folder (a copy of the one scripts/e2e-queue.sh
// installed the package into, as each container of a real deployment has its
// own), all on the same PostgreSQL, Redis and encryption key.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REQUIRED_ENV = [
	'PAYNET_N8N_NODE',
	'PAYNET_N8N_BIN',
	'N8N_USER_FOLDER',
	'PAYNET_E2E_DIR',
	'PAYNET_QUEUE_REDIS_PORT',
	'PAYNET_QUEUE_PG_PORT',
	'PAYNET_QUEUE_PORTS',
];

function checkEnvironment() {
	const missing = REQUIRED_ENV.filter((name) => !process.env[name]);
	if (missing.length > 0) {
		throw new Error(`Missing ${missing.join(', ')}: run the suite with scripts/e2e-queue.sh (npm run test:e2e:queue)`);
	}
}

const RUN_DIR = () => process.env.PAYNET_E2E_DIR;
const freePorts = () => process.env.PAYNET_QUEUE_PORTS.split(' ').map(Number);

/** What each process kind prints once it serves (main: after the active workflows' webhooks are registered). */
const READY = {
	start: /Editor is now accessible/,
	worker: /n8n worker is now ready/,
	webhook: /Webhook listener waiting for requests/,
};

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

function createCluster() {
	const ports = freePorts();
	const takePort = () => {
		const port = ports.shift();
		if (!port) throw new Error('scripts/e2e-queue.sh handed out too few ports');
		return port;
	};
	// Identical everywhere: the main encrypts the credential, the others decrypt it.
	const encryptionKey = randomBytes(24).toString('hex');
	const processes = new Map();

	const shared = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: process.env.PAYNET_QUEUE_REDIS_PORT,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: process.env.PAYNET_QUEUE_PG_PORT,
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		N8N_ENCRYPTION_KEY: encryptionKey,
		// Each run records in its data which process evaluated its expressions ($env.PAYNET_E2E_PROCESS).
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_LOG_LEVEL: 'info',
	};

	/** A process kind's fixed settings, given once per name so a restart reuses folder and ports. */
	function define(name, kind) {
		if (processes.has(name)) return processes.get(name);
		const userFolder = path.join(RUN_DIR(), 'n8n', name);
		fs.cpSync(process.env.N8N_USER_FOLDER, userFolder, { recursive: true });
		const entry = {
			name,
			kind,
			port: takePort(),
			env: {
				N8N_USER_FOLDER: userFolder,
				N8N_RUNNERS_BROKER_PORT: String(takePort()),
				PAYNET_E2E_PROCESS: name,
			},
			logFile: path.join(RUN_DIR(), 'logs', `n8n-${name}.log`),
			child: undefined,
			exited: undefined,
			starts: 0,
		};
		entry.env.N8N_PORT = String(entry.port);
		if (kind === 'worker') {
			Object.assign(entry.env, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(takePort()),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
		}
		processes.set(name, entry);
		return entry;
	}

	let webhookUrl;

	async function start(name, kind, { timeoutMs = 150_000 } = {}) {
		const entry = define(name, kind);
		if (entry.child && !entry.exited) throw new Error(`${name} is already running`);
		fs.mkdirSync(path.dirname(entry.logFile), { recursive: true });
		const logStart = fs.existsSync(entry.logFile) ? fs.statSync(entry.logFile).size : 0;
		const out = fs.openSync(entry.logFile, 'a');
		const env = {
			...process.env,
			PATH: process.env.PAYNET_N8N_PATH || process.env.PATH,
			...shared,
			// What the editor shows as Production URL: the webhook processors' address (2.x renamed the variable).
			[process.env.PAYNET_E2E_MAJOR === '1' ? 'WEBHOOK_URL' : 'N8N_WEBHOOK_URL']:
				webhookUrl ?? `http://localhost:${entry.port}/`,
			...entry.env,
		};
		const args = kind === 'worker' ? ['worker', '--concurrency=10'] : [kind];
		const child = spawn(process.env.PAYNET_N8N_NODE, [process.env.PAYNET_N8N_BIN, ...args], {
			env,
			detached: true,
			stdio: ['ignore', out, out],
		});
		fs.closeSync(out);
		const pidFile = path.join(RUN_DIR(), 'pids', `${name}.pid`);
		fs.writeFileSync(pidFile, String(child.pid));
		entry.child = child;
		entry.exited = undefined;
		entry.starts++;
		entry.exitPromise = new Promise((resolve) =>
			child.on('exit', (code, signal) => resolve((entry.exited = { code, signal }))),
		);
		entry.pidFile = pidFile;

		const sinceStart = () => fs.readFileSync(entry.logFile, 'utf8').slice(logStart);
		const deadline = Date.now() + timeoutMs;
		while (!READY[kind].test(sinceStart())) {
			if (entry.exited || Date.now() > deadline) {
				if (!entry.exited) killGroup(child.pid, 'SIGKILL');
				throw new Error(
					`n8n ${kind} (${name}) did not start (${entry.exited ? `exited ${JSON.stringify(entry.exited)}` : 'timeout'}):\n${sinceStart().slice(-4000)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		return entry;
	}

	async function stop(name) {
		const entry = processes.get(name);
		if (!entry?.child || entry.exited) return;
		killGroup(entry.child.pid, 'SIGTERM');
		const timer = setTimeout(() => killGroup(entry.child.pid, 'SIGKILL'), 30_000);
		await entry.exitPromise;
		clearTimeout(timer);
		killGroup(entry.child.pid, 'SIGKILL'); // a task runner that outlived its n8n
		fs.rmSync(entry.pidFile, { force: true });
	}

	/** SIGKILL, no shutdown: what a crash or an OOM kill does. */
	async function kill(name) {
		const entry = processes.get(name);
		if (!entry?.child || entry.exited) return;
		killGroup(entry.child.pid, 'SIGKILL');
		await entry.exitPromise;
		fs.rmSync(entry.pidFile, { force: true });
	}

	async function stopAll() {
		await Promise.all([...processes.keys()].map((name) => stop(name)));
	}

	return {
		encryptionKey,
		define,
		start,
		stop,
		kill,
		stopAll,
		async restart(name) {
			const entry = processes.get(name);
			await stop(name);
			return await start(name, entry.kind);
		},
		/** Every later start tells n8n this is the public webhook address (N8N_WEBHOOK_URL). */
		setWebhookUrl(url) {
			webhookUrl = url;
		},
		url: (name) => `http://127.0.0.1:${processes.get(name).port}`,
		log: (name) => fs.readFileSync(processes.get(name).logFile, 'utf8'),
		get: (name) => processes.get(name),
	};
}

module.exports = { checkEnvironment, createCluster };
