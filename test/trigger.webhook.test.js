'use strict';
// The Paynet Trigger over real HTTP: a PayLink is created on the Paynet test
// server with the trigger's URL as confirmation_url, paid, and Paynet's post
// reaches the trigger, which asks Paynet (the same test server) about it.
const { startPaynetServer } = require('./paynet-server');
const { createPayLink } = require('./paynet-server/mailorder');
const { confirmationFor } = require('./paynet-server/transaction');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./harness/engine');
const { startTriggerServer } = require('./harness/webhook');

let paynet;
let trigger;
/** Every body the trigger answered with, to show that none carries a secret. */
const answered = [];

beforeAll(async () => {
	paynet = await startPaynetServer();
	trigger = await startTriggerServer({ credentials: paynetCredentials(paynet) });
});
afterAll(async () => {
	await trigger?.close();
	await paynet?.close();
});
beforeEach(() => {
	paynet.requests.length = 0;
	trigger.reset();
	trigger.setParameters({});
});

function payLink(fields = {}) {
	return createPayLink(paynet, {
		name_surname: 'Ayşe Yılmaz',
		amount: 120.5,
		reference_no: `INV-${Math.random().toString(36).slice(2, 10)}`,
		confirmation_url: trigger.url,
		...fields,
	});
}

/** Pays the link; Paynet's test server posts the confirmation to the trigger. */
async function pay(link, options) {
	const result = await paynet.pay(link.id, options);
	if (result.responseText !== undefined) answered.push(result.responseText);
	return { ...result, body: result.responseText ? JSON.parse(result.responseText) : undefined };
}

/** Posts to the trigger as whoever knows its URL. */
async function post(body, options) {
	const response = await trigger.post(body, options);
	answered.push(response.text);
	return response;
}

describe('a paid PayLink starts the workflow once Paynet confirms the payment', () => {
	test('verified payment: 200, one run, the item normalised and marked verified', async () => {
		const link = payLink({ amount: 1234.56 });
		const { status, body, confirmation } = await pay(link);

		expect(status).toBe(200);
		expect(body).toEqual({ received: true, result: 'accepted' });
		expect(trigger.runs).toHaveLength(1);
		const [[item]] = trigger.runs;
		expect(item).toMatchObject({
			reference_no: link.reference_no,
			amount: 1234.56,
			net_amount: confirmation.netAmount,
			comission: confirmation.comission,
			is_succeed: true,
			order_id: confirmation.order_id,
			authorization_code: confirmation.authorization_code,
			xact_date: confirmation.xact_date,
			verified: true,
		});
		expect(item).not.toHaveProperty('referance_no');
		expect(item).not.toHaveProperty('netAmount');

		const checks = paynet.requestsTo('/v1/transaction/check');
		expect(checks).toHaveLength(1);
		expect(checks[0].body).toEqual({ reference_no: link.reference_no });
		expect(checks[0].headers.authorization).toBe(`Basic ${paynet.secretKey}`);
	});

	test('a link made by the Paynet node with the trigger URL gets a reference and is verified', async () => {
		const { items, error } = await runWorkflow(
			paynetWorkflow({
				parameters: {
					resource: 'payLink',
					operation: 'create',
					nameSurname: 'Mehmet Demir',
					amount: '1.250,00',
					additionalFields: { confirmationUrl: trigger.url },
				},
			}),
			{ credentials: paynetCredentials(paynet) },
		);
		expect(error).toBeUndefined();
		const reference = items[0].json.reference_no;
		expect(reference).toEqual(expect.any(String));

		const { status } = await pay({ id: items[0].json.id });
		expect(status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		expect(trigger.runs[0][0]).toMatchObject({ reference_no: reference, amount: 1250, verified: true });
	});

	test('the same confirmation posted again answers 200 and starts no second run', async () => {
		const { confirmation } = await pay(payLink());
		expect(trigger.runs).toHaveLength(1);

		const again = await post(confirmation);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ received: true, result: 'duplicate' });
		const asForm = await post(confirmation, { form: true });
		expect(asForm.status).toBe(200);
		expect(asForm.body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(1);
		// A later copy is asked about again: the payment's identity is Paynet's row, not the posted fields.
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(3);
	});

	test('with Deduplicate off, a repeated confirmation starts a run each time', async () => {
		trigger.setParameters({ options: { deduplicate: false } });
		const { confirmation } = await pay(payLink());
		await post(confirmation);
		expect(trigger.runs).toHaveLength(2);
		expect(trigger.staticData()).not.toHaveProperty(['node:Paynet Trigger', 'acceptedPayments']);
	});

	test('a form-encoded confirmation is read like a JSON one', async () => {
		const link = payLink({ amount: 99.9 });
		const { transaction } = await paynet.pay(link.id, {});
		// The link was posted as JSON already; this one counts as a replay unless the store is cleared.
		trigger.reset();
		const form = Object.fromEntries(
			Object.entries(confirmationFor(transaction, link)).map(([key, value]) => [key, String(value)]),
		);
		form.amount = '99,90';
		const response = await post(form, { form: true });
		expect(response.status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		expect(trigger.runs[0][0]).toMatchObject({ amount: 99.9, is_succeed: true, instalment: 0, verified: true });
	});
});

describe('posts that are not real payments start nothing', () => {
	test('a forged reference is refused with 403', async () => {
		const { confirmation } = await pay(payLink());
		trigger.reset();
		const response = await post({ ...confirmation, referance_no: 'INV-forged' });
		expect(response.status).toBe(403);
		expect(response.body).toEqual({ received: false, message: 'Payment could not be verified' });
		expect(trigger.runs).toHaveLength(0);
		expect(paynet.requestsTo('/v1/transaction/check').at(-1).body).toEqual({ reference_no: 'INV-forged' });
	});

	test('a real reference with another amount is refused with 403', async () => {
		const { confirmation } = await pay(payLink({ amount: 500 }));
		trigger.reset();
		const response = await post({ ...confirmation, amount: 5000 });
		expect(response.status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
		// Not remembered: the genuine post is still accepted afterwards.
		expect((await post(confirmation)).status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
	});

	test('a real reference with another authorization code is refused with 403', async () => {
		const { confirmation } = await pay(payLink());
		trigger.reset();
		const response = await post({ ...confirmation, authorization_code: '000000' });
		expect(response.status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
	});

	test('a JSON body that is not a confirmation gets 400 and Paynet is not asked', async () => {
		const response = await post({ hello: 'world' });
		expect(response.status).toBe(400);
		expect(response.body).toMatchObject({ received: false, message: 'Not a Paynet payment confirmation' });
		expect(response.body.problem).toMatch(/amount/);
		expect(trigger.runs).toHaveLength(0);
		expect(paynet.requests).toHaveLength(0);
	});

	test('a failed payment does not start a "successful payment" trigger, and says so', async () => {
		const link = payLink();
		const { transaction } = await paynet.pay(link.id, { succeed: false });
		const response = await post(confirmationFor(transaction, link));
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ received: true, result: 'ignored' });
		expect(response.body.message).toMatch(/not successful/);
		expect(trigger.runs).toHaveLength(0);
		expect(paynet.requests).toHaveLength(0);
	});

	test('with Event "Any Payment", a failed payment that Paynet confirms as failed starts a run', async () => {
		trigger.setParameters({ event: 'anyPayment' });
		const link = payLink();
		const { transaction } = await paynet.pay(link.id, { succeed: false });
		const failed = confirmationFor(transaction, link);
		expect((await post(failed)).status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		expect(trigger.runs[0][0]).toMatchObject({ is_succeed: false, verified: true });
		// A failed payment posted as a success is not what Paynet has.
		trigger.reset();
		expect((await post({ ...failed, is_succeed: true, authorization_code: '111111' })).status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
	});
});

describe('a link without a reference number is verified through the day’s transaction list', () => {
	test('found by order id, authorization code and amount on the Istanbul day of xact_date', async () => {
		// An older link paid earlier the same day, so the match is not simply the first row.
		await paynet.pay(payLink({ reference_no: undefined, confirmation_url: undefined, amount: 75 }).id);
		const link = payLink({ reference_no: undefined, amount: 75 });
		const { status, confirmation } = await pay(link);

		expect(confirmation.referance_no).toBe('');
		expect(status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		// Paynet's row, as Paynet has it: the link has no reference.
		expect(trigger.runs[0][0]).toMatchObject({ reference_no: '', order_id: confirmation.order_id, verified: true });
		const [list] = paynet.requestsTo('/v1/transaction/list');
		const day = confirmation.xact_date.slice(0, 10);
		expect(list.body).toMatchObject({ datab: day, datbi: day });
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(0);
	});

	test('pages through a busy day', async () => {
		for (let index = 0; index < 7; index++) {
			await paynet.pay(payLink({ reference_no: undefined, confirmation_url: undefined, amount: 10 + index }).id);
		}
		paynet.maxPageSize = 3;
		try {
			const { status } = await pay(payLink({ reference_no: undefined, amount: 42 }));
			expect({ status, logs: trigger.logs }).toEqual({ status: 200, logs: [] });
			expect(trigger.runs).toHaveLength(1);
			expect(paynet.requestsTo('/v1/transaction/list').length).toBeGreaterThan(1);
		} finally {
			paynet.maxPageSize = 100;
		}
	});

	test('an order id Paynet does not list is refused with 403', async () => {
		const link = payLink({ reference_no: undefined, confirmation_url: undefined, amount: 75 });
		const { transaction } = await paynet.pay(link.id);
		const response = await post({ ...confirmationFor(transaction, link), order_id: 'ORD-forged' });
		expect(response.status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
	});

	test('without reference, order id and authorization code there is nothing to verify: 400', async () => {
		const link = payLink({ reference_no: undefined, confirmation_url: undefined });
		const { transaction } = await paynet.pay(link.id);
		const response = await post({ ...confirmationFor(transaction, link), order_id: '', authorization_code: '' });
		expect(response.status).toBe(400);
		expect(trigger.runs).toHaveLength(0);
	});
});

describe('when Paynet cannot be asked, the sender is told to retry', () => {
	test('Paynet answering 5xx: 503 with Retry-After, no run, and the same post is accepted later', async () => {
		paynet.inject('/v1/transaction/check', { status: 500 }, { status: 502 }, { status: 503 });
		const link = payLink();
		const { status, body, confirmation, responseText } = await pay(link);
		expect(status).toBe(503);
		expect(body).toEqual({ received: false, message: 'Payment could not be verified right now; try again later' });
		expect(responseText).not.toMatch(/Injected failure|api_error/);
		expect(trigger.runs).toHaveLength(0);
		// Retried quickly, within the webhook's short budget.
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(3);

		const retry = await post(confirmation);
		expect(retry.status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
	});

	test('Paynet unreachable: 503 and no run', async () => {
		const unreachable = await startPaynetServer();
		await unreachable.close();
		const lonely = await startTriggerServer({ credentials: paynetCredentials(unreachable) });
		try {
			const link = payLink({ confirmation_url: lonely.url });
			const { transaction } = await paynet.pay(link.id, {});
			const started = Date.now();
			const response = await lonely.post(confirmationFor(transaction, link));
			answered.push(response.text);
			expect(response.status).toBe(503);
			expect(response.headers.get('retry-after')).toBe('60');
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(lonely.runs).toHaveLength(0);
			expect(lonely.logs.some((log) => log.level === 'error' && /could not verify/.test(log.message))).toBe(true);
		} finally {
			await lonely.close();
		}
	});

	test('a wrong secret key on our side is a 503 (not the sender’s fault), and the key is not echoed', async () => {
		const wrongKey = await startTriggerServer({
			credentials: paynetCredentials(paynet, { secretKey: 'sck_wrong_key_123' }),
		});
		try {
			const link = payLink({ confirmation_url: wrongKey.url });
			const { transaction } = await paynet.pay(link.id, {});
			const response = await wrongKey.post(confirmationFor(transaction, link));
			answered.push(response.text);
			expect(response.status).toBe(503);
			expect(response.text).not.toMatch(/sck_|secret|key/i);
			expect(wrongKey.runs).toHaveLength(0);
			expect(wrongKey.logs.some((log) => /secret key/.test(log.message))).toBe(true);
		} finally {
			await wrongKey.close();
		}
	});
});

describe('IP allow-list', () => {
	test('a sender outside Allowed IPs gets 403, whatever X-Forwarded-For claims', async () => {
		trigger.setParameters({ options: { allowedIps: '10.0.0.0/8' } });
		const { confirmation } = await pay(payLink());
		expect(trigger.runs).toHaveLength(0);
		const forwarded = await post(confirmation, { headers: { 'X-Forwarded-For': '10.1.2.3' } });
		expect(forwarded.status).toBe(403);
		expect(forwarded.body).toEqual({ received: false, message: 'Forbidden' });
		expect(trigger.runs).toHaveLength(0);
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(0);
	});

	test('a listed sender is let in (127.0.0.1 as an address, or inside a range)', async () => {
		trigger.setParameters({ options: { allowedIps: '203.0.113.7, 127.0.0.0/8, ::1' } });
		const { status } = await pay(payLink());
		expect(status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
	});

	test('an unreadable Allowed IPs entry refuses activation, and posts get 500, never a run', async () => {
		trigger.setParameters({ options: { allowedIps: '10.0.0.0/8, 10.0.0.300' } });
		await expect(trigger.create()).rejects.toThrow(/Allowed IPs.*10\.0\.0\.300/);
		const response = await post({ referance_no: 'x', amount: 1, is_succeed: true });
		expect(response.status).toBe(500);
		expect(response.body).toEqual({ received: false, message: 'The trigger is not configured correctly' });
		expect(trigger.runs).toHaveLength(0);
	});
});

describe('without verification', () => {
	test('Verify With Paynet off: accepted without a credential or a call to Paynet, marked unverified', async () => {
		const open = await startTriggerServer({ parameters: { verifyWithApi: false } });
		try {
			const link = payLink({ confirmation_url: open.url });
			const { status } = await paynet.pay(link.id);
			expect(status).toBe(200);
			expect(open.runs).toHaveLength(1);
			expect(open.runs[0][0]).toMatchObject({ reference_no: link.reference_no, verified: false });
			expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(0);
		} finally {
			await open.close();
		}
	});
});

describe('a trigger that cannot verify', () => {
	test('verification on but no credential: 500 with a generic message, no run, the reason in the log', async () => {
		const noCredential = await startTriggerServer({ credentials: {} });
		try {
			const link = payLink({ confirmation_url: noCredential.url });
			const { status, responseText } = await paynet.pay(link.id);
			answered.push(responseText);
			expect(status).toBe(500);
			expect(JSON.parse(responseText)).toEqual({ received: false, message: 'The trigger is not configured correctly' });
			expect(noCredential.runs).toHaveLength(0);
			expect(noCredential.logs.some((log) => /credential/.test(log.message))).toBe(true);
		} finally {
			await noCredential.close();
		}
	});
});

describe('webhook lifecycle (Paynet has no registration API)', () => {
	test('create remembers the production URL, checkExists reports it, delete forgets it but keeps dedupe keys', async () => {
		expect(await trigger.checkExists()).toBe(false);
		expect(await trigger.create()).toBe(true);
		expect(await trigger.checkExists()).toBe(true);
		expect(trigger.staticData()['node:Paynet Trigger'].webhookUrl).toBe(trigger.productionUrl);

		await pay(payLink());
		expect(await trigger.delete()).toBe(true);
		expect(await trigger.checkExists()).toBe(false);
		expect(trigger.staticData()['node:Paynet Trigger'].acceptedPayments).toMatch(/^[0-9a-f]{24}$/);
	});
});

describe('what the sender is told', () => {
	// Runs last: collects every answer the tests above received.
	test('no answer carried the secret key or anything of Paynet’s verification response', () => {
		expect(answered.length).toBeGreaterThan(20);
		for (const text of answered) {
			expect(text).not.toContain(paynet.secretKey);
			expect(text).not.toContain('sck_');
			expect(text).not.toMatch(/Başarılı|transaction_check|no_data_error|Injected|xk_/);
		}
	});
});
