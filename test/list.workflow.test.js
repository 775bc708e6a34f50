'use strict';
const { usePaynetServer, runPaynet, listParameters: list } = require('./harness/paynetTest');
const { fetchListPages } = require('../dist/nodes/Paynet/transport/paging');
const { createPayLink } = require('./paynet-server/mailorder');

const LIST = '/v1/mailorder/list';

const paynet = usePaynetServer();

const run = async (parameters, { items, nodeSettings } = {}) =>
	await runPaynet(paynet, { items, parameters, nodeSettings });

const listBodies = () => paynet.requestsTo(LIST).map((request) => request.body);

describe('PayLink → List in a workflow', () => {
	test('Return All fetches 237 PayLinks in exactly 3 pages of 100, advancing starting_after by rows received', async () => {
		paynet.seedPayLinks(237, { from: '2024-03-01', to: '2024-03-31' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(237);
		expect(listBodies()).toEqual([
			{ datab: '2024-03-01', datbi: '2024-03-31', limit: 100, starting_after: 0 },
			{ datab: '2024-03-01', datbi: '2024-03-31', limit: 100, starting_after: 100 },
			{ datab: '2024-03-01', datbi: '2024-03-31', limit: 100, starting_after: 200 },
		]);
		const references = items.map((item) => item.json.reference_no);
		expect(new Set(references).size).toBe(237);
		expect(references).toEqual(paynet.state.payLinks.map((link) => link.reference_no));
		expect(items.every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test("rows come out with Paynet's documented names, numbers and status text", async () => {
		paynet.seedPayLinks(3, { from: '2024-03-05', amount: 1234.5, statuses: [2] });
		const { items } = await run(list({ returnAll: true }));
		// the server sends amount as 1234.5, "1234.5000" and "1234,50" in turn
		for (const { json } of items) {
			expect(json).toMatchObject({
				amount: 1234.5,
				currency: 'TRY',
				status: 2,
				status_text: 'expired',
				send_confirmation_mail: true,
				note: null,
				error_url: null,
			});
			expect(json.reference_no).toMatch(/^SEED-/);
			expect(json).not.toHaveProperty('referenceNo');
			expect(json).not.toHaveProperty('sendConfirmation_mail');
		}
	});

	test('a limit of 5 asks Paynet for 5 rows and outputs 5 items', async () => {
		paynet.seedPayLinks(40, { from: '2024-03-10' });
		const { items, error } = await run(list({ returnAll: false, limit: 5 }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(listBodies()).toEqual([{ datab: '2024-03-01', datbi: '2024-03-31', limit: 5, starting_after: 0 }]);
	});

	test('the status filter is applied on our side and keeps paging until the limit is met', async () => {
		// one in ten is expired: 15 expired ones need 150 rows, so two pages
		paynet.seedPayLinks(250, { from: '2024-03-01', to: '2024-03-20', statuses: [0, 0, 0, 0, 2, 0, 0, 0, 1, 0] });
		const { items, error } = await run(list({ returnAll: false, limit: 15, filters: { status: ['expired'] } }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(15);
		expect(items.every((item) => item.json.status === 2 && item.json.status_text === 'expired')).toBe(true);
		expect(listBodies()).toEqual([
			{ datab: '2024-03-01', datbi: '2024-03-31', limit: 100, starting_after: 0 },
			{ datab: '2024-03-01', datbi: '2024-03-31', limit: 100, starting_after: 100 },
		]);
	});

	test('several statuses with Return All return every matching PayLink', async () => {
		paynet.seedPayLinks(120, { from: '2024-03-02', statuses: [0, 1, 2, 3] });
		const { items } = await run(list({ returnAll: true, filters: { status: ['paid', 'deactivated'] } }));
		expect(items).toHaveLength(60);
		expect(new Set(items.map((item) => item.json.status_text))).toEqual(new Set(['paid', 'deactivated']));
	});

	test('the agent filter is sent to Paynet as agent_id', async () => {
		paynet.seedPayLinks(7, { from: '2024-03-03', agentId: 'BAYI01' });
		paynet.seedPayLinks(9, { from: '2024-03-03' });
		const { items } = await run(list({ returnAll: true, filters: { agentId: 'BAYI01' } }));
		expect(listBodies()).toEqual([
			{ datab: '2024-03-01', datbi: '2024-03-31', agent_id: 'BAYI01', limit: 100, starting_after: 0 },
		]);
		expect(items).toHaveLength(7);
		expect(items.every((item) => item.json.agent_id === 'BAYI01')).toBe(true);
	});

	test('a range with no PayLinks outputs no items and no error', async () => {
		paynet.seedPayLinks(10, { from: '2024-05-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		expect(listBodies()).toHaveLength(1);
	});

	test('dates are sent as Istanbul calendar days, whatever offset they carry', async () => {
		await run(list({ startDate: '2024-02-29T21:30:00.000Z', endDate: '2024-03-31T23:30:00+05:00', limit: 1 }));
		expect(listBodies()[0]).toMatchObject({ datab: '2024-03-01', datbi: '2024-03-31' });
	});

	test('each input item lists its own range, and its items are paired to it', async () => {
		paynet.seedPayLinks(3, { from: '2024-01-10' });
		paynet.seedPayLinks(2, { from: '2024-02-10' });
		const { items } = await run(list({ startDate: '={{ $json.from }}', endDate: '={{ $json.to }}', returnAll: true }), {
			items: [
				{ from: '2024-01-01', to: '2024-01-31' },
				{ from: '2024-02-01', to: '2024-02-29' },
			],
		});
		expect(listBodies().map((body) => [body.datab, body.datbi])).toEqual([
			['2024-01-01', '2024-01-31'],
			['2024-02-01', '2024-02-29'],
		]);
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 0, 0, 1, 1]);
	});

	test('an end date before the start date fails the item, naming both fields, without calling Paynet', async () => {
		const { items, error } = await run(list({ startDate: '2024-03-10', endDate: '2024-03-09' }));
		expect(items).toHaveLength(0);
		expect(error.message).toMatch(/^Item 0: End Date \(endDate\).*before Start Date \(startDate/);
		expect(listBodies()).toHaveLength(0);
	});

	test('with Continue On Fail a bad range becomes an error item and the other items still list', async () => {
		paynet.seedPayLinks(2, { from: '2024-03-05' });
		const { items, error } = await run(
			list({ startDate: '={{ $json.from }}', endDate: '={{ $json.to }}', returnAll: true }),
			{
				items: [
					{ from: '2024-03-10', to: '2024-03-01' },
					{ from: '2024-03-01', to: '2024-03-31' },
				],
				nodeSettings: { onError: 'continueRegularOutput' },
			},
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json.error).toMatch(/^Item 0: End Date \(endDate\)/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items.slice(1).map((item) => item.pairedItem.item)).toEqual([1, 1]);
	});

	test('a body that is not JSON is a clear error carrying the HTTP status', async () => {
		paynet.inject(LIST, { status: 200, body: 'not json{' });
		const { error } = await run(list({ returnAll: true }));
		expect(error.message).toMatch(/^Item 0: Paynet answered HTTP 200 with a body that is not a JSON object/);
		expect(error.httpCode).toBe('200');
	});

	test('a JSON body that is not a list envelope is a clear error', async () => {
		paynet.inject(LIST, { status: 200, body: '{"object_name":"mailorderlist","code":0,"message":"ok"}' });
		const { error } = await run(list({ returnAll: true }));
		expect(error.message).toMatch(
			/^Item 0: Paynet answered \/v1\/mailorder\/list with a successful HTTP status but a body that is not a list/,
		);
	});

	test('a 503 from Paynet is retried, since listing changes nothing', async () => {
		paynet.seedPayLinks(5, { from: '2024-03-05' });
		paynet.inject(LIST, { status: 503 });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(listBodies()).toHaveLength(2);
	});

	test('a server that says has_more on every page past total fails once a page brings nothing new (issue 21)', async () => {
		// total says 237 and has_more says more: they disagree, and the page past the end settles nothing.
		paynet.quirks.listHasMoreAlwaysTrue = true;
		paynet.seedPayLinks(237, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(items).toHaveLength(0);
		expect(error.message).toBe(
			'Item 0: Paynet said more rows of /v1/mailorder/list exist (has_more is true, total 237), but page 4 brought none that were not already received (237 rows so far); stopped so no partial list is returned',
		);
		expect(listBodies().map((body) => body.starting_after)).toEqual([0, 100, 200, 237]);
	});

	test('total 250 without has_more: paging goes on to all 250, not 100 as a success (issue 21)', async () => {
		paynet.quirks.listOmitsHasMore = true;
		paynet.seedPayLinks(250, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		expect(new Set(items.map((item) => item.json.reference_no)).size).toBe(250);
		expect(listBodies().map((body) => body.starting_after)).toEqual([0, 100, 200]);
	});

	test('total 250 without has_more, and a server that ignores starting_after: fails, no partial list (issue 21)', async () => {
		paynet.quirks.listOmitsHasMore = true;
		paynet.quirks.listIgnoresStartingAfter = 'keepTotal';
		paynet.seedPayLinks(250, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }), {
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe(
			'Item 0: Paynet said more rows of /v1/mailorder/list exist (total 250, has_more not true), but page 2 brought none that were not already received (100 rows so far); stopped so no partial list is returned',
		);
	});

	test('a server that ignores starting_after fails the item instead of returning 100 of 150 rows as a success', async () => {
		paynet.quirks.listIgnoresStartingAfter = true;
		paynet.seedPayLinks(150, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(items).toHaveLength(0);
		expect(error.message).toBe(
			'Item 0: Paynet said more rows of /v1/mailorder/list exist (has_more is true), but page 2 brought none that were not already received (100 rows so far); stopped so no partial list is returned',
		);
		expect(error.description).toMatch(/may ignore starting_after/);
		expect(listBodies().map((body) => body.starting_after)).toEqual([0, 100]);
	});

	test('with Continue On Fail the same list is one error item, not 100 rows', async () => {
		paynet.quirks.listIgnoresStartingAfter = true;
		paynet.seedPayLinks(150, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }), {
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toMatch(/stopped so no partial list is returned$/);
	});

	test('a total that paging cannot reach (a page of repeats) is an error too', async () => {
		paynet.seedPayLinks(150, { from: '2024-03-01' });
		paynet.quirks.listIgnoresStartingAfter = 'keepTotal';
		const { error } = await run(list({ returnAll: true }));
		expect(error.message).toMatch(
			/exist \(has_more is true, total 150\), but page 2 brought none that were not already received \(100 rows so far\)/,
		);
	});

	test('150 links that agree on date, amount, reference and xact_id but not on email are all kept', async () => {
		const now = new Date('2024-03-01T09:00:00Z');
		for (let index = 0; index < 150; index++) {
			createPayLink(paynet, { name_surname: `Payer ${index}`, amount: 250, email: `payer${index}@example.com` }, now);
		}
		// page 2's rows agree with page 1's on date, reference, xact_id and amount (as Paynet writes it); only email differs
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(new Set(items.map((item) => item.json.email)).size).toBe(150);
		expect(new Set(items.map((item) => item.json.amount))).toEqual(new Set([250]));
	});

	test('150 unpaid links without a reference created in the same second are all kept', async () => {
		const now = new Date('2024-03-01T09:00:00Z');
		for (let index = 0; index < 150; index++) {
			createPayLink(paynet, { name_surname: `Payer ${index}`, amount: 100 + index }, now);
		}
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(150);
		expect(new Set(items.map((item) => item.json.create_date)).size).toBe(1);
		expect(items.every((item) => item.json.xact_id === null && item.json.reference_no === '')).toBe(true);
		expect(items.map((item) => item.json.amount).sort((a, b) => a - b)).toEqual(
			Array.from({ length: 150 }, (_v, index) => 100 + index),
		);
	});
});

// fetchListPages on its own, against a client that answers what each test says.
const node = {
	id: 'n',
	name: 'Paynet',
	type: 'n8n-nodes-paynet.paynet',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const row = (index) => ({ xact_id: null, referenceNo: `R${index}`, create_date: `2024-03-01T00:00:${index}` });

/** A Paynet client whose answer to the n-th call is `answer(body, n)`; `calls` holds the bodies it was sent. */
function fakeClient(answer) {
	const calls = [];
	return {
		calls,
		baseUrl: 'http://fake',
		request: async (_endpoint, body) => {
			calls.push(body);
			return answer(body, calls.length);
		},
	};
}

describe('fetchListPages against misbehaving servers', () => {
	test('endless fresh pages with has_more and no total stop at the page cap with an error', async () => {
		let next = 0;
		const client = fakeClient(() => ({ has_more: true, Data: Array.from({ length: 10 }, () => row(next++)) }));
		await expect(fetchListPages(client, LIST, {}, { node, pageSize: 10, maxPages: 5 })).rejects.toThrow(
			/still reported more rows of \/v1\/mailorder\/list after 5 pages \(50 rows\)/,
		);
		expect(client.calls).toHaveLength(5);
	});

	test('one row repeated across each page boundary is dropped and the list still reaches total', async () => {
		const all = Array.from({ length: 237 }, (_unused, index) => row(index));
		// an inclusive starting_after: each page begins with the last row of the one before
		const client = fakeClient((body) => {
			const start = Math.max(0, body.starting_after - 1);
			const Data = all.slice(start, start + body.limit);
			return { total: 237, has_more: start + body.limit < 237, Data };
		});
		const rows = await fetchListPages(client, LIST, {}, { node, pageSize: 100 });
		expect(rows.map((r) => r.referenceNo)).toEqual(all.map((r) => r.referenceNo));
		expect(client.calls.map((body) => body.starting_after)).toEqual([0, 100, 200]);
	});

	test('a short page advances starting_after by the rows actually received', async () => {
		const all = Array.from({ length: 120 }, (_unused, index) => row(index));
		const client = fakeClient((body) => {
			const Data = all.slice(body.starting_after, body.starting_after + Math.min(body.limit, 30));
			return { total: 120, has_more: body.starting_after + Data.length < 120, Data };
		});
		const rows = await fetchListPages(client, LIST, {}, { node, pageSize: 100 });
		expect(rows).toHaveLength(120);
		expect(client.calls.map((body) => body.starting_after)).toEqual([0, 30, 60, 90]);
	});
});

// Paging when Paynet's pages are not the size we ask for: the number of
// calls, and the page cap that stops a misbehaving server.
const offsets = (count, step) => Array.from({ length: count }, (_unused, index) => index * step);

describe('Return All makes exactly ⌈N / page size⌉ calls', () => {
	test.each([
		// [rows, Paynet's page size, calls]
		[0, 100, 1],
		[1, 100, 1],
		[100, 100, 1],
		[200, 100, 2],
		[237, 100, 3],
		[20, 20, 1],
		[237, 20, 12],
		[240, 20, 12],
	])('%i PayLinks in pages of %i: %i calls', async (count, pageSize, calls) => {
		paynet.maxPageSize = pageSize;
		paynet.seedPayLinks(count, { from: '2024-03-01', to: '2024-03-31' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.reference_no)).toEqual(paynet.state.payLinks.map((link) => link.reference_no));
		expect(listBodies().map((body) => body.starting_after)).toEqual(offsets(calls, pageSize));
	});
});

describe('a Paynet that returns smaller pages than asked for', () => {
	test('237 PayLinks in pages of 20 while the node asks for 100: all of them, in 12 calls', async () => {
		paynet.maxPageSize = 20;
		paynet.seedPayLinks(237, { from: '2024-03-01', to: '2024-03-31' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(237);
		expect(new Set(items.map((item) => item.json.reference_no)).size).toBe(237);
		expect(listBodies()).toHaveLength(12);
		expect(listBodies().every((body) => body.limit === 100)).toBe(true);
		expect(listBodies().map((body) => body.starting_after)).toEqual(offsets(12, 20));
	});

	test('and says has_more on every page: all 237 read in 12 calls, then the 13th brings nothing and fails', async () => {
		paynet.maxPageSize = 20;
		paynet.quirks.listHasMoreAlwaysTrue = true;
		paynet.seedPayLinks(237, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error.message).toMatch(/\(has_more is true, total 237\), but page 13 brought none .*\(237 rows so far\)/);
		expect(items).toHaveLength(0);
		expect(listBodies()).toHaveLength(13);
	});

	test('and ignores starting_after: fails after the first repeated page, returning nothing', async () => {
		paynet.maxPageSize = 20;
		paynet.quirks.listHasMoreAlwaysTrue = true;
		paynet.quirks.listIgnoresStartingAfter = true;
		paynet.seedPayLinks(237, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error.message).toMatch(/page 2 brought none that were not already received \(20 rows so far\)/);
		expect(items).toHaveLength(0);
		expect(listBodies().map((body) => body.starting_after)).toEqual([0, 20]);
	});

	test('a limit of 50 asks for what is still missing each time: 50, 30, 10', async () => {
		paynet.maxPageSize = 20;
		paynet.seedPayLinks(237, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: false, limit: 50 }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(50);
		expect(listBodies().map((body) => [body.limit, body.starting_after])).toEqual([
			[50, 0],
			[30, 20],
			[10, 40],
		]);
	});
});

describe('the page cap, sized by the rows Paynet actually sends', () => {
	const all = Array.from({ length: 237 }, (_unused, index) => row(index));

	test('pages that shrink after the first one (100, then 20s) are followed to the end', async () => {
		const client = fakeClient((body, call) => {
			const Data = all.slice(body.starting_after, body.starting_after + (call === 1 ? 100 : 20));
			return { total: 237, has_more: body.starting_after + Data.length < 237, Data };
		});
		const rows = await fetchListPages(client, LIST, {}, { node, pageSize: 100 });
		expect(rows.map((r) => r.referenceNo)).toEqual(all.map((r) => r.referenceNo));
		expect(client.calls.map((body) => body.starting_after)).toEqual([0, 100, 120, 140, 160, 180, 200, 220]);
	});

	test('full pages that bring almost nothing new hit the cap instead of crawling through total', async () => {
		// starting_after barely moves the window: each page of 100 repeats 99 rows of the one before
		const client = fakeClient((_body, call) => ({
			total: 237,
			has_more: true,
			Data: all.slice(call - 1, call - 1 + 100),
		}));
		await expect(fetchListPages(client, LIST, {}, { node, pageSize: 100 })).rejects.toThrow(
			/still reported more rows of \/v1\/mailorder\/list after 5 pages/,
		);
		expect(client.calls).toHaveLength(5);
	});

	test('a total far above what arrives is not followed further than the cap allows', async () => {
		let next = 0;
		const client = fakeClient(() => ({
			total: 1_000_000_000,
			has_more: true,
			Data: Array.from({ length: 10 }, () => row(next++)),
		}));
		await expect(fetchListPages(client, LIST, {}, { node, pageSize: 10, maxPages: 7 })).rejects.toThrow(
			/after 7 pages \(70 rows\)/,
		);
		expect(client.calls).toHaveLength(7);
	});
});
