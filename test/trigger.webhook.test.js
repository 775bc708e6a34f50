'use strict';
// The Paynet Trigger over real HTTP: a PayLink is created on the Paynet test
// server with the trigger's URL as confirmation_url, paid, and Paynet's post
// reaches the trigger, which asks Paynet (the same test server) about it.
const { startPaynetServer } = require('./paynet-server');
const { createPayLink } = require('./paynet-server/mailorder');
const { confirmationFor } = require('./paynet-server/transaction');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./harness/engine');
const { startTriggerServer } = require('./harness/webhook');
const { useTriggerServer } = require('./harness/paynetTest');

const { paynet, trigger } = useTriggerServer();

/** Every answer is checked as it arrives: none may carry the key or anything of Paynet's verification response. */
function expectNothingEchoed(text) {
	expect(text).not.toContain(paynet.secretKey);
	expect(text).not.toContain('sck_');
	expect(text).not.toMatch(/Başarılı|transaction_check|no_data_error|Injected|xk_/);
}

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
	if (result.responseText !== undefined) expectNothingEchoed(result.responseText);
	return { ...result, body: result.responseText ? JSON.parse(result.responseText) : undefined };
}

/** Posts to the trigger as whoever knows its URL. */
async function post(body, options) {
	const response = await trigger.post(body, options);
	expectNothingEchoed(response.text);
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
			expectNothingEchoed(response.text);
			expect(response.status).toBe(503);
			expect(response.headers.get('retry-after')).toBe('60');
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(lonely.runs).toHaveLength(0);
			expect(lonely.logs.some((log) => log.level === 'warn' && /could not verify/.test(log.message))).toBe(true);
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
			expectNothingEchoed(response.text);
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
			expectNothingEchoed(responseText);
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
		expect(Object.keys(trigger.staticData()['node:Paynet Trigger'].acceptedPayments)).toEqual([
			expect.stringMatching(/^xact:xk_/),
		]);
	});
});

describe('what the sender is told', () => {
	test('no answer carries the secret key or anything of Paynet’s verification response', async () => {
		const { confirmation } = await pay(payLink());
		const texts = [
			(await post(confirmation)).text,
			(await post({ ...confirmation, referance_no: 'INV-forged' })).text,
			(await post({ hello: 'world' })).text,
		];
		paynet.inject('/v1/transaction/check', { status: 500 }, { status: 500 }, { status: 500 });
		texts.push((await post({ ...confirmation, referance_no: 'INV-other' })).text);
		expect(texts.map((text) => JSON.parse(text).message ?? JSON.parse(text).result)).toEqual([
			'Already received',
			'Payment could not be verified',
			'Not a Paynet payment confirmation',
			'Payment could not be verified right now; try again later',
		]);
		for (const text of texts) expectNothingEchoed(text);
	});
});

// ---------------------------------------------------------------------------
// One payment, one run: identity, concurrency, replays, memory (issue 10).

const { createHash } = require('node:crypto');
const { istanbulDateTime } = require('./paynet-server/formats');
const { MEMORY_MAX_ENTRIES, MEMORY_TTL_MS } = require('../dist/nodes/Paynet/trigger/dedupe');
const { LOOKUPS_MAX_IN_FLIGHT } = require('../dist/nodes/Paynet/trigger/registry');

const NODE_DATA = 'node:Paynet Trigger';
const HOUR = 60 * 60 * 1000;

/** A paid link whose confirmation has not been posted yet: the test posts it (and its copies) itself. */
async function paidConfirmation(fields = {}, options = {}) {
	const link = payLink({ confirmation_url: undefined, ...fields });
	const { transaction } = await paynet.pay(link.id, options);
	return { link, transaction, confirmation: confirmationFor(transaction, link) };
}

function memory() {
	return trigger.staticData()[NODE_DATA] ?? {};
}

function results(responses) {
	return responses.map((response) => `${response.status} ${response.body?.result ?? response.body?.message}`).sort();
}

describe('copies posted at the same moment start one run', () => {
	test('a burst of 8 identical posts while Paynet answers slowly: one run, one look-up, 7 duplicates', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.latencyMs = 300;
		const responses = await Promise.all(
			Array.from({ length: 8 }, (_, index) => post(confirmation, { form: index % 2 === 1 })),
		);
		expect(results(responses)).toEqual(['200 accepted', ...new Array(7).fill('200 duplicate')]);
		expect(trigger.runs).toHaveLength(1);
		// The copies waited for the first verification instead of asking Paynet themselves.
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(1);
		expect(Object.keys(memory().acceptedPayments)).toHaveLength(1);
	});

	test('a burst of replay variants at the same moment also starts one run', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.latencyMs = 200;
		const { order_id, ...withoutOrder } = confirmation;
		const variants = [
			confirmation,
			{ ...confirmation, xact_date: '2020-01-01T00:00:00' },
			withoutOrder,
			{ ...confirmation, authorization_code: '' },
			{ ...confirmation, note: 'extra' },
			{ ...confirmation, amount: String(confirmation.amount).replace('.', ',') },
		];
		const responses = await Promise.all(variants.map((variant) => post(variant)));
		expect(results(responses)).toEqual(['200 accepted', ...new Array(5).fill('200 duplicate')]);
		expect(trigger.runs).toHaveLength(1);
	});

	test('when the first copy gets 503, a copy that waited for it verifies for itself and starts the one run', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.latencyMs = 100;
		// Every attempt of the first verification fails; the next verification finds Paynet well.
		paynet.inject('/v1/transaction/check', { status: 503 }, { status: 503 }, { status: 503 });
		const responses = await Promise.all(Array.from({ length: 6 }, () => post(confirmation)));
		expect(results(responses)).toEqual([
			'200 accepted',
			...new Array(4).fill('200 duplicate'),
			'503 Payment could not be verified right now; try again later',
		]);
		expect(trigger.runs).toHaveLength(1);
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(4);
	});

	test('while Paynet stays down, a burst is answered 503 after at most two verifications, none queued behind all', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.latencyMs = 50;
		paynet.inject('/v1/transaction/check', ...new Array(30).fill({ status: 503 }));
		const responses = await Promise.all(Array.from({ length: 6 }, () => post(confirmation)));
		expect(results(responses)).toEqual(
			new Array(6).fill('503 Payment could not be verified right now; try again later'),
		);
		// Two verifications of 3 attempts each: the first, and the one copy that tried again.
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(6);
		expect(trigger.runs).toHaveLength(0);
	});

	test('a burst of one forged post: all 403, Paynet asked once', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.latencyMs = 200;
		const forged = { ...confirmation, referance_no: 'INV-forged' };
		const responses = await Promise.all(Array.from({ length: 5 }, () => post(forged)));
		expect(results(responses)).toEqual(new Array(5).fill('403 Payment could not be verified'));
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(1);
		expect(trigger.runs).toHaveLength(0);
	});

	test('two different payments accepted at the same moment are both remembered, whichever save comes last', async () => {
		const first = await paidConfirmation();
		const second = await paidConfirmation();
		paynet.latencyMs = 200;
		const responses = await Promise.all([post(first.confirmation), post(second.confirmation)]);
		expect(results(responses)).toEqual(['200 accepted', '200 accepted']);
		expect(Object.keys(memory().acceptedPayments)).toHaveLength(2);
		// A new process has only the static data to go by.
		trigger.restartProcess();
		paynet.latencyMs = 0;
		expect((await post(first.confirmation)).body.result).toBe('duplicate');
		expect((await post(second.confirmation)).body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(2);
	});
});

describe('no accepted payment is lost from static data by a concurrent save in this process', () => {
	test.each([
		['verified', {}],
		['with verification off', { verifyWithApi: false }],
	])(
		'%s: a call that loaded its static data before another call saved still saves that call’s payment',
		async (_case, parameters) => {
			trigger.setParameters(parameters);
			const first = await paidConfirmation();
			const second = await paidConfirmation();
			// The second post loads its static data while the first is between its own load and its save.
			trigger.setLoadGap(150);
			const firstDone = post(first.confirmation);
			await new Promise((resolve) => setTimeout(resolve, 75));
			const responses = await Promise.all([firstDone, post(second.confirmation)]);
			expect(results(responses)).toEqual(['200 accepted', '200 accepted']);
			expect(Object.keys(memory().acceptedPayments)).toHaveLength(2);
			trigger.restartProcess();
			trigger.setLoadGap(0);
			expect((await post(first.confirmation)).body.result).toBe('duplicate');
			expect((await post(second.confirmation)).body.result).toBe('duplicate');
			expect(trigger.runs).toHaveLength(2);
		},
	);
});

describe('a payment lost by n8n’s last-save-wins race', () => {
	/** Two different payments accepted at once, the first call's save landing after the second's: static data lacks the second. */
	async function loseTheSecondSave() {
		const first = await paidConfirmation();
		const second = await paidConfirmation();
		paynet.latencyMs = 50;
		trigger.setSaveDelay((call) => (call === 1 ? 300 : 0));
		const firstDone = post(first.confirmation);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(results(await Promise.all([firstDone, post(second.confirmation)]))).toEqual([
			'200 accepted',
			'200 accepted',
		]);
		await new Promise((resolve) => setTimeout(resolve, 400));
		paynet.latencyMs = 0;
		trigger.setSaveDelay(() => 0);
		return { first, second };
	}

	test('the process still refuses a replay of it', async () => {
		const { first, second } = await loseTheSecondSave();
		expect(Object.keys(memory().acceptedPayments)).toHaveLength(1);
		expect((await post(second.confirmation)).body.result).toBe('duplicate');
		expect((await post({ ...second.confirmation, order_id: '', authorization_code: '' })).body.result).toBe(
			'duplicate',
		);
		expect(trigger.runs).toHaveLength(2);
	});

	test('the next payment the process accepts saves it again, so a replay after a restart starts nothing', async () => {
		const { first, second } = await loseTheSecondSave();
		const third = await paidConfirmation();
		expect((await post(third.confirmation)).body.result).toBe('accepted');
		expect(Object.keys(memory().acceptedPayments)).toHaveLength(3);
		trigger.restartProcess();
		for (const { confirmation } of [first, second, third])
			expect((await post(confirmation)).body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(3);
	});
});

describe('the Test URL', () => {
	test('a payment posted to the Test URL does not make the production post of it a duplicate', async () => {
		const { confirmation } = await paidConfirmation();
		trigger.setMode('manual');
		expect((await post(confirmation)).body.result).toBe('accepted');
		expect((await post(confirmation)).body.result).toBe('duplicate');
		trigger.setMode('webhook');
		expect((await post(confirmation)).body.result).toBe('accepted');
		expect(trigger.runs).toHaveLength(2);
	});
});

describe('a replay is a duplicate, whatever was changed in it', () => {
	test.each([
		[
			'xact_date moved by a second',
			(c) => ({
				...c,
				xact_date: c.xact_date.replace(
					/\d\d\.(\d+)$/,
					(m, f) => `${String((Number(m.slice(0, 2)) + 1) % 60).padStart(2, '0')}.${f}`,
				),
			}),
		],
		['order_id dropped', ({ order_id, ...rest }) => rest],
		['authorization_code dropped', ({ authorization_code, ...rest }) => rest],
		['both codes empty', (c) => ({ ...c, order_id: '', authorization_code: '' })],
		['extra fields', (c) => ({ ...c, note: 'again', xact_transaction_id: 'x' })],
		['amount as text "120,50"', (c) => ({ ...c, amount: '120,50' })],
		['card holder and net amount changed', (c) => ({ ...c, card_holder: 'Someone Else', netAmount: 1 })],
	])('%s: 200 duplicate, no second run (also after a restart)', async (_case, change) => {
		const { confirmation } = await paidConfirmation({ amount: 120.5 });
		expect((await post(confirmation)).body.result).toBe('accepted');
		const replay = change(confirmation);
		const again = await post(replay);
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ received: true, result: 'duplicate', message: 'Already received' });
		trigger.restartProcess();
		expect((await post(replay)).body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(1);
	});

	test('Verify With Paynet off: the weaker posted-field identity, so a changed xact_date is a new run', async () => {
		trigger.setParameters({ verifyWithApi: false });
		const { confirmation } = await paidConfirmation();
		expect((await post(confirmation)).body.result).toBe('accepted');
		expect((await post({ ...confirmation, amount: String(confirmation.amount).replace('.', ',') })).body.result).toBe(
			'duplicate',
		);
		expect((await post({ ...confirmation, xact_date: '2020-01-01T00:00:00' })).body.result).toBe('accepted');
		expect(trigger.runs).toHaveLength(2);
		expect(paynet.requests).toHaveLength(0);
	});
});

describe('the verified run carries Paynet’s values, not the posted ones', () => {
	test('a tampered net amount, card holder and xact_date never reach the run; the post is kept under posted', async () => {
		const { confirmation, transaction } = await paidConfirmation({ amount: 250 });
		const tampered = {
			...confirmation,
			netAmount: 249.99,
			card_holder: 'Made Up',
			xact_date: '2030-01-01T00:00:00',
			card_number: '999999****9999',
			injected: 'posted only',
		};
		expect((await post(tampered)).status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		const [[item]] = trigger.runs;
		expect(item).toMatchObject({
			amount: 250,
			net_amount: transaction.netAmount,
			comission: transaction.comission,
			comission_tax: transaction.comission_tax,
			card_holder: transaction.card_holder,
			card_number: transaction.card_no,
			instalment: transaction.instalment,
			xact_date: transaction.xact_date,
			xact_id: transaction.xact_id,
			order_id: transaction.order_id,
			authorization_code: transaction.authorization_code,
			reference_no: transaction.agent_reference,
			currency: 'TRY',
			is_succeed: true,
			verified: true,
		});
		expect(item).not.toHaveProperty('injected');
		expect(item).not.toHaveProperty('agent_reference');
		expect(item.posted).toMatchObject({
			reference_no: confirmation.referance_no,
			net_amount: 249.99,
			card_holder: 'Made Up',
			xact_date: '2030-01-01T00:00:00',
			injected: 'posted only',
		});
	});
});

describe('the reference-less path is bounded', () => {
	test.each([
		['three days ago', -72 * HOUR],
		['49 hours ago', -49 * HOUR],
		['tomorrow', 24 * HOUR],
		['ten minutes ahead', 10 * 60 * 1000],
	])('a reference-less post dated %s: 403 without a call to Paynet', async (_case, offset) => {
		const { confirmation } = await paidConfirmation({ reference_no: undefined, amount: 75 });
		const response = await post({ ...confirmation, xact_date: istanbulDateTime(new Date(Date.now() + offset)) });
		expect(response.status).toBe(403);
		expect(response.body).toEqual({ received: false, message: 'Payment could not be verified' });
		expect(paynet.requests).toHaveLength(0);
		expect(trigger.logs.filter((log) => log.level === 'warn')).toHaveLength(1);
		expect(trigger.logs[0].message).toMatch(/48 hours|future/);
	});

	test('a reference-less post from an hour ago is still looked up', async () => {
		const { confirmation } = await paidConfirmation(
			{ reference_no: undefined, amount: 75 },
			{ at: new Date(Date.now() - HOUR) },
		);
		expect((await post(confirmation)).status).toBe(200);
		expect(paynet.requestsTo('/v1/transaction/list').length).toBeGreaterThan(0);
	});

	test('at most 2 reference-less look-ups at once; a third is told 503 with Retry-After', async () => {
		const posts = [];
		for (const amount of [71, 72, 73])
			posts.push((await paidConfirmation({ reference_no: undefined, amount })).confirmation);
		paynet.latencyMs = 300;
		const responses = await Promise.all(posts.map((confirmation) => post(confirmation)));
		expect(results(responses)).toEqual([
			'200 accepted',
			'200 accepted',
			'503 Too many confirmations being verified; try again later',
		]);
		const busy = responses.find((response) => response.status === 503);
		expect(busy.headers.get('retry-after')).toBe('10');
		expect(paynet.maxInFlight).toBe(2);
		// Copies of one reference-less post share a look-up and take no extra slot.
		paynet.latencyMs = 0;
		expect((await post(posts[2])).status).toBe(200);
		expect(trigger.runs).toHaveLength(3);
	});

	test('the page cap still holds: a match beyond 50 pages is not read for (503), Paynet asked at most 50 times', async () => {
		for (let index = 0; index < 55; index++) {
			await paynet.pay(payLink({ reference_no: undefined, confirmation_url: undefined, amount: 5 }).id);
		}
		const { confirmation } = await paidConfirmation({ reference_no: undefined, amount: 75 });
		paynet.maxPageSize = 1;
		const response = await post(confirmation);
		expect(response.status).toBe(503);
		expect(paynet.requestsTo('/v1/transaction/list')).toHaveLength(50);
		expect(trigger.runs).toHaveLength(0);
	});
});

describe('posts in the form Paynet may use', () => {
	test.each([
		['"true"', 'true', '120.50'],
		['"True"', 'True', '120,50'],
		['"1"', '1', '120,5'],
	])('a form-encoded post with is_succeed %s is handled like JSON', async (_case, flag, amount) => {
		const { confirmation, transaction } = await paidConfirmation({ amount: 120.5 });
		const form = Object.fromEntries(Object.entries(confirmation).map(([key, value]) => [key, String(value)]));
		form.is_succeed = flag;
		form.amount = amount;
		const response = await post(form, { form: true });
		expect(response.body).toEqual({ received: true, result: 'accepted' });
		expect(trigger.runs[0][0]).toMatchObject({
			amount: 120.5,
			is_succeed: true,
			xact_id: transaction.xact_id,
			verified: true,
		});
		expect((await post(confirmation)).body.result).toBe('duplicate');
	});

	test('an xact_id in the post is what Paynet is asked by', async () => {
		const { confirmation, transaction } = await paidConfirmation();
		const response = await post({ ...confirmation, xact_id: transaction.xact_id }, { form: true });
		expect(response.status).toBe(200);
		expect(paynet.requestsTo('/v1/transaction/check').map((request) => request.body)).toEqual([
			{ xact_id: transaction.xact_id },
		]);
		expect(trigger.runs).toHaveLength(1);
		// The same payment posted by reference is the same payment.
		expect((await post(confirmation)).body.result).toBe('duplicate');
	});

	test('an xact_id whose row has another reference than the posted one is refused', async () => {
		const { confirmation, transaction } = await paidConfirmation();
		const response = await post({ ...confirmation, xact_id: transaction.xact_id, referance_no: 'INV-other' });
		expect(response.status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
	});

	test('an xact_id without a reference is looked up by check, not in the day’s list', async () => {
		const { confirmation, transaction } = await paidConfirmation({ reference_no: undefined });
		const response = await post({ ...confirmation, xact_id: transaction.xact_id, xact_date: '2020-01-01T00:00:00' });
		expect(response.status).toBe(200);
		expect(paynet.requestsTo('/v1/transaction/list')).toHaveLength(0);
		expect(trigger.runs[0][0].xact_date).toBe(transaction.xact_date);
	});
});

describe('the memory of accepted payments', () => {
	const DAY = 24 * HOUR;

	/** A memory of `count` entries (made-up xact_ids) of payments made `ageMs` ago, oldest first. */
	function filledMemory(count, ageMs, extra = {}) {
		const acceptedPayments = {};
		const paidAt = new Date(Date.now() - ageMs).toISOString();
		for (let index = 0; index < count; index++) acceptedPayments[`xact:filled-${index}`] = paidAt;
		return { [NODE_DATA]: { acceptedPayments, ...extra } };
	}

	test('plain data a person can read: Paynet’s xact_id and Paynet’s payment time, nothing encoded', async () => {
		const paidAt = new Date(Date.now() - 5 * HOUR);
		const { confirmation, transaction } = await paidConfirmation({}, { at: paidAt });
		expect((await post(confirmation)).body.result).toBe('accepted');
		// Paynet's time of the payment, not the time it was posted.
		expect(memory().acceptedPayments).toEqual({ [`xact:${transaction.xact_id}`]: paidAt.toISOString() });
		expect(memory()).not.toHaveProperty('forgottenUpTo');
	});

	test('a verified payment older than what the memory covers: 200 ignored, no run, a warning with reference and xact_id', async () => {
		const { confirmation, transaction } = await paidConfirmation({}, { at: new Date(Date.now() - 10 * HOUR) });
		trigger.setStaticData(filledMemory(3, HOUR, { forgottenUpTo: new Date(Date.now() - 2 * HOUR).toISOString() }));
		const response = await post(confirmation);
		expect(response.status).toBe(200);
		expect(response.body).toEqual({
			received: true,
			result: 'ignored',
			message: 'Payment older than the trigger remembers; no run started',
		});
		expect(trigger.runs).toHaveLength(0);
		expect(trigger.logs).toEqual([
			{
				level: 'warn',
				message: expect.stringMatching(
					new RegExp(
						`older than the trigger remembers.*reference ${confirmation.referance_no}, xact_id ${transaction.xact_id}$`,
					),
				),
			},
		]);
		// A payment Paynet dated after the horizon is accepted, however close to it.
		const { confirmation: recent } = await paidConfirmation({}, { at: new Date(Date.now() - 2 * HOUR + 2000) });
		expect((await post(recent)).body.result).toBe('accepted');
	});

	test('a failed payment ignored by a "successful payment" trigger is a warning too', async () => {
		const { confirmation } = await paidConfirmation({}, { succeed: false });
		const response = await post(confirmation);
		expect(response.body.result).toBe('ignored');
		expect(trigger.logs).toEqual([{ level: 'warn', message: expect.stringMatching(/not successful.*reference INV-/) }]);
	});

	test(`a memory of ${MEMORY_MAX_ENTRIES} entries holds: each is still a duplicate, and the next payment drops the oldest`, async () => {
		trigger.setStaticData(filledMemory(MEMORY_MAX_ENTRIES, HOUR));
		const { confirmation, transaction } = await paidConfirmation();
		expect((await post(confirmation)).body.result).toBe('accepted');
		const kept = Object.keys(memory().acceptedPayments);
		expect(kept).toHaveLength(MEMORY_MAX_ENTRIES);
		expect(kept[0]).toBe('xact:filled-1');
		expect(kept[kept.length - 1]).toBe(`xact:${transaction.xact_id}`);
		// What it had to forget sets the horizon: the newest payment time among the dropped.
		expect(Date.parse(memory().forgottenUpTo)).toBeGreaterThan(Date.now() - HOUR - 5000);
		expect((await post(confirmation)).body.result).toBe('duplicate');
		const { confirmation: old } = await paidConfirmation({}, { at: new Date(Date.now() - 3 * HOUR) });
		expect((await post(old)).body.result).toBe('ignored');
		expect(trigger.runs).toHaveLength(1);
	});

	test('entries Paynet dated more than 7 days ago are dropped by age, and the horizon moves to them', async () => {
		const data = filledMemory(1000, MEMORY_TTL_MS + HOUR);
		Object.assign(data[NODE_DATA].acceptedPayments, filledMemory(5, DAY)[NODE_DATA].acceptedPayments);
		for (let index = 0; index < 5; index++) delete data[NODE_DATA].acceptedPayments[`xact:filled-${index}`];
		data[NODE_DATA].acceptedPayments['xact:young'] = new Date(Date.now() - DAY).toISOString();
		trigger.setStaticData(data);
		const { confirmation } = await paidConfirmation();
		expect((await post(confirmation)).body.result).toBe('accepted');
		const kept = Object.keys(memory().acceptedPayments);
		expect(kept).toEqual(['xact:young', expect.stringMatching(/^xact:xk_/)]);
		const horizon = Date.parse(memory().forgottenUpTo);
		expect(horizon).toBeLessThan(Date.now() - MEMORY_TTL_MS);
		expect(horizon).toBeGreaterThan(Date.now() - MEMORY_TTL_MS - HOUR - 5000);
	});

	test('an unreadable payment time while the memory has forgotten something: 503, no run, no claim; readable later, one run', async () => {
		const { confirmation, transaction } = await paidConfirmation();
		const readable = transaction.xact_date;
		transaction.xact_date = 'soon';
		trigger.setStaticData(filledMemory(3, HOUR, { forgottenUpTo: new Date(Date.now() - 2 * HOUR).toISOString() }));
		const response = await post(confirmation);
		expect(response.status).toBe(503);
		expect(trigger.runs).toHaveLength(0);
		expect(Object.keys(memory().acceptedPayments)).toHaveLength(3);
		expect(trigger.logs).toEqual([
			{ level: 'warn', message: expect.stringMatching(/payment time "soon" cannot be read.*xact_id xk_/) },
		]);
		// Nothing forgotten: nothing to tell it from, so it runs (and is kept with the latest time Paynet's clock can say).
		trigger.setStaticData(filledMemory(3, HOUR));
		expect((await post(confirmation)).status).toBe(200);
		expect(trigger.runs).toHaveLength(1);
		transaction.xact_date = readable;
		expect((await post(confirmation)).body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(1);
	});

	test('a payment accepted with verification off (a posted-field key) is a duplicate when posted again verified', async () => {
		const { confirmation } = await paidConfirmation();
		trigger.setParameters({ verifyWithApi: false });
		expect((await post(confirmation)).body.result).toBe('accepted');
		expect(Object.keys(memory().acceptedPayments)).toEqual([expect.stringMatching(/^post:[0-9a-f]{32}$/)]);
		trigger.setParameters({ verifyWithApi: true });
		trigger.restartProcess();
		const response = await post(confirmation);
		expect(response.body).toEqual({ received: true, result: 'duplicate', message: 'Already received' });
		expect(trigger.runs).toHaveLength(1);
	});
});

describe('answers that prove nothing are 503, and a redelivery then runs once', () => {
	test('a bare HTTP 404 (a proxy, a wrong path) is 503, not 403; the redelivery starts one run', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.inject('/v1/transaction/check', { status: 404, body: '<html><body>404 Not Found</body></html>' });
		const refused = await post(confirmation);
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBe('60');
		expect(trigger.runs).toHaveLength(0);
		expect(trigger.logs).toEqual([
			{ level: 'warn', message: expect.stringMatching(/HTTP 404 without Paynet's no-data error/) },
		]);
		expect(memory().acceptedPayments).toBeUndefined();
		expect((await post(confirmation)).body.result).toBe('accepted');
		expect((await post(confirmation)).body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(1);
	});

	const PROVES_NOTHING = [
		['200 {}', 200, '{}'],
		['200 {"code":0} without Data', 200, '{"code":0}'],
		['200 with Data as an object', 200, '{"code":0,"message":"OK","Data":{"xact_id":"xk_1","amount":120.5}}'],
		['200 with rows that say no outcome or amount', 200, '{"code":0,"Data":[{"agent_reference":"INV-x"}]}'],
		['200 with no rows and a total', 200, '{"code":0,"Data":[],"total":3}'],
		['a proxy’s HTML 400', 400, '<html><body>400 The plain HTTP request was sent to HTTPS port</body></html>'],
		['a JSON 400 without Paynet’s error shape', 400, '{"error":"Bad Request"}'],
		[
			'a 404 in another error shape',
			404,
			'{"type":"invalid_request_error","message":"Unknown endpoint","result_code":11}',
		],
		['a 422', 422, '{"type":"invalid_request_error","message":"Unprocessable","result_code":11}'],
	];

	test.each(PROVES_NOTHING)(
		'transaction/check answering %s: 503, a warning with the reference and xact_id, nothing kept; the redelivery runs once',
		async (_name, status, body) => {
			const { confirmation, transaction } = await paidConfirmation();
			paynet.inject('/v1/transaction/check', { status, body });
			const refused = await post(confirmation);
			expect(refused.status).toBe(503);
			expect(trigger.runs).toHaveLength(0);
			expect(trigger.logs).toEqual([{ level: 'warn', message: expect.stringContaining('(503)') }]);
			expect(trigger.logs[0].message).toContain(confirmation.referance_no);
			expect(trigger.logs[0].message).toMatch(/, xact_id (unknown|\S+)$/);
			expect(memory().acceptedPayments).toBeUndefined();
			expect((await post(confirmation)).body.result).toBe('accepted');
			expect((await post(confirmation)).body.result).toBe('duplicate');
			expect(trigger.runs).toHaveLength(1);
			expect(trigger.runs[0][0].xact_id).toBe(transaction.xact_id);
		},
	);

	test('Paynet’s no-data as a 200 (code 12, or code 0 with Data null and total 0) and its 400 refusal are a 403', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.inject(
			'/v1/transaction/check',
			{ status: 200, body: '{"code":12,"message":"Kayıt bulunamadı"}' },
			{ status: 200, body: '{"code":0,"message":"","Data":null,"total":0}' },
			{ status: 400, body: '{"type":"invalid_request_error","message":"Geçersiz istek","code":400,"result_code":11}' },
		);
		for (let copy = 0; copy < 3; copy++) expect((await post(confirmation)).status).toBe(403);
		expect(trigger.runs).toHaveLength(0);
	});

	test('Paynet’s own 404 ("404 Not Found" in its error shape) and its no-data error are a 403', async () => {
		const { confirmation } = await paidConfirmation();
		paynet.inject('/v1/transaction/check', {
			status: 404,
			body: JSON.stringify({ type: '404 Not Found', message: 'item is null', code: 404, result_code: 12 }),
		});
		expect((await post(confirmation)).status).toBe(403);
		expect((await post({ ...confirmation, referance_no: 'INV-nobody' })).status).toBe(403);
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(2);
		expect(trigger.runs).toHaveLength(0);
	});

	test('a posted xact_id Paynet does not find: the reference is tried next, and the payment runs', async () => {
		const { confirmation, transaction } = await paidConfirmation();
		const response = await post({ ...confirmation, xact_id: 'xk_not-a-real-one' });
		expect(response.body.result).toBe('accepted');
		expect(paynet.requestsTo('/v1/transaction/check').map((request) => request.body)).toEqual([
			{ xact_id: 'xk_not-a-real-one' },
			{ reference_no: confirmation.referance_no },
		]);
		expect(trigger.runs[0][0].xact_id).toBe(transaction.xact_id);
	});
});

describe('a reused reference (a monthly invoice number)', () => {
	const DAY = 24 * HOUR;

	test('this month’s payment runs although last month’s, same reference and amount, was accepted', async () => {
		const link = payLink({ confirmation_url: undefined, reference_no: 'INV-MONTHLY', amount: 120.5 });
		const lastMonth = await paynet.pay(link.id, { at: new Date(Date.now() - 3 * DAY) });
		expect((await post(confirmationFor(lastMonth.transaction, link))).body.result).toBe('accepted');
		// Paynet writes one time with milliseconds and one without: as strings the older sorts after the newer.
		const now = await paynet.pay(link.id, {
			xactDate: istanbulDateTime(new Date(Date.now() - 1000)).replace(/\.\d+$/, ''),
		});
		lastMonth.transaction.xact_date = `${now.transaction.xact_date.slice(0, 19)}.456`.replace(
			now.transaction.xact_date.slice(0, 10),
			lastMonth.transaction.xact_date.slice(0, 10),
		);
		const post2 = confirmationFor(now.transaction, link);
		// The post's own time, as instants: neither the string order nor the first row decides.
		const response = await post({
			...post2,
			xact_date: `${now.transaction.xact_date}.000`,
			order_id: '',
			authorization_code: '',
		});
		expect(response.body.result).toBe('accepted');
		expect(trigger.runs).toHaveLength(2);
		expect(trigger.runs[1][0].xact_id).toBe(now.transaction.xact_id);
		// Posted without a usable time (or a time matching neither), the new payment is still the one chosen.
		trigger.restartProcess();
		const third = await paynet.pay(link.id, {});
		const response3 = await post({ ...confirmationFor(third.transaction, link), xact_date: '2000-01-01T00:00:00' });
		expect(response3.body.result).toBe('accepted');
		expect(trigger.runs[2][0].xact_id).toBe(third.transaction.xact_id);
		// Two payments moments apart: the later one accepted first; the earlier one's post carries a time
		// matching no row, and the newest row is the accepted one, so only "never an accepted row over a new one"
		// finds it.
		const earlier = await paynet.pay(link.id, { at: new Date(Date.now() - 10_000) });
		const later = await paynet.pay(link.id, { at: new Date(Date.now() - 5_000) });
		expect((await post(confirmationFor(later.transaction, link))).body.result).toBe('accepted');
		const response4 = await post({
			...confirmationFor(earlier.transaction, link),
			xact_date: '2000-01-01T00:00:00',
			order_id: '',
			authorization_code: '',
		});
		expect(response4.body.result).toBe('accepted');
		expect(trigger.runs[4][0].xact_id).toBe(earlier.transaction.xact_id);
		for (const { transaction } of [lastMonth, now, third, earlier, later])
			expect((await post(confirmationFor(transaction, link))).body.result).toBe('duplicate');
		expect(trigger.runs).toHaveLength(5);
	});
});

describe('bounded look-ups', () => {
	test('a burst of 40 forged posts with random references: Paynet look-ups stay bounded, none refused busy, nothing runs', async () => {
		paynet.latencyMs = 200;
		paynet.maxInFlight = 0;
		const { confirmation } = await paidConfirmation();
		const responses = await Promise.all(
			Array.from({ length: 40 }, (_, index) =>
				post({ ...confirmation, referance_no: `INV-forged-${index}-${Math.random().toString(36).slice(2)}` }),
			),
		);
		expect(responses.map((response) => response.status)).toEqual(new Array(40).fill(403));
		// The bound as documented (docs/trigger-memory.md), not read from the code under test.
		expect(LOOKUPS_MAX_IN_FLIGHT).toBe(4);
		expect(paynet.maxInFlight).toBeLessThanOrEqual(4);
		expect(paynet.maxInFlight).toBeGreaterThan(1);
		// A definitive "no such payment" is never asked again.
		expect(paynet.requestsTo('/v1/transaction/check')).toHaveLength(40);
		expect(trigger.runs).toHaveLength(0);
		// The genuine one, posted after the flood, runs.
		expect((await post(confirmation)).body.result).toBe('accepted');
	});
});

describe('logs a merchant can reconcile from', () => {
	test('each refusal is logged once, with the reason and the reference, never the key, card data or the body', async () => {
		const { confirmation, transaction } = await paidConfirmation();
		await post(confirmation);
		const cases = [
			[{ ...confirmation }, 'info', /duplicate/],
			[{ ...confirmation, referance_no: 'INV-forged' }, 'warn', /INV-forged/],
			// Paynet knows this payment: the refusal names Paynet's xact_id, so a merchant can find it.
			[
				{ ...confirmation, amount: 1 },
				'warn',
				new RegExp(`none with the posted outcome.*xact_id ${transaction.xact_id}$`),
			],
		];
		for (const [body, level, reason] of cases) {
			trigger.logs.length = 0;
			await post(body);
			expect(trigger.logs).toHaveLength(1);
			expect(trigger.logs[0].level).toBe(level);
			expect(trigger.logs[0].message).toMatch(reason);
			expect(trigger.logs[0].message).toMatch(/reference INV-/);
		}
		trigger.logs.length = 0;
		paynet.inject('/v1/transaction/check', { status: 500 }, { status: 500 }, { status: 500 });
		await post({ ...confirmation, amount: 2 });
		expect(trigger.logs).toEqual([
			{ level: 'warn', message: expect.stringMatching(/could not verify.*reference INV-/) },
		]);
		trigger.logs.length = 0;
		await post({ amount: 1, is_succeed: true });
		expect(trigger.logs).toEqual([
			{ level: 'warn', message: expect.stringMatching(/not a confirmation.*no reference$/) },
		]);
		trigger.logs.length = 0;
		await post({ ...confirmation, amount: 'yüz yirmi' });
		expect(trigger.logs).toEqual([
			{
				level: 'warn',
				message: expect.stringMatching(
					new RegExp(`not a confirmation \\(400: amount .*reference ${confirmation.referance_no}$`),
				),
			},
		]);

		const everything =
			JSON.stringify(trigger.logs) +
			(await (async () => {
				trigger.logs.length = 0;
				await post(confirmation);
				await post({ ...confirmation, referance_no: 'INV-forged' });
				return JSON.stringify(trigger.logs);
			})());
		expect(everything).not.toContain(paynet.secretKey);
		expect(everything).not.toContain('4358');
		expect(everything).not.toContain(transaction.card_holder);
		expect(everything).not.toContain(JSON.stringify(confirmation).slice(0, 30));
	});
});
