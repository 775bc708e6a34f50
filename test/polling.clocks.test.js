'use strict';
// The Polling Trigger in Paynet's own terms (issue 33): payments Paynet lists
// late, a Paynet clock an hour off n8n's or stepping back, rows that are too
// old never holding a poll back, and what each poll costs at a busy
// merchant's volume. Through n8n-core's TriggerContext against the Paynet
// look-alike, which lists oldest first by arrival, or newest first by date.
const { usePaynetServer } = require('./harness/paynetTest');
const { activatePollingTrigger, fetchTestEvent, useTestClock } = require('./harness/polling');
const { listedPayment } = require('./paynet-server/transaction');

const paynet = usePaynetServer();
const LIST = '/v1/transaction/list';
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
// Paynet's clock: noon in Istanbul.
const NOON = Date.parse('2026-03-11T09:00:00Z');

// n8n's clock is Paynet's plus a skew a test sets; tests move both forward together.
const { paynetNow, advance, setSkew } = useTestClock(NOON);

/** A payment Paynet lists now, dated `agoMs` before Paynet's clock (late listing when `agoMs` is large). */
const payment = (agoMs = 0) => listedPayment(paynet, paynetNow() - agoMs);
const listCalls = () => paynet.requestsTo(LIST).length;
const runsOf = (trigger, row) => trigger.emits.filter((emit) => emit.json.xact_id === row.xact_id).length;

describe.each([
	['oldest first, by arrival', false],
	['newest first, by date', true],
])('Paynet lists %s', (_order, newestFirst) => {
	beforeEach(() => {
		paynet.quirks.transactionsNewestFirst = newestFirst;
	});

	test.each([11.5 * MINUTE, 20 * MINUTE, 2 * HOUR])(
		'a payment listed %p ms after its xact_date, behind 150 other late rows and among 2,000 of the day, runs once',
		async (lateMs) => {
			for (let index = 0; index < 2000; index++) payment(5 * HOUR - index * 9_000);
			const trigger = await activatePollingTrigger(paynet);
			// Payments go on arriving on time, every 30 s, for longer than the lateness: the late ones are dated well before the newest.
			const onTime = [];
			for (let ago = lateMs + 10 * MINUTE; ago > 0; ago -= 30_000) onTime.push(ago);
			advance(lateMs + 10 * MINUTE);
			for (const ago of onTime) payment(ago);
			await trigger.poll();
			expect(trigger.emits).toHaveLength(onTime.length);
			trigger.emits.length = 0;
			const late = [];
			for (let index = 0; index < 150; index++) late.push(payment(lateMs + index * 1_000));
			const named = payment(lateMs + 30_000);
			advance(MINUTE);
			await trigger.poll();
			expect(runsOf(trigger, named)).toBe(1);
			for (const row of late) expect(runsOf(trigger, row)).toBe(1);
			expect(trigger.emits).toHaveLength(151);
			advance(MINUTE);
			await trigger.poll();
			expect(trigger.emits).toHaveLength(151);
			await trigger.close();
		},
	);

	test('a payment listed later than the reach (5 h) is never run and never silent: a warning with the day and count, and a failed execution', async () => {
		const failures = [];
		payment(6 * HOUR);
		const trigger = await activatePollingTrigger(paynet, { saveFailedExecution: (error) => failures.push(error) });
		advance(6 * HOUR);
		for (let index = 0; index < 20; index++) payment(index * MINUTE);
		await trigger.poll();
		expect(trigger.emits).toHaveLength(20);
		const veryLate = payment(5 * HOUR);
		advance(MINUTE);
		await trigger.poll();
		expect(trigger.emits).toHaveLength(20);
		// Listed by arrival, it stands among the newest rows and is named; listed by date, only the day's count shows it.
		const said = trigger.warnings().filter((message) => /told apart/.test(message));
		expect(said).toHaveLength(1);
		if (newestFirst)
			expect(said[0]).toMatch(/lists 1 more payment\(s\) on 2026-03-11 that the trigger has not counted/);
		else expect(said[0]).toContain(`xact_id ${JSON.stringify(veryLate.xact_id)}`);
		expect(failures.map((error) => error.message).join('\n')).toMatch(/told apart/);
		advance(MINUTE);
		await trigger.poll();
		expect(trigger.warnings().filter((message) => /told apart/.test(message))).toHaveLength(1);
		await trigger.close();
	});

	test.each([
		['an hour ahead of', HOUR],
		['an hour behind', -HOUR],
	])(
		"with n8n's clock %s Paynet's, payments made before the activation never run and every one after runs once",
		async (_how, offset) => {
			setSkew(offset);
			const before = [payment(30 * MINUTE), payment(MINUTE), payment(0)];
			const trigger = await activatePollingTrigger(paynet);
			const after = [];
			for (let poll = 0; poll < 3; poll++) {
				advance(MINUTE);
				after.push(payment(0), payment(20_000));
				await trigger.poll();
			}
			for (const row of before) expect(runsOf(trigger, row)).toBe(0);
			for (const row of after) expect(runsOf(trigger, row)).toBe(1);
			expect(trigger.emits).toHaveLength(after.length);
			expect(trigger.warnings().filter((message) => /n8n's clock says/.test(message))).toHaveLength(1);
			await trigger.close();
		},
	);

	test('n8n’s clock stepping back 5 minutes doubles nothing and misses nothing', async () => {
		const trigger = await activatePollingTrigger(paynet);
		const made = [];
		for (let poll = 0; poll < 4; poll++) {
			advance(MINUTE);
			made.push(payment(0));
			await trigger.poll();
		}
		setSkew(-5 * MINUTE); // NTP corrects a fast clock
		for (let poll = 0; poll < 4; poll++) {
			advance(MINUTE);
			made.push(payment(0));
			await trigger.poll();
		}
		for (const row of made) expect(runsOf(trigger, row)).toBe(1);
		expect(trigger.emits).toHaveLength(made.length);
		// A restart from what n8n saved runs nothing again.
		await trigger.close();
		const restarted = await activatePollingTrigger(paynet, { staticData: trigger.saved() });
		await restarted.poll();
		expect(restarted.emits).toHaveLength(0);
	});

	test('after a stop longer than Catch Up Hours, 3,000 too-old rows do not hold the poll back: the due payments run in the first poll', async () => {
		const trigger = await activatePollingTrigger(paynet, { parameters: { options: { catchUpHours: 2 } } });
		await trigger.close();
		const saved = trigger.saved();
		advance(2 * HOUR);
		for (let index = 0; index < 3000; index++) payment(2 * HOUR - index * 1_000); // made while n8n was down
		advance(3 * HOUR);
		const due = [];
		for (let index = 0; index < 30; index++) due.push(payment(index * MINUTE));
		const restarted = await activatePollingTrigger(paynet, {
			staticData: saved,
			parameters: { options: { catchUpHours: 2 } },
		});
		await restarted.poll();
		for (const row of due) expect(runsOf(restarted, row)).toBe(1);
		expect(restarted.emits).toHaveLength(30);
		expect(restarted.warnings().filter((message) => /older than Catch Up Hours/.test(message))).toHaveLength(3000);
		const calls = listCalls();
		advance(MINUTE);
		await restarted.poll();
		expect(restarted.emits).toHaveLength(30);
		expect(listCalls() - calls).toBeLessThanOrEqual(2);
		await restarted.close();
	});
});

describe('cost at a busy merchant’s volume (spread over the day, one every few seconds)', () => {
	test.each([
		[10_000, false],
		[10_000, true],
		[50_000, false],
		[50_000, true],
	])(
		'%i payments a day (newest first: %p): a quiet poll ≤ 2 list calls, a poll finding N ≤ ⌈N/100⌉ + 5, Fetch Test Event ≤ 5, static data at 10,000 a day ≤ 100 KB',
		async (perDay, newestFirst) => {
			paynet.quirks.transactionsNewestFirst = newestFirst;
			const everyMs = (24 * HOUR) / perDay;
			const sinceMidnight = 12 * HOUR;
			for (let ago = sinceMidnight; ago > 0; ago -= everyMs) payment(ago);
			const trigger = await activatePollingTrigger(paynet);
			let made = 0;
			let maxBytes = 0;
			for (let poll = 0; poll < 20; poll++) {
				const arriving = Math.round(MINUTE / everyMs);
				for (let index = 0; index < arriving; index++) payment(MINUTE - index * everyMs);
				made += arriving;
				advance(MINUTE);
				const before = listCalls();
				await trigger.poll();
				expect(listCalls() - before).toBeLessThanOrEqual(Math.ceil(arriving / 100) + 5);
				maxBytes = Math.max(maxBytes, JSON.stringify(trigger.saved()).length);
			}
			expect(trigger.emits).toHaveLength(made);
			// Quiet: nothing new since the last poll.
			const before = listCalls();
			await trigger.poll();
			expect(listCalls() - before).toBeLessThanOrEqual(2);
			if (perDay === 10_000) expect(maxBytes).toBeLessThanOrEqual(100 * 1024);

			const fetchBefore = listCalls();
			const { error } = await fetchTestEvent(paynet);
			expect(error).toBeUndefined();
			expect(listCalls() - fetchBefore).toBeLessThanOrEqual(5);
			await trigger.close();
		},
		120_000,
	);

	test('a backlog of 5,000 new payments: one poll, at most ⌈5,000/100⌉ + 5 list calls', async () => {
		paynet.quirks.transactionsNewestFirst = true;
		const trigger = await activatePollingTrigger(paynet);
		for (let index = 0; index < 5000; index++) payment(HOUR - index * 500);
		advance(MINUTE);
		const before = listCalls();
		await trigger.poll();
		expect(trigger.emits).toHaveLength(5000);
		expect(listCalls() - before).toBeLessThanOrEqual(55);
		await trigger.close();
	}, 120_000);
});

describe('Paynet’s starting_after read either way (skip that many rows, or start after that row counted from 1)', () => {
	test.each([false, true])(
		'oldest first, one-based %p: the day is read backwards from its end, and each new payment runs once',
		async (oneBased) => {
			paynet.quirks.startingAfterOneBased = oneBased;
			for (let index = 0; index < 2000; index++) payment(5 * HOUR - index * 9_000);
			const trigger = await activatePollingTrigger(paynet);
			const made = [];
			for (let poll = 0; poll < 3; poll++) {
				for (let index = 0; index < 150; index++) made.push(payment(-index * 100));
				advance(MINUTE);
				const before = listCalls();
				await trigger.poll();
				expect(listCalls() - before).toBeLessThanOrEqual(Math.ceil(150 / 98) + 2);
			}
			for (const row of made) expect(runsOf(trigger, row)).toBe(1);
			expect(trigger.emits).toHaveLength(made.length);
			await trigger.close();
		},
	);
});

describe('filters Paynet applies itself', () => {
	test('changing Event to Any Payment counts the days again from the newest payment: earlier failed attempts do not run, later ones do', async () => {
		const trigger = await activatePollingTrigger(paynet);
		advance(MINUTE);
		const paid = payment(0);
		await trigger.poll();
		expect(runsOf(trigger, paid)).toBe(1);
		await trigger.close();
		// A failed attempt made before the change: Successful Payment never listed it.
		const failedBefore = listedPayment(paynet, paynetNow() - 30_000);
		failedBefore.is_succeed = false;
		const changed = await activatePollingTrigger(paynet, {
			staticData: trigger.saved(),
			parameters: { event: 'anyPayment' },
		});
		await changed.poll();
		expect(changed.emits).toHaveLength(0);
		advance(MINUTE);
		const failedAfter = listedPayment(paynet, paynetNow());
		failedAfter.is_succeed = false;
		await changed.poll();
		expect(changed.emits.map((emit) => emit.json.xact_id)).toEqual([failedAfter.xact_id]);
		await changed.close();
	});
});
