'use strict';
// Paynet misbehaving: 5xx, 429 with Retry-After, reset and hung connections.
// Creates must never be duplicated; safe calls must recover.
const { createPayLink } = require('./paynet-server/mailorder');
const { usePaynetServer, runPaynet, createWithReference, sheetRows, listParameters } = require('./harness/paynetTest');
const { paynetCredentials } = require('./harness/engine');
const { startTriggerServer } = require('./harness/webhook');

const paynet = usePaynetServer();

const CREATE = '/v1/mailorder/create';
const create = createWithReference;
const rows = sheetRows;

const run = async (items, parameters, nodeSettings) => await runPaynet(paynet, { items, parameters, nodeSettings });

describe('Create never makes a PayLink twice', () => {
	test('a 500 fails the item once, says the PayLink may exist and how to check, and is not retried', async () => {
		paynet.inject(CREATE, { status: 500 });
		const { items } = await run(rows(1), create(), { onError: 'continueRegularOutput' });
		expect(paynet.requestsTo(CREATE)).toHaveLength(1);
		expect(items[0].json.error).toBe(
			'Item 0 (reference REF-0): Paynet: Injected failure (HTTP 500, api_error, return code 8 servererror). The PayLink may have been created',
		);
		expect(items[0].json.description).toMatch(/PayLink → Get by reference number "REF-0"/);
	});

	test('a reset connection after sending is not retried either', async () => {
		paynet.inject(CREATE, { reset: true });
		const { items } = await run(rows(1), create(), { onError: 'continueRegularOutput' });
		expect(paynet.requestsTo(CREATE)).toHaveLength(1);
		expect(items[0].json.error).toMatch(/The PayLink may have been created$/);
	});

	test('a hung create times out, is not retried, and the other rows still go through', async () => {
		paynet.inject(CREATE, { hang: true });
		const started = Date.now();
		const { items } = await run(rows(3), create({ timeout: 1000, concurrency: 1 }), {
			onError: 'continueRegularOutput',
		});
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(paynet.requestsTo(CREATE)).toHaveLength(3);
		expect(items[0].json.error).toMatch(
			/^Item 0 \(reference REF-0\): Paynet at .* did not answer in time\. The PayLink may have been created$/,
		);
		expect(items.map((item) => item.json.reference_no)).toEqual(['REF-0', 'REF-1', 'REF-2']);
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2]);
	});

	test('429 means Paynet did nothing: the create waits for Retry-After and succeeds once', async () => {
		paynet.inject(CREATE, { status: 429, retryAfter: 1 });
		const before = paynet.state.payLinks.length;
		const started = Date.now();
		const { items, error } = await run(rows(1), create());
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(paynet.requestsTo(CREATE)).toHaveLength(2);
		expect(items[0].json.code).toBe(0);
		expect(paynet.state.payLinks.length - before).toBe(1);
	});

	test('without Continue On Fail a 500 stops the node: the creates in flight finish and are named, none starts after', async () => {
		// Row 0 fails at once while rows 1 and 2 are still being created: concurrency 3 has all three in flight.
		paynet.when(CREATE, (body) => body.reference_no === 'REF-0', { status: 500 });
		paynet.when(CREATE, (body) => body.reference_no === 'REF-1' || body.reference_no === 'REF-2', { delayMs: 400 });
		const { error, items } = await run(rows(6), create({ concurrency: 3 }));
		expect(items).toHaveLength(0);
		expect(error.message).toBe(
			'Item 0 (reference REF-0): Paynet: Injected failure (HTTP 500, api_error, return code 8 servererror). The PayLink may have been created. ' +
				'The node stopped after 2 PayLinks had been created in this run; 1 create may have made a PayLink (outcome unknown) (listed in the details)',
		);
		expect(error.description).toMatch(/^Created before the node stopped \(2\): REF-1 → id \S+ http\S+; REF-2 → id /);
		expect(error.description).toContain(
			'Outcome unknown, may have been created (1): item 0, reference REF-0: check with PayLink → Get, Look Up By Reference No "REF-0" (Paynet: Injected failure (HTTP 500, api_error, return code 8 servererror)).',
		);
		expect(
			paynet
				.requestsTo(CREATE)
				.map((request) => request.body.reference_no)
				.sort(),
		).toEqual(['REF-0', 'REF-1', 'REF-2']);
	});
});

describe('Create at speed', () => {
	test('at most Concurrency creates are in flight, and the output keeps input order and pairing', async () => {
		paynet.latencyMs = 30;
		const input = rows(20);
		const { items, error } = await run(input, create({ concurrency: 4 }));
		expect(error).toBeUndefined();
		expect(paynet.maxInFlight).toBe(4);
		expect(items.map((item) => item.json.reference_no)).toEqual(input.map((row) => row.ref));
		expect(items.map((item) => item.pairedItem.item)).toEqual(input.map((_row, index) => index));
	});

	test('by default 100 creates are in flight at once, as docs/operations.md says', async () => {
		// long enough that the first answers cannot arrive before the 100th create starts on a busy machine
		paynet.latencyMs = 1000;
		await run(rows(120), create());
		expect(paynet.maxInFlight).toBe(100);
	});
});

describe('the trigger when Paynet hangs', () => {
	test('answers 503 within seconds, so Paynet can post again later', async () => {
		const trigger = await startTriggerServer({ credentials: paynetCredentials(paynet) });
		try {
			const link = createPayLink(paynet, {
				name_surname: 'A',
				amount: 10,
				reference_no: 'HANG-1',
				confirmation_url: trigger.url,
			});
			paynet.inject('/v1/transaction/check', { hang: true }, { hang: true }, { hang: true });
			const started = Date.now();
			const result = await paynet.pay(link.id);
			expect(result.status).toBe(503);
			expect(Date.now() - started).toBeLessThan(7_000);
			expect(trigger.runs).toHaveLength(0);
		} finally {
			await trigger.close();
		}
	});
});

// Issue 6, part 4: List and Check (and the other calls that change nothing,
// or set the same state again) recover from faults by retrying.
describe('calls that are safe to repeat recover from Paynet faults', () => {
	const LIST = '/v1/mailorder/list';
	const CHECK = '/v1/transaction/check';
	const DETAIL = '/v1/mailorder/detail';
	const STATUS = '/v1/mailorder/status_update';
	const listAll = listParameters({ returnAll: true });

	let listRoute;
	let arrivals;
	const recordArrival = (req) => arrivals.push({ path: new URL(req.url, 'http://x').pathname, at: Date.now() });
	beforeAll(() => {
		listRoute = paynet.routes.get(LIST);
	});
	beforeEach(() => {
		paynet.route(LIST, listRoute);
		arrivals = [];
		paynet.httpServer.on('request', recordArrival);
	});
	afterEach(() => {
		paynet.httpServer.off('request', recordArrival);
		paynet.route(LIST, listRoute);
	});

	/** Injects `faults` once Paynet has served `pages` list pages, so paging fails half-way. */
	function faultAfterPages(pages, ...faults) {
		let served = 0;
		paynet.route(LIST, (...args) => {
			const result = listRoute(...args);
			if (++served === pages) paynet.inject(LIST, ...faults);
			return result;
		});
	}
	// A failed attempt never reaches the route, so its body is read from the raw request.
	const sent = (path) => paynet.requestsTo(path).map((request) => JSON.parse(request.raw));
	const gapsBetween = (path) =>
		arrivals
			.filter((arrival) => arrival.path === path)
			.map((arrival, index, all) => (index === 0 ? 0 : arrival.at - all[index - 1].at));

	function expectClearFailure(error, status) {
		expect(error.message).toMatch(new RegExp(`^Item 0: Paynet: Injected failure \\(HTTP ${status}, api_error`));
		expect(error.httpCode).toBe(String(status));
		const everything = JSON.stringify({ error, message: error.message, description: error.description });
		expect(everything).not.toContain(paynet.secretKey);
	}

	function seedPayLink(reference) {
		const [payLink] = paynet.seedPayLinks(1, { from: '2024-03-05', amount: 250, referencePrefix: reference });
		return payLink;
	}

	describe('PayLink → List (Return All)', () => {
		async function listsEverything(faults) {
			paynet.seedPayLinks(237, { from: '2024-03-01', to: '2024-03-31' });
			faultAfterPages(1, ...faults);
			const { items, error } = await run([{}], listAll);
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.reference_no)).toEqual(
				paynet.state.payLinks.map((link) => link.reference_no),
			);
			return sent(LIST).map((body) => body.starting_after);
		}

		test('500s in the middle of paging: the failed page is asked for again and every PayLink comes out once', async () => {
			const offsets = await listsEverything([{ status: 500 }, { status: 502 }]);
			expect(offsets).toEqual([0, 100, 100, 100, 200]);
		});

		test('a 429 with Retry-After: 1 in the middle of paging waits a second, then goes on', async () => {
			const offsets = await listsEverything([{ status: 429, retryAfter: 1 }]);
			expect(offsets).toEqual([0, 100, 100, 200]);
			const [, , retry] = gapsBetween(LIST);
			expect(retry).toBeGreaterThanOrEqual(950);
		});

		test('a connection reset in the middle of paging is retried', async () => {
			const offsets = await listsEverything([{ reset: true }]);
			expect(offsets).toEqual([0, 100, 100, 200]);
		});

		test('a 500 that outlasts the retries fails the item with Paynet’s status, and no partial list', async () => {
			paynet.seedPayLinks(237, { from: '2024-03-01', to: '2024-03-31' });
			faultAfterPages(1, ...Array.from({ length: 6 }, () => ({ status: 500 })));
			const { items, error } = await run([{}], listAll);
			expect(items).toHaveLength(0);
			expectClearFailure(error, 500);
			// the first page, then four attempts at the second
			expect(sent(LIST).map((body) => body.starting_after)).toEqual([0, 100, 100, 100, 100]);
		});
		// No hung-connection case: List has no timeout option, so a hang would
		// only end at the 30 s default.
	});

	describe('Payment → Check', () => {
		const check = (reference) => ({ resource: 'payment', operation: 'check', referenceNo: reference });

		async function checksPayment(faults) {
			const payLink = seedPayLink('CHK');
			const { transaction } = await paynet.pay(payLink.id);
			paynet.inject(CHECK, ...faults);
			const { items, error } = await run([{}], check(payLink.reference_no));
			expect(error).toBeUndefined();
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				xact_id: transaction.xact_id,
				reference_no: payLink.reference_no,
				amount: 250,
				is_succeed: true,
			});
			expect(items[0].pairedItem).toEqual({ item: 0 });
			expect(sent(CHECK).every((body) => body.reference_no === payLink.reference_no)).toBe(true);
			return sent(CHECK).length;
		}

		test('two 500s are retried and the payment is found on the third attempt', async () => {
			expect(await checksPayment([{ status: 500 }, { status: 503 }])).toBe(3);
		});

		test('a 429 with Retry-After: 1 is retried after a second', async () => {
			expect(await checksPayment([{ status: 429, retryAfter: 1 }])).toBe(2);
			expect(gapsBetween(CHECK)[1]).toBeGreaterThanOrEqual(950);
		});

		test('a connection reset is retried', async () => {
			expect(await checksPayment([{ reset: true }])).toBe(2);
		});

		test('a 500 followed by "no data" still means no payment yet: no items, no error', async () => {
			const payLink = seedPayLink('UNPAID');
			paynet.inject(CHECK, { status: 500 });
			const { items, error } = await run([{}], check(payLink.reference_no));
			expect(error).toBeUndefined();
			expect(items).toHaveLength(0);
			expect(sent(CHECK)).toHaveLength(2);
		});

		test('a 503 that outlasts the retries fails the item with Paynet’s status', async () => {
			const payLink = seedPayLink('DOWN');
			// Retry-After: 0 keeps the test quick; the budget is four attempts either way
			paynet.inject(CHECK, ...Array.from({ length: 6 }, () => ({ status: 503, retryAfter: 0 })));
			const { items, error } = await run([{}], check(payLink.reference_no));
			expect(items).toHaveLength(0);
			expectClearFailure(error, 503);
			expect(sent(CHECK)).toHaveLength(4);
		});
	});

	describe('PayLink → Get and Deactivate', () => {
		test('Get retries a 502 and returns the PayLink', async () => {
			const payLink = seedPayLink('GET');
			paynet.inject(DETAIL, { status: 502 });
			const { items, error } = await run([{}], { resource: 'payLink', operation: 'get', payLinkId: payLink.id });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.id)).toEqual([payLink.id]);
			expect(sent(DETAIL)).toEqual([{ id: payLink.id }, { id: payLink.id }]);
		});

		test('Deactivate retries a reset and a 500: the PayLink ends deactivated', async () => {
			const payLink = seedPayLink('OFF');
			paynet.inject(STATUS, { reset: true }, { status: 500 });
			const { items, error } = await run([{}], { resource: 'payLink', operation: 'deactivate', payLinkId: payLink.id });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ id: payLink.id, status: 3, status_text: 'deactivated' });
			expect(sent(STATUS)).toEqual(Array.from({ length: 3 }, () => ({ id: payLink.id, status: 3 })));
			expect(payLink.status).toBe(3);
		});

		test('Deactivate that keeps failing reports Paynet’s status, and with Continue On Fail the item carries it', async () => {
			const payLink = seedPayLink('STUCK');
			paynet.inject(STATUS, ...Array.from({ length: 6 }, () => ({ status: 500, retryAfter: 0 })));
			const { items, error } = await run(
				[{}],
				{ resource: 'payLink', operation: 'deactivate', payLinkId: payLink.id },
				{ onError: 'continueRegularOutput' },
			);
			expect(error).toBeUndefined();
			expect(items[0].json.error).toMatch(/^Item 0: Paynet: Injected failure \(HTTP 500, api_error/);
			expect(JSON.stringify(items)).not.toContain(paynet.secretKey);
			expect(sent(STATUS)).toHaveLength(4);
			expect(payLink.status).toBe(0);
		});
	});
});
