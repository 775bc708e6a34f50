'use strict';
// Simplify on PayLink → Get / List and Payment → Check / List: off (the
// default, and every workflow saved before it existed) outputs everything
// as before; on, the fields a workflow uses most, under the same names.
const { usePaynetServer, runPaynet, listParameters } = require('./harness/paynetTest');
const { createPayLink } = require('./paynet-server/mailorder');

const paynet = usePaynetServer();

const PAYLINK_FIELDS = [
	'id',
	'reference_no',
	'name_surname',
	'email',
	'phone',
	'amount',
	'currency',
	'status',
	'status_text',
	'create_date',
	'expire_date',
	'xact_id',
];
const PAYMENT_FIELDS = [
	'xact_id',
	'xact_date',
	'reference_no',
	'is_succeed',
	'amount',
	'net_amount',
	'currency',
	'instalment',
	'card_holder',
	'card_no',
	'authorization_code',
];

/** A PayLink of 250 lira on 5 March 2024, paid once. */
async function paidLink() {
	const link = createPayLink(
		paynet,
		{ name_surname: 'Ayşe Yılmaz', amount: 250, reference_no: 'INV-7', email: 'ayse@example.com' },
		new Date('2024-03-05T10:00:00+03:00'),
	);
	const { transaction } = await paynet.pay(link.reference_no, { at: new Date('2024-03-05T11:00:00+03:00') });
	return { link, transaction };
}

const run = async (parameters, typeVersion = 1) => {
	const { items, error } = await runPaynet(paynet, { parameters, typeVersion });
	expect(error).toBeUndefined();
	return items.map((item) => item.json);
};

describe('Simplify', () => {
	test('PayLink → Get: off by default, the full PayLink; on, the most used fields under the same names', async () => {
		const { link } = await paidLink();
		const get = { resource: 'payLink', operation: 'get', payLinkId: link.id };
		const [full] = await run(get);
		expect(full).toHaveProperty('company_code');
		expect(full).toHaveProperty('succeed_url');
		const [simple] = await run({ ...get, simplify: true });
		expect(Object.keys(simple)).toEqual(PAYLINK_FIELDS.filter((field) => field in full));
		for (const [field, value] of Object.entries(simple)) expect(full[field]).toEqual(value);
		expect(simple).toMatchObject({ id: link.id, reference_no: 'INV-7', amount: 250, status_text: 'paid' });
	});

	test('PayLink → Get version 2 simplifies the same way', async () => {
		const { link } = await paidLink();
		const [simple] = await run(
			{ resource: 'payLink', operation: 'get', payLink: { __rl: true, mode: 'id', value: link.id }, simplify: true },
			2,
		);
		expect(simple).toMatchObject({ id: link.id, reference_no: 'INV-7', status_text: 'paid' });
		expect(simple).not.toHaveProperty('company_code');
	});

	test('PayLink → List: off, every field; on, only the most used ones Paynet sent, status filter still applied', async () => {
		paynet.seedPayLinks(4, { from: '2024-03-05', statuses: [0, 1] });
		const full = await run(listParameters({ returnAll: true }));
		expect(full).toHaveLength(4);
		expect(full[0]).toHaveProperty('company_code');
		const simple = await run(listParameters({ returnAll: true, simplify: true, filters: { status: ['paid'] } }));
		expect(simple).toHaveLength(2);
		for (const row of simple) {
			expect(Object.keys(row).every((field) => PAYLINK_FIELDS.includes(field))).toBe(true);
			expect(row).toMatchObject({ status: 1, status_text: 'paid', currency: 'TRY' });
			expect(row.reference_no).toMatch(/^SEED-/);
		}
	});

	test('Payment → Check: off, the whole transaction; on, the most used fields', async () => {
		const { transaction } = await paidLink();
		const check = { resource: 'payment', operation: 'check', referenceNo: 'INV-7' };
		const [full] = await run(check);
		expect(full).toHaveProperty('comission');
		const [simple] = await run({ ...check, simplify: true });
		expect(Object.keys(simple)).toEqual(PAYMENT_FIELDS.filter((field) => field in full));
		expect(simple).toMatchObject({
			xact_id: transaction.xact_id,
			reference_no: 'INV-7',
			is_succeed: true,
			amount: 250,
		});
		expect(simple).not.toHaveProperty('comission');
	});

	test('Payment → List: off, every field; on, the most used fields', async () => {
		await paidLink();
		const list = { resource: 'payment', operation: 'list', startDate: '2024-03-01', endDate: '2024-03-31' };
		const [full] = await run(list);
		expect(full).toHaveProperty('comission');
		const [simple] = await run({ ...list, simplify: true });
		expect(Object.keys(simple)).toEqual(PAYMENT_FIELDS.filter((field) => field in full));
		expect(simple).toMatchObject({ reference_no: 'INV-7', is_succeed: true, net_amount: full.net_amount });
	});

	test('a Simplify that is neither true nor false fails the item, naming the field, before Paynet is asked', async () => {
		const { error } = await runPaynet(paynet, {
			parameters: listParameters({ simplify: '={{ "maybe" }}' }),
		});
		expect(error.message).toBe('Item 0: Simplify (simplify) must be true or false (or 1/0), got "maybe"');
		expect(paynet.requestsTo('/v1/mailorder/list')).toHaveLength(0);
	});
});
