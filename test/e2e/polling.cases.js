'use strict';
// Issue 19 in a real n8n: the Paynet Polling Trigger, activated at boot, asks
// the Paynet look-alike every minute and starts one run per payment that no
// confirmation announced. Not a jest file of its own: examples.e2e.js imports
// this workflow and credential with its own and runs these tests on the n8n
// it boots (one boot, two or three polls: about three minutes).
//
// This file's look-alike lists newest first, two rows a page, so a payment
// made while a poll pages shifts the rows after it; and its first successful
// page of the day is where that payment is made.
const { startPaynetServer } = require('../paynet-server');
const { createPayLink } = require('../paynet-server/mailorder');
const { oneNodeCase, triggerRuns } = require('./cases');
const n8n = require('./n8n');

const WORKFLOW_ID = 'pnE2ePolling001';
const CREDENTIAL_ID = 'pnE2ePollCred01';
const SECRET_KEY = 'sck_e2e_polling/key+with=chars';
const NODE_NAME = 'Paynet Polling Trigger';
const LIST = '/v1/transaction/list';
const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '1';
const HOUR = 60 * 60 * 1000;

let paynet;
let history;
let links = 0;

/** A PayLink with no confirmation URL, paid: nothing is ever posted to n8n about it. */
async function payWithoutConfirmation(at) {
	links++;
	const link = createPayLink(paynet, {
		name_surname: `Poll Payer ${links}`,
		amount: 75 + links,
		reference_no: `n8n-poll-${links}`,
	});
	const { transaction, status } = await paynet.pay(link.id, at ? { at } : {});
	if (status !== undefined) throw new Error('a confirmation was posted');
	return transaction;
}

async function prepare() {
	paynet = await startPaynetServer({
		secretKey: SECRET_KEY,
		maxPageSize: 2,
		quirks: { transactionsNewestFirst: true },
	});
	// Paid an hour before n8n starts: the first activation must not run it.
	history = await payWithoutConfirmation(new Date(Date.now() - HOUR));
	return oneNodeCase({
		workflowId: WORKFLOW_ID,
		workflowName: 'Paynet e2e: polling trigger, one run per payment',
		credentialId: CREDENTIAL_ID,
		credentialName: 'Paynet e2e polling',
		secretKey: SECRET_KEY,
		baseUrl: paynet.url,
		node: {
			id: 'e2e19000-0000-4000-8000-000000000001',
			name: NODE_NAME,
			type: 'n8n-nodes-paynet.paynetPollingTrigger',
			parameters: { event: 'successfulPayment', pollMinutes: 1, filters: { referencePrefix: 'n8n-poll-' } },
		},
	});
}

async function close() {
	await paynet?.close();
}

/** The trigger's item of each finished run, oldest first. */
async function runs(apiKey) {
	return await triggerRuns(apiKey, WORKFLOW_ID, NODE_NAME);
}

/** `context()` returns `{ apiKey }` once n8n runs. */
function defineTests(context) {
	describe('Paynet Polling Trigger (issue 19): one run per payment, with no confirmation post', () => {
		test('two payments with a poll answered 500 in between, and one made mid-paging: three runs, each once; the earlier payment none', async () => {
			const paid = [await payWithoutConfirmation(), await payWithoutConfirmation()];
			// The next poll fails (every retry of its first call answered 500): it must lose nothing.
			paynet.inject(LIST, ...Array.from({ length: 4 }, () => ({ status: 500 })));
			let midPaging;
			paynet.afterTransactionListPage.push(async (body) => {
				if (midPaging || Number(body.starting_after) !== 0) return;
				midPaging = await payWithoutConfirmation(new Date(Date.now() - 1000));
			});

			const list = await n8n.waitFor(
				'three runs of the polling workflow',
				async () => {
					const done = (await runs(context().apiKey)).filter((run) => run.status === 'success');
					return done.length >= 3 ? done : undefined;
				},
				200_000,
			);
			// A run too many (a payment run twice) would be listed by now: each poll after the first lists every payment again.
			await n8n.sleep(3000);
			const all = await runs(context().apiKey);
			const settled = all.filter((run) => run.status === 'success');
			expect(settled).toHaveLength(3);
			expect(list.length).toBe(3);
			expect(paynet.faults.get(LIST) ?? []).toHaveLength(0); // the failed poll happened
			expect(settled.map((run) => run.mode)).toEqual(Array(3).fill('trigger'));
			// n8n 2.x shows the failed poll as one failed execution (saveFailedExecution); 1.x only logs it.
			const failed = all.filter((run) => run.status !== 'success');
			expect(failed.map((run) => run.status)).toEqual(MAJOR === '2' ? ['error'] : []);
			const ran = settled.map((run) => run.item.xact_id);
			expect(ran.sort()).toEqual([...paid.map((payment) => payment.xact_id), midPaging.xact_id].sort());
			expect(ran).not.toContain(history.xact_id);
			const first = settled.find((run) => run.item.xact_id === paid[0].xact_id).item;
			expect(first).toMatchObject({
				verified: true,
				reference_no: paid[0].agent_reference,
				amount: paid[0].amount,
				net_amount: paid[0].netAmount,
				is_succeed: true,
				xact_date: paid[0].xact_date,
			});
			// Polls went on after the one that ran the mid-paging payment, and started nothing.
			const listsSoFar = paynet.requestsTo(LIST).length;
			await n8n.waitFor('one more poll', async () => paynet.requestsTo(LIST).length > listsSoFar + 1, 90_000);
			await n8n.sleep(3000);
			expect(await runs(context().apiKey)).toHaveLength(all.length);
		}, 330_000);
	});
}

module.exports = { prepare, close, defineTests, WORKFLOW_ID };
