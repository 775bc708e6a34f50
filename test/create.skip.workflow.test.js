'use strict';
// PayLink → Create with "Skip Existing PayLinks": running the same sheet again
// after a partial failure must not make a second link for a reference.
const { usePaynetServer, runPaynet, createFromSheet, REFERENCE_FROM_SHEET } = require('./harness/paynetTest');

const CREATE = '/v1/mailorder/create';
const DETAIL = '/v1/mailorder/detail';

const paynet = usePaynetServer();

const create = (options = {}, additionalFields = REFERENCE_FROM_SHEET) =>
	createFromSheet({ additionalFields, options });
const continueOnFail = { onError: 'continueRegularOutput' };
const sheet = [
	{ name: 'Ayşe Yılmaz', total: 120.5, ref: 'INV-1' },
	{ name: 'Ali Veli', total: 80, ref: 'INV-2' },
	{ name: 'Can Demir', total: 45.25, ref: 'INV-3' },
];
const createdReferences = () => paynet.requestsTo(CREATE).map((request) => request.body.reference_no);
const lookedUp = () => paynet.requestsTo(DETAIL).map((request) => request.body);

const run = async (items, parameters, nodeSettings) => await runPaynet(paynet, { items, parameters, nodeSettings });

/** The first run got as far as the first two rows. */
async function firstRunCreatedTwo() {
	const { items, error } = await run(sheet.slice(0, 2), create());
	expect(error).toBeUndefined();
	paynet.requests.length = 0;
	return items.map((item) => item.json);
}

describe('PayLink → Create with Skip Existing PayLinks', () => {
	test('a re-run of 3 rows where 2 already exist outputs the 2 existing links and creates only the third', async () => {
		const [first, second] = await firstRunCreatedTwo();

		const { items, error } = await run(sheet, create({ skipExisting: true }));

		expect(error).toBeUndefined();
		expect(createdReferences()).toEqual(['INV-3']);
		expect(lookedUp()).toEqual([{ reference_no: 'INV-1' }, { reference_no: 'INV-2' }, { reference_no: 'INV-3' }]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ id: first.id, reference_no: 'INV-1', skipped: true });
		expect(items[1].json).toMatchObject({ id: second.id, reference_no: 'INV-2', skipped: true });
		// Normalised as PayLink → Get outputs it.
		expect(items[0].json).toMatchObject({ amount: 120.5, currency: 'TRY', status: 0, status_text: 'awaiting_payment' });
		const created = paynet.state.payLinks.find((link) => link.reference_no === 'INV-3');
		expect(items[2].json).toMatchObject({
			id: created.id,
			url: created.url,
			reference_no: 'INV-3',
			amount: 45.25,
			skipped: false,
		});
		expect(paynet.state.payLinks).toHaveLength(3);
	});

	test('without the option the same re-run creates all 3 again and looks nothing up', async () => {
		await firstRunCreatedTwo();

		const { items, error } = await run(sheet, create());

		expect(error).toBeUndefined();
		expect(createdReferences()).toEqual(expect.arrayContaining(['INV-1', 'INV-2', 'INV-3']));
		expect(createdReferences()).toHaveLength(3);
		expect(lookedUp()).toHaveLength(0);
		expect(items.every((item) => !('skipped' in item.json))).toBe(true);
	});

	test('rows without a reference, or with a generated one, are created without a lookup', async () => {
		const { items, error } = await run(
			[
				{ name: 'A', total: 10 },
				{ name: 'B', total: 20 },
			],
			create(
				{ skipExisting: true },
				{ confirmationUrl: '={{ $json.name === "B" ? "https://n8n.example.com/webhook/paynet" : "" }}' },
			),
		);

		expect(error).toBeUndefined();
		expect(lookedUp()).toHaveLength(0);
		expect(paynet.requestsTo(CREATE)).toHaveLength(2);
		expect(items.map((item) => item.json.skipped)).toEqual([false, false]);
		expect(items[1].json.reference_no).toEqual(expect.any(String));
	});

	test('a reference repeated within one run makes one PayLink; the later row outputs it as skipped', async () => {
		const rows = [
			{ name: 'A', total: 10, ref: 'INV-9' },
			{ name: 'A', total: 10, ref: 'INV-9' },
		];

		const { items, error } = await run(rows, create({ skipExisting: true }));

		expect(error).toBeUndefined();
		expect(createdReferences()).toEqual(['INV-9']);
		expect(items.map((item) => item.json.skipped)).toEqual([false, true]);
		expect(items[1].json.id).toBe(items[0].json.id);
	});

	test('a lookup that keeps failing with 500 fails the item with a clear error and creates nothing', async () => {
		// The lookup is safe to repeat, so it is retried (4 attempts in all) before the item fails.
		paynet.inject(DETAIL, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });

		const { error } = await run(sheet.slice(0, 1), create({ skipExisting: true }));

		expect(error.message).toBe(
			'Item 0 (reference INV-1): Could not tell whether a PayLink with reference "INV-1" exists, so none was created: Paynet: Injected failure (HTTP 500, api_error, return code 8 servererror)',
		);
		expect(error.description).toMatch(
			/^Skip Existing PayLinks creates an item only once Paynet has said no PayLink has its reference/,
		);
		expect(lookedUp()).toHaveLength(4);
		expect(paynet.requestsTo(CREATE)).toHaveLength(0);
		expect(paynet.state.payLinks).toHaveLength(0);
	});

	test('with Continue On Fail the failed lookup becomes an error item and the other rows still run', async () => {
		await firstRunCreatedTwo();
		paynet.inject(DETAIL, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });

		// One at a time, so all four failures land on the first row's lookup.
		const { items, error } = await run(sheet, create({ skipExisting: true, concurrency: 1 }), continueOnFail);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toMatch(
			/^Item 0 \(reference INV-1\): Could not tell whether a PayLink with reference "INV-1" exists, so none was created/,
		);
		expect(items[1].json).toMatchObject({ reference_no: 'INV-2', skipped: true });
		expect(items[2].json).toMatchObject({ reference_no: 'INV-3', skipped: false });
		expect(createdReferences()).toEqual(['INV-3']);
	});

	describe('"exists" means Paynet showed a PayLink (issue 21)', () => {
		const answer = (body) => ({ status: 200, body: JSON.stringify(body) });

		test.each([
			['Data null, total 0', { code: 0, message: 'Başarılı İşlem', Data: null, total: 0 }],
			['Data [], total 0', { code: 0, Data: [], total: 0, object_name: 'mailorder_detail' }],
			['code 12 nodata on a 200', { code: 12, message: 'Kayıt bulunamadı' }],
		])("Paynet's no-data answer (%s) means create", async (_name, body) => {
			paynet.inject(DETAIL, answer(body));
			const { items, error } = await run(sheet.slice(0, 1), create({ skipExisting: true }));
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ reference_no: 'INV-1', skipped: false, id: expect.any(String) });
			expect(createdReferences()).toEqual(['INV-1']);
		});

		test('a re-run against a Paynet that says "no data" with 200 {code: 0, Data: null, total: 0}: skips what exists, creates the rest', async () => {
			paynet.quirks.detailNoDataAs200 = true;
			const [first, second] = await firstRunCreatedTwo();
			const { items, error } = await run(sheet, create({ skipExisting: true }));
			expect(error).toBeUndefined();
			expect(items.map((item) => [item.json.reference_no, item.json.skipped])).toEqual([
				['INV-1', true],
				['INV-2', true],
				['INV-3', false],
			]);
			expect([items[0].json.id, items[1].json.id]).toEqual([first.id, second.id]);
			expect(createdReferences()).toEqual(['INV-3']);
			expect(paynet.state.payLinks).toHaveLength(3);
		});

		test.each([
			['an empty success', { code: 0 }],
			['a proxy {}', {}],
			['a row with no id, url or reference', { code: 0, company_code: '10031', status: 0 }],
			['total 1 but no data', { code: 0, Data: null, total: 1 }],
		])(
			'an answer that shows no PayLink (%s) fails the item: never skipped, never created blind',
			async (_name, body) => {
				paynet.inject(DETAIL, answer(body));
				const { items, error } = await run(
					sheet.slice(0, 2),
					create({ skipExisting: true, concurrency: 1 }),
					continueOnFail,
				);
				expect(error).toBeUndefined();
				expect(items).toHaveLength(2);
				expect(items[0].json.error).toMatch(
					/^Item 0 \(reference INV-1\): Could not tell whether a PayLink with reference "INV-1" exists, so none was created: Paynet's answer shows no PayLink \(no id, url or reference "INV-1"\) and is not its no-data answer: /,
				);
				expect(items[0].json.skipped).toBeUndefined();
				expect(items[1].json).toMatchObject({ reference_no: 'INV-2', skipped: false });
				expect(createdReferences()).toEqual(['INV-2']);
			},
		);

		test.each([
			['its id', { code: 0, id: 'c2b1f1de-0000-4000-8000-000000000001' }],
			['its url', { code: 0, Data: [{ url: 'https://pts-paynet.com.tr/S/M?id=x' }] }],
			['the reference asked, as referenceNo', { code: 0, Data: { referenceNo: 'INV-1', amount: '120,50' } }],
		])('an answer that shows %s is an existing PayLink: skipped', async (_name, body) => {
			paynet.inject(DETAIL, answer(body));
			const { items, error } = await run(sheet.slice(0, 1), create({ skipExisting: true }));
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ reference_no: 'INV-1', skipped: true });
			expect(createdReferences()).toEqual([]);
		});
	});
});
