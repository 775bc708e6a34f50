'use strict';
const { createServer } = require('./core');
const mailorder = require('./mailorder');
const transaction = require('./transaction');

/** Starts a Paynet look-alike on 127.0.0.1 (a free port unless one is given). */
async function startPaynetServer(options = {}) {
	const server = createServer(options);
	mailorder.register(server);
	transaction.register(server);
	server.pay = (key, payOptions) => transaction.pay(server, key, payOptions);

	// Back to how it started (ids keep counting): a fresh server for each test without a new port.
	const initial = {
		latencyMs: server.latencyMs,
		latencyByPath: new Map(server.latencyByPath),
		quirks: { ...server.quirks },
		maxPageSize: server.maxPageSize,
	};
	server.reset = () => {
		server.requests.length = 0;
		server.faults.clear();
		server.rules.length = 0;
		server.rateLimits.clear();
		server.afterTransactionListPage.length = 0;
		server.state.payLinks.length = 0;
		server.state.transactions.length = 0;
		server.latencyMs = initial.latencyMs;
		server.latencyByPath = new Map(initial.latencyByPath);
		server.quirks = { ...initial.quirks };
		server.maxPageSize = initial.maxPageSize;
		server.maxInFlight = 0;
	};
	return await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
}

module.exports = { startPaynetServer };
