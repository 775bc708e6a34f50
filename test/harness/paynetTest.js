'use strict';
// What the workflow test files share: a Paynet test server, fresh for each
// test, and one Paynet node run against it on a sheet of rows.
const { startPaynetServer } = require('../paynet-server');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./engine');

/**
 * Starts the Paynet test server before this file's tests, resets it before
 * each test and closes it after them. The object returned stands for the
 * server once it has started (reads and writes go through to it).
 */
function usePaynetServer(options) {
	let server;
	beforeAll(async () => {
		server = await startPaynetServer(options);
	});
	afterAll(async () => await server?.close());
	beforeEach(() => server.reset());
	return new Proxy(
		{},
		{
			get: (_target, name) => server[name],
			set: (_target, name, value) => {
				server[name] = value;
				return true;
			},
		},
	);
}

/** Runs `items` through one Paynet node with `parameters` against `paynet`: `{ items, error }` of the node. */
async function runPaynet(paynet, { items, parameters, nodeSettings, credentials }) {
	return await runWorkflow(paynetWorkflow({ items, parameters, nodeSettings }), {
		credentials: paynetCredentials(paynet, credentials),
	});
}

/** PayLink → Create with the name and amount from the sheet's `name` and `total` columns. */
function createFromSheet(extra = {}) {
	return {
		resource: 'payLink',
		operation: 'create',
		nameSurname: '={{ $json.name }}',
		amount: '={{ $json.total }}',
		...extra,
	};
}

/** `count` sheet rows: `Row i`, 10 + i lira, reference `REF-i`. */
function sheetRows(count) {
	return Array.from({ length: count }, (_value, index) => ({
		name: `Row ${index}`,
		total: 10 + index,
		ref: `REF-${index}`,
	}));
}

/** The reference column as Create's Reference No. */
const REFERENCE_FROM_SHEET = { referenceNo: '={{ $json.ref }}' };

/** Create as the fault and stopped-run tests use it: name, amount and reference from the sheet, and these Options. */
function createWithReference(options = {}) {
	return createFromSheet({ additionalFields: REFERENCE_FROM_SHEET, options });
}

/** PayLink → List's parameters over March 2024 (where the tests seed their links), with `extra` on top. */
const listParameters = (extra = {}) => ({
	resource: 'payLink',
	operation: 'list',
	startDate: '2024-03-01',
	endDate: '2024-03-31',
	...extra,
});

module.exports = {
	listParameters,
	usePaynetServer,
	runPaynet,
	createFromSheet,
	createWithReference,
	sheetRows,
	REFERENCE_FROM_SHEET,
};
