'use strict';
// Issue 27 in a real n8n: a Paynet Polling Trigger with Listen for Paynet's
// Posts on and Poll Every 5 minutes. Paynet posts a payment to the node's
// Production URL; the one run must follow within seconds, and come from a
// poll: reposts and a forged flood start nothing and cost Paynet a bounded
// number of list calls. Not a jest file of its own: examples.e2e.js imports,
// activates and runs it on the n8n it boots.
const { startPaynetServer } = require('../paynet-server');
const { createPayLink } = require('../paynet-server/mailorder');
const { oneNodeCase, triggerRuns } = require('./cases');
const n8n = require('./n8n');

const WORKFLOW_ID = 'pnE2eListen0001';
const CREDENTIAL_ID = 'pnE2eListCred01';
const WEBHOOK_ID = '1157e270-27aa-4b2d-9e3f-27c0ffee2727';
const SECRET_KEY = 'sck_e2e_listen/key+with=chars';
const NODE_NAME = 'Paynet Polling Trigger';
const LIST = '/v1/transaction/list';
const PAYMENTS = 5;

const productionUrl = () => `http://localhost:${process.env.N8N_PORT}/webhook/${WEBHOOK_ID}/paynet`;

let paynet;
let links = 0;

async function prepare() {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY, recordRequests: true });
	return oneNodeCase({
		workflowId: WORKFLOW_ID,
		workflowName: 'Paynet e2e: polling trigger listening for posts',
		credentialId: CREDENTIAL_ID,
		credentialName: 'Paynet e2e listen',
		secretKey: SECRET_KEY,
		baseUrl: paynet.url,
		node: {
			id: 'e2e27000-0000-4000-8000-000000000001',
			name: NODE_NAME,
			type: 'n8n-nodes-paynet.paynetPollingTrigger',
			webhookId: WEBHOOK_ID,
			parameters: {
				event: 'successfulPayment',
				pollMinutes: 5,
				listen: true,
				filters: { referencePrefix: 'n8n-listen-' },
			},
		},
	});
}

async function close() {
	await paynet?.close();
}

async function runs(apiKey) {
	return await triggerRuns(apiKey, WORKFLOW_ID, NODE_NAME);
}

/** A PayLink whose Confirmation URL is the node's Production URL, paid: Paynet posts to n8n. */
async function payWithPost() {
	links++;
	const link = createPayLink(paynet, {
		name_surname: `Listen Payer ${links}`,
		amount: 60 + links,
		reference_no: `n8n-listen-${links}`,
		confirmation_url: productionUrl(),
	});
	const postedAt = Date.now();
	const paid = await paynet.pay(link.id);
	return { ...paid, postedAt };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `context()` returns `{ apiKey }` once n8n runs. */
function defineTests(context) {
	describe('Paynet Polling Trigger listening (issue 27): a post makes it poll now; runs come only from polls', () => {
		const latencies = [];

		test(`${PAYMENTS} payments posted to the Production URL: each one run, within 10 s of its post`, async () => {
			for (let index = 0; index < PAYMENTS; index++) {
				const before = (await runs(context().apiKey)).length;
				const paid = await payWithPost();
				expect([paid.status, JSON.parse(paid.responseText)]).toEqual([
					200,
					{ received: true, message: 'Received; the payment is read from Paynet' },
				]);
				const list = await n8n.waitFor(
					`the run of payment ${index + 1}`,
					async () => {
						const all = await runs(context().apiKey);
						return all.length > before && all.at(-1).status === 'success' ? all : undefined;
					},
					15_000,
				);
				const run = list.at(-1);
				expect(run.item).toMatchObject({ xact_id: paid.transaction.xact_id, verified: true });
				const [execution] = await n8n.listExecutions(context().apiKey, WORKFLOW_ID);
				latencies.push(Date.parse(execution.startedAt) - paid.postedAt);
			}
			expect(Math.max(...latencies)).toBeLessThan(10_000);
			console.log(
				`Listen latency, post → run started (n8n ${process.env.PAYNET_E2E_MAJOR ?? '1'}.x, ${PAYMENTS} payments): median ${median(latencies)} ms, worst ${Math.max(...latencies)} ms`,
			);
			const all = await runs(context().apiKey);
			expect(all.map((run) => run.item.xact_id).length).toBe(new Set(all.map((run) => run.item.xact_id)).size);
			expect(all.every((run) => run.mode === 'trigger')).toBe(true);
		}, 120_000);

		test('the same post 3 more times and 40 forged posts at once: no run, no server error, at most 10 list calls', async () => {
			const before = (await runs(context().apiKey)).length;
			const paid = await payWithPost();
			await n8n.waitFor('the run', async () => ((await runs(context().apiKey)).length > before ? true : undefined));
			const listCallsBefore = paynet.requestsTo(LIST).length;
			const forged = Array.from({ length: 40 }, (_, index) => ({
				...paid.confirmation,
				referance_no: `n8n-listen-forged-${index}`,
				amount: 5000 + index,
			}));
			const answers = await Promise.all(
				[paid.confirmation, paid.confirmation, paid.confirmation, ...forged].map(async (body) => {
					const response = await fetch(productionUrl(), {
						method: 'POST',
						headers: { 'Content-Type': 'application/json' },
						body: JSON.stringify(body),
					});
					return response.status;
				}),
			);
			expect(answers.filter((status) => status >= 500)).toEqual([]);
			// The post-made poll, its coalesced follower and one second look: all within 15 s.
			await n8n.sleep(15_000);
			expect((await runs(context().apiKey)).length).toBe(before + 1);
			expect(paynet.requestsTo(LIST).length - listCallsBefore).toBeLessThanOrEqual(10);
		}, 60_000);
	});
}

module.exports = { prepare, close, defineTests, WORKFLOW_ID };
