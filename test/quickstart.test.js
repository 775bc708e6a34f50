'use strict';
// `npm start` (scripts/quickstart.sh) and scripts/n8n-start.sh with n8n
// already running: they must say the port is in use before building,
// installing or replacing anything in the live user folder.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
let busy;
let scratch;

beforeAll(async () => {
	busy = net.createServer();
	await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
	scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paynet-quickstart-'));
});

afterAll(async () => {
	await new Promise((resolve) => busy.close(resolve));
	fs.rmSync(scratch, { recursive: true, force: true });
});

/** Runs a start script with its cache and user folders in an empty scratch folder. */
function start(script, args) {
	const env = {
		...process.env,
		N8N_PORT: String(busy.address().port),
		PAYNET_N8N_CACHE: path.join(scratch, 'cache'),
		PAYNET_N8N_HOME: path.join(scratch, 'home'),
	};
	const started = Date.now();
	const result = spawnSync(path.join(REPO, 'scripts', script), args, { env, encoding: 'utf8', timeout: 30_000 });
	return { ...result, seconds: (Date.now() - started) / 1000 };
}

test.each([
	['quickstart.sh', ['2']],
	['n8n-start.sh', ['2']],
])('%s with the port in use stops at once, touching nothing', (script, args) => {
	const result = start(script, args);
	expect(result.status).toBe(1);
	expect(result.stderr).toMatch(new RegExp(`port ${busy.address().port} is already in use`));
	expect(result.seconds).toBeLessThan(5);
	expect(fs.readdirSync(scratch)).toEqual([]);
});
