'use strict';
// The queue-mode suite: run through scripts/e2e-queue.sh (npm run
// test:e2e:queue), never by `npm test` (*.test.js) nor scripts/e2e.sh
// (whose config only looks under test/e2e).
module.exports = {
	rootDir: '../..',
	roots: ['<rootDir>/test/e2e-queue'],
	testMatch: ['**/*.e2e.js'],
	testEnvironment: 'node',
	testTimeout: 180000,
};
