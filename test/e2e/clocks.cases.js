'use strict';
// Issue 33 in a real n8n: a Paynet Polling Trigger (Listen on, Poll Every 5)
// whose Paynet writes times an hour behind n8n's clock, and lists some
// payments late. What is new must be decided by Paynet's list: payments made
// before the activation never run, every later one runs once, and one Paynet
// lists 11½ minutes after its xact_date, behind 150 other late rows, runs
// within 15 s of the post that names it. Not a jest file of its own:
// examples.e2e.js imports, activates and runs it on the n8n it boots.
const { startPaynetServer } = require('../paynet-server');
const { createPayLink } = require('../paynet-server/mailorder');
const { listedPayment } = require('../paynet-server/transaction');
const { oneNodeCase, triggerRuns } = require('./cases');
const n8n = require('./n8n');

const WORKFLOW_ID = 'pnE2eClocks0001';
const CREDENTIAL_ID = 'pnE2eClockCred1';
const WEBHOOK_ID = '3303e270-27aa-4b2d-9e3f-33c0ffee3333';
const SECRET_KEY = 'sck_e2e_clocks/key+with=chars';
const NODE_NAME = 'Paynet Polling Trigger';
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
// Paynet's clock is an hour behind n8n's (a host that was never synchronised).
const PAYNET_CLOCK_OFFSET_MS = -HOUR;

const productionUrl = () => `http://localhost:${process.env.N8N_PORT}/webhook/${WEBHOOK_ID}/paynet`;
const paynetNow = () => Date.now() + PAYNET_CLOCK_OFFSET_MS;

let paynet;
let links = 0;
const beforeActivation = [];

/** A PayLink whose Confirmation URL is the node's Production URL, paid (at `at`, Paynet's time): Paynet posts to n8n. */
async function payWithPost(at) {
	links++;
	const link = createPayLink(paynet, {
		name_surname: `Clock Payer ${links}`,
		amount: 40 + links,
		reference_no: `n8n-clock-${links}`,
		confirmation_url: productionUrl(),
	});
	const postedAt = Date.now();
	const paid = await paynet.pay(link.id, at ? { at } : {});
	return { ...paid, postedAt };
}

async function prepare() {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY, clockOffsetMs: PAYNET_CLOCK_OFFSET_MS });
	// Paid before n8n starts, by Paynet's clock a minute and half an hour ago: they must never run.
	for (const agoMs of [30 * MINUTE, MINUTE]) beforeActivation.push(listedPayment(paynet, paynetNow() - agoMs));
	return oneNodeCase({
		workflowId: WORKFLOW_ID,
		workflowName: 'Paynet e2e: polling trigger, clocks apart and late listing',
		credentialId: CREDENTIAL_ID,
		credentialName: 'Paynet e2e clocks',
		secretKey: SECRET_KEY,
		baseUrl: paynet.url,
		node: {
			id: 'e2e33000-0000-4000-8000-000000000001',
			name: NODE_NAME,
			type: 'n8n-nodes-paynet.paynetPollingTrigger',
			webhookId: WEBHOOK_ID,
			parameters: { event: 'successfulPayment', pollMinutes: 5, listen: true },
		},
	});
}

async function close() {
	await paynet?.close();
}

async function runs(apiKey) {
	return await triggerRuns(apiKey, WORKFLOW_ID, NODE_NAME);
}

async function waitForRunOf(apiKey, xactId, withinMs) {
	return await n8n.waitFor(
		`the run of ${xactId}`,
		async () => {
			const all = await runs(apiKey);
			return all.find((run) => run.item?.xact_id === xactId && run.status === 'success');
		},
		withinMs,
	);
}

/** `context()` returns `{ apiKey }` once n8n runs. */
function defineTests(context) {
	describe("Paynet Polling Trigger in Paynet's terms (issue 33): Paynet's clock an hour behind n8n's, late listing", () => {
		test('3 payments posted after the activation: each one run within 15 s of its post, by Paynet’s list', async () => {
			for (let index = 0; index < 3; index++) {
				const paid = await payWithPost();
				expect(paid.status).toBe(200);
				const run = await waitForRunOf(context().apiKey, paid.transaction.xact_id, 15_000);
				expect(run.item).toMatchObject({ verified: true, xact_date: paid.transaction.xact_date });
			}
		}, 90_000);

		test('a payment Paynet lists 11½ minutes after its xact_date, behind 150 other late rows: one run within 15 s of its post', async () => {
			const late = [];
			for (let index = 0; index < 150; index++)
				late.push(listedPayment(paynet, paynetNow() - 12 * MINUTE - index * 1_000));
			const paid = await payWithPost(new Date(paynetNow() - 11.5 * MINUTE));
			expect(paid.status).toBe(200);
			await waitForRunOf(context().apiKey, paid.transaction.xact_id, 15_000);
			// The late rows without a post run too (they are payments), at the latest with the next poll the post made.
			await n8n.waitFor(
				'every late row run',
				async () => {
					const ran = new Set((await runs(context().apiKey)).map((run) => run.item?.xact_id));
					return late.every((row) => ran.has(row.xact_id)) ? true : undefined;
				},
				60_000,
			);
		}, 120_000);

		test('the payments made before the activation never ran, and no payment ran twice', async () => {
			await n8n.sleep(3_000);
			const all = await runs(context().apiKey);
			const ids = all.map((run) => run.item?.xact_id);
			for (const row of beforeActivation) expect(ids).not.toContain(row.xact_id);
			expect(ids.length).toBe(new Set(ids).size);
			expect(all.every((run) => run.mode === 'trigger')).toBe(true);
		}, 30_000);
	});
}

module.exports = { prepare, close, defineTests, WORKFLOW_ID };
