'use strict';
// A throw-away n8n for the editor test: temp user folder, free ports, the
// package installed as a community package by scripts/n8n-start.sh, an owner
// created over REST. Stopped by its process group id.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const OWNER = { email: 'owner@example.com', firstName: 'Ayşe', lastName: 'Yılmaz', password: 'Editor-Test-Passw0rd!' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

async function api(base, method, urlPath, { cookie, json } = {}) {
	const response = await fetch(`${base}${urlPath}`, {
		method,
		headers: {
			...(cookie ? { cookie } : {}),
			...(json ? { 'Content-Type': 'application/json' } : {}),
		},
		body: json ? JSON.stringify(json) : undefined,
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${urlPath}: HTTP ${response.status} ${text.slice(0, 300)}`);
	return {
		data: text ? JSON.parse(text) : undefined,
		cookie: (response.headers.get('set-cookie') ?? '').split(';')[0],
	};
}

/**
 * Boots n8n `major` (1|2); resolves with { base, cookie, dir, major, version, stop }.
 * `beforeStart(cli, dir)` runs n8n CLI commands (imports) against the fresh user folder before the server starts.
 */
async function bootN8n(major, { keep = false, prefix = 'paynet-editor', beforeStart } = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-n8n${major}-`));
	const env = {
		...process.env,
		N8N_USER_FOLDER: path.join(dir, 'n8n'),
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	const exports = execFileSync(path.join(REPO, 'scripts', 'n8n-start.sh'), ['--prepare-only', String(major)], {
		env,
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	for (const line of exports.split('\n')) {
		const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
		if (match) env[match[1]] = match[2];
	}
	if (beforeStart) {
		const cli = (args) =>
			execFileSync(env.PAYNET_N8N_NODE, [env.PAYNET_N8N_BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
		await beforeStart(cli, dir);
	}
	const logFile = path.join(dir, 'n8n.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(env.PAYNET_N8N_NODE, [env.PAYNET_N8N_BIN, 'start'], {
		env,
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	let exited = false;
	child.on('exit', () => (exited = true));
	const stop = async () => {
		if (!exited) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {}
			for (let i = 0; i < 60 && !exited; i++) await sleep(250);
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
		}
		if (!keep) fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 180_000;
	while (!/Editor is now accessible/.test(fs.readFileSync(logFile, 'utf8'))) {
		if (exited || Date.now() > deadline) {
			const tail = fs.readFileSync(logFile, 'utf8').slice(-3000);
			await stop();
			throw new Error(`n8n did not start:\n${tail}`);
		}
		await sleep(250);
	}
	const base = `http://localhost:${env.N8N_PORT}`;
	const { cookie } = await api(base, 'POST', '/rest/owner/setup', { json: OWNER });
	return { base, cookie, dir, major, version: path.basename(env.PAYNET_N8N_DIR).replace(/^n8n-/, ''), stop };
}

/** Chromium flags this machine needs: without the background-networking ones its connections are refused. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Debian's Chromium driven by playwright-core (which downloads no browser of its own), in a fresh profile. */
async function launchChromium(userDataDir, options = {}) {
	const executablePath = process.env.PAYNET_CHROMIUM || '/usr/bin/chromium';
	if (!fs.existsSync(executablePath)) {
		throw new Error(`No Chromium at ${executablePath}. Install it with: apt-get update && apt-get install -y chromium`);
	}
	const { chromium } = require('playwright-core');
	return await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1440, height: 1000 },
		deviceScaleFactor: 1,
		...options,
	});
}

module.exports = { bootN8n, api, sleep, launchChromium, OWNER };
