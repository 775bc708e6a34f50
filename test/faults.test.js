'use strict';
// Paynet misbehaving: 5xx, 429 with Retry-After, reset and hung connections.
// Creates must never be duplicated; safe calls must recover.
const { startPaynetServer } = require('./paynet-server');
const { createPayLink } = require('./paynet-server/mailorder');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./harness/engine');
const { startTriggerServer } = require('./harness/webhook');

let paynet;
beforeAll(async () => {
	paynet = await startPaynetServer();
});
afterAll(async () => await paynet.close());
beforeEach(() => {
	paynet.requests.length = 0;
	paynet.faults.clear();
	paynet.latencyMs = 0;
	paynet.maxInFlight = 0;
});

const CREATE = '/v1/mailorder/create';
const create = (options = {}) => ({
	resource: 'payLink',
	operation: 'create',
	nameSurname: '={{ $json.name }}',
	amount: '={{ $json.total }}',
	additionalFields: { referenceNo: '={{ $json.ref }}' },
	options,
});
const rows = (count) => Array.from({ length: count }, (_v, i) => ({ name: `Row ${i}`, total: 10 + i, ref: `REF-${i}` }));

async function run(items, parameters, nodeSettings) {
	return await runWorkflow(paynetWorkflow({ items, parameters, nodeSettings }), {
		credentials: paynetCredentials(paynet),
	});
}

describe('Create never makes a PayLink twice', () => {
	test('a 500 fails the item once, says the PayLink may exist and how to check, and is not retried', async () => {
		paynet.inject(CREATE, { status: 500 });
		const { items } = await run(rows(1), create(), { onError: 'continueRegularOutput' });
		expect(paynet.requestsTo(CREATE)).toHaveLength(1);
		expect(items[0].json.error).toBe(
			'Item 0: Paynet: Injected failure (HTTP 500, api_error, return code 8 servererror). The PayLink may have been created',
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
		const { items } = await run(rows(3), create({ timeout: 500, concurrency: 1 }), {
			onError: 'continueRegularOutput',
		});
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(paynet.requestsTo(CREATE)).toHaveLength(3);
		expect(items[0].json.error).toMatch(/^Item 0: Paynet at .* did not answer in time\. The PayLink may have been created$/);
		expect(items.slice(1).map((item) => item.json.reference_no)).toEqual(['REF-1', 'REF-2']);
		expect(paynet.state.payLinks.filter((link) => link.reference_no === 'REF-0')).toHaveLength(0);
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

	test('without Continue On Fail a failed create stops the node after the creates in flight finish', async () => {
		paynet.inject(CREATE, { status: 500 });
		const { error } = await run(rows(4), create({ concurrency: 1 }));
		expect(error.message).toMatch(/^Item 0: .*may have been created$/);
		// concurrency 1: nothing else had started, so nothing else was sent
		expect(paynet.requestsTo(CREATE)).toHaveLength(1);
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

	test('the default runs creates in parallel', async () => {
		paynet.latencyMs = 30;
		await run(rows(30), create());
		expect(paynet.maxInFlight).toBe(10);
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
