'use strict';
// The sandbox a new user tries the nodes with (scripts/sandbox.js): paying a
// PayLink by its reference, what the pay page says the trigger answered, and
// posting a confirmation again as Paynet's retries do.
const http = require('node:http');
const { startPaynetServer } = require('./paynet-server');
const { registerPages } = require('../scripts/sandbox');

let paynet;
let trigger;
const posts = [];

/** A stand-in for the Paynet Trigger: the first post of a payment is accepted, later ones are duplicates. */
function startTrigger() {
	const seen = new Set();
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const body = JSON.parse(raw);
			posts.push(body);
			const duplicate = seen.has(body.order_id);
			seen.add(body.order_id);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(
				JSON.stringify(
					duplicate
						? { received: true, result: 'duplicate', message: 'Already received' }
						: { received: true, result: 'accepted' },
				),
			);
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function createLink(reference) {
	const response = await fetch(`${paynet.url}/v1/mailorder/create`, {
		method: 'POST',
		headers: { Authorization: `Basic ${paynet.secretKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			name_surname: 'Ayşe Yılmaz',
			amount: 250,
			reference_no: reference,
			confirmation_url: `http://127.0.0.1:${trigger.address().port}/webhook/x/paynet`,
		}),
	});
	return await response.json();
}

const sandbox = (path, body, accept = 'application/json') =>
	fetch(`${paynet.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: accept },
		body: JSON.stringify(body),
	});

beforeAll(async () => {
	paynet = await startPaynetServer({ recordRequests: false });
	registerPages(paynet);
	trigger = await startTrigger();
});

afterAll(async () => {
	await paynet.close();
	await new Promise((resolve) => trigger.close(resolve));
});

beforeEach(() => {
	paynet.state.payLinks.length = 0;
	paynet.state.transactions.length = 0;
	posts.length = 0;
});

test('pay <reference> pays the link still awaiting payment when a sheet made two with that reference', async () => {
	const first = await createLink('SIP-1001');
	await paynet.pay(first.id);
	const second = await createLink('SIP-1001');

	const answer = await (await sandbox('/sandbox/pay', { id: 'SIP-1001' })).json();

	expect(answer).toMatchObject({ id: second.id, paid: true, trigger_answer: 'HTTP 200 accepted' });
	expect(answer.paid_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d \(Istanbul time, UTC\+3\)$/);
});

test('the pay page shows what the trigger answered, not only the HTTP status', async () => {
	const link = await createLink('SIP-2001');
	const response = await fetch(`${paynet.url}/sandbox/pay`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: `id=${link.id}&succeed=true`,
	});
	const html = await response.text();
	expect(html).toContain('The trigger answered: <b>HTTP 200 accepted</b>');
	expect(html).toMatch(/Paid at \d{4}-\d\d-\d\d \d\d:\d\d \(Istanbul time, UTC\+3\)/);
});

test('repost <reference> posts the same confirmation again and shows the trigger calling it a duplicate', async () => {
	await createLink('SIP-3001');
	await sandbox('/sandbox/pay', { id: 'SIP-3001' });

	const answer = await (await sandbox('/sandbox/repost', { id: 'SIP-3001' })).json();

	expect(answer.trigger_answer).toBe('HTTP 200 duplicate (Already received)');
	expect(posts).toHaveLength(2);
	expect(posts[1]).toEqual(posts[0]);
});

test('repost of a link never paid says so instead of posting', async () => {
	await createLink('SIP-4001');
	const response = await sandbox('/sandbox/repost', { id: 'SIP-4001' });
	expect(response.status).toBe(404);
	expect((await response.json()).error).toMatch(/pay it first/);
	expect(posts).toHaveLength(0);
});

test('the list of PayLinks gives creation times with their zone', async () => {
	await createLink('SIP-5001');
	const html = await (await fetch(`${paynet.url}/`)).text();
	expect(html).toContain('Created (Istanbul time, UTC+3)');
	expect(html).toMatch(/<td>\d{4}-\d\d-\d\d \d\d:\d\d \(Istanbul time, UTC\+3\)<\/td>/);
});
