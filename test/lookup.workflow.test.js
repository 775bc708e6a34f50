'use strict';
const { usePaynetServer, runPaynet, listParameters } = require('./harness/paynetTest');

const DETAIL = '/v1/mailorder/detail';
const STATUS = '/v1/mailorder/status_update';
const CHECK = '/v1/transaction/check';

const paynet = usePaynetServer();

const run = async (parameters, { items, nodeSettings } = {}) =>
	await runPaynet(paynet, { items, parameters, nodeSettings });

const bodiesTo = (path) => paynet.requestsTo(path).map((request) => request.body);

function seedOne(options = {}) {
	const [payLink] = paynet.seedPayLinks(1, { from: '2024-03-05', amount: 250, ...options });
	return payLink;
}

describe('PayLink → Get in a workflow', () => {
	test('by ID sends only id and returns the PayLink normalised, without the envelope', async () => {
		const payLink = seedOne();
		const { items, error } = await run({ resource: 'payLink', operation: 'get', payLinkId: payLink.id });
		expect(error).toBeUndefined();
		expect(bodiesTo(DETAIL)).toEqual([{ id: payLink.id }]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			id: payLink.id,
			reference_no: payLink.reference_no,
			name_surname: 'Payer 0',
			amount: 250,
			currency: 'TRY',
			status: 0,
			status_text: 'awaiting_payment',
		});
		expect(items[0].json).not.toHaveProperty('object_name');
		expect(items[0].json).not.toHaveProperty('code');
		expect(items[0].json).not.toHaveProperty('message');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('by reference number sends only reference_no, and reads a PayLink wrapped in Data', async () => {
		paynet.quirks.detailInData = true;
		const payLink = seedOne({ statuses: [1] });
		const { items } = await run({
			resource: 'payLink',
			operation: 'get',
			lookupBy: 'referenceNo',
			referenceNo: payLink.reference_no,
		});
		expect(bodiesTo(DETAIL)).toEqual([{ reference_no: payLink.reference_no }]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: payLink.id, status: 1, status_text: 'paid', currency: 'TRY' });
	});

	test('an unknown ID is an error naming the item and what Paynet said', async () => {
		const { error } = await run({ resource: 'payLink', operation: 'get', payLinkId: 'no-such-link' });
		expect(error.message).toBe('Item 0: Paynet: Kayıt bulunamadı (HTTP 404, no_data_error, return code 12 nodata)');
	});

	test('an empty ID is refused before calling Paynet, naming the field', async () => {
		const { error } = await run({ resource: 'payLink', operation: 'get', payLinkId: '  ' });
		expect(error.message).toBe('Item 0: PayLink ID (payLinkId) is required');
		expect(bodiesTo(DETAIL)).toHaveLength(0);
	});
});

describe('PayLink → Deactivate and Reactivate in a workflow', () => {
	test('Deactivate sends status 3, and List then shows the link as deactivated', async () => {
		const payLink = seedOne();
		const { items, error } = await run({ resource: 'payLink', operation: 'deactivate', payLinkId: payLink.id });
		expect(error).toBeUndefined();
		expect(bodiesTo(STATUS)).toEqual([{ id: payLink.id, status: 3 }]);
		expect(items[0].json).toEqual({
			object_name: 'mailorder_update_status',
			code: 0,
			message: 'Başarılı İşlem',
			id: payLink.id,
			status: 3,
			status_text: 'deactivated',
		});

		const listed = await run(listParameters({ startDate: '2024-03-05', endDate: '2024-03-05', returnAll: true }));
		expect(listed.items).toHaveLength(1);
		expect(listed.items[0].json).toMatchObject({
			reference_no: payLink.reference_no,
			status: 3,
			status_text: 'deactivated',
		});
	});

	test('Reactivate by reference number sends status 0 and the link awaits payment again', async () => {
		const payLink = seedOne({ statuses: [3] });
		const { items } = await run({
			resource: 'payLink',
			operation: 'reactivate',
			lookupBy: 'referenceNo',
			referenceNo: payLink.reference_no,
		});
		expect(bodiesTo(STATUS)).toEqual([{ reference_no: payLink.reference_no, status: 0 }]);
		expect(items[0].json).toMatchObject({
			reference_no: payLink.reference_no,
			status: 0,
			status_text: 'awaiting_payment',
		});
		expect(paynet.state.payLinks[0].status).toBe(0);
	});

	test('with Continue On Fail an unknown link becomes an error item and the others are still deactivated', async () => {
		const first = seedOne();
		const second = seedOne();
		const { items, error } = await run(
			{ resource: 'payLink', operation: 'deactivate', payLinkId: '={{ $json.id }}' },
			{
				items: [{ id: first.id }, { id: 'missing' }, { id: second.id }],
				nodeSettings: { onError: 'continueRegularOutput' },
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
		expect(items[1].json.error).toMatch(/^Item 1: Paynet: Kayıt bulunamadı \(HTTP 404/);
		expect(paynet.state.payLinks.map((link) => link.status)).toEqual([3, 3]);
	});
});

describe('Payment → Check in a workflow', () => {
	test('by reference number outputs every attempt, normalised', async () => {
		const payLink = seedOne();
		await paynet.pay(payLink.reference_no, { succeed: false });
		await paynet.pay(payLink.reference_no);
		const { items, error } = await run({ resource: 'payment', operation: 'check', referenceNo: payLink.reference_no });
		expect(error).toBeUndefined();
		expect(bodiesTo(CHECK)).toEqual([{ reference_no: payLink.reference_no }]);
		expect(items).toHaveLength(2);
		const [failed, paid] = paynet.state.transactions;
		expect(items.map((item) => item.json.is_succeed)).toEqual([false, true]);
		expect(items[1].json).toMatchObject({
			xact_id: paid.xact_id,
			reference_no: payLink.reference_no,
			amount: 250,
			net_amount: paid.netAmount,
			comission: paid.comission,
			currency: 'TRY',
		});
		expect(items[0].json.xact_id).toBe(failed.xact_id);
		for (const { json, pairedItem } of items) {
			expect(json).not.toHaveProperty('agent_reference');
			expect(json).not.toHaveProperty('netAmount');
			expect(pairedItem).toEqual({ item: 0 });
		}
	});

	test('by transaction ID sends only xact_id and outputs that transaction', async () => {
		const payLink = seedOne();
		const { transaction } = await paynet.pay(payLink.reference_no);
		const { items } = await run({
			resource: 'payment',
			operation: 'check',
			lookupBy: 'xactId',
			xactId: transaction.xact_id,
		});
		expect(bodiesTo(CHECK)).toEqual([{ xact_id: transaction.xact_id }]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			xact_id: transaction.xact_id,
			is_succeed: true,
			net_amount: transaction.netAmount,
		});
	});

	test('a reference with no payment yet outputs nothing for that item, not an error', async () => {
		const unpaid = seedOne();
		const paid = seedOne();
		await paynet.pay(paid.reference_no);
		const { items, error } = await run(
			{ resource: 'payment', operation: 'check', referenceNo: '={{ $json.reference }}' },
			{ items: [{ reference: unpaid.reference_no }, { reference: paid.reference_no }] },
		);
		expect(error).toBeUndefined();
		expect(bodiesTo(CHECK)).toHaveLength(2);
		expect(items).toHaveLength(1);
		expect(items[0].json.reference_no).toBe(paid.reference_no);
		expect(items[0].pairedItem).toEqual({ item: 1 });
	});

	test('other Paynet failures are still errors', async () => {
		paynet.inject(CHECK, {
			status: 400,
			body: JSON.stringify({ type: 'invalid_request_error', message: 'Hatalı istek', code: 400, result_code: 11 }),
		});
		const { error } = await run({ resource: 'payment', operation: 'check', referenceNo: 'R-1' });
		expect(error.message).toBe(
			'Item 0: Paynet: Hatalı istek (HTTP 400, invalid_request_error, return code 11 badrequest)',
		);
	});
});
