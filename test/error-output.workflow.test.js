'use strict';
// On Error → Continue (using error output): every failed item reaches the
// error output, paired and matchable; successes alone reach the success
// output. Runs on n8n-core 1.x here, and the whole file again on n8n 2.x's
// n8n-core (last test), because the two majors route error items by
// different rules.
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./harness/engine');
const { usePaynetServer, listParameters } = require('./harness/paynetTest');

const CREATE = '/v1/mailorder/create';
const DETAIL = '/v1/mailorder/detail';
const ON_N8N_2 = typeof globalThis.PAYNET_N8N_MAJOR === 'number';

const paynet = usePaynetServer();

/** Stands in for whatever the user wires to each output. */
class Passthrough {
	description = {
		displayName: 'Passthrough',
		name: 'passthrough',
		group: ['transform'],
		version: 1,
		description: 'Outputs its input',
		defaults: { name: 'Passthrough' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};
	async execute() {
		return [this.getInputData()];
	}
}

const create = (extra = {}) => ({
	resource: 'payLink',
	operation: 'create',
	nameSurname: '={{ $json.name }}',
	amount: '={{ $json.total }}',
	additionalFields: { referenceNo: '={{ $json.ref }}', sendMail: '={{ $json.mail ?? false }}' },
	...extra,
});

/** Items → Paynet, its success output to "Succeeded" and (in error-output mode) its error output to "Failed". */
async function run(items, parameters, { onError = 'continueErrorOutput', credentials } = {}) {
	const workflow = paynetWorkflow({ items, parameters, nodeSettings: { onError } });
	const pass = (name, y) => ({
		id: name,
		name,
		type: 'test.passthrough',
		typeVersion: 1,
		position: [400, y],
		parameters: {},
	});
	workflow.nodes.push(pass('Succeeded', -100), pass('Failed', 100));
	workflow.connections.Paynet = {
		main: [
			[{ node: 'Succeeded', type: 'main', index: 0 }],
			onError === 'continueErrorOutput' ? [{ node: 'Failed', type: 'main', index: 0 }] : [],
		],
	};
	const { run: execution, error } = await runWorkflow(workflow, {
		credentials: credentials ?? paynetCredentials(paynet),
		extraNodeTypes: { 'test.passthrough': new Passthrough() },
	});
	const runData = execution.data.resultData.runData;
	const paynetOutputs = runData.Paynet[0].data.main;
	// What each output sent on is what its next node ran with (pairing as the Paynet node set it).
	const received = (name) => runData[name]?.[0]?.data?.main?.[0]?.length ?? 0;
	expect(received('Succeeded')).toBe(paynetOutputs[0]?.length ?? 0);
	expect(received('Failed')).toBe(paynetOutputs[1]?.length ?? 0);
	return { error, succeeded: paynetOutputs[0] ?? [], failed: paynetOutputs[1] ?? [], paynetOutputs };
}

const paynetError = (status, message, resultCode = 11, type = 'invalid_request_error') => ({
	status,
	body: JSON.stringify({ type, message, code: status, result_code: resultCode }),
});

/** One sheet with every kind of failure Create meets, between two good rows. */
const SHEET = [
	{ name: 'Good A', total: '1.234,56 TL', ref: 'R0' },
	{ name: '', total: 10, ref: 'R1' }, // bad input: no name
	{ name: 'Refused', total: 10, ref: 'R2' }, // Paynet 400
	{ name: 'Broken', total: 10, ref: 'R3' }, // Paynet 500
	{ name: 'Good B', total: 20, ref: 'R4' },
	{ name: 'No URL', total: 10, ref: 'R5' }, // 200, code 0, no url
	{ name: 'Empty', total: 10, ref: 'R6' }, // 200 with an empty body
	{ name: 'Dollars', total: '$100', ref: 'R7' }, // another currency
	{ name: 'Maybe', total: 10, ref: 'R8', mail: 'maybe' }, // not a boolean
];
const FAILED_ROWS = [1, 2, 3, 5, 6, 7, 8];

function misbehave() {
	const named = (name) => (body) => body.name_surname === name;
	paynet.when(CREATE, named('Refused'), paynetError(400, 'Geçersiz tutar'));
	paynet.when(CREATE, named('Broken'), paynetError(500, 'Sunucu hatası', 8, 'api_error'));
	paynet.when(CREATE, named('No URL'), {
		status: 200,
		body: JSON.stringify({ object_name: 'mailorder', code: 0, message: 'Başarılı İşlem' }),
	});
	paynet.when(CREATE, named('Empty'), { status: 200, body: '' });
}

describe('Create with Continue (using error output)', () => {
	test('every failed row reaches the error output, paired, with its row, reference and Paynet message', async () => {
		misbehave();
		const { error, succeeded, failed } = await run(SHEET, create());
		expect(error).toBeUndefined();

		expect(succeeded.map((item) => item.json.reference_no)).toEqual(['R0', 'R4']);
		expect(succeeded.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 4 }]);
		expect(succeeded.every((item) => /\/S\/M\?id=/.test(item.json.url) && item.json.error === undefined)).toBe(true);

		expect(failed.map((item) => item.pairedItem)).toEqual(FAILED_ROWS.map((item) => ({ item })));
		for (const [position, row] of FAILED_ROWS.entries()) {
			const { json } = failed[position];
			// n8n puts the input row under the error, so the sheet's own columns come along
			expect(json).toMatchObject(SHEET[row]);
			expect(Object.keys(json).every((key) => key in SHEET[row] || key === 'error' || key === 'message')).toBe(true);
			expect(json.error).toMatch(new RegExp(`^Item ${row} \\(reference R${row}\\): `));
		}
		const byRow = (row) => failed[FAILED_ROWS.indexOf(row)].json;
		expect(byRow(1).error).toBe('Item 1 (reference R1): Name Surname (nameSurname) is required');
		expect(byRow(2)).toMatchObject({
			error:
				'Item 2 (reference R2): Paynet: Geçersiz tutar (HTTP 400, invalid_request_error, return code 11 badrequest)',
			message: 'Geçersiz tutar',
		});
		expect(byRow(3).error).toMatch(/Paynet: Sunucu hatası \(HTTP 500.*\)\. The PayLink may have been created$/);
		expect(byRow(3).message).toMatch(/PayLink → Get by reference number "R3"/);
		expect(byRow(5).error).toMatch(
			/^Item 5 \(reference R5\): Paynet answered the create with HTTP 200 but no PayLink \(no id and url\): .*"code":0.*The PayLink may have been created$/,
		);
		expect(byRow(6).error).toMatch(
			/HTTP 200 with a body that is not a JSON object\. The PayLink may have been created$/,
		);
		expect(byRow(7).error).toMatch(
			/Amount \(amount\) "\$100" is in another currency \(\$\): Paynet charges Turkish lira/,
		);
		expect(byRow(8).error).toBe(
			'Item 8 (reference R8): Send Mail (sendMail) must be true or false (or 1/0), got "maybe"',
		);

		// a 200 without a PayLink is an answer: it is not sent again
		const sentFor = (name) => paynet.requestsTo(CREATE).filter((request) => request.body?.name_surname === name);
		expect(sentFor('No URL')).toHaveLength(1);
		expect(sentFor('Empty')).toHaveLength(1);
		expect(sentFor('Dollars')).toHaveLength(0);
	});

	test("Paynet's code 10 (timeout) or 8 (server error): the error item says the link may have been created and how to check", async () => {
		const named = (name) => (body) => body.name_surname === name;
		paynet.when(CREATE, named('Timed out'), {
			afterDoing: true,
			status: 200,
			body: JSON.stringify({ code: 10, message: 'Zaman aşımı' }),
		});
		paynet.when(CREATE, named('Server error'), paynetError(400, 'Sunucu hatası', 8, 'api_error'));
		const sheet = [
			{ name: 'Timed out', total: 10, ref: 'T1' },
			{ name: 'Server error', total: 10, ref: 'T2' },
			{ name: 'Good', total: 10, ref: 'T3' },
		];
		const { error, succeeded, failed } = await run(sheet, create());
		expect(error).toBeUndefined();
		expect(succeeded.map((item) => item.json.reference_no)).toEqual(['T3']);
		expect(failed.map((item) => item.json.error)).toEqual([
			'Item 0 (reference T1): Paynet: Zaman aşımı (HTTP 200, return code 10 timeout). The PayLink may have been created',
			'Item 1 (reference T2): Paynet: Sunucu hatası (HTTP 400, api_error, return code 8 servererror). The PayLink may have been created',
		]);
		for (const [index, ref] of ['T1', 'T2'].entries()) {
			expect(failed[index].json.message).toMatch(new RegExp(`PayLink → Get by reference number "${ref}"`));
		}
	});

	test('with Continue (using regular output) the same rows stay on the one output, in input order', async () => {
		misbehave();
		const { error, succeeded, paynetOutputs } = await run(SHEET, create(), { onError: 'continueRegularOutput' });
		expect(error).toBeUndefined();
		expect(paynetOutputs).toHaveLength(1);
		expect(succeeded.map((item) => item.pairedItem.item)).toEqual(SHEET.map((_row, index) => index));
		for (const row of FAILED_ROWS) {
			expect(succeeded[row].json.error).toMatch(new RegExp(`^Item ${row} \\(reference R${row}\\): `));
			expect(succeeded[row].json.reference_no).toBe(`R${row}`);
			// no input columns mixed in: the item is the node's own
			expect(succeeded[row].json.ref).toBeUndefined();
		}
		expect(succeeded[2].json).toMatchObject({ paynet_message: 'Geçersiz tutar', description: 'Geçersiz tutar' });
		expect(succeeded[3].json.description).toMatch(/PayLink → Get by reference number "R3"/);
		expect(succeeded[4].json).toMatchObject({ code: 0, reference_no: 'R4' });
	});

	test('an unreachable Paynet sends every row to the error output', async () => {
		const { succeeded, failed } = await run(SHEET.slice(0, 2), create(), {
			credentials: paynetCredentials(paynet, { baseUrl: 'http://127.0.0.1:9' }),
		});
		expect(succeeded).toHaveLength(0);
		expect(failed.map((item) => item.pairedItem.item)).toEqual([0, 1]);
		expect(failed[0].json.error).toMatch(
			/^Item 0 \(reference R0\): Could not reach Paynet at 127\.0\.0\.1:9 \(connection refused\)/,
		);
	});

	test('a Skip Existing lookup that keeps failing sends its row to the error output and creates nothing for it', async () => {
		paynet.when(DETAIL, (body) => body.reference_no === 'R1', paynetError(503, 'Bakımda', 8, 'api_error'));
		const rows = [SHEET[0], { name: 'Lookup fails', total: 5, ref: 'R1' }];
		const { succeeded, failed } = await run(rows, create({ options: { skipExisting: true } }));
		expect(succeeded.map((item) => item.json)).toMatchObject([{ reference_no: 'R0', skipped: false }]);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json).toMatchObject({ name: 'Lookup fails', ref: 'R1' });
		expect(failed[0].json.error).toMatch(/Paynet: Bakımda \(HTTP 503/);
		expect(failed[0].json.error).toMatch(
			/^Item 1 \(reference R1\): Could not tell whether a PayLink with reference "R1" exists, so none was created/,
		);
		expect(paynet.state.payLinks.map((link) => link.reference_no)).toEqual(['R0']);
	});

	test('code 100 (oldsuccessful) is a success, flagged in the output', async () => {
		paynet.when(CREATE, () => true, {
			status: 200,
			body: JSON.stringify({
				object_name: 'mailorder',
				code: 100,
				message: 'Daha önce oluşturuldu',
				id: 'pl-1',
				url: 'https://pos.paynet.com.tr/S/M?id=1',
			}),
		});
		const { succeeded, failed } = await run([SHEET[0]], create());
		expect(failed).toHaveLength(0);
		expect(succeeded[0].json).toMatchObject({
			code: 100,
			result_name: 'oldsuccessful',
			id: 'pl-1',
			reference_no: 'R0',
		});
	});
});

describe('the other operations with Continue (using error output)', () => {
	test('List: a bad range goes to the error output, the good one lists', async () => {
		paynet.seedPayLinks(3, { from: '2024-03-05' });
		const list = listParameters({ startDate: '={{ $json.from }}', endDate: '={{ $json.to }}', returnAll: true });
		const { succeeded, failed } = await run(
			[
				{ from: '2024-03-01', to: '2024-03-31' },
				{ from: '2024-03-31', to: '2024-03-01' },
			],
			list,
		);
		expect(succeeded).toHaveLength(3);
		expect(succeeded.every((item) => item.pairedItem.item === 0)).toBe(true);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json.error).toMatch(/^Item 1: /);
	});

	test('Get: an unknown id goes to the error output with Paynet’s message', async () => {
		const [link] = paynet.seedPayLinks(1);
		const get = { resource: 'payLink', operation: 'get', lookupBy: 'id', payLinkId: '={{ $json.id }}' };
		const { succeeded, failed } = await run([{ id: link.id }, { id: 'no-such-link' }], get);
		expect(succeeded.map((item) => item.json.id)).toEqual([link.id]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(failed[0].json).toMatchObject({ id: 'no-such-link' });
		expect(failed[0].json.error).toBe(
			'Item 1: Paynet: Kayıt bulunamadı (HTTP 404, no_data_error, return code 12 nodata)',
		);
	});
});

if (!ON_N8N_2) {
	describe('on n8n 2.x', () => {
		const modules = path.join(os.homedir(), '.cache/n8n-nodes-paynet/n8n-2.41.1/node_modules');
		const node24 = path.join(os.homedir(), '.cache/n8n-nodes-paynet/node24/bin/node');

		test('the same tests pass on n8n 2.41.1’s execution engine (n8n-core and n8n-workflow of n8n 2.x)', () => {
			if (!fs.existsSync(path.join(modules, 'n8n-core')) || !fs.existsSync(node24)) {
				throw new Error('n8n 2.x is not installed: run scripts/n8n-install.sh 2');
			}
			const root = path.join(__dirname, '..');
			const result = spawnSync(
				node24,
				[
					path.join(root, 'node_modules/jest/bin/jest.js'),
					'-c',
					path.join(root, 'test/harness/jest.n8n2.config.js'),
					'--runInBand',
					'test/error-output.workflow.test.js',
					'test/sheet-values.workflow.test.js',
					'test/create.stopped.workflow.test.js',
				],
				{ cwd: root, encoding: 'utf8', timeout: 240_000 },
			);
			const report = `${result.stdout}\n${result.stderr}`;
			expect(report).toMatch(/Tests:\s+\d+ passed, \d+ total/);
			expect(result.status).toBe(0);
		}, 250_000);
	});
}
