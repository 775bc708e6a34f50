'use strict';
// "From List" of the PayLink Resource Locator: the node's list search, run
// in n8n-core's own LoadOptionsContext (what the editor calls) against the
// Paynet test server.
const path = require('node:path');
const { usePaynetServer } = require('./harness/paynetTest');
const { listSearchContext, paynetCredentials } = require('./harness/engine');

const { SEARCH_DAYS, MAX_REQUESTS_PER_SEARCH, RESULTS_PER_SEARCH } = require(
	path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'actions', 'payLink', 'search.js'),
);

const LIST = '/v1/mailorder/list';
const METHOD = 'searchPayLinks';

const paynet = usePaynetServer();

/** The Istanbul day `daysAgo` days before today, as Paynet's dates are written. */
const day = (daysAgo) => new Date(Date.now() + 3 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);

const search = async (filter, token, options = {}) =>
	await listSearchContext({ credentials: paynetCredentials(paynet), ...options }).search(METHOD, filter, token);

const references = (result) => result.results.map((entry) => entry.value);

describe('From List: the PayLinks of the last 30 days', () => {
	test('a month that fits one page: one Paynet request, every PayLink newest first, its reference as the value', async () => {
		const older = paynet.seedPayLinks(2, { from: day(20), amount: 1234.5, statuses: [1] });
		const newer = paynet.seedPayLinks(2, { from: day(0), amount: 250 });
		const result = await search();
		expect(paynet.requestsTo(LIST)).toHaveLength(1);
		expect(paynet.requestsTo(LIST)[0].body).toMatchObject({ datab: day(SEARCH_DAYS - 1), datbi: day(0) });
		expect(references(result)).toEqual([newer[1], newer[0], older[1], older[0]].map((link) => link.reference_no));
		expect(result.paginationToken).toBeUndefined();
		expect(result.results[3].name).toBe(`${older[0].reference_no} · 1,234.50 TRY · Paid · ${day(20)}`);
		expect(result.results[0].name).toBe(`${newer[1].reference_no} · 250.00 TRY · Awaiting payment · ${day(0)}`);
	});

	test('a PayLink older than 30 days is not asked for', async () => {
		paynet.seedPayLinks(1, { from: day(SEARCH_DAYS) });
		const recent = paynet.seedPayLinks(1, { from: day(SEARCH_DAYS - 1) });
		expect(references(await search())).toEqual([recent[0].reference_no]);
	});

	test('a PayLink without a reference number is left out: Paynet lists no IDs, so it could not be found again', async () => {
		const [kept, unreferenced] = paynet.seedPayLinks(2, { from: day(1) });
		unreferenced.reference_no = '';
		expect(references(await search())).toEqual([kept.reference_no]);
	});

	test('the search text finds PayLinks by reference, amount in any spelling, status and payer, every word', async () => {
		const [a, b, c] = paynet.seedPayLinks(3, { from: day(2), statuses: [0, 1, 3] });
		a.amount = 1234.56;
		b.amount = 99;
		c.amount = 250;
		a.email = 'ayse@example.com';
		const found = async (filter) => references(await search(filter)).sort();
		expect(await found(b.reference_no.toLowerCase())).toEqual([b.reference_no]);
		expect(await found('1.234,56')).toEqual([a.reference_no]);
		expect(await found('1234.56')).toEqual([a.reference_no]);
		expect(await found('99,00')).toEqual([b.reference_no]);
		expect(await found('paid')).toEqual([b.reference_no]);
		expect(await found('Awaiting Payment')).toEqual([a.reference_no]);
		expect(await found('deactivated 250')).toEqual([c.reference_no]);
		expect(await found('AYŞE')).toEqual([]);
		expect(await found('AYSE@EXAMPLE')).toEqual([a.reference_no]);
		expect(await found('no such thing')).toEqual([]);
	});
});

describe('From List: a busy month is read day by day, newest day first, in bounded parts', () => {
	test('each call makes a bounded number of Paynet requests and hands a token for the rest; all PayLinks come once', async () => {
		const seeded = [
			...paynet.seedPayLinks(130, { from: day(0) }),
			...paynet.seedPayLinks(40, { from: day(1) }),
			...paynet.seedPayLinks(5, { from: day(25) }),
		];
		const seen = [];
		let token;
		let calls = 0;
		do {
			const before = paynet.requestsTo(LIST).length;
			const result = await search(undefined, token);
			calls++;
			expect(paynet.requestsTo(LIST).length - before).toBeLessThanOrEqual(MAX_REQUESTS_PER_SEARCH);
			expect(result.results.length).toBeLessThanOrEqual(RESULTS_PER_SEARCH + 100);
			seen.push(...references(result));
			token = result.paginationToken;
		} while (token !== undefined && calls < 20);
		expect(token).toBeUndefined();
		expect(calls).toBeGreaterThan(1);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.sort()).toEqual(seeded.map((link) => link.reference_no).sort());
		// Newest day first: every PayLink of today before any of yesterday.
		const firstCall = references(await search());
		expect(firstCall.every((reference) => seeded.slice(0, 130).some((link) => link.reference_no === reference))).toBe(
			true,
		);
	});

	test('the first call over a busy month asks whole-range once, then today, and asks for nothing older than 30 days', async () => {
		paynet.seedPayLinks(120, { from: day(3) });
		await search();
		const bodies = paynet.requestsTo(LIST).map((request) => request.body);
		expect(bodies[0]).toMatchObject({ datab: day(SEARCH_DAYS - 1), datbi: day(0), starting_after: 0 });
		expect(bodies[1]).toMatchObject({ datab: day(0), datbi: day(0), starting_after: 0 });
		for (const body of bodies) expect(body.datab >= day(SEARCH_DAYS - 1)).toBe(true);
		expect(bodies.length).toBeLessThanOrEqual(MAX_REQUESTS_PER_SEARCH);
	});

	test('a token that is not the search’s own starts the list again instead of failing', async () => {
		const [link] = paynet.seedPayLinks(1, { from: day(0) });
		expect(references(await search(undefined, 'not-a-token'))).toEqual([link.reference_no]);
	});
});

describe('From List: errors', () => {
	test('without a credential it says to choose one, before any request', async () => {
		await expect(search(undefined, undefined, { withCredential: false })).rejects.toThrow(
			'Choose a Paynet credential first, then open the list again',
		);
		expect(paynet.requestsTo(LIST)).toHaveLength(0);
	});

	test("Paynet's refusal of the key is Paynet's error, not an empty list", async () => {
		const context = listSearchContext({ credentials: paynetCredentials(paynet, { secretKey: 'sck_wrong' }) });
		await expect(context.search(METHOD)).rejects.toThrow(/401|unauthorized|yetki/i);
	});
});
