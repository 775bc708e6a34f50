'use strict';
// Payment → List (v1/transaction/list) in a workflow: every payment of the
// days asked for, normalised as Payment → Check, and never part of a list.
const { usePaynetServer, runPaynet } = require('./harness/paynetTest');
const { createPayLink } = require('./paynet-server/mailorder');

const LIST = '/v1/transaction/list';
const paynet = usePaynetServer();

const listPayments = (extra = {}) => ({
	resource: 'payment',
	operation: 'list',
	startDate: '2024-03-01',
	endDate: '2024-03-31',
	...extra,
});

/** `count` payments on links made for them, dated across March 2024 (Istanbul time). */
async function seedPayments(count, { failedEvery } = {}) {
	const start = Date.parse('2024-03-01T08:00:00+03:00');
	for (let index = 0; index < count; index++) {
		const link = createPayLink(paynet, {
			name_surname: `Payer ${index}`,
			amount: 100 + index,
			reference_no: `INV-${index}`,
		});
		const succeed = !(failedEvery && index % failedEvery === 0);
		await paynet.pay(link.id, { at: new Date(start + index * 2 * 60 * 60 * 1000), succeed });
	}
}

const bodies = () => paynet.requestsTo(LIST).map((request) => request.body);

describe('Payment → List', () => {
	test('Return All pages to the end: 237 payments in 3 pages, normalised as Payment → Check', async () => {
		await seedPayments(237);
		const { items, error } = await runPaynet(paynet, { parameters: listPayments({ returnAll: true }) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(237);
		expect(bodies()).toEqual(
			[0, 100, 200].map((after) => ({ datab: '2024-03-01', datbi: '2024-03-31', limit: 100, starting_after: after })),
		);
		expect(new Set(items.map((item) => item.json.xact_id)).size).toBe(237);
		const first = items[0].json;
		expect(first).toMatchObject({ reference_no: 'INV-0', amount: 100, is_succeed: true, currency: 'TRY' });
		expect(typeof first.net_amount).toBe('number');
		expect(first).not.toHaveProperty('agent_reference');
		expect(first).not.toHaveProperty('netAmount');
		expect(items.every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test('a limit of 5 outputs 5; Agent ID and Include Failed go to Paynet under its names', async () => {
		await seedPayments(30, { failedEvery: 3 });
		const limited = await runPaynet(paynet, { parameters: listPayments({ limit: 5 }) });
		expect(limited.items).toHaveLength(5);
		expect(limited.items.every((item) => item.json.is_succeed === true)).toBe(true);

		const all = await runPaynet(paynet, {
			parameters: listPayments({ returnAll: true, filters: { includeFailed: true } }),
		});
		expect(all.items).toHaveLength(30);
		expect(all.items.filter((item) => item.json.is_succeed === false)).toHaveLength(10);
		expect(bodies().at(-1)).toMatchObject({ show_unsucceed: true });

		await runPaynet(paynet, { parameters: listPayments({ returnAll: true, filters: { agentId: 'BAYI1' } }) });
		expect(bodies().at(-1)).toMatchObject({ agent_id: 'BAYI1' });
	});

	test('never a partial list: a page that keeps failing fails the item, with no rows output', async () => {
		await seedPayments(150);
		paynet.when(LIST, (body) => body.starting_after >= 100, { status: 500 });
		const { items, error } = await runPaynet(paynet, { parameters: listPayments({ returnAll: true }) });
		expect(items).toHaveLength(0);
		expect(error).toBeDefined();
	});

	test('never a partial list: a server that ignores starting_after is an error, not its first page', async () => {
		await seedPayments(150);
		paynet.when(LIST, (body) => body.starting_after > 0, {
			status: 200,
			body: JSON.stringify({ total: 150, has_more: true, Data: [], code: 0, message: 'ok' }),
		});
		const { items, error } = await runPaynet(paynet, { parameters: listPayments({ returnAll: true }) });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/no partial list/);
	});

	test('an end date before the start date names the field', async () => {
		const { error } = await runPaynet(paynet, {
			parameters: listPayments({ startDate: '2024-03-10', endDate: '2024-03-01' }),
		});
		expect(error?.message).toMatch(/endDate/);
		expect(paynet.requestsTo(LIST)).toHaveLength(0);
	});
});
