'use strict';
// Issue 10 in a real n8n: one payment starts one run, and a verified run
// carries what Paynet confirmed. Not a jest file of its own: examples.e2e.js
// imports this workflow and credential with its own (one CLI import each),
// activates it beside its trigger workflow and runs these tests on the n8n it
// boots, so the whole lot costs one activation and no extra boot.
//
// The trigger here talks to a Paynet look-alike of its own (its request log is
// this file's alone) whose v1/transaction/check answers in 300–800 ms, so
// copies posted at once really do overlap while the first is being verified.
const { randomUUID } = require('node:crypto');
const { startPaynetServer } = require('../paynet-server');
const { istanbulDateTime } = require('../paynet-server/formats');
const { oneNodeCase, triggerRuns } = require('./cases');
const n8n = require('./n8n');

const WORKFLOW_ID = 'pnE2eTrigger001';
const CREDENTIAL_ID = 'pnE2eTrigCred01';
const WEBHOOK_ID = 'c0ffee10-7a1b-4c2d-9e3f-4a5b6c7d8e90';
const SECRET_KEY = 'sck_e2e_trigger/key+with=chars';
const NODE_NAME = 'Paynet Trigger';
const CHECK = '/v1/transaction/check';
const BURST = 8;
const AMOUNT = 120.5;

const productionUrl = () => `http://localhost:${process.env.N8N_PORT}/webhook/${WEBHOOK_ID}/paynet`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts to the trigger's production URL: a body object as JSON, or `form` for x-www-form-urlencoded. */
async function post(body, { form = false } = {}) {
	const response = await fetch(productionUrl(), {
		method: 'POST',
		headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
		body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: response.status, body: json };
}

const ACCEPTED = { received: true, result: 'accepted' };
const DUPLICATE = { received: true, result: 'duplicate' };

let paynet;

/**
 * Starts this file's Paynet look-alike; returns the credential and workflow
 * for examples.e2e.js to import with its own, and the workflow's id to activate.
 */
async function prepare() {
	paynet = await startPaynetServer({
		secretKey: SECRET_KEY,
		recordRequests: true,
		latencyByPath: { [CHECK]: [300, 800] },
	});
	return oneNodeCase({
		workflowId: WORKFLOW_ID,
		workflowName: 'Paynet e2e: one payment, one run',
		credentialId: CREDENTIAL_ID,
		credentialName: 'Paynet e2e trigger',
		secretKey: SECRET_KEY,
		baseUrl: paynet.url,
		node: {
			id: 'e2e10000-0000-4000-8000-000000000001',
			name: NODE_NAME,
			type: 'n8n-nodes-paynet.paynetTrigger',
			webhookId: WEBHOOK_ID,
			parameters: { event: 'successfulPayment', verifyWithApi: true, options: { deduplicate: true } },
		},
	});
}

async function close() {
	await paynet?.close();
}

/** A paid PayLink of AMOUNT: Paynet's transaction row and the confirmation Paynet would post for it. */
async function payment() {
	const [link] = paynet.seedPayLinks(1, { amount: AMOUNT, referencePrefix: 'TRG' });
	const { transaction, confirmation } = await paynet.pay(link.reference_no);
	return { link, transaction, confirmation };
}

/** The trigger's output item of each run of the workflow, oldest run first. */
async function runs(apiKey) {
	return await triggerRuns(apiKey, WORKFLOW_ID, NODE_NAME);
}

/** Waits until `count` runs are saved, then a little longer so that a run too many would show. */
async function runsSettled(apiKey, count, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	let list = await runs(apiKey);
	while (
		(list.length < count || list.some((run) => !run.finished && run.status !== 'error')) &&
		Date.now() < deadline
	) {
		await sleep(250);
		list = await runs(apiKey);
	}
	await sleep(1500);
	return await runs(apiKey);
}

/** The item's top-level fields: what a workflow reads as the verified payment (`posted` is the post's own). */
const topLevel = (item) => Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'posted'));

/** `context()` returns `{ apiKey }` once n8n runs. */
function defineTests(context) {
	describe('Paynet Trigger (issue 10): one payment, one run; a verified run carries Paynet’s values', () => {
		let first;

		test(`${BURST} identical confirmations at once, Paynet answering in 300–800 ms: one run, the others duplicate`, async () => {
			first = await payment();
			const answers = await Promise.all(Array.from({ length: BURST }, () => post(first.confirmation)));

			expect(answers.map((answer) => answer.status)).toEqual(Array(BURST).fill(200));
			const results = answers.map((answer) => answer.body.result).sort();
			expect(results).toEqual(['accepted', ...Array(BURST - 1).fill('duplicate')]);
			// The copies waited for the first verification instead of asking Paynet themselves.
			expect(paynet.requestsTo(CHECK).map((request) => request.body)).toEqual([
				{ reference_no: first.link.reference_no },
			]);

			const list = await runsSettled(context().apiKey, 1);
			expect(list.map((run) => run.status)).toEqual(['success']);
			expect(list[0].item).toMatchObject({
				verified: true,
				reference_no: first.link.reference_no,
				xact_id: first.transaction.xact_id,
				amount: AMOUNT,
			});
		});

		test('replays with a field moved, dropped, added or spelled differently: 200 duplicate, no run', async () => {
			const runsBefore = (await runs(context().apiKey)).length;
			const { confirmation } = first;
			const later = new Date(Date.parse(`${confirmation.xact_date}Z`) + 1000).toISOString().replace(/Z$/, '');
			const { order_id: _order, ...withoutOrderId } = confirmation;
			const { authorization_code: _code, ...withoutAuthorizationCode } = confirmation;
			const variants = {
				'xact_date + 1 s': { ...confirmation, xact_date: later },
				'no order_id': withoutOrderId,
				'no authorization_code': withoutAuthorizationCode,
				'an extra field': { ...confirmation, note: 'sent again by a proxy' },
				'amount as text "120,50"': { ...confirmation, amount: '120,50' },
			};
			const answers = {};
			// One after the other: each is a replay of an accepted payment, not a copy in flight.
			for (const [name, body] of Object.entries(variants)) answers[name] = await post(body);

			const seen = Object.fromEntries(
				Object.entries(answers).map(([name, answer]) => [name, `${answer.status} ${answer.body.result}`]),
			);
			expect(seen).toEqual(Object.fromEntries(Object.keys(variants).map((name) => [name, '200 duplicate'])));
			expect((await runsSettled(context().apiKey, runsBefore)).length).toBe(runsBefore);
		});

		test('a real reference and amount with a made-up net amount, card holder and date: the run carries Paynet’s values', async () => {
			const runsBefore = (await runs(context().apiKey)).length;
			const real = await payment();
			const made = { netAmount: 1.23, card_holder: 'MALLORY FAKE', xact_date: '2020-02-02T02:02:02' };
			const answer = await post({ ...real.confirmation, ...made });
			expect([answer.status, answer.body]).toEqual([200, expect.objectContaining(ACCEPTED)]);

			const list = await runsSettled(context().apiKey, runsBefore + 1);
			expect(list.length).toBe(runsBefore + 1);
			const { item } = list.at(-1);
			expect(item).toMatchObject({
				verified: true,
				reference_no: real.link.reference_no,
				xact_id: real.transaction.xact_id,
				amount: real.transaction.amount,
				net_amount: real.transaction.netAmount,
				card_holder: real.transaction.card_holder,
				xact_date: real.transaction.xact_date,
				order_id: real.transaction.order_id,
				authorization_code: real.transaction.authorization_code,
			});
			// No made-up value is where a workflow reads the verified payment.
			const values = JSON.stringify(topLevel(item));
			for (const value of Object.values(made)) expect(values).not.toContain(JSON.stringify(value));
		});

		test('reference-less posts dated 3 days ago or tomorrow: 403 without a single Paynet call', async () => {
			const before = paynet.requests.length;
			const dated = (offsetMs) => ({
				xact_date: istanbulDateTime(new Date(Date.now() + offsetMs)),
				amount: AMOUNT,
				is_succeed: true,
				order_id: `ORD-${randomUUID().slice(0, 8)}`,
				authorization_code: '123456',
				currency: 'TRY',
			});
			const old = await post(dated(-3 * 86_400_000));
			const future = await post(dated(86_400_000));

			expect([old.status, old.body]).toEqual([403, { received: false, message: 'Payment could not be verified' }]);
			expect([future.status, future.body]).toEqual([
				403,
				{ received: false, message: 'Payment could not be verified' },
			]);
			expect(paynet.requests.slice(before).map((request) => request.path)).toEqual([]);
		});

		test('a form-encoded confirmation works like the JSON one, and its xact_id is what is looked up', async () => {
			const runsBefore = (await runs(context().apiKey)).length;
			const paid = await payment();
			const checksBefore = paynet.requestsTo(CHECK).length;
			// A form carries text only, as some integrators receive Paynet's post.
			const form = Object.fromEntries(
				Object.entries({ ...paid.confirmation, xact_id: paid.transaction.xact_id }).map(([key, value]) => [
					key,
					String(value),
				]),
			);
			const answer = await post(form, { form: true });
			expect([answer.status, answer.body]).toEqual([200, expect.objectContaining(ACCEPTED)]);
			expect(
				paynet
					.requestsTo(CHECK)
					.slice(checksBefore)
					.map((request) => request.body),
			).toEqual([{ xact_id: paid.transaction.xact_id }]);

			// The same payment as JSON, without xact_id: the same payment, so no second run.
			const json = await post(paid.confirmation);
			expect([json.status, json.body]).toEqual([200, expect.objectContaining(DUPLICATE)]);

			const list = await runsSettled(context().apiKey, runsBefore + 1);
			expect(list.slice(runsBefore).map((run) => run.status)).toEqual(['success']);
			expect(list.at(-1).item).toMatchObject({
				verified: true,
				reference_no: paid.link.reference_no,
				xact_id: paid.transaction.xact_id,
				amount: AMOUNT,
				net_amount: paid.transaction.netAmount,
				is_succeed: true,
			});
		});

		test.each([
			['a bare HTTP 404 from a proxy in front of Paynet', 404, '<html><body><h1>404 Not Found</h1>nginx</body></html>'],
			['200 {}', 200, '{}'],
			['200 {"code":0} without Data', 200, '{"code":0}'],
			['200 with Data as an object', 200, '{"code":0,"Data":{"amount":120.5}}'],
			['a proxy’s HTML 400', 400, '<html>400 The plain HTTP request was sent to HTTPS port</html>'],
		])('%s: 503, no run; the redelivery starts exactly one run', async (_name, status, body) => {
			const runsBefore = (await runs(context().apiKey)).length;
			const paid = await payment();
			paynet.inject(CHECK, { status, body });
			const refused = await post(paid.confirmation);
			expect([refused.status, refused.body]).toEqual([
				503,
				{ received: false, message: 'Payment could not be verified right now; try again later' },
			]);
			expect((await runsSettled(context().apiKey, runsBefore)).length).toBe(runsBefore);

			const redelivered = await post(paid.confirmation);
			expect([redelivered.status, redelivered.body]).toEqual([200, expect.objectContaining(ACCEPTED)]);
			const again = await post(paid.confirmation);
			expect([again.status, again.body]).toEqual([200, expect.objectContaining(DUPLICATE)]);
			const list = await runsSettled(context().apiKey, runsBefore + 1);
			expect(list.slice(runsBefore).map((run) => run.item?.xact_id)).toEqual([paid.transaction.xact_id]);
		});

		test('a reused reference (a monthly invoice): the new payment runs, though last month’s was accepted', async () => {
			const runsBefore = (await runs(context().apiKey)).length;
			const lastMonth = await payment();
			expect((await post(lastMonth.confirmation)).body).toEqual(expect.objectContaining(ACCEPTED));
			// Paynet writes this month's time without milliseconds; the post carries it with them. Without the
			// codes, both rows match the post: only the time, read as an instant, or "not accepted yet" tells them apart.
			const thisMonth = await paynet.pay(lastMonth.link.reference_no, {
				xactDate: istanbulDateTime(new Date()).replace(/\.\d+$/, ''),
			});
			const { order_id: _order, authorization_code: _code, ...withoutCodes } = thisMonth.confirmation;
			const answer = await post({ ...withoutCodes, xact_date: `${thisMonth.transaction.xact_date}.000` });
			expect([answer.status, answer.body]).toEqual([200, expect.objectContaining(ACCEPTED)]);
			expect((await post(thisMonth.confirmation)).body).toEqual(expect.objectContaining(DUPLICATE));
			const list = await runsSettled(context().apiKey, runsBefore + 2);
			expect(list.slice(runsBefore).map((run) => run.item?.xact_id)).toEqual([
				lastMonth.transaction.xact_id,
				thisMonth.transaction.xact_id,
			]);
		});
	});
}

module.exports = { prepare, close, defineTests, WORKFLOW_ID };
