'use strict';
// PayLink → List paging when Paynet's pages are not the size we ask for:
// the number of calls, and the page cap that stops a misbehaving server.
const { startPaynetServer } = require('./paynet-server');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./harness/engine');
const { fetchListPages } = require('../dist/nodes/Paynet/transport/paging');

const LIST = '/v1/mailorder/list';

let paynet;
beforeAll(async () => {
	paynet = await startPaynetServer();
});
afterAll(async () => await paynet.close());
beforeEach(() => {
	paynet.requests.length = 0;
	paynet.state.payLinks.length = 0;
	paynet.faults.clear();
	paynet.maxPageSize = 100;
	paynet.quirks.listHasMoreAlwaysTrue = false;
	paynet.quirks.listIgnoresStartingAfter = false;
});

const list = (extra = {}) => ({
	resource: 'payLink',
	operation: 'list',
	startDate: '2024-03-01T00:00:00',
	endDate: '2024-03-31T00:00:00',
	...extra,
});

const run = async (parameters) =>
	await runWorkflow(paynetWorkflow({ parameters }), { credentials: paynetCredentials(paynet) });

const listBodies = () => paynet.requestsTo(LIST).map((request) => request.body);
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

	test('and says has_more on every page: still stops at total, after 12 calls', async () => {
		paynet.maxPageSize = 20;
		paynet.quirks.listHasMoreAlwaysTrue = true;
		paynet.seedPayLinks(237, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(237);
		expect(listBodies()).toHaveLength(12);
	});

	test('and ignores starting_after: stops after the first repeated page', async () => {
		paynet.maxPageSize = 20;
		paynet.quirks.listHasMoreAlwaysTrue = true;
		paynet.quirks.listIgnoresStartingAfter = true;
		paynet.seedPayLinks(237, { from: '2024-03-01' });
		const { items, error } = await run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
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
	const node = { id: 'n', name: 'Paynet', type: 'n8n-nodes-paynet.paynet', typeVersion: 1, position: [0, 0], parameters: {} };
	const row = (index) => ({ xact_id: null, referenceNo: `R${index}`, create_date: `2024-03-01T00:00:${index}` });
	const all = Array.from({ length: 237 }, (_unused, index) => row(index));

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
