'use strict';
// The benches' Paynet test server runs in a child process, so that what they
// measure (memory, time) is the node's and the engine's, not the seeded
// server's. This is the plumbing they share: the two halves of one script,
// counting a route's calls, and asking the child.
const { fork } = require('node:child_process');

/**
 * Runs `serve` when the script was forked with `--serve`, else `bench`
 * (with the test set-up n8n-core reads its settings from); an error ends
 * the process with 1.
 */
function runBench({ serve, bench }) {
	const fail = (error) => {
		console.error(error);
		process.exit(1);
	};
	if (process.argv[2] === '--serve') return serve().catch(fail);
	// n8n-core reads its settings from N8N_USER_FOLDER; keep the bench away from ~/.n8n as the tests do.
	require('../test/setup-env');
	return bench().catch(fail);
}

/** Forks the script's server half with `args`; `ask` sends a message (or none) and waits for the answer. */
function forkServer(filename, args = []) {
	const child = fork(filename, ['--serve', ...args], { stdio: 'inherit' });
	const ask = (message) =>
		new Promise((resolve, reject) => {
			const exited = (code) => reject(new Error(`the test server process exited (${code}) before answering`));
			child.once('exit', exited);
			child.once('error', reject);
			child.once('message', (answer) => {
				child.off('exit', exited);
				child.off('error', reject);
				resolve(answer);
			});
			if (message) child.send(message);
		});
	return { child, ask };
}

/** Counts the calls to `path`: `count()` says how many so far, `reset()` starts again at 0. */
function countCalls(server, path) {
	let calls = 0;
	const handler = server.routes.get(path);
	server.route(path, (...args) => {
		calls++;
		return handler(...args);
	});
	return {
		count: () => calls,
		reset: () => {
			calls = 0;
		},
	};
}

module.exports = { runBench, forkServer, countCalls };
