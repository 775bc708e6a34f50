'use strict';
// Version 2 of the Paynet node: PayLink → Get, Deactivate and Reactivate
// take the PayLink through one Resource Locator, `payLink` (From List, By
// ID, By Reference No). Version 1 (Look Up By and a field per key, what
// saved workflows hold) is tested unchanged in lookup.workflow.test.js.
const { usePaynetServer, runPaynet } = require('./harness/paynetTest');

const DETAIL = '/v1/mailorder/detail';
const STATUS = '/v1/mailorder/status_update';

const paynet = usePaynetServer();

const bodiesTo = (path) => paynet.requestsTo(path).map((request) => request.body);
const payLink = (mode, value) => ({ __rl: true, mode, value });

const runV2 = async (parameters, { items, nodeSettings } = {}) =>
	await runPaynet(paynet, { items, parameters, nodeSettings, typeVersion: 2 });

function seedOne(options = {}) {
	const [link] = paynet.seedPayLinks(1, { from: '2024-03-05', amount: 250, ...options });
	return link;
}

describe('PayLink → Get, version 2: the PayLink from the Resource Locator', () => {
	test('By ID sends only id and returns the PayLink, as version 1 does', async () => {
		const link = seedOne();
		const { items, error } = await runV2({ resource: 'payLink', operation: 'get', payLink: payLink('id', link.id) });
		expect(error).toBeUndefined();
		expect(bodiesTo(DETAIL)).toEqual([{ id: link.id }]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			id: link.id,
			reference_no: link.reference_no,
			status_text: 'awaiting_payment',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('By Reference No sends only reference_no', async () => {
		const link = seedOne({ statuses: [1] });
		const { items } = await runV2({
			resource: 'payLink',
			operation: 'get',
			payLink: payLink('referenceNo', link.reference_no),
		});
		expect(bodiesTo(DETAIL)).toEqual([{ reference_no: link.reference_no }]);
		expect(items[0].json).toMatchObject({ id: link.id, status: 1, status_text: 'paid' });
	});

	test('From List: the value picked is the reference number, looked up as By Reference No', async () => {
		const link = seedOne();
		const { items } = await runV2({
			resource: 'payLink',
			operation: 'get',
			payLink: payLink('list', link.reference_no),
		});
		expect(bodiesTo(DETAIL)).toEqual([{ reference_no: link.reference_no }]);
		expect(items[0].json.id).toBe(link.id);
	});

	test('each item its own PayLink, from an expression, in input order', async () => {
		const [first, second] = paynet.seedPayLinks(2, { from: '2024-03-05' });
		const { items } = await runV2(
			{ resource: 'payLink', operation: 'get', payLink: payLink('id', '={{ $json.id }}') },
			{ items: [{ id: second.id }, { id: first.id }] },
		);
		expect(items.map((item) => [item.json.id, item.pairedItem.item])).toEqual([
			[second.id, 0],
			[first.id, 1],
		]);
	});

	test('an empty PayLink is refused before calling Paynet, naming the field', async () => {
		const { error } = await runV2({ resource: 'payLink', operation: 'get', payLink: payLink('referenceNo', ' ') });
		expect(error.message).toBe('Item 0: PayLink (payLink) is required');
		expect(bodiesTo(DETAIL)).toHaveLength(0);
	});

	test('the Look Up By fields of version 1 are not read by a version-2 node', async () => {
		const link = seedOne();
		const { items } = await runV2({
			resource: 'payLink',
			operation: 'get',
			lookupBy: 'referenceNo',
			referenceNo: 'NOT-THIS-ONE',
			payLink: payLink('id', link.id),
		});
		expect(bodiesTo(DETAIL)).toEqual([{ id: link.id }]);
		expect(items[0].json.id).toBe(link.id);
	});
});

describe('PayLink → Deactivate and Reactivate, version 2', () => {
	test('Deactivate By ID sends status 3 with the id', async () => {
		const link = seedOne();
		const { items, error } = await runV2({
			resource: 'payLink',
			operation: 'deactivate',
			payLink: payLink('id', link.id),
		});
		expect(error).toBeUndefined();
		expect(bodiesTo(STATUS)).toEqual([{ id: link.id, status: 3 }]);
		expect(items[0].json).toMatchObject({ id: link.id, status: 3, status_text: 'deactivated' });
		expect(paynet.state.payLinks[0].status).toBe(3);
	});

	test('Deactivate From List sends the reference number picked', async () => {
		const link = seedOne();
		await runV2({ resource: 'payLink', operation: 'deactivate', payLink: payLink('list', link.reference_no) });
		expect(bodiesTo(STATUS)).toEqual([{ reference_no: link.reference_no, status: 3 }]);
	});

	test('Reactivate By Reference No sends status 0 and the link awaits payment again', async () => {
		const link = seedOne({ statuses: [3] });
		const { items } = await runV2({
			resource: 'payLink',
			operation: 'reactivate',
			payLink: payLink('referenceNo', link.reference_no),
		});
		expect(bodiesTo(STATUS)).toEqual([{ reference_no: link.reference_no, status: 0 }]);
		expect(items[0].json).toMatchObject({ status: 0, status_text: 'awaiting_payment' });
		expect(paynet.state.payLinks[0].status).toBe(0);
	});

	test('Reactivate From List sends the reference number picked', async () => {
		const link = seedOne({ statuses: [3] });
		await runV2({ resource: 'payLink', operation: 'reactivate', payLink: payLink('list', link.reference_no) });
		expect(bodiesTo(STATUS)).toEqual([{ reference_no: link.reference_no, status: 0 }]);
	});

	test('with Continue On Fail (the old setting), an unknown link becomes an error item and the others still run', async () => {
		const first = seedOne();
		const second = seedOne();
		const { items, error } = await runV2(
			{ resource: 'payLink', operation: 'deactivate', payLink: payLink('id', '={{ $json.id }}') },
			{
				items: [{ id: first.id }, { id: '00000000-0000-4000-8000-000000000000' }, { id: second.id }],
				nodeSettings: { continueOnFail: true },
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
		expect(items[1].json.error).toMatch(/^Item 1: Paynet: Kayıt bulunamadı \(HTTP 404/);
		expect(paynet.state.payLinks.map((link) => link.status)).toEqual([3, 3]);
	});

	test('without Continue On Fail the same unknown link stops the node', async () => {
		const first = seedOne();
		const { error } = await runV2(
			{ resource: 'payLink', operation: 'deactivate', payLink: payLink('id', '={{ $json.id }}') },
			{ items: [{ id: '00000000-0000-4000-8000-000000000000' }, { id: first.id }] },
		);
		expect(error.message).toMatch(/^Item 0: Paynet: Kayıt bulunamadı/);
	});
});
