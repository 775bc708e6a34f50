'use strict';
// The Paynet Polling Trigger through n8n-core's TriggerContext against the
// Paynet look-alike: payments that no confirmation announces start one run
// each, once, whatever Paynet or n8n does in between.
const { usePaynetServer } = require('./harness/paynetTest');
const { activatePollingTrigger, fetchTestEvent, useTestClock } = require('./harness/polling');
const { createPayLink } = require('./paynet-server/mailorder');

const paynet = usePaynetServer();
const LIST = '/v1/transaction/list';
const HOUR = 60 * 60 * 1000;

let links = 0;
/** A PayLink without a confirmation URL (nobody will be told it was paid), paid at `at`. */
async function payWithoutConfirmation({ at, reference, agentId, succeed, amount = 150 } = {}) {
	links++;
	const link = createPayLink(paynet, {
		name_surname: `Payer ${links}`,
		amount,
		reference_no: reference ?? `n8n-test-${links}`,
		...(agentId ? { agent_id: agentId } : {}),
	});
	const { transaction, status } = await paynet.pay(link.id, { at, succeed });
	expect(status).toBeUndefined(); // no confirmation post was made
	return transaction;
}

const xactIds = (emits) => emits.map((emit) => emit.json.xact_id);

describe('payments without any confirmation post start one run each', () => {
	test('each new payment runs once, with Paynet’s record and the deduplication key; the next poll starts nothing', async () => {
		const trigger = await activatePollingTrigger(paynet);
		const first = await payWithoutConfirmation({ amount: 120.5 });
		const second = await payWithoutConfirmation({ amount: 99 });

		await trigger.poll();
		expect(xactIds(trigger.emits).sort()).toEqual([first.xact_id, second.xact_id].sort());
		const run = trigger.emits.find((emit) => emit.json.xact_id === first.xact_id);
		expect(run.items).toBe(1);
		expect(run.deduplicationKey).toBe(`paynet:wf-polling:polling-node:${first.xact_id}`);
		expect(run.json).toMatchObject({
			verified: true,
			reference_no: first.agent_reference,
			amount: 120.5,
			net_amount: first.netAmount,
			is_succeed: true,
			xact_date: first.xact_date,
			card_number: first.card_no,
			order_id: first.order_id,
		});
		expect(run.json).not.toHaveProperty('agent_reference');
		expect(run.json).not.toHaveProperty('netAmount');

		await trigger.poll();
		await trigger.poll();
		expect(trigger.emits).toHaveLength(2);
		await trigger.close();
	});

	test('the cron ticks every minute at one second, and after the first tick polls only once Poll Every (Minutes) has passed', async () => {
		const trigger = await activatePollingTrigger(paynet, { parameters: { pollMinutes: 5 } });
		expect(trigger.crons).toHaveLength(1);
		expect(trigger.crons[0].cron.expression).toMatch(/^\d{1,2} \* \* \* \* \*$/);
		const tick = async () => {
			trigger.crons[0].onTick();
			await new Promise((resolve) => setTimeout(resolve, 200));
		};
		const realNow = Date.now;
		const calls = () => paynet.requestsTo(LIST).length;
		try {
			const activation = calls(); // the first activation counts what Paynet lists already
			await tick(); // the first tick polls
			const perPoll = calls() - activation;
			expect(perPoll).toBeGreaterThanOrEqual(1);

			Date.now = () => realNow() + 60 * 1000;
			await tick(); // a minute later: not due
			expect(calls()).toBe(activation + perPoll);

			Date.now = () => realNow() + 5 * 60 * 1000;
			const payment = await payWithoutConfirmation();
			await tick(); // five minutes after the first poll: due
			expect(calls()).toBeGreaterThan(activation + perPoll);
			expect(xactIds(trigger.emits)).toEqual([payment.xact_id]);
		} finally {
			Date.now = realNow;
		}
		await trigger.close();
	});
});

describe('first activation starts from the moment of activation', () => {
	test('payments made before the first activation never run; later ones do', async () => {
		await payWithoutConfirmation({ at: new Date(Date.now() - 2 * HOUR) });
		await payWithoutConfirmation({ at: new Date(Date.now() - 20 * 60 * 1000) });
		const trigger = await activatePollingTrigger(paynet);
		// The first activation counts what Paynet lists, so none of it runs.
		expect(paynet.requestsTo(LIST).length).toBeGreaterThan(0);
		await trigger.poll();
		expect(trigger.emits).toHaveLength(0);

		const after = await payWithoutConfirmation();
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([after.xact_id]);
	});
});

describe('a failed poll moves nothing forward', () => {
	test('Paynet answering 500 loses nothing: the next poll runs every payment, and n8n is told without deactivating', async () => {
		const failures = [];
		const trigger = await activatePollingTrigger(paynet, { saveFailedExecution: (error) => failures.push(error) });
		const payments = [await payWithoutConfirmation(), await payWithoutConfirmation()];
		const coveredUntil = trigger.staticData().coveredUntil;
		paynet.inject(LIST, ...Array.from({ length: 4 }, () => ({ status: 500 })));

		await trigger.poll();
		expect(trigger.emits).toHaveLength(0);
		expect(trigger.staticData().coveredUntil).toBe(coveredUntil);
		expect(trigger.errors().join('\n')).toMatch(/poll failed, nothing moved forward/);
		expect(failures).toHaveLength(1);
		expect(failures[0].message).toMatch(/500|Paynet/);
		expect(trigger.emitErrors).toHaveLength(0); // emitError would deactivate the workflow

		await trigger.poll();
		expect(xactIds(trigger.emits).sort()).toEqual(payments.map((payment) => payment.xact_id).sort());
	});

	test('a list that cannot be paged to the end runs nothing, not the first pages', async () => {
		paynet.maxPageSize = 10;
		const trigger = await activatePollingTrigger(paynet);
		for (let index = 0; index < 25; index++) await payWithoutConfirmation();
		paynet.when(LIST, (body) => body.starting_after >= 10, { status: 503 });

		await trigger.poll();
		expect(trigger.emits).toHaveLength(0);

		paynet.rules.length = 0;
		await trigger.poll();
		expect(new Set(xactIds(trigger.emits)).size).toBe(25);
		expect(trigger.emits).toHaveLength(25);
	});
});

describe('rows that shift while paging', () => {
	test('a payment made between two pages of a newest-first list is not skipped, and none runs twice', async () => {
		paynet.maxPageSize = 10;
		paynet.quirks.transactionsNewestFirst = true;
		const activatedMs = Date.now() - 5 * 60 * 1000;
		const trigger = await activatePollingTrigger(paynet, { now: () => activatedMs });
		for (let index = 0; index < 25; index++) await payWithoutConfirmation();
		let late;
		paynet.afterTransactionListPage.push(async (body) => {
			if (late || Number(body.starting_after) !== 0) return;
			// Paynet lists it dated a minute ago: a cursor at the poll's start would pass it by.
			late = await payWithoutConfirmation({ at: new Date(Date.now() - 60 * 1000) });
		});

		for (let poll = 0; poll < 3; poll++) await trigger.poll();
		const ran = xactIds(trigger.emits);
		expect(ran).toContain(late.xact_id);
		expect(new Set(ran).size).toBe(26);
		expect(ran).toHaveLength(26);
	});
});

describe('one run per payment across restarts', () => {
	test.each([
		['n8n 1.x (emit without a deduplication key)', 3],
		['n8n 2.20+ (emit with a deduplication key)', 4],
	])(
		'%s: the static data saved with each run already holds its payment, so a restart runs nothing again',
		async (_name, emitArity) => {
			const trigger = await activatePollingTrigger(paynet, { emitArity });
			const payments = [await payWithoutConfirmation(), await payWithoutConfirmation()];
			await trigger.poll();
			expect(trigger.emits).toHaveLength(2);
			// What n8n saved with the second run: both payments.
			expect(Object.keys(trigger.saved().payments).sort()).toEqual(payments.map((p) => p.xact_id).sort());
			await trigger.close();

			const restarted = await activatePollingTrigger(paynet, { emitArity, staticData: trigger.saved() });
			await restarted.poll(); // the poll a re-activation starts at once
			expect(restarted.emits).toHaveLength(0);
			const next = await payWithoutConfirmation();
			await restarted.poll();
			expect(xactIds(restarted.emits)).toEqual([next.xact_id]);
		},
	);

	test('the memory is plain, readable data: xact_id → Paynet’s payment time', async () => {
		const trigger = await activatePollingTrigger(paynet);
		const payment = await payWithoutConfirmation();
		await trigger.poll();
		const memory = trigger.staticData();
		expect(memory.payments).toEqual({ [payment.xact_id]: payment.xact_date });
		expect(Date.parse(memory.activatedAt)).not.toBeNaN();
		// Per day read: how many of its rows are counted (run, skipped, or there before the activation).
		expect(Object.values(memory.days).reduce((sum, count) => sum + count, 0)).toBe(1);
	});
});

describe('catching up after a stop', () => {
	// Noon in Istanbul, so "28 hours ago" is yesterday's day whenever the suite runs.
	useTestClock(Date.parse('2026-03-11T09:00:00Z'));

	test('payments within Catch Up Hours run at once on restart; older ones are logged at warning, once', async () => {
		const now = Date.now();
		const staticData = {
			activatedAt: new Date(now - 72 * HOUR).toISOString(),
			coveredUntil: new Date(now - 30 * HOUR).toISOString(),
			payments: {},
		};
		const old = await payWithoutConfirmation({ at: new Date(now - 28 * HOUR) });
		const recent = await payWithoutConfirmation({ at: new Date(now - 2 * HOUR) });

		const trigger = await activatePollingTrigger(paynet, { staticData, parameters: { options: { catchUpHours: 24 } } });
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([recent.xact_id]);
		const warnings = trigger.warnings().filter((message) => message.includes(old.xact_id));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/older than Catch Up Hours \(24 h\) not run/);

		await trigger.poll();
		expect(trigger.warnings().filter((message) => message.includes(old.xact_id))).toHaveLength(1);
		expect(trigger.emits).toHaveLength(1);
	});

	test('after a stop longer than Catch Up Hours and a day, the days not read are logged', async () => {
		const now = Date.now();
		const staticData = {
			activatedAt: new Date(now - 300 * HOUR).toISOString(),
			coveredUntil: new Date(now - 200 * HOUR).toISOString(),
			payments: {},
		};
		const trigger = await activatePollingTrigger(paynet, { staticData, parameters: { options: { catchUpHours: 24 } } });
		await trigger.poll();
		expect(trigger.warnings().join('\n')).toMatch(/were not checked\. Use Payment → List/);
	});
});

describe('around Istanbul midnight', () => {
	test('a poll just after midnight reads yesterday too, each day on its own, and runs a payment made just before it', async () => {
		// 00:05 in Istanbul (UTC+3) is 21:05 UTC the day before.
		const midnight = Date.parse('2026-03-10T21:00:00Z');
		const activation = midnight - 10 * 60 * 1000;
		const trigger = await activatePollingTrigger(paynet, { now: () => activation });
		const payment = await payWithoutConfirmation({ at: new Date(midnight - 2 * 60 * 1000) });
		const realNow = Date.now;
		Date.now = () => midnight + 5 * 60 * 1000;
		try {
			await trigger.poll();
		} finally {
			Date.now = realNow;
		}
		// The activation counted both days already (Paynet's clock may be an hour ahead); the poll reads both again.
		const days = paynet
			.requestsTo(LIST)
			.slice(-2)
			.map((request) => [request.body.datab, request.body.datbi]);
		expect(days).toEqual([
			['2026-03-10', '2026-03-10'],
			['2026-03-11', '2026-03-11'],
		]);
		expect(xactIds(trigger.emits)).toEqual([payment.xact_id]);
	});
});

describe('filters', () => {
	test('Reference Prefix, Agent ID and Event choose the payments that run', async () => {
		const trigger = await activatePollingTrigger(paynet, {
			parameters: { event: 'anyPayment', filters: { referencePrefix: 'n8n-', agentId: 'A1' } },
		});
		const wanted = await payWithoutConfirmation({ reference: 'n8n-inv-1', agentId: 'A1' });
		const failed = await payWithoutConfirmation({ reference: 'n8n-inv-2', agentId: 'A1', succeed: false });
		await payWithoutConfirmation({ reference: 'manual-7', agentId: 'A1' });
		await payWithoutConfirmation({ reference: 'n8n-inv-3', agentId: 'B2' });
		await trigger.poll();
		expect(xactIds(trigger.emits).sort()).toEqual([wanted.xact_id, failed.xact_id].sort());
		expect(trigger.emits.find((emit) => emit.json.xact_id === failed.xact_id).json.is_succeed).toBe(false);
		expect(paynet.requestsTo(LIST)[0].body).toMatchObject({ agent_id: 'A1', show_unsucceed: true });
	});

	test('Successful Payment (the default) runs no failed attempt', async () => {
		const trigger = await activatePollingTrigger(paynet);
		await payWithoutConfirmation({ succeed: false });
		const paid = await payWithoutConfirmation();
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([paid.xact_id]);
		expect(paynet.requestsTo(LIST)[0].body).not.toHaveProperty('show_unsucceed');
	});
});

describe('Fetch Test Event', () => {
	test('shows the newest matching payment and leaves the memory as it was', async () => {
		await payWithoutConfirmation({ at: new Date(Date.now() - 3 * HOUR), reference: 'n8n-older' });
		const newest = await payWithoutConfirmation({ at: new Date(Date.now() - HOUR), reference: 'n8n-newest' });
		await payWithoutConfirmation({ at: new Date(Date.now() - 30 * 60 * 1000), reference: 'other-9' });
		const memory = {
			activatedAt: '2026-01-01T00:00:00.000Z',
			coveredUntil: '2026-01-01T00:00:00.000Z',
			payments: { xk_earlier: '2025-12-31T23:00:00' },
		};
		const staticData = { [`node:Paynet Polling Trigger`]: JSON.parse(JSON.stringify(memory)) };
		const { items, error } = await fetchTestEvent(paynet, {
			parameters: { filters: { referencePrefix: 'n8n-' } },
			staticData,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ xact_id: newest.xact_id, reference_no: 'n8n-newest', verified: true });
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({ 'node:Paynet Polling Trigger': memory });
	});

	test('with no matching payment, says so', async () => {
		const { error } = await fetchTestEvent(paynet);
		expect(error?.message ?? String(error)).toMatch(
			/No matching payment among Paynet's newest payments of the last 7 days/,
		);
	});
});
