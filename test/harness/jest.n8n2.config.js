'use strict';
// The workflow tests again, on n8n 2.x's own execution engine: n8n-core and
// n8n-workflow of the installed n8n 2.41.1 (scripts/n8n-install.sh 2) stand
// in for the 1.x devDependencies, for the tests, the harness and the
// compiled node alike, as in a real n8n 2.x. Run on Node 24 through
// `npm run test:engine:n8n2`; error-output.workflow.test.js also runs it.
const os = require('node:os');
const path = require('node:path');
const pkg = require('../../package.json');

const modules =
	process.env.PAYNET_N8N2_MODULES ?? path.join(os.homedir(), '.cache/n8n-nodes-paynet/n8n-2.41.1/node_modules');

module.exports = {
	...pkg.jest,
	rootDir: '../..',
	roots: ['<rootDir>/test'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	setupFiles: ['<rootDir>/test/setup-env.js'],
	moduleNameMapper: {
		'^n8n-core$': path.join(modules, 'n8n-core'),
		'^n8n-workflow$': path.join(modules, 'n8n-workflow'),
	},
	globals: { PAYNET_N8N_MAJOR: 2 },
};
