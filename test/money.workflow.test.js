'use strict';
// Issue 21 through n8n-core's engine: amounts reach Paynet as the exact
// kuruş the sheet means or not at all, and a credential that cannot say
// where Paynet is stops the node before any request.
const { usePaynetServer, runPaynet, createFromSheet } = require('./harness/paynetTest');

const CREATE = '/v1/mailorder/create';

const paynet = usePaynetServer();

const continueOnFail = { onError: 'continueRegularOutput' };
/** The amount exactly as it went over the wire, from the raw JSON text. */
const sentAmounts = () =>
	Object.fromEntries(
		paynet.requestsTo(CREATE).map((request) => [request.body.name_surname, /"amount":([^,}]*)/.exec(request.raw)[1]]),
	);

const run = async (items, parameters, nodeSettings, credentials) =>
	await runPaynet(paynet, { items, parameters, nodeSettings, credentials });

describe('money is exact, row by row', () => {
	// `net` rows compute the amount in the expression, as a sheet's formula would.
	const create = () =>
		createFromSheet({
			amount: '={{ $json.net !== undefined ? $json.net * 1.18 : $json.total }}',
			additionalFields: { referenceNo: '={{ $json.ref }}' },
		});

	test('float noise is the amount it means; "12.345.678,90" is exact; the rest fail their row naming field, row and value', async () => {
		const sheet = [
			{ name: 'noise', total: 0.1 + 0.2, ref: 'R-0' },
			{ name: 'formula', net: 100, ref: 'R-1' },
			{ name: 'grouped', total: '12.345.678,90', ref: 'R-2' },
			{ name: 'tiny', total: 1e-9, ref: 'R-3' },
			{ name: 'comma', total: '0,004', ref: 'R-4' },
			{ name: 'third', total: 19.999, ref: 'R-5' },
			{ name: 'huge', total: 1e21, ref: 'R-6' },
			{ name: 'past kuruş', total: '90.071.992.547.409,93', ref: 'R-7' },
			{ name: 'plain', total: 120.5, ref: 'R-8' },
		];
		const { items, error } = await run(sheet, create(), continueOnFail);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);

		expect(sentAmounts()).toEqual({ noise: '0.3', formula: '118', grouped: '12345678.9', plain: '120.5' });
		expect(items.map((item) => item.json.amount)).toEqual([
			0.3,
			118,
			12345678.9,
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			120.5,
		]);
		const errors = items.map((item) => item.json.error);
		expect(errors[3]).toBe('Item 3 (reference R-3): Amount (amount) must be at least 0.01 (one kuruş), got 1e-9');
		expect(errors[4]).toBe('Item 4 (reference R-4): Amount (amount) "0,004" has more than two decimals');
		expect(errors[5]).toBe('Item 5 (reference R-5): Amount (amount) has more than two decimals: 19.999');
		expect(errors[6]).toBe(
			'Item 6 (reference R-6): Amount (amount) is too large to be sent exactly, got 1e+21: the largest amount is 9999999999999.99',
		);
		expect(errors[7]).toBe(
			'Item 7 (reference R-7): Amount (amount) is too large to be sent exactly, got "90.071.992.547.409,93": the largest amount is 9999999999999.99',
		);
		expect(paynet.requestsTo(CREATE)).toHaveLength(4);
	});

	test('without Continue On Fail one bad amount stops the node before any PayLink is made', async () => {
		const { items, error } = await run(
			[
				{ name: 'fine', total: 10, ref: 'R-0' },
				{ name: 'bad', total: 19.999, ref: 'R-1' },
			],
			create(),
		);
		expect(items).toHaveLength(0);
		expect(error.message).toBe('Item 1 (reference R-1): Amount (amount) has more than two decimals: 19.999');
		expect(paynet.requests).toHaveLength(0);
	});
});

describe('a credential that cannot say where Paynet is stops the node before any request', () => {
	const create = createFromSheet();
	const rows = [{ name: 'A', total: 10 }];

	test('an unknown environment is an error, never production', async () => {
		const { error } = await run(rows, create, undefined, { environment: 'sandbox' });
		expect(error.message).toBe(
			'The Paynet credential’s Environment is "sandbox", which is not Production, Test or Custom',
		);
		expect(error.message + error.description).not.toContain(paynet.secretKey);
		expect(paynet.requests).toHaveLength(0);
	});

	test.each([
		['?query', (url) => `${url}?account=${encodeURIComponent(paynet.secretKey)}`, '?…'],
		['#fragment', (url) => `${url}/#top`, '#…'],
	])('a custom base URL with a %s is an error, the rest of it not echoed', async (_name, withExtra, shownTail) => {
		const { error } = await run(rows, create, undefined, { baseUrl: withExtra(paynet.url) });
		expect(error.message).toBe(
			`The Paynet credential’s Base URL must not contain a query (?…) or fragment (#…): "${paynet.url}${shownTail.startsWith('#') ? '/' : ''}${shownTail}"`,
		);
		expect(error.message + error.description).not.toContain(paynet.secretKey);
		expect(paynet.requests).toHaveLength(0);
	});

	test('a secret key pasted into the Base URL is not repeated in the error', async () => {
		const { error } = await run(rows, create, undefined, { baseUrl: paynet.secretKey });
		expect(error.message).toBe('The Paynet credential’s Base URL is not an http(s) URL: "…"');
		expect(paynet.requests).toHaveLength(0);
	});

	test('a custom base URL with trailing slashes still resolves', async () => {
		const { items, error } = await run(rows, create, undefined, { baseUrl: `${paynet.url}//` });
		expect(error).toBeUndefined();
		expect(items[0].json.amount).toBe(10);
	});
});
