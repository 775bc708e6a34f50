'use strict';
// The Polling Trigger with Listen for Paynet's Posts on, through n8n-core's
// TriggerContext and WebhookContext against the Paynet look-alike, over real
// HTTP: a post starts no run by itself, it makes the trigger poll now, and the
// payment's one run comes from that poll.
const { usePaynetServer } = require('./harness/paynetTest');
const { activatePollingTrigger, startListenServer } = require('./harness/polling');
const { createPayLink } = require('./paynet-server/mailorder');

const {
	POST_POLL_MIN_INTERVAL_MS,
	POST_POLL_MAX_INTERVAL_MS,
	listenForPosts,
	pollOnPost,
} = require('../dist/nodes/Paynet/polling/pollOnPost');
const { LISTEN_REPLY } = require('../dist/nodes/Paynet/polling/listen');

const paynet = usePaynetServer();
const LIST = '/v1/transaction/list';
const LISTEN = { listen: true, pollMinutes: 5 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let listener;
let active = [];
let workflows = 0;

/** Activates a listening trigger and its webhook under a workflow id of their own (the registry is per process). */
async function listening(parameters = LISTEN, options = {}) {
	const workflowId = `wf-listen-${++workflows}`;
	const trigger = await activatePollingTrigger(paynet, { parameters, workflowId, ...options });
	active.push(trigger);
	listener = await startListenServer(paynet, { parameters, workflowId });
	return trigger;
}

afterEach(async () => {
	for (const trigger of active) await trigger.close();
	active = [];
	await listener?.close();
	listener = undefined;
});

let links = 0;
/** A PayLink whose confirmation Paynet posts to `url` when paid. */
function payLink(url, fields = {}) {
	links++;
	return createPayLink(paynet, {
		name_surname: `Listen Payer ${links}`,
		amount: 240.5,
		reference_no: `n8n-listen-${links}`,
		...(url ? { confirmation_url: url } : {}),
		...fields,
	});
}

async function waitFor(what, check, timeoutMs = 8_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

const listCalls = () => paynet.requestsTo(LIST).length;

describe('a post makes the trigger poll now; the run comes from the poll', () => {
	test('Paynet’s post is answered 200 with the fixed text and the payment runs once within a second, as a scheduled poll would run it', async () => {
		const trigger = await listening();
		const link = payLink(listener.url);
		const posted = Date.now();
		const { status, responseText, transaction } = await paynet.pay(link.id);
		expect([status, JSON.parse(responseText)]).toEqual([200, LISTEN_REPLY]);
		await waitFor('the run', () => trigger.emits.length === 1);
		expect(Date.now() - posted).toBeLessThan(1_000);
		expect(listener.runs).toEqual([]); // the post itself started nothing
		const [run] = trigger.emits;
		expect(run.deduplicationKey).toBe(`paynet:${workflowsId()}:polling-node:${transaction.xact_id}`);

		// The same payment read by a scheduled poll of a trigger that does not listen: the same item.
		const scheduled = await activatePollingTrigger(paynet, {
			parameters: { pollMinutes: 5 },
			workflowId: 'wf-scheduled',
			staticData: { activatedAt: new Date(posted - 60_000).toISOString() },
		});
		active.push(scheduled);
		await scheduled.poll();
		expect(scheduled.emits.map((emit) => emit.json)).toEqual([run.json]);
		expect(run.json).toMatchObject({ verified: true, xact_id: transaction.xact_id, reference_no: link.reference_no });
	});

	test('3 more copies of the post and 40 forged posts at once: no run, all answered 200, at most 10 list calls in all', async () => {
		const trigger = await listening();
		const link = payLink(listener.url);
		const before = listCalls();
		const { confirmation } = await paynet.pay(link.id);
		await waitFor('the run', () => trigger.emits.length === 1);

		const forged = Array.from({ length: 40 }, (_, index) => ({
			...confirmation,
			referance_no: `n8n-forged-${index}`,
			amount: 1000 + index,
		}));
		const answers = await Promise.all([confirmation, confirmation, confirmation, ...forged].map(listener.post));
		expect(answers.map((answer) => answer.status)).toEqual(Array(43).fill(200));
		expect(new Set(answers.map((answer) => answer.text))).toEqual(new Set([JSON.stringify(LISTEN_REPLY)]));
		// The coalesced poll comes an interval after the payment's, and its one second look twice that later.
		await sleep(3 * POST_POLL_MIN_INTERVAL_MS + 500);
		expect(trigger.emits).toHaveLength(1);
		expect(listener.runs).toEqual([]);
		expect(listCalls() - before).toBeLessThanOrEqual(10);
		expect(listCalls() - before).toBeGreaterThanOrEqual(2);
	}, 20_000);

	test('a post while a poll is running makes one more poll after it, so a payment listed too late for it still runs now', async () => {
		const trigger = await listening();
		// The first list call is answered late, with the day as it was before the payment made while it is in flight.
		let calls = 0;
		paynet.when(LIST, () => ++calls === 1, {
			delayMs: 400,
			status: 200,
			body: JSON.stringify({ code: 0, Data: [], total: 0 }),
		});
		const running = trigger.poll();
		const link = payLink(listener.url);
		await paynet.pay(link.id);
		await running;
		// Now, not at the second look an interval later.
		await waitFor('the run', () => trigger.emits.length === 1, POST_POLL_MIN_INTERVAL_MS / 2);
	});

	test('a post that is not a confirmation is answered 400 and makes no poll', async () => {
		await listening();
		const before = listCalls();
		const answer = await listener.post({ hello: 'world' });
		expect(answer.status).toBe(400);
		await sleep(200);
		expect(listCalls()).toBe(before);
	});

	test('Allowed IPs: a post from another address is answered 403 and makes no poll', async () => {
		const parameters = { ...LISTEN, options: { allowedIps: '10.0.0.0/8' } };
		const trigger = await listening(parameters);
		const link = payLink(listener.url);
		const before = listCalls();
		const { status } = await paynet.pay(link.id);
		expect(status).toBe(403);
		await sleep(200);
		expect(listCalls()).toBe(before);
		expect(trigger.emits).toHaveLength(0);
	});

	test('an Allowed IPs entry that is not an address stops the activation, naming it', async () => {
		await expect(
			activatePollingTrigger(paynet, { parameters: { ...LISTEN, options: { allowedIps: '10.0.0.0/8, nonsense' } } }),
		).rejects.toThrow(/Allowed IPs .*nonsense/);
	});
});

describe('where the trigger does not run', () => {
	test('a process without the active trigger (a queue-mode webhook processor) answers the same; the payment runs at the next scheduled poll, once', async () => {
		const trigger = await listening();
		// The webhook answers in another process: here, under a workflow no trigger listens for.
		const elsewhere = await startListenServer(paynet, { parameters: LISTEN, workflowId: 'wf-on-another-process' });
		try {
			const link = payLink(elsewhere.url);
			const before = listCalls();
			const { status, responseText } = await paynet.pay(link.id);
			expect([status, JSON.parse(responseText)]).toEqual([200, LISTEN_REPLY]);
			await sleep(300);
			expect(listCalls()).toBe(before);
			expect(trigger.emits).toHaveLength(0);
			expect(elsewhere.runs).toEqual([]);
			await trigger.poll();
			expect(trigger.emits).toHaveLength(1);
			await trigger.poll();
			expect(trigger.emits).toHaveLength(1);
		} finally {
			await elsewhere.close();
		}
	});

	test('a closed trigger no longer polls on posts', async () => {
		const trigger = await listening();
		await trigger.close();
		active = [];
		const before = listCalls();
		const { confirmation } = await paynet.pay(payLink().id);
		expect((await listener.post(confirmation)).status).toBe(200);
		await sleep(200);
		expect(listCalls()).toBe(before);
	});
});

describe('test mode', () => {
	test('a post to the Test URL shows the newest matching payment as Paynet lists it, not the post’s body', async () => {
		await listening();
		listener.mode = 'manual';
		const link = payLink(undefined, { reference_no: 'n8n-listen-test-event' });
		const { transaction, confirmation } = await paynet.pay(link.id);
		const answer = await listener.post({ ...confirmation, amount: 1, referance_no: 'n8n-made-up' });
		expect(answer.status).toBe(200);
		expect(listener.runs).toHaveLength(1);
		expect(listener.runs[0][0]).toMatchObject({
			xact_id: transaction.xact_id,
			reference_no: 'n8n-listen-test-event',
			amount: 240.5,
			verified: true,
		});
	});

	test('a post to the Test URL about an earlier payment shows that payment, not a newer one', async () => {
		await listening();
		listener.mode = 'manual';
		const earlier = await paynet.pay(payLink(undefined, { reference_no: 'n8n-listen-earlier' }).id);
		await paynet.pay(payLink(undefined, { reference_no: 'n8n-listen-later' }).id);
		const answer = await listener.post(earlier.confirmation);
		expect(answer.status).toBe(200);
		expect(listener.runs[0][0]).toMatchObject({
			xact_id: earlier.transaction.xact_id,
			reference_no: 'n8n-listen-earlier',
		});
	});

	test('Listen off: the node has no webhook for n8n to register, so "Fetch Test Event" reads Paynet at once', () => {
		const { PaynetPollingTrigger } = require('../dist/nodes/Paynet/PaynetPollingTrigger.node.js');
		const [webhook] = new PaynetPollingTrigger().description.webhooks;
		expect(webhook.httpMethod).toBe('={{ $parameter["listen"] ? "POST" : "" }}');
	});
});

describe('pollOnPost: however many posts arrive, a bounded number of polls', () => {
	const listenWith = (ran) => {
		const polls = [];
		const stop = listenForPosts('wf-unit', 'node', async () => {
			polls.push(Date.now());
			return { ran: ran(polls.length) };
		});
		return { polls, stop };
	};

	test('50 posts at once: one poll now and one after the interval; a poll that ran nothing gets one second look', async () => {
		const { polls, stop } = listenWith((count) => (count === 1 ? 1 : 0));
		try {
			for (let index = 0; index < 50; index++) expect(pollOnPost('wf-unit', 'node')).toBe(true);
			await sleep(50);
			expect(polls).toHaveLength(1);
			await sleep(POST_POLL_MIN_INTERVAL_MS + 200);
			expect(polls).toHaveLength(2);
			// The second ran nothing: one more look, after twice the interval, and no more.
			await sleep(2 * POST_POLL_MIN_INTERVAL_MS + 200);
			expect(polls).toHaveLength(3);
			await sleep(4 * POST_POLL_MIN_INTERVAL_MS + 200);
			expect(polls).toHaveLength(3);
			expect(polls[1] - polls[0]).toBeGreaterThanOrEqual(POST_POLL_MIN_INTERVAL_MS - 10);
			expect(polls[2] - polls[1]).toBeGreaterThanOrEqual(2 * POST_POLL_MIN_INTERVAL_MS - 10);
		} finally {
			stop();
		}
		expect(pollOnPost('wf-unit', 'node')).toBe(false);
	}, 20_000);

	test('posts that name nothing new, every 100 ms for 7 s: the interval doubles after each empty poll, so two polls', async () => {
		const { polls, stop } = listenWith(() => 0);
		try {
			const until = Date.now() + 7_000;
			while (Date.now() < until) {
				pollOnPost('wf-unit', 'node');
				await sleep(100);
			}
			// At 0 s and at 4 s (2 s doubled); the next waits for 12 s.
			expect(polls).toHaveLength(2);
		} finally {
			stop();
		}
	}, 20_000);

	test('payments posted one after another, each poll starting a run: every post polls within the minimum interval', async () => {
		const { polls, stop } = listenWith(() => 1);
		try {
			const posted = [];
			for (let index = 0; index < 4; index++) {
				posted.push(Date.now());
				pollOnPost('wf-unit', 'node');
				await sleep(POST_POLL_MIN_INTERVAL_MS / 2);
			}
			await sleep(POST_POLL_MIN_INTERVAL_MS + 100);
			const latencies = posted.map((at) => polls.find((poll) => poll >= at - 5) - at);
			for (const latency of latencies) expect(latency).toBeLessThanOrEqual(POST_POLL_MIN_INTERVAL_MS + 50);
			expect(POST_POLL_MAX_INTERVAL_MS).toBeGreaterThan(POST_POLL_MIN_INTERVAL_MS);
		} finally {
			stop();
		}
	}, 20_000);
});

function workflowsId() {
	return `wf-listen-${workflows}`;
}

describe('a post names a payment Paynet lists too late to run', () => {
	test('listed by date, 5 h after its time: not run, and the warning names it (reference and xact_id), found where the post said', async () => {
		paynet.quirks.transactionsNewestFirst = true;
		const trigger = await listening();
		for (let index = 0; index < 3; index++) {
			await paynet.pay(payLink(undefined).id);
			await trigger.poll();
		}
		expect(trigger.emits).toHaveLength(3);
		const late = payLink(listener.url);
		const { status, transaction } = await paynet.pay(late.id, { at: new Date(Date.now() - 5 * 60 * 60 * 1000) });
		expect(status).toBe(200);
		const warning = await waitFor('the warning', () =>
			trigger.warnings().find((message) => message.includes(transaction.xact_id)),
		);
		expect(warning).toMatch(/more than 3 h after its payment time, not run/);
		expect(warning).toContain(`reference ${JSON.stringify(late.reference_no)}`);
		await trigger.poll();
		expect(trigger.emits).toHaveLength(3);
	});
});
