'use strict';
// Preloaded (`node -r scripts/n8n-modules.js`) by the benches that measure a
// node inside one installed n8n: every `require` of n8n-core, n8n-workflow or
// n8n-nodes-base, from this repo's scripts, test harness or compiled dist/,
// resolves into $PAYNET_BENCH_N8N_MODULES (an n8n install's node_modules), as
// a community package's `n8n-workflow` resolves to the host's in n8n. Without
// it the repo's devDependencies (the 1.x line) would win over NODE_PATH.
const Module = require('node:module');
const path = require('node:path');

const root = process.env.PAYNET_BENCH_N8N_MODULES;
const HOST_PACKAGES = new Set(['n8n-core', 'n8n-workflow', 'n8n-nodes-base']);

if (root) {
	const resolve = Module._resolveFilename;
	Module._resolveFilename = function (request, parent, ...rest) {
		if (HOST_PACKAGES.has(request.split('/')[0])) {
			return resolve.call(this, path.join(root, request), parent, ...rest);
		}
		return resolve.call(this, request, parent, ...rest);
	};
}
