'use strict';
// Issue 21 on the Paynet Trigger: the posted amount is compared with
// Paynet's in whole kuruş, never rounded onto it, and the day's transaction
// list is read to its end when Paynet sends `total` without `has_more`.
const { createPayLink } = require('./paynet-server/mailorder');
const { confirmationFor } = require('./paynet-server/transaction');
const { useTriggerServer } = require('./harness/paynetTest');

const { paynet, trigger } = useTriggerServer();

function payLink(fields = {}) {
	return createPayLink(paynet, {
		name_surname: 'Ayşe Yılmaz',
		amount: 20,
		reference_no: `INV-${Math.random().toString(36).slice(2, 10)}`,
		...fields,
	});
}

/** A payment Paynet has, and the confirmation it would post for it, not yet posted. */
async function paidWithoutPost(fields) {
	const link = payLink(fields);
	const { transaction } = await paynet.pay(link.id);
	return confirmationFor(transaction, link);
}

describe('the posted amount is compared in whole kuruş', () => {
	test.each([
		['19.999', 19.999],
		['"19,999"', '19,999'],
		['20.004', 20.004],
		['"20,004"', '20,004'],
	])('a post of %s for a 20.00 payment is refused with 403 and starts nothing', async (_shown, amount) => {
		const confirmation = await paidWithoutPost({ amount: 20 });
		const response = await trigger.post({ ...confirmation, amount });
		expect(response.status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
	});

	test.each([
		['20', 20],
		['"20,00"', '20,00'],
		['"20.0000"', '20.0000'],
		['20.000000000000004 (float noise)', 20.000000000000004],
	])('a post of %s for a 20.00 payment is that payment: 200 and one run', async (_shown, amount) => {
		const confirmation = await paidWithoutPost({ amount: 20 });
		const response = await trigger.post({ ...confirmation, amount });
		expect(response.status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		expect(trigger.runs[0][0]).toMatchObject({ amount: 20, verified: true });
	});
});

describe("the reference-less search reads the day's list to its end", () => {
	test('total without has_more: the payment on the third page is found, not refused after the first', async () => {
		for (let index = 0; index < 7; index++) {
			await paynet.pay(payLink({ reference_no: undefined, amount: 10 + index }).id);
		}
		paynet.maxPageSize = 3;
		paynet.quirks.listOmitsHasMore = true;
		const confirmation = await paidWithoutPost({ reference_no: undefined, amount: 42 });
		const response = await trigger.post(confirmation);
		expect(response.status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		expect(trigger.runs[0][0]).toMatchObject({ order_id: confirmation.order_id, amount: 42, verified: true });
		expect(paynet.requestsTo('/v1/transaction/list').map((request) => request.body.starting_after)).toEqual([0, 3, 6]);
	});
});
