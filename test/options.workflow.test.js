'use strict';
// Create's Timeout and Concurrency say what they mean, a 429's Retry-After
// is obeyed, and a pasted key with a stray space or line break still works.
const { usePaynetServer, runPaynet, createFromSheet, sheetRows } = require('./harness/paynetTest');

const CREATE = '/v1/mailorder/create';

const paynet = usePaynetServer();

const create = (options = {}) => createFromSheet({ options });
const rows = sheetRows;

const run = async (items, parameters, { nodeSettings, credentials } = {}) =>
	await runPaynet(paynet, { items, parameters, nodeSettings, credentials });

describe('Timeout is in milliseconds, and says so', () => {
	test('30 (meant as seconds) stops the node before anything is sent, saying what to enter', async () => {
		const { error } = await run(rows(2), create({ timeout: 30 }), {
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(error.message).toBe(
			'Options → Timeout (timeout) is in milliseconds: 30 would wait 30 ms for each PayLink. For 30 seconds enter 30000; the least accepted is 1000.',
		);
		expect(paynet.requests).toHaveLength(0);
	});

	test.each([
		['0', 0],
		['a negative number', -5],
		['text', '={{ "soon" }}'],
		['an empty expression result', '={{ null }}'],
	])('%s stops the node with a clear message', async (_label, timeout) => {
		const { error } = await run(rows(1), create({ timeout }));
		expect(error.message).toMatch(/^Options → Timeout \(timeout\) must be a positive number of milliseconds, got /);
		expect(paynet.requests).toHaveLength(0);
	});

	test('a timeout of 1000 ms is applied to a create that hangs', async () => {
		paynet.inject(CREATE, { hang: true });
		const started = Date.now();
		const { error } = await run(rows(1), create({ timeout: 1000 }));
		expect(error.message).toMatch(/did not answer in time\. The PayLink may have been created$/);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	test('999 ms is refused before anything is sent, naming the least accepted; 1000 is accepted, as docs/operations.md says', async () => {
		const refused = await run(rows(1), create({ timeout: 999 }));
		expect(refused.error.message).toMatch(/is in milliseconds: 999 would wait 999 ms .* the least accepted is 1000\.$/);
		expect(paynet.requests).toHaveLength(0);
		const accepted = await run(rows(1), create({ timeout: 1000 }));
		expect(accepted.error).toBeUndefined();
		expect(paynet.requestsTo(CREATE)).toHaveLength(1);
		const documented = require('node:fs').readFileSync(
			require('node:path').join(__dirname, '..', 'docs', 'operations.md'),
			'utf8',
		);
		expect(documented).toMatch(/Timeout `timeout` \| \| milliseconds/);
	});
});

describe('Concurrency must be a whole number from 1 to 200', () => {
	test.each([
		['0', 0],
		['a negative number', -1],
		['a fraction', 2.5],
		['text', '={{ "many" }}'],
		['above the maximum', 500],
	])('%s stops the node before anything is sent', async (_label, concurrency) => {
		const { error } = await run(rows(2), create({ concurrency }));
		expect(error.message).toMatch(/^Options → Concurrency \(concurrency\) must be a whole number from 1 to 200, got /);
		expect(paynet.requests).toHaveLength(0);
	});
});

describe("a 429's Retry-After is obeyed within the call's time budget", () => {
	test('Retry-After: 11 (above the old 10 s cap) is waited out in full, and the create goes through once', async () => {
		// The limiter answers 429 again to any request before the 11 s are up.
		paynet.limitRate(CREATE, 11);
		const { items, error } = await run(rows(1), create());
		expect(error).toBeUndefined();
		expect(items[0].json.code).toBe(0);
		const sent = paynet.requestsTo(CREATE);
		expect(sent).toHaveLength(2);
		expect(paynet.state.payLinks).toHaveLength(1);
	}, 30_000);

	test('a Retry-After beyond the budget fails at once, saying so, and nothing is created', async () => {
		paynet.limitRate(CREATE, 120);
		const started = Date.now();
		const { error } = await run(rows(1), create());
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(error.message).toMatch(
			/^Item 0: Paynet: Too many requests \(HTTP 429.*\)\. Paynet asked to wait 120 s \(Retry-After\), longer than the \d+ s left for this call, so it was not sent again$/,
		);
		expect(error.description).toMatch(/^Nothing was created or changed/);
		expect(paynet.requestsTo(CREATE)).toHaveLength(1);
		expect(paynet.state.payLinks).toHaveLength(0);
	});
});

describe('the secret key is trimmed', () => {
	test('a key pasted with spaces and a line break is sent as the bare key', async () => {
		const { error } = await run(rows(1), create(), { credentials: { secretKey: `  ${paynet.secretKey} \r\n` } });
		expect(error).toBeUndefined();
		expect(paynet.requestsTo(CREATE)[0].headers.authorization).toBe(`Basic ${paynet.secretKey}`);
	});
});
