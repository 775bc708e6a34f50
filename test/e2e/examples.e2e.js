'use strict';
// The example workflows in a real n8n, with n8n-nodes-paynet installed the way
// n8n installs a community package, against the Paynet look-alike.
// Run with scripts/e2e.sh [1|2]: one n8n boot per run; the action workflows
// run through `n8n execute` before the boot, because n8n 1.x only takes a
// workflow's activation into account at startup. The trigger's issue-10 cases
// (trigger.cases.js) import and activate their own workflow here and run on
// the same boot.
const fs = require('node:fs');
const path = require('node:path');
const { startPaynetServer } = require('../paynet-server');
const { istanbulDay } = require('../paynet-server/formats');
const n8n = require('./n8n');
// Each case file brings a credential and a one-node workflow, imported and activated with the examples.
const CASES = {
	'trigger-cases': require('./trigger.cases'),
	'polling-cases': require('./polling.cases'),
	'listen-cases': require('./listen.cases'),
	'clocks-cases': require('./clocks.cases'),
};

n8n.checkEnvironment();

const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '1';
const RUN_DIR = process.env.PAYNET_E2E_DIR;
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const WORKFLOW = { rowsToPayLinks: 'pnCsvToPayLinks1', markPaid: 'pnConfirmPaid001', dailyUnpaid: 'pnDailyUnpaid001' };
const WEBHOOK_ID = '6f1c2a3e-7b4d-4e8a-9c51-2d0f8b7a3e10';
const SECRET_KEY = 'sck_e2e_secret/key+with=chars';
// What the n8n editor shows as the trigger's Production URL on this instance.
const PRODUCTION_URL = `http://localhost:${process.env.N8N_PORT}/webhook/${WEBHOOK_ID}/paynet`;

const { timings, timed } = n8n.stepTimer();

const { sleep } = n8n;

const { waitFor } = n8n;

const postConfirmation = (body, contentType = 'application/json') =>
	fetch(PRODUCTION_URL, {
		method: 'POST',
		headers: { 'Content-Type': contentType },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	}).then(async (response) => ({ status: response.status, text: await response.text() }));

let paynet;
let seeded;

beforeAll(async () => {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY });
	// Links the daily list must leave out (paid, expired, deactivated, too old)
	// and one it must include, besides the ones example (a) creates.
	seeded = {
		today: paynet.seedPayLinks(4, { statuses: [1, 2, 3, 0], referencePrefix: 'SEED' }),
		old: paynet.seedPayLinks(1, { from: istanbulDay(new Date(Date.now() - 45 * 86_400_000)), referencePrefix: 'OLD' }),
	};

	// What a user does: import the credential (pointed at "their" Paynet) and
	// the examples as they are in the repository, with this instance's port.
	const importDir = path.join(RUN_DIR, 'import');
	fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
	const [credential] = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'credentials.sandbox.json'), 'utf8'));
	credential.data = { ...credential.data, secretKey: SECRET_KEY, environment: 'custom', baseUrl: paynet.url };
	const prepared = {};
	for (const [name, cases] of Object.entries(CASES)) prepared[name] = await cases.prepare();
	fs.writeFileSync(
		path.join(importDir, 'credentials.json'),
		JSON.stringify([credential, ...Object.values(prepared).map((each) => each.credential)]),
	);
	for (const [name, each] of Object.entries(prepared)) {
		fs.writeFileSync(path.join(importDir, 'workflows', `${name}.json`), JSON.stringify(each.workflow));
	}
	for (const file of fs.readdirSync(path.join(EXAMPLES, 'workflows')).filter((name) => name.endsWith('.json'))) {
		const text = fs
			.readFileSync(path.join(EXAMPLES, 'workflows', file), 'utf8')
			.replaceAll('localhost:5678', `localhost:${process.env.N8N_PORT}`);
		fs.writeFileSync(path.join(importDir, 'workflows', file), text);
	}

	await timed('import credential (CLI)', () =>
		n8n.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`]),
	);
	await timed('import the example workflows (CLI)', () =>
		n8n.cli(['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]),
	);
	await timed('activate trigger workflow (CLI)', () => n8n.activateWorkflow(MAJOR, WORKFLOW.markPaid));
	for (const [name, each] of Object.entries(prepared)) {
		await timed(`activate ${name} workflow (CLI)`, () => n8n.activateWorkflow(MAJOR, each.workflowId));
	}
}, 180_000);

let server;
afterAll(async () => {
	await server?.stop();
	await paynet?.close();
	for (const cases of Object.values(CASES)) await cases.close();
	n8n.saveTimings(timings);
});

describe(`n8n ${MAJOR}.x with n8n-nodes-paynet installed as a community package`, () => {
	let rowsRun;
	let unpaidRun;

	test('(a) spreadsheet rows with Turkish amounts become PayLinks (n8n execute)', async () => {
		rowsRun = await timed('execute (a) rows → PayLinks (CLI)', () => n8n.executeWorkflow(WORKFLOW.rowsToPayLinks));

		expect(rowsRun.data.resultData.error).toBeUndefined();
		const bodies = paynet.requestsTo('/v1/mailorder/create').map((request) => request.body);
		// Created concurrently: compare in reference order.
		bodies.sort((x, y) => x.reference_no.localeCompare(y.reference_no));
		const common = { expire_date: 48, confirmation_url: PRODUCTION_URL };
		expect(bodies).toEqual([
			{
				...common,
				name_surname: 'Ayşe Yılmaz',
				amount: 1234.56,
				email: 'ayse@example.com',
				note: 'Order SIP-1001',
				reference_no: 'SIP-1001',
			},
			{
				...common,
				name_surname: 'Mehmet Öztürk',
				amount: 250,
				email: 'mehmet@example.com',
				note: 'Order SIP-1002',
				reference_no: 'SIP-1002',
			},
			{
				...common,
				name_surname: 'Zeynep Kaya',
				amount: 99.9,
				email: 'zeynep@example.com',
				note: 'Order SIP-1003',
				reference_no: 'SIP-1003',
			},
		]);
		for (const request of paynet.requestsTo('/v1/mailorder/create')) {
			expect(request.headers.authorization).toBe(`Basic ${SECRET_KEY}`);
		}

		const links = n8n.nodeOutput(rowsRun, 'Payment links');
		const byId = new Map(paynet.state.payLinks.map((link) => [link.id, link]));
		expect(links.map((link) => link.order_no)).toEqual(['SIP-1001', 'SIP-1002', 'SIP-1003']);
		expect(links.map((link) => link.amount)).toEqual([1234.56, 250, 99.9]);
		for (const link of links) {
			expect(byId.get(link.paylink_id)).toMatchObject({ reference_no: link.order_no, url: link.payment_url });
		}
	});

	test('(a) run a second time creates no PayLink twice: each row comes back as already existing', async () => {
		const createsBefore = paynet.requestsTo('/v1/mailorder/create').length;
		const again = await timed('execute (a) again (CLI)', () => n8n.executeWorkflow(WORKFLOW.rowsToPayLinks));

		expect(again.data.resultData.error).toBeUndefined();
		expect(paynet.requestsTo('/v1/mailorder/create')).toHaveLength(createsBefore);
		expect(paynet.state.payLinks.filter((link) => /^SIP-100/.test(link.reference_no))).toHaveLength(3);
		const links = n8n.nodeOutput(again, 'Payment links');
		expect(links.map((link) => [link.order_no, link.already_existed])).toEqual([
			['SIP-1001', true],
			['SIP-1002', true],
			['SIP-1003', true],
		]);
	});

	test('(c) the daily list returns the unpaid links of the last 30 days (n8n execute)', async () => {
		unpaidRun = await timed('execute (c) daily unpaid list (CLI)', () => n8n.executeWorkflow(WORKFLOW.dailyUnpaid));

		expect(unpaidRun.data.resultData.error).toBeUndefined();
		const [listRequest] = paynet.requestsTo('/v1/mailorder/list');
		const today = istanbulDay(new Date());
		expect(listRequest.body).toMatchObject({
			datab: istanbulDay(new Date(Date.now() - 30 * 86_400_000)),
			datbi: today,
		});

		const unpaid = n8n.nodeOutput(unpaidRun, 'Unpaid PayLinks');
		const unpaidSeed = seeded.today.find((link) => link.status === 0);
		expect(unpaid.map((link) => link.reference_no).sort()).toEqual(
			['SIP-1001', 'SIP-1002', 'SIP-1003', unpaidSeed.reference_no].sort(),
		);
		for (const link of unpaid) expect(link).toMatchObject({ status: 0, status_text: 'awaiting_payment' });
		// Paynet's list rows carry amounts as numbers, "1234.5600" or "1234,56": all numbers here.
		expect(unpaid.find((link) => link.reference_no === 'SIP-1001').amount).toBe(1234.56);
	});

	describe('running n8n', () => {
		let cookie;
		let apiKey;
		let verified;

		beforeAll(async () => {
			server = await timed(`boot n8n ${MAJOR}.x (until "Editor is now accessible")`, () => n8n.startN8n());
			cookie = await timed('owner setup + API key (REST)', async () => {
				const authCookie = await n8n.setupOwner();
				apiKey = await n8n.createApiKey(authCookie);
				return authCookie;
			});
		}, 180_000);

		const executionsOfMarkPaid = () => n8n.listExecutions(apiKey, WORKFLOW.markPaid);

		test("n8n's node types list both nodes and the credential", async () => {
			const nodes = await n8n.request('GET', '/types/nodes.json', { cookie });
			expect(nodes.status).toBe(200);
			const paynetNodes = nodes.data.filter((type) => type.name.startsWith('n8n-nodes-paynet.'));
			expect(paynetNodes.map((type) => type.name)).toEqual(
				expect.arrayContaining([
					'n8n-nodes-paynet.paynet',
					'n8n-nodes-paynet.paynetTrigger',
					'n8n-nodes-paynet.paynetPollingTrigger',
				]),
			);
			expect(paynetNodes.find((type) => type.name === 'n8n-nodes-paynet.paynet').displayName).toBe('Paynet');

			const credentials = await n8n.request('GET', '/types/credentials.json', { cookie });
			expect(credentials.status).toBe(200);
			expect(credentials.data.find((type) => type.name === 'paynetApi')).toMatchObject({ displayName: 'Paynet API' });
		});

		test('(b) a verified confirmation starts one run that marks the order paid', async () => {
			// The Paynet look-alike charges the link and posts to its confirmation_url,
			// which example (a) set to the trigger's production URL.
			verified = await paynet.pay('SIP-1001');
			expect(verified.status).toBe(200);
			expect(JSON.parse(verified.responseText)).toMatchObject({ received: true, result: 'accepted' });
			expect(paynet.requestsTo('/v1/transaction/check').map((request) => request.body)).toEqual([
				{ reference_no: 'SIP-1001' },
			]);

			const [execution] = await timed('confirmation → execution listed (public API)', () =>
				waitFor('the execution of the trigger workflow', async () => {
					const executions = await executionsOfMarkPaid();
					return executions.length > 0 && executions[0].finished ? executions : undefined;
				}),
			);
			expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
			const order = execution.data.resultData.runData['Mark order paid'][0].data.main[0].map((item) => item.json);
			expect(order).toEqual([
				{
					order_no: 'SIP-1001',
					status: 'paid',
					paid_amount: 1234.56,
					net_amount: verified.confirmation.netAmount,
					paid_at: verified.confirmation.xact_date,
					paynet_order_id: verified.confirmation.order_id,
					card_holder: 'Ayşe Yılmaz',
					verified: true,
				},
			]);
		});

		test('(b) the same confirmation posted again answers 200 and starts no second run', async () => {
			const again = await postConfirmation(verified.confirmation);
			expect(again.status).toBe(200);
			expect(JSON.parse(again.text)).toMatchObject({ received: true, result: 'duplicate' });
		});

		test('(b) forged confirmations answer 403 and start nothing', async () => {
			const checksBefore = paynet.requestsTo('/v1/transaction/check').length;
			// A link nobody paid.
			const unpaid = await postConfirmation({ ...verified.confirmation, referance_no: 'SIP-1002', amount: 250 });
			expect(unpaid.status).toBe(403);
			expect(JSON.parse(unpaid.text)).toEqual({ received: false, message: 'Payment could not be verified' });
			// A real payment with another amount.
			const tampered = await postConfirmation({ ...verified.confirmation, amount: 1.5 });
			expect(tampered.status).toBe(403);
			expect(paynet.requestsTo('/v1/transaction/check').length).toBe(checksBefore + 2);
		});

		test('(b) malformed posts are refused: 400 for JSON that is no confirmation, 422 (n8n) for non-JSON', async () => {
			const notConfirmation = await postConfirmation({ hello: 'world' });
			expect(notConfirmation.status).toBe(400);
			expect(JSON.parse(notConfirmation.text)).toMatchObject({
				received: false,
				message: 'Not a Paynet payment confirmation',
			});

			const notJson = await postConfirmation('{"referance_no": "SIP-1001", amount');
			expect(notJson.status).toBe(422);
		});

		test('the executions API shows one run of the trigger workflow and the CLI runs', async () => {
			await sleep(1500); // a run started by the posts above would be saved by now
			const runs = await executionsOfMarkPaid();
			expect(runs.map((run) => run.status)).toEqual(['success']);

			for (const [id, count] of [
				[WORKFLOW.rowsToPayLinks, 2],
				[WORKFLOW.dailyUnpaid, 1],
			]) {
				const cliRuns = await n8n.listExecutions(apiKey, id);
				expect(cliRuns.map((run) => [run.mode, run.status])).toEqual(Array(count).fill(['cli', 'success']));
			}
		});

		for (const cases of Object.values(CASES)) cases.defineTests(() => ({ apiKey }));
	});
});
