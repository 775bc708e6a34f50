'use strict';
const { startPaynetServer } = require('./paynet-server');
const { usePaynetServer, runPaynet, createFromSheet } = require('./harness/paynetTest');

const paynet = usePaynetServer();

const create = createFromSheet;
const continueOnFail = { onError: 'continueRegularOutput' };
const createBodies = () => paynet.requestsTo('/v1/mailorder/create').map((request) => request.body);

const run = async (items, parameters, { nodeSettings, credentials } = {}) =>
	await runPaynet(paynet, { items, parameters, nodeSettings, credentials });

describe('PayLink → Create in a workflow', () => {
	test('a row with only the required fields sends exactly name_surname and amount, with the raw key', async () => {
		const { items, error } = await run([{ name: 'Ayşe Yılmaz', total: 120.5 }], create());
		expect(error).toBeUndefined();
		const [request] = paynet.requestsTo('/v1/mailorder/create');
		expect(request.body).toEqual({ name_surname: 'Ayşe Yılmaz', amount: 120.5 });
		// The raw key, as Paynet documents: base64 or a "user:" prefix fails here.
		expect(request.headers.authorization).toBe(`Basic ${paynet.secretKey}`);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ object_name: 'mailorder', code: 0, reference_no: null, amount: 120.5 });
		expect(items[0].json.url).toMatch(/\/S\/M\?id=/);
		expect(items[0].json.id).toBe(paynet.state.payLinks[0 + paynet.state.payLinks.length - 1].id);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('spreadsheet rows with Turkish and English amounts become PayLinks in input order', async () => {
		const rows = [
			{ name: 'A', total: '1.234,56' },
			{ name: 'B', total: '1234,56' },
			{ name: 'C', total: '1,234.56' },
			{ name: 'D', total: '120.50' },
			{ name: 'E', total: 99 },
		];
		const { items, error } = await run(rows, create());
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.amount)).toEqual([1234.56, 1234.56, 1234.56, 120.5, 99]);
		expect(items.map((item) => item.pairedItem)).toEqual(rows.map((_row, item) => ({ item })));
		expect(
			createBodies()
				.map((body) => body.amount)
				.sort(),
		).toEqual([1234.56, 1234.56, 1234.56, 120.5, 99].sort());
	});

	test('every additional field reaches Paynet under its Paynet name and type', async () => {
		const { error } = await run(
			[{ name: 'Ali Veli', total: 50 }],
			create({
				additionalFields: {
					email: 'ali@example.com',
					sendMail: true,
					phone: '532 000 00 00',
					sendSms: true,
					expireHours: 24,
					note: 'Sipariş',
					agentNote: 'not',
					referenceNo: 'INV-1',
					agentId: '20008',
					userName: 'muhasebe',
					posType: 5,
					addCommissionToAmount: true,
					instalmentKey: 'ji_EAAA',
					succeedUrl: 'https://shop.example.com/ok',
					errorUrl: 'https://shop.example.com/err',
					confirmationUrl: 'https://n8n.example.com/webhook/x/paynet',
					sendConfirmationMail: false,
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(createBodies()[0]).toEqual({
			name_surname: 'Ali Veli',
			amount: 50,
			email: 'ali@example.com',
			send_mail: true,
			phone: '5320000000',
			send_sms: true,
			expire_date: 24,
			note: 'Sipariş',
			agent_note: 'not',
			reference_no: 'INV-1',
			agent_id: '20008',
			user_name: 'muhasebe',
			pos_type: 5,
			addcomission_to_amount: true,
			instalment_key: 'ji_EAAA',
			succeed_url: 'https://shop.example.com/ok',
			error_url: 'https://shop.example.com/err',
			confirmation_url: 'https://n8n.example.com/webhook/x/paynet',
			send_confirmation_mail: false,
		});
	});

	test('Send Mail without an email fails naming the field and the item, and sends nothing', async () => {
		const { items, error } = await run(
			[
				{ name: 'A', total: 10 },
				{ name: 'B', total: 20 },
			],
			create({ additionalFields: { sendMail: '={{ $json.name === "B" }}' } }),
		);
		expect(error.message).toBe('Item 1: Email (email) is required when Send Mail is on');
		expect(items).toEqual([]);
		// Validation runs before any request: no half-created batch.
		expect(createBodies()).toEqual([]);
	});

	test('with Continue On Fail the bad row becomes an error item and the others still go through', async () => {
		const rows = [
			{ name: 'A', total: 10 },
			{ name: 'B', total: '1.234', mail: false },
			{ name: 'C', total: 30, mail: true },
			{ name: 'D', total: 40 },
		];
		const { items, error } = await run(rows, create({ additionalFields: { sendMail: '={{ $json.mail === true }}' } }), {
			nodeSettings: continueOnFail,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		expect(items.map((item) => item.pairedItem)).toEqual(rows.map((_row, item) => ({ item })));
		expect(items[0].json.amount).toBe(10);
		expect(items[1].json.error).toMatch(/^Item 1: Amount \(amount\) "1\.234" is ambiguous/);
		expect(items[2].json.error).toBe('Item 2: Email (email) is required when Send Mail is on');
		expect(items[3].json.amount).toBe(40);
		expect(
			createBodies()
				.map((body) => body.name_surname)
				.sort(),
		).toEqual(['A', 'D']);
	});

	test("Paynet's own refusal becomes an item error with Paynet's message; other rows still go through", async () => {
		const { items } = await run(
			[
				{ name: 'A', total: 10 },
				{ name: 'B', total: 20 },
			],
			create({ additionalFields: { referenceNo: '={{ $json.name === "B" ? "x".repeat(60) : "" }}' } }),
			{ nodeSettings: continueOnFail },
		);
		expect(items[0].json.code).toBe(0);
		expect(items[1].json.error).toBe(
			`Item 1 (reference ${'x'.repeat(60)}): Paynet: reference_no is longer than 50 (HTTP 400, invalid_request_error, return code 11 badrequest)`,
		);
		expect(items[1].json).toMatchObject({
			reference_no: 'x'.repeat(60),
			paynet_message: 'reference_no is longer than 50',
		});
	});

	test('a wrong key fails clearly and the key appears nowhere in the error', async () => {
		const wrongKey = 'sck_WRONG/secret+value==';
		const { error } = await run([{ name: 'A', total: 10 }], create(), { credentials: { secretKey: wrongKey } });
		expect(error.message).toBe(
			'Item 0: Paynet rejected the secret key (HTTP 401, authorization_error, return code 7 unauthorized)',
		);
		expect(paynet.requestsTo('/v1/mailorder/create')[0].headers.authorization).toBe(`Basic ${wrongKey}`);
		const everything = JSON.stringify({
			...error,
			message: error.message,
			description: error.description,
			stack: error.stack,
		});
		expect(everything).not.toContain(wrongKey);
		expect(everything).not.toContain(paynet.secretKey);
	});

	test('with Continue On Fail a wrong key is reported per item without the key', async () => {
		const { items } = await run([{ name: 'A', total: 10 }], create(), {
			credentials: { secretKey: 'sck_wrong' },
			nodeSettings: continueOnFail,
		});
		expect(items[0].json.error).toMatch(/rejected the secret key/);
		expect(JSON.stringify(items)).not.toContain('sck_wrong');
	});

	test('a confirmation URL without a reference number gets a generated one, returned in the output', async () => {
		const { items } = await run(
			[{ name: 'A', total: 10 }],
			create({ additionalFields: { confirmationUrl: 'https://n8n.example.com/webhook/x/paynet' } }),
		);
		const [body] = createBodies();
		expect(body.reference_no).toMatch(/^n8n-[0-9a-f-]{36}$/);
		expect(items[0].json.reference_no).toBe(body.reference_no);
	});

	test('Paynet returning code as a string ("0", as its table types it) is still success', async () => {
		paynet.quirks.codeAsString = true;
		try {
			const { items, error } = await run([{ name: 'A', total: 10 }], create());
			expect(error).toBeUndefined();
			expect(items[0].json.code).toBe('0');
		} finally {
			paynet.quirks.codeAsString = false;
		}
	});

	test('an unreachable host is told apart from a wrong key', async () => {
		const closed = await startPaynetServer();
		const url = closed.url;
		await closed.close();
		const { error } = await run([{ name: 'A', total: 10 }], create(), { credentials: { baseUrl: url } });
		expect(error.message).toBe(`Item 0: Could not reach Paynet at ${new URL(url).host} (connection refused)`);
		expect(error.description).toMatch(/IP addresses registered/);
	});

	test('a custom base URL with a trailing slash works', async () => {
		const { error } = await run([{ name: 'A', total: 10 }], create(), { credentials: { baseUrl: `${paynet.url}//` } });
		expect(error).toBeUndefined();
		expect(paynet.requests[0].path).toBe('/v1/mailorder/create');
	});
});
