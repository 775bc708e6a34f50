#!/usr/bin/env node
'use strict';
// Screenshot of the Paynet node in n8n's editor (PayLink → Create), for the README.
//
//   node scripts/screenshot.js [--major 1|2] [--out docs/paynet-node.png]
//   npm run screenshot
//
// Boots a throw-away n8n (temp user folder, free ports) with the package
// installed as a community package (scripts/n8n-start.sh), imports example
// (a) with a credential pointing at an in-process Paynet look-alike, creates
// the owner, runs the workflow once in the editor so the panel shows real
// input and output, opens "Create PayLink" and saves the PNG.
// To use an n8n that is already running instead (it must have the package):
//   PAYNET_N8N_URL=http://localhost:5678 PAYNET_N8N_EMAIL=… PAYNET_N8N_PASSWORD=… node scripts/screenshot.js
//
// Needs Chromium from Debian (playwright-core downloads no browser):
//   sudo apt-get update && sudo apt-get install -y chromium
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const CHROMIUM = process.env.PAYNET_CHROMIUM || '/usr/bin/chromium';
const WORKFLOW_FILE = path.join(REPO, 'examples', 'workflows', 'spreadsheet-to-paylinks.json');
const NODE_NAME = 'Create PayLink';
const SECRET_KEY = 'sck_sandbox_n8n_paynet';

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const log = (message) => console.error(`[screenshot] ${message}`);
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
		headers: { ...(cookie ? { cookie } : {}), ...(json ? { 'Content-Type': 'application/json' } : {}) },
		body: json ? JSON.stringify(json) : undefined,
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${urlPath}: HTTP ${response.status} ${text.slice(0, 300)}`);
	return {
		data: text ? JSON.parse(text) : undefined,
		cookie: (response.headers.get('set-cookie') ?? '').split(';')[0],
	};
}

/** Boots a private n8n; returns {base, cookie, workflowId, stop}. */
async function bootN8n(major, paynetUrl) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paynet-screenshot-'));
	const env = {
		...process.env,
		N8N_USER_FOLDER: path.join(dir, 'n8n'),
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	log(`preparing n8n ${major}.x (installs it on first use, ~5 min)`);
	const exports = execFileSync(path.join(REPO, 'scripts', 'n8n-start.sh'), [major], {
		env: { ...env, PAYNET_N8N_PREPARE_ONLY: '1' },
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	for (const line of exports.split('\n')) {
		const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
		if (match) env[match[1]] = match[2];
	}
	const run = (args) =>
		execFileSync(env.PAYNET_N8N_NODE, [env.PAYNET_N8N_BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });

	const credentialFile = path.join(dir, 'credentials.json');
	fs.writeFileSync(
		credentialFile,
		JSON.stringify([
			{
				id: 'pnSandboxCred001',
				name: 'Paynet sandbox',
				type: 'paynetApi',
				data: { secretKey: SECRET_KEY, environment: 'custom', baseUrl: paynetUrl },
			},
		]),
	);
	const workflowFile = path.join(dir, 'workflow.json');
	fs.writeFileSync(workflowFile, fs.readFileSync(WORKFLOW_FILE, 'utf8'));
	run(['import:credentials', `--input=${credentialFile}`]);
	run(['import:workflow', `--input=${workflowFile}`]);

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
		fs.rmSync(dir, { recursive: true, force: true });
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
	const { cookie } = await api(base, 'POST', '/rest/owner/setup', {
		json: { email: 'owner@example.com', firstName: 'Ayşe', lastName: 'Yılmaz', password: 'Screenshot-Passw0rd!' },
	});
	return { base, cookie, workflowId: JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')).id, stop };
}

/** Logs in to a running n8n and creates example (a) there; returns {base, cookie, workflowId}. */
async function useRunningN8n(base) {
	const { cookie } = await api(base, 'POST', '/rest/login', {
		json: { emailOrLdapLoginId: process.env.PAYNET_N8N_EMAIL, password: process.env.PAYNET_N8N_PASSWORD },
	});
	const {
		id: _id,
		active: _active,
		pinData: _pinData,
		tags: _tags,
		...workflow
	} = JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8'));
	const created = await api(base, 'POST', '/rest/workflows', {
		cookie,
		json: { ...workflow, name: `${workflow.name} (screenshot)` },
	});
	return { base, cookie, workflowId: created.data.data.id, stop: async () => {} };
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`No Chromium at ${CHROMIUM}. Install it with: sudo apt-get update && sudo apt-get install -y chromium`,
		);
	}
	let chromium;
	try {
		({ chromium } = require('playwright-core'));
	} catch {
		throw new Error('playwright-core is missing: run npm install (it is a devDependency)');
	}
	const out = path.resolve(REPO, option('out', 'docs/paynet-node.png'));
	const major = option('major', '1');

	let paynet;
	let n8n;
	let browser;
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paynet-chromium-'));
	try {
		if (process.env.PAYNET_N8N_URL) {
			n8n = await useRunningN8n(process.env.PAYNET_N8N_URL.replace(/\/+$/, ''));
		} else {
			const { startPaynetServer } = require('../test/paynet-server');
			paynet = await startPaynetServer({ secretKey: SECRET_KEY, recordRequests: false });
			n8n = await bootN8n(major, paynet.url);
		}

		browser = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			viewport: { width: 1440, height: 1000 },
			deviceScaleFactor: 1,
		});
		const [name, value] = n8n.cookie.split('=');
		await browser.addCookies([{ name, value, url: n8n.base }]);
		const page = browser.pages()[0] ?? (await browser.newPage());
		// n8n asks the browser's language; keep the editor in English.
		await page.goto(`${n8n.base}/workflow/${n8n.workflowId}`, { waitUntil: 'domcontentloaded' });
		await page.waitForSelector(`[data-name="${NODE_NAME}"], [data-test-id="canvas-node"]`, { timeout: 60_000 });
		await sleep(1500);
		await dismissPopups(page);

		// Run the workflow once so the panel shows the rows and the created links.
		if (paynet) {
			const run = page.locator('[data-test-id="execute-workflow-button"]').first();
			await run.click({ timeout: 10_000 });
			await page
				.waitForSelector(
					'[data-test-id="canvas-node-status-success"], .node-success-icon, [data-test-id="canvas-node-status"]',
					{
						timeout: 60_000,
					},
				)
				.catch(() => log('no success marker seen after the run; continuing'));
			await sleep(1500);
			await dismissPopups(page);
		}

		try {
			await page
				.locator('[data-test-id="canvas-node"]')
				.filter({ hasText: NODE_NAME })
				.first()
				.dblclick({ timeout: 15_000 });
			await page.waitForSelector('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="ndv-parameters"]', {
				timeout: 30_000,
			});
		} catch (error) {
			await page.screenshot({ path: `${out}.debug.png` });
			throw new Error(`could not open the node's panel (see ${out}.debug.png): ${error.message.split('\n')[0]}`);
		}
		// Schema view: Paynet's answer with the amount as sent (1234.56) fits the panel.
		await page
			.locator('[data-test-id="output-panel"]')
			.getByText('Schema', { exact: true })
			.click({ timeout: 5000 })
			.catch(() => log('output panel has no Schema switch; keeping its default view'));
		await sleep(1500);
		await dismissPopups(page);
		fs.mkdirSync(path.dirname(out), { recursive: true });
		await page.screenshot({ path: out });
		log(`saved ${path.relative(REPO, out)}`);
	} finally {
		await browser?.close().catch(() => {});
		await n8n?.stop();
		await paynet?.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

/** Closes toasts and first-run callouts that would cover the panel. */
async function dismissPopups(page) {
	for (const selector of ['.el-notification__closeBtn', '[data-test-id="close-button"]', '.el-message-box__close']) {
		for (const element of await page.locator(selector).all()) await element.click({ timeout: 1000 }).catch(() => {});
	}
}

main().catch((error) => {
	console.error(`[screenshot] ${error.message}`);
	process.exit(1);
});
