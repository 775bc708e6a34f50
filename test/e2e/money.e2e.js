'use strict';
// Issue 21 in a real n8n, in one `n8n execute` (one boot): amounts as a
// sheet and an expression give them, row by row (Continue using regular
// output), then a Create at concurrency 3 that stops with one row refused,
// one timing out in flight and one succeeding: the stop's error names the
// link made and the row that may have made one. Run with scripts/e2e.sh [1|2].
const fs = require('node:fs');
const path = require('node:path');
const { startPaynetServer } = require('../paynet-server');
const n8n = require('./n8n');

n8n.checkEnvironment();

const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '1';
const RUN_DIR = process.env.PAYNET_E2E_DIR;
const SECRET_KEY = 'sck_e2e_money/key+with=chars';
const WORKFLOW = 'pnMoneyExact0001';
const CREATE = '/v1/mailorder/create';
const CREDENTIAL = { id: 'pnMoneyCred00001', name: 'Paynet money' };

const { timings, timed } = n8n.stepTimer();

/** The amounts the issue names, plus a formula's float noise (`net * 1.18`) and two plain ones. */
const AMOUNT_ROWS_CODE = `return [
	{ ref: 'AMT-0', total: 0.1 + 0.2 },
	{ ref: 'AMT-1', net: 100 },
	{ ref: 'AMT-2', total: '12.345.678,90' },
	{ ref: 'AMT-3', total: 1e-9 },
	{ ref: 'AMT-4', total: '0,004' },
	{ ref: 'AMT-5', total: 19.999 },
	{ ref: 'AMT-6', total: 1e21 },
	{ ref: 'AMT-7', total: '90.071.992.547.409,93' },
	{ ref: 'AMT-8', total: 120.5 },
].map((json) => ({ json: { name: 'Payer ' + json.ref, ...json } }));`;

function workflow() {
	const create = (id, name, y, onError, options) => ({
		id,
		name,
		type: 'n8n-nodes-paynet.paynet',
		typeVersion: 1,
		position: [440, y],
		...(onError ? { onError } : {}),
		credentials: { paynetApi: CREDENTIAL },
		parameters: {
			resource: 'payLink',
			operation: 'create',
			nameSurname: '={{ $json.name }}',
			amount: '={{ $json.net !== undefined ? $json.net * 1.18 : $json.total }}',
			additionalFields: { referenceNo: '={{ $json.ref }}' },
			options,
		},
	});
	const code = (id, name, y, jsCode) => ({
		id,
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, y],
		parameters: { jsCode },
	});
	const to = (node) => ({ node, type: 'main', index: 0 });
	const stopRows = ['STOP-A', 'STOP-B', 'STOP-C', 'STOP-D', 'STOP-E'].map((ref, index) => ({
		ref,
		name: `Payer ${ref}`,
		total: 10 + index,
	}));
	return {
		id: WORKFLOW,
		name: 'e2e: money is exact, and a stopped Create names every row that may have reached Paynet',
		active: false,
		// v1 runs the top branch to its end before the lower one starts.
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'd0000000-0000-4000-8000-000000000001',
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 100],
				parameters: {},
			},
			code('d0000000-0000-4000-8000-000000000002', 'Amount rows', 0, AMOUNT_ROWS_CODE),
			create('d0000000-0000-4000-8000-000000000003', 'Amounts', 0, 'continueRegularOutput', { concurrency: 1 }),
			code(
				'd0000000-0000-4000-8000-000000000004',
				'Sheet',
				300,
				`return ${JSON.stringify(stopRows)}.map((json) => ({ json }));`,
			),
			create('d0000000-0000-4000-8000-000000000005', 'Stopping create', 300, undefined, {
				concurrency: 3,
				timeout: 1500,
			}),
		],
		connections: {
			Run: { main: [[to('Amount rows'), to('Sheet')]] },
			'Amount rows': { main: [[to('Amounts')]] },
			Sheet: { main: [[to('Stopping create')]] },
		},
		pinData: {},
	};
}

let paynet;

beforeAll(async () => {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY });
	const importDir = path.join(RUN_DIR, 'import-money');
	fs.mkdirSync(importDir, { recursive: true });
	const credentials = [
		{ ...CREDENTIAL, type: 'paynetApi', data: { secretKey: SECRET_KEY, environment: 'custom', baseUrl: paynet.url } },
	];
	fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify(credentials));
	fs.writeFileSync(path.join(importDir, 'workflow.json'), JSON.stringify(workflow()));
	await timed('money: import credential and workflow (CLI)', async () => {
		await n8n.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`]);
		await n8n.cli(['import:workflow', `--input=${path.join(importDir, 'workflow.json')}`]);
	});
}, 180_000);

afterAll(async () => {
	await paynet?.close();
	n8n.saveTimings(timings);
});

describe(`n8n ${MAJOR}.x: money is never lost, doubled or made up (issue 21)`, () => {
	let run;

	beforeAll(async () => {
		const refused = {
			status: 400,
			body: JSON.stringify({ type: 'invalid_request_error', message: 'Geçersiz', code: 400, result_code: 11 }),
		};
		paynet.when(CREATE, (body) => body.reference_no === 'STOP-A', refused);
		paynet.when(CREATE, (body) => body.reference_no === 'STOP-B', { hang: true });
		paynet.when(CREATE, (body) => body.reference_no === 'STOP-C', { delayMs: 300 });
		run = await timed('money: execute amounts + stopped create (CLI)', () => n8n.executeFailingWorkflow(WORKFLOW));
	}, 120_000);

	test('amounts: noise is the amount it means, "12.345.678,90" exact, the rest fail their row only', () => {
		const sent = Object.fromEntries(
			paynet
				.requestsTo(CREATE)
				.map((request) => JSON.parse(request.raw))
				.filter((body) => body.reference_no.startsWith('AMT-'))
				.map((body) => [body.reference_no, body.amount]),
		);
		expect(sent).toEqual({ 'AMT-0': 0.3, 'AMT-1': 118, 'AMT-2': 12345678.9, 'AMT-8': 120.5 });
		// the wire text, not only its parse
		const raw = paynet.requestsTo(CREATE).find((request) => JSON.parse(request.raw).reference_no === 'AMT-0').raw;
		expect(raw).toContain('"amount":0.3,');

		const items = n8n.nodeOutput(run, 'Amounts');
		expect(items.map((item) => item.error ?? item.amount)).toEqual([
			0.3,
			118,
			12345678.9,
			'Item 3 (reference AMT-3): Amount (amount) must be at least 0.01 (one kuruş), got 1e-9',
			'Item 4 (reference AMT-4): Amount (amount) "0,004" has more than two decimals',
			'Item 5 (reference AMT-5): Amount (amount) has more than two decimals: 19.999',
			'Item 6 (reference AMT-6): Amount (amount) is too large to be sent exactly, got 1e+21: the largest amount is 9999999999999.99',
			'Item 7 (reference AMT-7): Amount (amount) is too large to be sent exactly, got "90.071.992.547.409,93": the largest amount is 9999999999999.99',
			120.5,
		]);
	});

	test('a stopped Create names the link made and the create that timed out in flight; no row starts after', () => {
		const stopped = paynet
			.requestsTo(CREATE)
			.map((request) => JSON.parse(request.raw).reference_no)
			.filter((reference) => reference.startsWith('STOP-'))
			.sort();
		expect(stopped).toEqual(['STOP-A', 'STOP-B', 'STOP-C']);
		const linkC = paynet.state.payLinks.find((link) => link.reference_no === 'STOP-C');
		expect(paynet.state.payLinks.filter((link) => link.reference_no.startsWith('STOP-'))).toEqual([linkC]);

		const { error } = run.data.resultData;
		expect(error.message).toBe(
			'Item 0 (reference STOP-A): Paynet: Geçersiz (HTTP 400, invalid_request_error, return code 11 badrequest). ' +
				'The node stopped after 1 PayLink had been created in this run; 1 create may have made a PayLink (outcome unknown) (listed in the details)',
		);
		expect(error.description).toContain(`Created before the node stopped (1): STOP-C → id ${linkC.id} ${linkC.url}.`);
		expect(error.description).toMatch(
			/Outcome unknown, may have been created \(1\): item 1, reference STOP-B: check with PayLink → Get, Look Up By Reference No "STOP-B" \(Paynet at 127\.0\.0\.1:\d+ did not answer in time\)\./,
		);
		expect(JSON.stringify(run)).not.toContain(SECRET_KEY);
	});
});
