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
	return await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
}

module.exports = { startPaynetServer };
