'use strict';
// What the workflow test files share: a Paynet test server, fresh for each
// test, and one Paynet node run against it on a sheet of rows; or the Paynet
// Trigger served over HTTP in front of it.
const { startPaynetServer } = require('../paynet-server');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./engine');
const { startTriggerServer } = require('./webhook');

/** An object that stands for what `current()` returns when it is used: reads and writes go through to it. */
function standingFor(current) {
	return new Proxy(
		{},
		{
			get: (_target, name) => current()[name],
			set: (_target, name, value) => {
				current()[name] = value;
				return true;
			},
		},
	);
}

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
	return standingFor(() => server);
}

/**
 * The Paynet test server and, in front of it, the Paynet Trigger served over
 * HTTP with a credential for it: started before this file's tests, both reset
 * before each test (the trigger to its default parameters) and closed after
 * them. `{ paynet, trigger }` stand for the two once they have started.
 */
function useTriggerServer() {
	let paynet;
	let trigger;
	beforeAll(async () => {
		paynet = await startPaynetServer();
		trigger = await startTriggerServer({ credentials: paynetCredentials(paynet) });
	});
	afterAll(async () => {
		await trigger?.close();
		await paynet?.close();
	});
	beforeEach(() => {
		paynet.reset();
		trigger.reset();
		trigger.setParameters({});
	});
	return { paynet: standingFor(() => paynet), trigger: standingFor(() => trigger) };
}

/** Runs `items` through one Paynet node (version `typeVersion`, default 1) with `parameters` against `paynet`: `{ items, error }` of the node. */
async function runPaynet(paynet, { items, parameters, nodeSettings, credentials, typeVersion }) {
	return await runWorkflow(paynetWorkflow({ items, parameters, nodeSettings, typeVersion }), {
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
	useTriggerServer,
	runPaynet,
	createFromSheet,
	createWithReference,
	sheetRows,
	REFERENCE_FROM_SHEET,
};
