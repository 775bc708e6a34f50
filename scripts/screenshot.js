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
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { api, bootN8n, launchChromium, sleep } = require('../test/editor/boot');

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

/** Boots a private n8n with example (a) and a credential for the look-alike; returns {base, cookie, workflowId, stop}. */
async function bootWithExample(major, paynetUrl) {
	log(`preparing n8n ${major}.x (installs it on first use, ~5 min)`);
	const n8n = await bootN8n(major, {
		prefix: 'paynet-screenshot',
		beforeStart: (cli, dir) => {
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
			cli(['import:credentials', `--input=${credentialFile}`]);
			cli(['import:workflow', `--input=${WORKFLOW_FILE}`]);
		},
	});
	return { ...n8n, workflowId: JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')).id };
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
			n8n = await bootWithExample(major, paynet.url);
		}

		browser = await launchChromium(userDataDir);
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
