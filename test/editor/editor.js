#!/usr/bin/env node
'use strict';
// The nodes in n8n's own editor, in Chromium: what a user sees, not what the
// node description says. n8n's editor hides parameters on its own rules (a
// parameter named in a credential's `displayOptions.show` is taken for an
// authentication selector and removed from the panel), so a field can be in
// the description and still be invisible.
//
//   node test/editor/editor.js [--major 1|2] [--screenshots]
//   npm run test:editor / npm run test:editor:n8n2   (scripts/editor-test.sh)
//
// Boots a throw-away n8n with the package installed (scripts/n8n-start.sh),
// creates the owner over REST, creates one workflow holding the Paynet
// Trigger, the Paynet Polling Trigger and one Paynet node per resource,
// operation and display variant, then in the browser (a workflow with two
// triggers is fine here: it is never activated):
//   - Paynet Trigger: Production URL shown; Verify With Paynet shown;
//     switching it off removes the credential, switching it on asks for it;
//     the Paynet API credential is created from the panel and its connection
//     test passes against the Paynet look-alike (test/paynet-server);
//   - the node creator: searching "paynet" offers the Paynet node with its own
//     description and the Paynet Trigger with the trigger's (n8n merges a
//     trigger that has "Event" options into the action node's entry), and
//     the Paynet Polling Trigger as an entry of its own, with its description;
//   - the canvas: every node's subtitle reads "PayLink: Create" and so on,
//     the triggers' "Successful payment";
//   - the Paynet Polling Trigger: every parameter of the interface spec is
//     rendered with its label, and the options of its collections offered;
//   - every Paynet node: every parameter of /work/shared/spec/interface.md's
//     operation that n8n's own displayParameter says is visible is rendered
//     with its label, and the options of every collection are offered.
// --screenshots: docs/paynet-trigger.png (the trigger's panel, credential set).
// The README's picture (docs/paynet-node.png, Create with a run's input and
// output) comes from scripts/screenshot.js, which scripts/editor-test.sh
// --screenshots runs after the test.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { NodeHelpers } = require('n8n-workflow');
const { bootN8n, api, sleep, launchChromium } = require('./boot');

const REPO = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.PAYNET_CHROMIUM || '/usr/bin/chromium';
const SECRET_KEY = 'sck_editor_test_key';
const TRIGGER_NAME = 'Paynet Trigger';
const POLLING_NAME = 'Paynet Polling Trigger';
const WEBHOOK_ID = '7c0e5a52-5d1e-4b8e-9f51-2b0f6a1c9d10';

const { Paynet } = require(path.join(REPO, 'dist', 'nodes', 'Paynet', 'Paynet.node.js'));
const { PaynetTrigger } = require(path.join(REPO, 'dist', 'nodes', 'Paynet', 'PaynetTrigger.node.js'));
const { PaynetPollingTrigger } = require(path.join(REPO, 'dist', 'nodes', 'Paynet', 'PaynetPollingTrigger.node.js'));

// The interface spec's parameters per operation (names are API). A string is
// a parameter; [name, [options]] is a collection and its options.
const LOOKUP = {
	get: ['lookupBy', 'payLinkId', 'referenceNo'],
	check: ['lookupBy', 'referenceNo', 'xactId'],
};
/** Version 2: Get, Deactivate and Reactivate take the PayLink through one Resource Locator. */
const LOCATOR = ['payLink'];
/** The two List operations: the same range and limit, and Agent ID and a filter of their own. */
const dateRangeList = (ownFilter) => [
	'resource',
	'operation',
	'startDate',
	'endDate',
	'returnAll',
	'limit',
	'simplify',
	['filters', ['agentId', ownFilter]],
];
const SPEC = {
	'payLink.create': [
		'resource',
		'operation',
		'nameSurname',
		'amount',
		[
			'additionalFields',
			[
				'email',
				'sendMail',
				'phone',
				'sendSms',
				'expireHours',
				'note',
				'agentNote',
				'referenceNo',
				'agentId',
				'userName',
				'posType',
				'addCommissionToAmount',
				'instalmentKey',
				'succeedUrl',
				'errorUrl',
				'confirmationUrl',
				'sendConfirmationMail',
			],
		],
	],
	'payLink.list': dateRangeList('status'),
	'payLink.get': ['resource', 'operation', ...LOOKUP.get, 'simplify'],
	'payLink.deactivate': ['resource', 'operation', ...LOOKUP.get],
	'payLink.reactivate': ['resource', 'operation', ...LOOKUP.get],
	'payment.check': ['resource', 'operation', ...LOOKUP.check, 'simplify'],
	'payment.list': dateRangeList('includeFailed'),
};
/** What version 2 (the default for new nodes) shows instead; every other operation is as in version 1. */
const SPEC_V2 = {
	...SPEC,
	'payLink.get': ['resource', 'operation', ...LOCATOR, 'simplify'],
	'payLink.deactivate': ['resource', 'operation', ...LOCATOR],
	'payLink.reactivate': ['resource', 'operation', ...LOCATOR],
};
const specFor = (node) => (node.typeVersion >= 2 ? SPEC_V2 : SPEC)[node.key];
/** The node whose From List is opened against the Paynet look-alike. */
const LOCATOR_NODE = 'PayLink Get (v2)';
const TRIGGER_SPEC = ['event', 'verifyWithApi', ['options', ['allowedIps', 'deduplicate']]];
const POLLING_SPEC = [
	'event',
	'pollMinutes',
	['filters', ['referencePrefix', 'agentId']],
	['options', ['catchUpHours']],
];

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 && process.argv[index + 1] && !process.argv[index + 1].startsWith('--')
		? process.argv[index + 1]
		: fallback;
}
const flag = (name) => process.argv.includes(`--${name}`);
const log = (message) => console.error(`[editor] ${message}`);

let currentStep = 'start';
const step = (name) => (currentStep = name);
const failures = [];
let checks = 0;
function check(ok, message) {
	checks++;
	if (!ok) {
		failures.push(message);
		log(`FAIL ${message}`);
	}
}

/** n8n's verdict: which top-level properties a node (of `typeVersion`) with these parameters shows. */
function visibleProperties(description, parameters, typeVersion = 1) {
	const node = { typeVersion, parameters };
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description);
	return description.properties.filter(
		(property) =>
			property.type !== 'notice' && NodeHelpers.displayParameter(values, property, node, description, values),
	);
}

/** Parameters to vary per operation: option lists and booleans that other parameters depend on. */
function variantsOf(description, base, typeVersion) {
	const visible = visibleProperties(description, base, typeVersion);
	const controlling = new Set();
	for (const property of visible) {
		for (const name of Object.keys(property.displayOptions?.show ?? {})) controlling.add(name);
		for (const name of Object.keys(property.displayOptions?.hide ?? {})) controlling.add(name);
	}
	controlling.delete('resource');
	controlling.delete('operation');
	controlling.delete('@version');
	const variants = [base];
	for (const property of visible.filter((p) => controlling.has(p.name))) {
		const values = property.type === 'boolean' ? [true, false] : (property.options ?? []).map((o) => o.value);
		for (const value of values) if (value !== property.default) variants.push({ ...base, [property.name]: value });
	}
	return variants;
}

/**
 * Version × resource × operation × variant, from the node's own option
 * lists. Version 1 is what saved workflows hold; the latest is what a new
 * node gets. Only operations whose fields differ get a node per version.
 */
function paynetNodes() {
	const { description } = new Paynet();
	const versions = [description.version].flat();
	const resource = description.properties.find((p) => p.name === 'resource');
	const nodes = [];
	for (const typeVersion of versions) {
		for (const { value: r, name: resourceLabel } of resource.options) {
			const operation = description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r),
			);
			for (const { value: o, name: operationLabel } of operation.options) {
				const key = `${r}.${o}`;
				if (typeVersion > 1 && JSON.stringify(SPEC_V2[key]) === JSON.stringify(SPEC[key])) continue;
				for (const parameters of variantsOf(description, { resource: r, operation: o }, typeVersion)) {
					const extra = Object.entries(parameters)
						.filter(([k]) => k !== 'resource' && k !== 'operation')
						.map(([k, v]) => `${k}=${v}`);
					if (typeVersion > 1) extra.push(`v${typeVersion}`);
					nodes.push({
						key,
						typeVersion,
						name: `${resourceLabel} ${operationLabel}${extra.length ? ` (${extra.join(', ')})` : ''}`,
						parameters,
					});
				}
			}
		}
	}
	return { description, nodes };
}

function specNames(spec) {
	return spec.map((entry) => (Array.isArray(entry) ? entry[0] : entry));
}

function workflowJson(paynetList) {
	const nodes = [
		{
			id: 'trigger',
			name: TRIGGER_NAME,
			type: 'n8n-nodes-paynet.paynetTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {},
		},
		{
			id: 'polling',
			name: POLLING_NAME,
			type: 'n8n-nodes-paynet.paynetPollingTrigger',
			typeVersion: 1,
			position: [0, 200],
			parameters: {},
		},
		...paynetList.map((node, i) => ({
			id: `paynet${i}`,
			name: node.name,
			type: 'n8n-nodes-paynet.paynet',
			typeVersion: node.typeVersion,
			position: [300 * ((i % 4) + 1), 200 * Math.floor(i / 4)],
			parameters: node.parameters,
		})),
	];
	return { name: 'Editor test', active: false, nodes, connections: {}, settings: { executionOrder: 'v1' } };
}

async function openNode(page, name) {
	await closeNode(page);
	await page
		.locator('[data-test-id="zoom-to-fit"]')
		.click({ timeout: 5000 })
		.catch(() => {});
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).first().dblclick({ timeout: 15_000 });
	await page.locator('[data-test-id="node-parameters"]').first().waitFor({ state: 'visible', timeout: 15_000 });
	const title = await page.locator('[data-test-id="node-title-container"]').first().innerText();
	if (!title.includes(name)) throw new Error(`opened "${title.trim()}" instead of "${name}"`);
	await sleep(300);
}

/** "Back to canvas": Escape only closes an open dropdown first. */
async function closeNode(page) {
	const ndv = page.locator('[data-test-id="ndv"]').first();
	if (!(await ndv.isVisible().catch(() => false))) return;
	// 1.x: "Back to canvas"; 2.x: the panel's close button.
	await page
		.locator('[data-test-id="back-to-canvas"], [data-test-id="ndv-close-button"]')
		.first()
		.click({ timeout: 5000 });
	await ndv.waitFor({ state: 'hidden', timeout: 5000 });
}

const parametersPanel = (page) => page.locator('[data-test-id="node-parameters"]').first();

/** The lines of text the panel shows, required-field asterisks removed. */
async function panelLines(page) {
	const text = await parametersPanel(page).innerText();
	return new Set(
		text
			.split('\n')
			.map((line) => line.replace(/\s*\*$/, '').trim())
			.filter(Boolean),
	);
}

/** Opens a collection's "Add …" list and returns the option labels it offers. */
async function collectionOptions(page, collection) {
	// 1.x draws the "Add …" button as a select's placeholder, later versions as text.
	const panel = parametersPanel(page);
	const button = panel
		.locator(`input[placeholder="${collection.placeholder}"]`)
		.or(panel.getByText(collection.placeholder, { exact: true }))
		.first();
	await button.click({ timeout: 5000 });
	// A collection of one option (the Polling Trigger's Options) has no list:
	// n8n adds that option at the click.
	if (collection.options.length === 1) {
		await sleep(300);
		const [only] = collection.options;
		if ((await panelLines(page)).has(only.displayName)) return new Set([only.displayName]);
	}
	const items = page.locator('.el-select-dropdown__item:visible, [role="option"]:visible');
	await items.first().waitFor({ state: 'visible', timeout: 5000 });
	const labels = (await items.allInnerTexts()).map((t) => t.trim());
	await page.keyboard.press('Escape');
	await sleep(200);
	return new Set(labels);
}

async function checkParameters(page, description, parameters, spec, where, typeVersion = 1) {
	const lines = await panelLines(page);
	const visible = visibleProperties(description, parameters, typeVersion);
	const byName = new Map(description.properties.map((p) => [p.name, p]));
	const rendered = [];
	for (const entry of spec) {
		const [name, options] = Array.isArray(entry) ? entry : [entry];
		const candidates = description.properties.filter((p) => p.name === name);
		check(candidates.length > 0, `${where}: the spec's parameter ${name} is not in the node description`);
		const property = visible.find((p) => p.name === name);
		if (!property) continue;
		check(lines.has(property.displayName), `${where}: ${name} ("${property.displayName}") is not shown`);
		if (lines.has(property.displayName)) rendered.push(name);
		if (options) {
			const offered = await collectionOptions(page, property);
			for (const optionName of options) {
				const sub = property.options.find((o) => o.name === optionName);
				check(sub, `${where}: ${name}.${optionName} is not in the description`);
				if (sub) check(offered.has(sub.displayName), `${where}: ${name} does not offer "${sub.displayName}"`);
			}
		}
	}
	// Anything else n8n should show (e.g. Options), so no field is silently hidden.
	for (const property of visible) {
		if (!spec.some((e) => (Array.isArray(e) ? e[0] : e) === property.name) && byName.has(property.name)) {
			check(lines.has(property.displayName), `${where}: ${property.name} ("${property.displayName}") is not shown`);
		}
	}
	return rendered;
}

// 1.x: a select; 2.x: a "Connect to Paynet" button while no credential exists.
const credentialArea = (page) => parametersPanel(page).locator('.node-credentials').first();
const credentialSelect = (page) => page.locator('[data-test-id="node-credentials-select"]');
const credentialEmpty = (page) => page.locator('[data-test-id="node-credentials-empty-state"]');

async function checkTrigger(page, n8n, paynetUrl, screenshots) {
	const { description } = new PaynetTrigger();
	step('Paynet Trigger: parameters');
	await openNode(page, TRIGGER_NAME);
	await checkParameters(page, description, {}, TRIGGER_SPEC, 'Paynet Trigger');

	step('Paynet Trigger: Production URL');
	// Production URL: n8n shows the webhook URLs in a collapsible block.
	await parametersPanel(page).getByText('Webhook URLs').first().click({ timeout: 5000 });
	await parametersPanel(page).getByText('Production URL', { exact: true }).first().click({ timeout: 5000 });
	const productionUrl = `${n8n.base}/webhook/${WEBHOOK_ID}/paynet`;
	await sleep(300);
	const panelText = await parametersPanel(page).innerText();
	check(panelText.includes(productionUrl), `Paynet Trigger: Production URL ${productionUrl} is not shown`);

	step('Paynet Trigger: toggle');
	// The credential follows the toggle.
	check(await credentialArea(page).isVisible(), 'Paynet Trigger: verification on, but no credential selector');
	const toggle = parametersPanel(page).locator('[data-test-id="parameter-input-verifyWithApi"]').first();
	await toggle.locator('.el-switch, [role="switch"]').first().click({ timeout: 5000 });
	await sleep(500);
	check(
		!(await credentialArea(page).isVisible()),
		'Paynet Trigger: Verify With Paynet off, but the credential selector is still shown',
	);
	await toggle.locator('.el-switch, [role="switch"]').first().click({ timeout: 5000 });
	await sleep(500);
	check(
		await credentialArea(page).isVisible(),
		'Paynet Trigger: Verify With Paynet back on, but no credential selector',
	);
	check(
		(await credentialArea(page).locator('[class*="hasIssues"], [data-icon="triangle-alert"]').count()) > 0 ||
			(await credentialEmpty(page).isVisible()),
		'Paynet Trigger: verification on and no credential, but the credential is not marked as missing',
	);

	step('Paynet API credential: create');
	// Create the credential from the panel, as a user does, and test it.
	if (await credentialEmpty(page).isVisible()) {
		await credentialEmpty(page).locator('button').first().click({ timeout: 5000 });
	} else {
		await credentialSelect(page).click({ timeout: 5000 });
		await page.locator('[data-test-id="node-credentials-select-item-new"]').first().click({ timeout: 5000 });
	}
	const dialog = page.locator('[data-test-id="credential-edit-dialog"]').first();
	await dialog.waitFor({ state: 'visible', timeout: 10_000 });
	await dialog.locator('[data-test-id="parameter-input-secretKey"] input').first().fill(SECRET_KEY);
	await dialog.locator('[data-test-id="parameter-input-environment"]').first().click();
	await page
		.locator('.el-select-dropdown__item:visible, [role="option"]:visible')
		.getByText('Custom', { exact: true })
		.first()
		.click();
	await dialog.locator('[data-test-id="parameter-input-baseUrl"] input').first().fill(paynetUrl);
	// The dialog's header (Save) is outside the element that carries its test id.
	await page.locator('[data-test-id="credential-save-button"]:visible').first().click({ timeout: 5000 });
	// 1.x tests the credential in the open dialog; 2.x closes the dialog on save
	// (and tests it there only on failure), so ask n8n's own test endpoint then.
	const outcome = await Promise.race([
		page
			.locator('[data-test-id="credentials-config-container-test-success"]:visible')
			.or(page.getByText(/Connection tested successfully/i))
			.first()
			.waitFor({ state: 'visible', timeout: 20_000 })
			.then(() => 'tested'),
		sleep(1000).then(() => dialog.waitFor({ state: 'hidden', timeout: 20_000 }).then(() => 'closed')),
	]).catch(() => 'neither');
	if (await dialog.isVisible()) {
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
	}
	await sleep(500);
	if (process.env.PAYNET_EDITOR_DEBUG)
		await page.screenshot({ path: path.join(os.tmpdir(), 'paynet-editor-credential.png') });
	const selected = await credentialArea(page)
		.evaluate((el) => `${el.innerText} ${[...el.querySelectorAll('input')].map((i) => i.value).join(' ')}`)
		.catch(() => '');
	check(
		/Paynet account/.test(selected),
		`Paynet Trigger: the new credential is not selected (the credential area shows "${selected.replace(/\s+/g, ' ').trim()}")`,
	);
	const credentials = await api(n8n.base, 'GET', '/rest/credentials', { cookie: n8n.cookie });
	const stored = credentials.data.data.find((c) => c.type === 'paynetApi');
	check(stored, 'Paynet API credential: not stored by n8n after saving');
	if (outcome === 'closed' && stored) {
		const full = await api(n8n.base, 'GET', `/rest/credentials/${stored.id}?includeData=true`, { cookie: n8n.cookie });
		const result = await api(n8n.base, 'POST', '/rest/credentials/test', {
			cookie: n8n.cookie,
			json: { credentials: { id: stored.id, name: stored.name, type: stored.type, data: full.data.data.data } },
		});
		check(
			result.data.data?.status === 'OK',
			`Paynet API credential: connection test says ${JSON.stringify(result.data.data)}`,
		);
	} else {
		check(outcome === 'tested', 'Paynet API credential: saved, but its connection test did not pass');
	}
	if (screenshots) await page.screenshot({ path: path.join(REPO, 'docs', 'paynet-trigger.png') });
	await closeNode(page);
}

async function checkPollingTrigger(page) {
	step('Paynet Polling Trigger: parameters');
	await openNode(page, POLLING_NAME);
	await checkParameters(page, new PaynetPollingTrigger().description, {}, POLLING_SPEC, POLLING_NAME);
	await closeNode(page);
}

/**
 * What the node creator shows for a search: the entries' names, then, after
 * clicking the entry named `open`, the whole panel's text (its header and the
 * actions it offers).
 */
async function nodeCreator(page, search, open) {
	await page
		.locator('[data-test-id="canvas-plus-button"], [data-test-id="node-creator-plus-button"]')
		.first()
		.click({ timeout: 10_000 });
	const panel = page.locator('[data-test-id="node-creator"]').first();
	await panel
		.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]')
		.first()
		.fill(search, { timeout: 5000 });
	await sleep(800);
	const names = (await panel.locator('[data-test-id="node-creator-item-name"]:visible').allInnerTexts()).map((t) =>
		t.trim(),
	);
	await panel
		.locator('[data-test-id="node-creator-item-name"]:visible')
		.getByText(open, { exact: true })
		.first()
		.click({ timeout: 5000 });
	await sleep(800);
	const opened = (await panel.innerText()).replace(/\s+/g, ' ');
	await page.keyboard.press('Escape');
	await page.keyboard.press('Escape');
	await sleep(300);
	return { names, opened };
}

/**
 * n8n groups an action node and a trigger of the same name under one entry
 * ("Paynet"); opening it lists the actions, whose texts are also what an AI
 * agent is told about the node as a tool.
 */
async function checkNodeCreator(page) {
	step('node creator: search "paynet"');
	const { names, opened } = await nodeCreator(page, 'paynet', 'Paynet');
	check(names.includes('Paynet'), `node creator: no "Paynet" entry (entries: ${JSON.stringify(names)})`);
	// The Polling Trigger is an entry of its own, named as n8n names a trigger
	// there (without " Trigger"), whose "Node details" give its description.
	const polling = POLLING_NAME.replace(/ Trigger$/, '');
	check(names.includes(polling), `node creator: no "${polling}" entry (entries: ${JSON.stringify(names)})`);
	const pollingDetails = (await nodeCreator(page, 'paynet', polling)).opened;
	if (process.env.PAYNET_EDITOR_DEBUG) log(`node creator, "${polling}" opened: ${pollingDetails.slice(0, 1500)}`);
	const pollingDescription = new PaynetPollingTrigger().description.description;
	const actionsAt = pollingDetails.indexOf('Actions');
	check(
		pollingDetails.slice(0, actionsAt < 0 ? undefined : actionsAt).includes(pollingDescription),
		`node creator: "${polling}"'s details do not give its description "${pollingDescription}" ("${pollingDetails.slice(0, 600)}")`,
	);
	if (process.env.PAYNET_EDITOR_DEBUG) log(`node creator, "Paynet" opened: ${opened.slice(0, 1500)}`);
	const { description } = new Paynet();
	const actions = description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => p.options.map((o) => o.action));
	for (const action of actions)
		check(opened.includes(action), `node creator: "Paynet" does not offer the action "${action}"`);
	// The entry's "Node details" take the trigger's description (n8n 1.123 and 2.41).
	const header = opened.slice(0, opened.indexOf('Actions ('));
	check(
		header.includes(new PaynetTrigger().description.description) && /Create and list Paynet PayLinks/.test(header),
		`node creator: "Paynet"'s details do not say what the package does ("${header}")`,
	);
	check(
		!/pay link/i.test(opened),
		`node creator: "pay link" is shown where the node says PayLink ("${opened.slice(0, 300)}")`,
	);
}

/**
 * The PayLink Resource Locator's From List (version 2), against the Paynet
 * look-alike: the node is given the credential made from the trigger's
 * panel, the list shows today's PayLinks by reference, the search box
 * narrows it to one, and picking it fills the field.
 */
async function checkLocatorList(page, n8n, workflowId, paynet) {
	step(`${LOCATOR_NODE}: From List`);
	const seeded = paynet.seedPayLinks(3, { referencePrefix: 'EDITOR', amount: 250 });
	const credentials = await api(n8n.base, 'GET', '/rest/credentials', { cookie: n8n.cookie });
	const stored = credentials.data.data.find((c) => c.type === 'paynetApi');
	if (!stored) throw new Error('no Paynet credential to list PayLinks with');
	const current = (await api(n8n.base, 'GET', `/rest/workflows/${workflowId}`, { cookie: n8n.cookie })).data.data;
	const nodes = current.nodes.map((node) =>
		node.name === LOCATOR_NODE ? { ...node, credentials: { paynetApi: { id: stored.id, name: stored.name } } } : node,
	);
	await api(n8n.base, 'PATCH', `/rest/workflows/${workflowId}`, { cookie: n8n.cookie, json: { ...current, nodes } });
	await page.reload({ waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await sleep(1000);
	await openNode(page, LOCATOR_NODE);

	const locator = parametersPanel(page).locator('[data-test-id="resource-locator-payLink"]').first();
	const lines = await panelLines(page);
	check(lines.has('PayLink'), `${LOCATOR_NODE}: the PayLink Resource Locator is not shown`);
	// n8n labels the standard modes itself ("From list" in 1.x), so the mode is read case-blind.
	const modeSelector = locator.locator('[data-test-id="rlc-mode-selector"]').first();
	const mode = `${await modeSelector.innerText().catch(() => '')} ${(
		await modeSelector
			.locator('input')
			.evaluateAll((inputs) => inputs.map((input) => input.value))
			.catch(() => [])
	).join(' ')}`;
	check(
		/from list/i.test(mode),
		`${LOCATOR_NODE}: the Resource Locator does not open on From List (mode shows "${mode.trim()}")`,
	);
	await locator.locator('[data-test-id="rlc-input"]').first().click({ timeout: 5000 });
	const items = page.locator('[data-test-id="rlc-item"]:visible');
	await items.first().waitFor({ state: 'visible', timeout: 20_000 });
	const shown = (await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
	if (process.env.PAYNET_EDITOR_DEBUG) log(`From List shows: ${JSON.stringify(shown)}`);
	for (const link of seeded) {
		check(
			shown.some((text) => text.includes(link.reference_no) && text.includes('250.00 TRY')),
			`${LOCATOR_NODE}: From List does not show ${link.reference_no} (shown: ${JSON.stringify(shown)})`,
		);
	}
	const wanted = seeded[1].reference_no;
	const search = page.locator('[data-test-id="rlc-search"] input:visible, input[data-test-id="rlc-search"]:visible');
	await search.first().fill(wanted, { timeout: 5000 });
	await sleep(1500);
	const filtered = (await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
	check(
		filtered.length === 1 && filtered[0].includes(wanted),
		`${LOCATOR_NODE}: searching "${wanted}" shows ${JSON.stringify(filtered)}`,
	);
	await items.first().click({ timeout: 5000 });
	await sleep(500);
	const values = await locator
		.locator('input')
		.evaluateAll((inputs) => inputs.map((input) => input.value))
		.catch(() => []);
	const text = `${await locator.innerText().catch(() => '')} ${values.join(' ')}`;
	check(text.includes(wanted), `${LOCATOR_NODE}: after picking ${wanted} the field shows "${text.trim()}"`);
	await closeNode(page);
}

/** The subtitle a user reads under each node on the canvas, from the labels of its Resource and Operation. */
function expectedSubtitle(description, parameters) {
	const label = (name, value) =>
		description.properties
			.filter(
				(p) =>
					p.name === name && (name === 'resource' || p.displayOptions?.show?.resource?.includes(parameters.resource)),
			)
			.flatMap((p) => p.options)
			.find((o) => o.value === value)?.name;
	return `${label('resource', parameters.resource)}: ${label('operation', parameters.operation)}`;
}

async function checkSubtitles(page, description, nodes) {
	step('canvas: subtitles');
	await page
		.locator('[data-test-id="zoom-to-fit"]')
		.click({ timeout: 5000 })
		.catch(() => {});
	const shown = async (name) =>
		(
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).first().innerText({ timeout: 5000 })
		).replace(/\s+/g, ' ');
	for (const name of [TRIGGER_NAME, POLLING_NAME]) {
		const trigger = await shown(name);
		check(
			trigger.includes('Successful payment'),
			`canvas: the subtitle of "${name}" is not "Successful payment" ("${trigger}")`,
		);
	}
	const seen = new Set();
	for (const node of nodes) {
		if (seen.has(node.key)) continue;
		seen.add(node.key);
		const subtitle = expectedSubtitle(description, node.parameters);
		check(
			/^(PayLink|Payment): [A-Z]/.test(subtitle),
			`${node.key}: no readable subtitle could be derived ("${subtitle}")`,
		);
		const text = await shown(node.name);
		check(text.includes(subtitle), `canvas: "${node.name}" shows "${text}", not the subtitle "${subtitle}"`);
	}
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run scripts/editor-test.sh (installs it)`);
	const major = option('major', '1');
	const screenshots = flag('screenshots');
	const started = Date.now();

	const { description, nodes } = paynetNodes();
	for (const key of Object.keys(SPEC)) {
		check(
			nodes.some((n) => n.key === key),
			`the spec's operation ${key} is not in the Paynet node`,
		);
	}
	for (const node of nodes) check(specFor(node), `operation ${node.key} is not in the spec`);
	check(
		nodes.some((node) => node.name === LOCATOR_NODE),
		`no node "${LOCATOR_NODE}" (nodes: ${nodes.map((n) => n.name).join(', ')})`,
	);

	const { startPaynetServer } = require('../paynet-server');
	const paynet = await startPaynetServer({ secretKey: SECRET_KEY, recordRequests: false });
	let n8n;
	let browser;
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paynet-chromium-'));
	try {
		log(`preparing n8n ${major}.x`);
		n8n = await bootN8n(major, { keep: process.env.PAYNET_EDITOR_KEEP === '1' });
		log(`n8n ${n8n.version} up at ${n8n.base} (${Math.round((Date.now() - started) / 1000)} s)`);
		const created = await api(n8n.base, 'POST', '/rest/workflows', { cookie: n8n.cookie, json: workflowJson(nodes) });
		const workflowId = created.data.data.id;

		browser = await launchChromium(userDataDir, { locale: 'en-US' });
		const [name, value] = n8n.cookie.split('=');
		await browser.addCookies([{ name, value, url: n8n.base }]);
		const page = browser.pages()[0] ?? (await browser.newPage());
		await page.goto(`${n8n.base}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		await sleep(1000);

		try {
			await checkSubtitles(page, description, nodes);
			await checkNodeCreator(page);
			await checkTrigger(page, n8n, paynet.url, screenshots);
			await checkPollingTrigger(page);
			const versionKey = (node) => `${node.key}@${node.typeVersion}`;
			const covered = new Map(nodes.map((node) => [versionKey(node), new Set()]));
			for (const node of nodes) {
				if (!specFor(node)) continue;
				step(`${node.name}: parameters`);
				await openNode(page, node.name);
				const rendered = await checkParameters(
					page,
					description,
					node.parameters,
					specFor(node),
					node.name,
					node.typeVersion,
				);
				for (const p of rendered) covered.get(versionKey(node)).add(p);
			}
			for (const node of nodes) {
				const seen = covered.get(versionKey(node));
				for (const name of specNames(specFor(node) ?? [])) {
					check(seen.has(name), `${versionKey(node)}: the spec's parameter ${name} was never shown in any variant`);
				}
			}
			await checkLocatorList(page, n8n, workflowId, paynet);
		} catch (error) {
			const shot = path.join(os.tmpdir(), `paynet-editor-n8n${major}-failure.png`);
			await page.screenshot({ path: shot }).catch(() => {});
			fs.writeFileSync(shot.replace(/png$/, 'html'), await page.content().catch(() => ''));
			throw new Error(`${currentStep}: ${error.message.split('\n').slice(0, 4).join(' | ')} (screenshot: ${shot})`);
		}
	} finally {
		await browser?.close().catch(() => {});
		await n8n?.stop();
		await paynet.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
	const seconds = Math.round((Date.now() - started) / 1000);
	log(
		`n8n ${n8n.version}: ${nodes.length} Paynet panels + the two triggers, ${checks} checks, ${failures.length} failed (${seconds} s)`,
	);
	if (failures.length > 0) process.exit(1);
}

main().catch((error) => {
	console.error(`[editor] ${error.stack || error.message}`);
	process.exit(1);
});
