'use strict';
// The Polling Trigger at a busy merchant's volume, through n8n-core's
// TriggerContext against the Paynet look-alike listing newest or oldest
// first: what a quiet poll costs, payments arriving while a poll pages, a
// backlog worked off in bounded steps, and Catch Up Hours after a stop.
const { usePaynetServer } = require('./harness/paynetTest');
const { activatePollingTrigger, useTestClock } = require('./harness/polling');
const { listedPayment } = require('./paynet-server/transaction');

const paynet = usePaynetServer();
const LIST = '/v1/transaction/list';
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
// Noon in Istanbul: a day with room for thousands of earlier payments.
const NOON = Date.parse('2026-03-11T09:00:00Z');

const { advance } = useTestClock(NOON);

/** A successful payment as Paynet lists it, paid at `atMs` (no PayLink or confirmation needed). */
const payment = (atMs) => listedPayment(paynet, atMs);

/** `count` payments spread evenly from `fromMs` to `toMs`, in time order. */
function payments(count, fromMs, toMs) {
	const made = [];
	for (let index = 0; index < count; index++) made.push(payment(fromMs + ((toMs - fromMs) * index) / count));
	return made;
}

const listCalls = () => paynet.requestsTo(LIST).length;
const xactIds = (emits) => emits.map((emit) => emit.json.xact_id);

/** The memory of a trigger active since the day began, whose last poll completed a minute ago. */
const activeSinceMorning = () => ({
	activatedAt: new Date(NOON - 11 * HOUR).toISOString(),
	coveredUntil: new Date(NOON - MINUTE).toISOString(),
	payments: {},
});

describe.each([
	['newest first', true],
	['oldest first', false],
])('a day Paynet lists %s', (_order, newestFirst) => {
	beforeEach(() => {
		paynet.quirks.transactionsNewestFirst = newestFirst;
	});

	test('a quiet poll over a day of 5,000 earlier payments makes at most 2 list calls, and the new payment runs once', async () => {
		payments(5000, NOON - 11 * HOUR, NOON - 20 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, { staticData: activeSinceMorning() });
		await trigger.poll(); // the activation's own poll: oldest first, it has no cursor yet and reads the day whole
		expect(trigger.emits).toHaveLength(0);

		for (let poll = 0; poll < 3; poll++) {
			advance(MINUTE);
			const fresh = payment(Date.now() - 5_000);
			const before = listCalls();
			await trigger.poll();
			expect(listCalls() - before).toBeLessThanOrEqual(2);
			expect(xactIds(trigger.emits).filter((id) => id === fresh.xact_id)).toHaveLength(1);
		}
		expect(trigger.emits).toHaveLength(3);

		advance(MINUTE);
		const before = listCalls();
		await trigger.poll();
		expect(listCalls() - before).toBeLessThanOrEqual(2);
		expect(trigger.emits).toHaveLength(3);
		// The memory holds the overlap, not the day.
		expect(Object.keys(trigger.staticData().payments).length).toBeLessThanOrEqual(3);
		await trigger.close();
	});

	test('a payment arriving before every page after the first fails no poll, and each runs once', async () => {
		paynet.maxPageSize = 50;
		payments(450, NOON - 3 * HOUR, NOON - 2 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, {
			staticData: { ...activeSinceMorning(), coveredUntil: new Date(NOON - 4 * HOUR).toISOString() },
		});
		const arrived = [];
		paynet.afterTransactionListPage.push(async (body) => {
			if (Number(body.starting_after) > 0) arrived.push(payment(Date.now()));
		});
		await trigger.poll();
		advance(MINUTE);
		await trigger.poll();
		advance(MINUTE);
		await trigger.poll();
		paynet.afterTransactionListPage.length = 0;
		advance(MINUTE);
		await trigger.poll();
		expect(trigger.errors()).toEqual([]);
		const ran = xactIds(trigger.emits);
		expect(new Set(ran).size).toBe(ran.length);
		expect(ran.length).toBe(450 + arrived.length);
		for (const late of arrived) expect(ran).toContain(late.xact_id);
		await trigger.close();
	});

	test('a payment Paynet lists late, dated inside the overlap, runs once', async () => {
		payments(300, NOON - 5 * HOUR, NOON - 30 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, { staticData: activeSinceMorning() });
		await trigger.poll();
		advance(MINUTE);
		const late = payment(Date.now() - 4 * MINUTE); // dated before the last poll, listed only now
		await trigger.poll();
		advance(MINUTE);
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([late.xact_id]);
		await trigger.close();
	});
});

describe('when the rows do not bear out what the last poll expected', () => {
	test('rows gone from Paynet’s list (its total shrank): the day is read again to the floor, and nothing is missed or doubled', async () => {
		payments(400, NOON - 5 * HOUR, NOON - 30 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, { staticData: activeSinceMorning() });
		await trigger.poll();
		paynet.state.transactions.splice(0, 150);
		advance(MINUTE);
		const fresh = payment(Date.now() - 1_000);
		const before = listCalls();
		await trigger.poll();
		expect(listCalls() - before).toBeGreaterThan(1);
		expect(xactIds(trigger.emits)).toEqual([fresh.xact_id]);
		advance(MINUTE);
		const next = payment(Date.now() - 1_000);
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([fresh.xact_id, next.xact_id]);
		await trigger.close();
	});

	test('equal times on every row say no order: the day is read whole, and the new one runs', async () => {
		const at = NOON - 30 * MINUTE;
		payments(250, at, at);
		const trigger = await activatePollingTrigger(paynet, { staticData: activeSinceMorning() });
		await trigger.poll();
		advance(MINUTE);
		const fresh = payment(Date.now());
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([fresh.xact_id]);
		await trigger.close();
	});
});

describe('a list answered with Data alone (no has_more, no total)', () => {
	test('oldest first, the 101st payment of the day runs: paging goes on until a page proves the end', async () => {
		paynet.quirks.listOnlyData = true;
		const trigger = await activatePollingTrigger(paynet, {
			staticData: { ...activeSinceMorning(), coveredUntil: new Date(NOON - 3 * HOUR).toISOString() },
		});
		const made = payments(150, NOON - 2 * HOUR, NOON - 5 * MINUTE);
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual(made.map((row) => row.xact_id));
		await trigger.close();
	});
});

describe('a backlog after n8n was down', () => {
	test.each([
		['oldest first', false],
		['newest first', true],
	])(
		'1,200 payments over two days, listed %s: the first poll runs them all, oldest first, at most 10 in flight, each once',
		async (_order, newestFirst) => {
			paynet.quirks.transactionsNewestFirst = newestFirst;
			const made = payments(1200, NOON - 14 * HOUR, NOON - 10 * MINUTE);
			const trigger = await activatePollingTrigger(paynet, {
				staticData: {
					activatedAt: new Date(NOON - 48 * HOUR).toISOString(),
					coveredUntil: new Date(NOON - 15 * HOUR).toISOString(),
					payments: {},
				},
				settleRuns: 'by test',
			});
			let peak = 0;
			const polled = trigger.poll();
			while (trigger.emits.length < 1200) {
				await new Promise((resolve) => setTimeout(resolve, 5));
				peak = Math.max(peak, trigger.runsInFlight());
				expect(trigger.runsInFlight()).toBeLessThanOrEqual(10);
				trigger.endRuns(3);
			}
			trigger.endRuns();
			await polled;
			expect(peak).toBe(10);
			expect(xactIds(trigger.emits)).toEqual(made.map((row) => row.xact_id));
			const days = new Set(paynet.requestsTo(LIST).map((request) => request.body.datab));
			expect(days).toEqual(new Set(['2026-03-10', '2026-03-11']));
			// The memory holds the late-listing reach, not the backlog.
			expect(Object.keys(trigger.staticData().payments).length).toBeLessThan(400);
			await trigger.close();
		},
	);

	const failOnlyRun = async (emitArity) => {
		const [only] = payments(1, NOON - 20 * MINUTE, NOON - 20 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, {
			staticData: { ...activeSinceMorning(), coveredUntil: new Date(NOON - HOUR).toISOString() },
			settleRuns: 'by test',
			emitArity,
		});
		const polled = trigger.poll();
		while (trigger.runsInFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		trigger.endRuns(
			1,
			new Error(
				emitArity === 4
					? 'Engine 2.0 cannot run a trigger that waits for its execution to finish yet. Set the node to hand off without waiting.'
					: 'SQLITE_BUSY: database is locked',
			),
		);
		await polled;
		await new Promise((resolve) => setImmediate(resolve));
		return { trigger, only };
	};

	test('n8n ≥ 2.20, a run n8n refuses to start while waited for: started again without waiting, under the same key', async () => {
		const { trigger, only } = await failOnlyRun(4);
		expect(trigger.emits.map((emit) => emit.deduplicationKey)).toEqual([
			`paynet:wf-polling:polling-node:${only.xact_id}`,
			`paynet:wf-polling:polling-node:${only.xact_id}`,
		]);
		expect(trigger.warnings().join('\n')).toMatch(/Engine 2\.0.*started without waiting/);
		await trigger.poll();
		expect(trigger.emits).toHaveLength(2);
		await trigger.close();
	});

	test('n8n 1.x, a run n8n fails: logged with the payment and how to find it, never started twice', async () => {
		const { trigger, only } = await failOnlyRun(3);
		expect(trigger.errors().join('\n')).toMatch(
			new RegExp(`could not run the payment .*xact_id "${only.xact_id}".*Executions list.*Payment → List`),
		);
		await trigger.poll();
		expect(trigger.emits).toHaveLength(1);
		await trigger.close();
	});
});

describe('Catch Up Hours never cuts into time the trigger watched', () => {
	test('smaller than Poll Every is refused at activation, naming the field', async () => {
		await expect(
			activatePollingTrigger(paynet, { parameters: { pollMinutes: 60, options: { catchUpHours: 0.5 } } }),
		).rejects.toThrow(/Catch Up Hours \(catchUpHours\) must be at least Poll Every/);
	});

	test('Poll Every 60 with Catch Up Hours 1: a payment 40 minutes old, made after the last completed poll, runs', async () => {
		const staticData = { ...activeSinceMorning(), coveredUntil: new Date(NOON - 45 * MINUTE).toISOString() };
		const [paid] = payments(1, NOON - 40 * MINUTE, NOON - 40 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, {
			staticData,
			parameters: { pollMinutes: 60, options: { catchUpHours: 1 } },
		});
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([paid.xact_id]);
		await trigger.close();
	});

	test('Paynet down for three hours while the trigger runs, Catch Up Hours 1: every payment made meanwhile runs', async () => {
		const trigger = await activatePollingTrigger(paynet, {
			staticData: activeSinceMorning(),
			parameters: { options: { catchUpHours: 1 } },
		});
		await trigger.poll();
		const made = payments(3, NOON + 10 * MINUTE, NOON + 2 * HOUR);
		paynet.failNext?.(LIST, 0);
		advance(3 * HOUR);
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual(made.map((row) => row.xact_id));
		await trigger.close();
	});

	test('after a stop longer than Catch Up Hours, older payments are logged once, not run', async () => {
		const staticData = { ...activeSinceMorning(), coveredUntil: new Date(NOON - 5 * HOUR).toISOString() };
		const [old] = payments(1, NOON - 3 * HOUR, NOON - 3 * HOUR);
		const [recent] = payments(1, NOON - 30 * MINUTE, NOON - 30 * MINUTE);
		const trigger = await activatePollingTrigger(paynet, { staticData, parameters: { options: { catchUpHours: 1 } } });
		await trigger.poll();
		advance(MINUTE);
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([recent.xact_id]);
		expect(trigger.warnings().filter((message) => message.includes(old.xact_id))).toHaveLength(1);
		await trigger.close();
	});

	test('a payment made in the minutes before the first activation never runs', async () => {
		payments(1, NOON - 2 * MINUTE, NOON - 2 * MINUTE);
		const trigger = await activatePollingTrigger(paynet);
		await trigger.poll();
		advance(MINUTE);
		const after = payment(Date.now());
		await trigger.poll();
		expect(xactIds(trigger.emits)).toEqual([after.xact_id]);
		await trigger.close();
	});
});
