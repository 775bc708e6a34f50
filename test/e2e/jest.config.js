'use strict';
// The end-to-end suite against a real n8n: run through scripts/e2e.sh [1|2],
// never by `npm test` (whose config only matches *.test.js).
module.exports = {
	rootDir: '../..',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.js'],
	testEnvironment: 'node',
	testTimeout: 120000,
};
