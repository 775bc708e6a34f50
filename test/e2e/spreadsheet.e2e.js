'use strict';
// A real spreadsheet through a real n8n: examples/files/payment-requests.xlsx
// and .csv (written by scripts/make-example-sheets.js) read by n8n's own
// Read/Write Files from Disk and Extract From File nodes in the example
// workflow examples/workflows/sheet-files-to-paylinks.json, into PayLink →
// Create with its error output wired; then both On Error modes side by side
// with Paynet answering 400 and 500. Only `n8n execute`: no server boot.
// Run with scripts/e2e.sh [1|2].
const fs = require('node:fs');
const path = require('node:path');
const { startPaynetServer } = require('../paynet-server');
const { writeExampleSheets } = require('../../scripts/make-example-sheets');
const n8n = require('./n8n');

n8n.checkEnvironment();

const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '1';
const RUN_DIR = process.env.PAYNET_E2E_DIR;
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const SECRET_KEY = 'sck_e2e_sheet/key+with=chars';
const SHEET_WORKFLOW = 'pnSheetFiles0001';
const MODES_WORKFLOW = 'pnErrorModes0001';
// The example reads from the folder n8n 2.x allows by default, ~/.n8n-files,
// as it is in n8n's Docker image. Here n8n runs with HOME in the run's temp
// dir and no N8N_RESTRICT_FILE_ACCESS_TO, so 2.x applies its default.
const EXAMPLE_HOME = '/home/node';
const HOME = path.join(RUN_DIR, 'home');
const FILES = path.join(HOME, '.n8n-files', 'paynet');
const N8N_ENV = { HOME, N8N_RESTRICT_FILE_ACCESS_TO: undefined };

const { timings, timed } = n8n.stepTimer();

/** Both On Error modes on the same five rows: ok, Paynet 400, Paynet 500, no name (never sent), ok. */
function errorModesWorkflow() {
	const rows = [
		{ ref: 'MOD-1', name: 'Ayşe Yılmaz', amount: 100 },
		{ ref: 'MOD-2', name: 'Mehmet Öztürk', amount: 200 },
		{ ref: 'MOD-3', name: 'Zeynep Kaya', amount: 300 },
		{ ref: 'MOD-4', name: '', amount: 400 },
		{ ref: 'MOD-5', name: 'Can Demir', amount: 500 },
	];
	const create = (id, name, onError, y) => ({
		id,
		name,
		type: 'n8n-nodes-paynet.paynet',
		typeVersion: 1,
		position: [440, y],
		onError,
		credentials: { paynetApi: { id: 'pnSandboxCred001', name: 'Paynet sandbox' } },
		parameters: {
			resource: 'payLink',
			operation: 'create',
			nameSurname: '={{ $json.name }}',
			amount: '={{ $json.amount }}',
			additionalFields: { referenceNo: '={{ $json.ref }}' },
			// One create at a time: the injected answers meet the rows in order.
			options: { concurrency: 1 },
		},
	});
	const noOp = (id, name, x, y) => ({
		id,
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [x, y],
		parameters: {},
	});
	const to = (node, index = 0) => ({ node, type: 'main', index });
	return {
		id: MODES_WORKFLOW,
		name: 'e2e: Create under both On Error modes',
		active: false,
		// v1 runs the top branch to its end before the lower one starts.
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000001',
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 100],
				parameters: {},
			},
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 100],
				parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` },
			},
			create('c0000000-0000-4000-8000-000000000003', 'Error output', 'continueErrorOutput', 0),
			noOp('c0000000-0000-4000-8000-000000000004', 'Created', 660, -100),
			noOp('c0000000-0000-4000-8000-000000000005', 'Failed', 660, 100),
			create('c0000000-0000-4000-8000-000000000006', 'Regular output', 'continueRegularOutput', 300),
			noOp('c0000000-0000-4000-8000-000000000007', 'Everything', 660, 300),
		],
		connections: {
			Run: { main: [[to('Rows')]] },
			Rows: { main: [[to('Error output'), to('Regular output')]] },
			'Error output': { main: [[to('Created')], [to('Failed')]] },
			'Regular output': { main: [[to('Everything')]] },
		},
		pinData: {},
	};
}

let paynet;

beforeAll(async () => {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY });

	fs.mkdirSync(FILES, { recursive: true });
	for (const name of ['payment-requests.xlsx', 'payment-requests.csv']) {
		fs.copyFileSync(path.join(EXAMPLES, 'files', name), path.join(FILES, name));
	}

	const importDir = path.join(RUN_DIR, 'import-sheet');
	fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
	const [credential] = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'credentials.sandbox.json'), 'utf8'));
	credential.data = { ...credential.data, secretKey: SECRET_KEY, environment: 'custom', baseUrl: paynet.url };
	fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify([credential]));
	const example = fs
		.readFileSync(path.join(EXAMPLES, 'workflows', 'sheet-files-to-paylinks.json'), 'utf8')
		.replaceAll(`${EXAMPLE_HOME}/`, `${HOME}/`);
	fs.writeFileSync(path.join(importDir, 'workflows', 'sheet.json'), example);
	fs.writeFileSync(path.join(importDir, 'workflows', 'modes.json'), JSON.stringify(errorModesWorkflow()));

	await timed('sheet: import credential (CLI)', () =>
		n8n.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`]),
	);
	await timed('sheet: import 2 workflows (CLI)', () =>
		n8n.cli(['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]),
	);
}, 180_000);

afterAll(async () => {
	await paynet?.close();
	n8n.saveTimings(timings);
});

const byReference = (x, y) => String(x.reference_no).localeCompare(String(y.reference_no));

describe(`n8n ${MAJOR}.x: a Turkish finance team's spreadsheet to PayLinks`, () => {
	test('the example files are what scripts/make-example-sheets.js writes', () => {
		const dir = path.join(RUN_DIR, 'sheets-regenerated');
		writeExampleSheets(dir);
		for (const name of ['payment-requests.xlsx', 'payment-requests.csv']) {
			expect(fs.readFileSync(path.join(dir, name)).equals(fs.readFileSync(path.join(EXAMPLES, 'files', name)))).toBe(
				true,
			);
		}
	});

	test('xlsx and ;-separated csv rows reach Paynet as numbers and booleans; bad rows go to the error output', async () => {
		const run = await timed('sheet: execute xlsx + csv → PayLinks (CLI)', () =>
			n8n.executeWorkflow(SHEET_WORKFLOW, { env: N8N_ENV }),
		);
		expect(run.data.resultData.error).toBeUndefined();

		// Exactly what Paynet received: one create per good row, in its own types.
		const sent = (reference, name, email, amount, sendMail) => ({
			name_surname: name,
			amount,
			email,
			send_mail: sendMail,
			note: `Sipariş ${reference}`,
			reference_no: reference,
			expire_date: 48,
		});
		const bodies = paynet.requestsTo('/v1/mailorder/create').map((request) => request.body);
		expect(bodies.sort(byReference)).toEqual([
			sent('SIP-2001', 'Ayşe Yılmaz', 'ayse@example.com', 1234.56, true), // number cell, TRUE cell
			sent('SIP-2002', 'Mehmet Öztürk', 'mehmet@example.com', 1234.56, false), // "1.234,56 TL", FALSE cell
			sent('SIP-2005', 'Çağrı Şahin', 'cagri@example.com', 250, true),
			sent('SIP-3001', 'Gülşen Ünal', 'gulsen@example.com', 1234.56, true), // "₺1.234,56", "TRUE"
			sent('SIP-3002', 'Oğuz Çelik', 'oguz@example.com', 250, false), // "TRY 250", "FALSE"
			sent('SIP-3003', 'Şule Işık', 'sule@example.com', 1234.56, true), // "1 234,56" with a no-break space
			sent('SIP-3005', 'Deniz Ağaoğlu', 'deniz@example.com', 12.5, false), // "12,50"
		]);
		// Skip Existing is on: every good row was looked up first, the bad ones never left n8n.
		expect(
			paynet
				.requestsTo('/v1/mailorder/detail')
				.map((request) => request.body.reference_no)
				.sort(),
		).toEqual(bodies.map((body) => body.reference_no));

		// The empty xlsx row and the csv line of bare ";" are no items at all.
		const rows = n8n.nodeOutput(run, 'Skip empty rows');
		expect(rows.map((row) => row['Sipariş No'])).toEqual([
			'SIP-2001',
			'SIP-2002',
			'SIP-2003',
			'SIP-2004',
			'SIP-2005',
			'SIP-3001',
			'SIP-3002',
			'SIP-3003',
			'SIP-3004',
			'SIP-3005',
		]);

		const [created, failed] = n8n.nodeOutputs(run, 'Create PayLink');
		const stored = new Map(paynet.state.payLinks.map((link) => [link.id, link]));
		expect(created.map((link) => link.reference_no)).toEqual([
			'SIP-2001',
			'SIP-2002',
			'SIP-2005',
			'SIP-3001',
			'SIP-3002',
			'SIP-3003',
			'SIP-3005',
		]);
		for (const link of created) {
			expect(stored.get(link.id)).toMatchObject({ reference_no: link.reference_no, url: link.url });
			expect(link.skipped).toBe(false);
		}

		// Each failure names its item, its reference and the field, and n8n puts it
		// over the row it came from: the sheet's own columns are there too.
		const [noName, dollars, noAddress] = failed;
		expect(failed.map((item) => [item['Sipariş No'], item.Tutar])).toEqual([
			['SIP-2003', 99.9],
			['SIP-2004', 'USD 120'],
			['SIP-3004', '75,00 TL'],
		]);
		expect(noName.error).toMatch(/^Item 2 \(reference SIP-2003\): Name Surname/);
		expect(dollars.error).toMatch(/^Item 3 \(reference SIP-2004\): Amount.*USD/);
		expect(noAddress.error).toMatch(/^Item 8 \(reference SIP-3004\): Email/);

		// What the example's two ends show the user.
		expect(n8n.nodeOutput(run, 'Payment links')).toEqual(
			created.map((link) => ({
				order_no: link.reference_no,
				amount: link.amount,
				payment_url: link.url,
				paylink_id: link.id,
				already_existed: false,
			})),
		);
		expect(n8n.nodeOutput(run, 'Rows to fix')).toEqual([
			{ order_no: 'SIP-2003', name: '', amount: '99.9', problem: noName.error },
			{ order_no: 'SIP-2004', name: 'İpek Güneş', amount: 'USD 120', problem: dollars.error },
			{ order_no: 'SIP-3004', name: 'Hakan Ersoy', amount: '75,00 TL', problem: noAddress.error },
		]);
	});

	test('the bad rows fixed in the files, the same workflow again creates only them (Skip Existing)', async () => {
		const firstRun = new Map(paynet.state.payLinks.map((link) => [link.reference_no, link.id]));
		expect(firstRun.size).toBe(7);
		const fixes = {
			'SIP-2003': (row) => Object.assign(row, { 1: 'Elif Aydın' }),
			'SIP-2004': (row) => Object.assign(row, { 3: '120 TL' }),
			'SIP-3004': (row) => Object.assign(row, { 2: 'hakan@example.com' }),
		};
		writeExampleSheets(FILES, (reference, row) => (fixes[reference] ? fixes[reference](row) : row));
		paynet.requests.length = 0;

		const run = await timed('sheet: execute again after fixing 3 rows (CLI)', () =>
			n8n.executeWorkflow(SHEET_WORKFLOW, { env: N8N_ENV }),
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(
			paynet
				.requestsTo('/v1/mailorder/create')
				.map((request) => request.body)
				.sort(byReference),
		).toEqual([
			expect.objectContaining({ reference_no: 'SIP-2003', name_surname: 'Elif Aydın', amount: 99.9, send_mail: false }),
			expect.objectContaining({ reference_no: 'SIP-2004', amount: 120, send_mail: true }),
			expect.objectContaining({ reference_no: 'SIP-3004', email: 'hakan@example.com', amount: 75, send_mail: true }),
		]);
		expect(paynet.requestsTo('/v1/mailorder/detail')).toHaveLength(10);

		const [created, failed] = n8n.nodeOutputs(run, 'Create PayLink');
		expect(failed).toEqual([]);
		expect(created.map((link) => [link.reference_no, link.skipped])).toEqual([
			['SIP-2001', true],
			['SIP-2002', true],
			['SIP-2003', false],
			['SIP-2004', false],
			['SIP-2005', true],
			['SIP-3001', true],
			['SIP-3002', true],
			['SIP-3003', true],
			['SIP-3004', false],
			['SIP-3005', true],
		]);
		for (const link of created.filter((item) => item.skipped)) expect(link.id).toBe(firstRun.get(link.reference_no));
		expect(run.data.resultData.runData['Rows to fix']).toBeUndefined();
	});

	test('Continue (using error output) and Continue (using regular output) with a Paynet 400 and 500', async () => {
		paynet.reset();
		const paynet400 = { type: 'invalid_request_error', message: 'Geçersiz agent_id', code: 400, result_code: 11 };
		const paynet500 = { type: 'api_error', message: 'Beklenmeyen bir hata oluştu', code: 500, result_code: 8 };
		// Per Create node, one create at a time, rows 1, 2, 3 and 5 (row 4 has no name):
		// null = answer as Paynet would.
		const answers = [
			null,
			{ status: 400, body: JSON.stringify(paynet400) },
			{ status: 500, body: JSON.stringify(paynet500) },
			null,
		];
		paynet.inject('/v1/mailorder/create', ...answers, ...answers);

		const run = await timed('sheet: execute both On Error modes (CLI)', () =>
			n8n.executeWorkflow(MODES_WORKFLOW, { env: N8N_ENV }),
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(paynet.requestsTo('/v1/mailorder/create').map((request) => JSON.parse(request.raw).reference_no)).toEqual([
			'MOD-1',
			'MOD-2',
			'MOD-3',
			'MOD-5',
			'MOD-1',
			'MOD-2',
			'MOD-3',
			'MOD-5',
		]);

		// Error output: successes alone on the first output, every failure on the second, in row order.
		const [created, failed] = n8n.nodeOutputs(run, 'Error output');
		expect(created.map((link) => link.reference_no)).toEqual(['MOD-1', 'MOD-5']);
		for (const link of created)
			expect(link).toEqual(expect.objectContaining({ id: expect.any(String), url: expect.any(String) }));
		expect(failed.map((item) => [item.ref, item.name])).toEqual([
			['MOD-2', 'Mehmet Öztürk'],
			['MOD-3', 'Zeynep Kaya'],
			['MOD-4', ''],
		]);
		const [rejected, crashed, noName] = failed;
		expect(rejected.message).toBe('Geçersiz agent_id');
		expect(rejected.error).toMatch(/^Item 1 \(reference MOD-2\): .*Geçersiz agent_id.*400/);
		expect(crashed.error).toMatch(
			/^Item 2 \(reference MOD-3\): .*Beklenmeyen bir hata oluştu.*500.*may have been created/,
		);
		expect(noName.error).toMatch(/^Item 3 \(reference MOD-4\): Name Surname/);
		expect(n8n.nodeOutput(run, 'Created').map((link) => link.reference_no)).toEqual(['MOD-1', 'MOD-5']);
		expect(n8n.nodeOutput(run, 'Failed')).toEqual(failed);

		// Regular output: all five in row order, the failures as error items among them.
		const [everything, second] = n8n.nodeOutputs(run, 'Regular output');
		expect(second ?? []).toEqual([]);
		expect(everything).toHaveLength(5);
		expect(everything.map((item) => item.error === undefined)).toEqual([true, false, false, false, true]);
		expect([everything[0], everything[4]].map((link) => link.reference_no)).toEqual(['MOD-1', 'MOD-5']);
		// The same failures, as error items in place, with the reference and Paynet's own words.
		const inPlace = everything.slice(1, 4);
		expect(inPlace.map((item) => item.error)).toEqual(failed.map((item) => item.error));
		expect(inPlace.map((item) => item.reference_no)).toEqual(['MOD-2', 'MOD-3', 'MOD-4']);
		expect(inPlace.map((item) => item.paynet_message)).toEqual([
			'Geçersiz agent_id',
			'Beklenmeyen bir hata oluştu',
			undefined,
		]);
		expect(n8n.nodeOutput(run, 'Everything')).toEqual(everything);
	});

	test('with the files missing, the run fails at "No file to read", naming the folder, and creates nothing', async () => {
		const hidden = `${FILES}.hidden`;
		fs.renameSync(FILES, hidden);
		const createsBefore = paynet.requestsTo('/v1/mailorder/create').length;
		try {
			const outcome = await timed('sheet: execute with the files missing (CLI)', () =>
				n8n.executeWorkflow(SHEET_WORKFLOW, { env: N8N_ENV }).then(
					(run) => JSON.stringify(run.data.resultData.error ?? 'no error'),
					(error) => error.message,
				),
			);
			expect(outcome).toContain(`No file to read in ${FILES}/`);
			expect(paynet.requestsTo('/v1/mailorder/create')).toHaveLength(createsBefore);
		} finally {
			fs.renameSync(hidden, FILES);
		}
	});
});
