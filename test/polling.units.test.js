'use strict';
// The Polling Trigger's pure parts: which days a poll asks for, which rows
// run, and how the memory stays bounded without letting a payment run twice.
const { pollWindow, cutOf, OVERLAP_MS } = require('../dist/nodes/Paynet/polling/window');
const { prune } = require('../dist/nodes/Paynet/polling/memory');
const { selectNew, deduplicationKey } = require('../dist/nodes/Paynet/polling/select');

const HOUR = 60 * 60 * 1000;
const at = (iso) => Date.parse(iso);

describe('the days a poll reads', () => {
	const windowAt = (nowIso, { sinceLastPollMs = 60_000, catchUpHours = 168 } = {}) => {
		const nowMs = at(nowIso);
		return pollWindow({
			nowMs,
			cutMs: cutOf(nowMs - 300 * HOUR, nowMs - sinceLastPollMs),
			catchUpFromMs: nowMs - catchUpHours * HOUR,
		});
	};

	test('at 00:05 Istanbul, the last poll a minute ago: yesterday and today, each on its own', () => {
		expect(windowAt('2026-03-10T21:05:00Z').days).toEqual(['2026-03-10', '2026-03-11']);
	});

	test(`at noon, with the overlap (${OVERLAP_MS / 60_000} min) well inside the day: today only`, () => {
		expect(windowAt('2026-03-11T09:00:00Z').days).toEqual(['2026-03-11']);
	});

	test('at 23:58 Istanbul: tomorrow too, since Paynet’s clock may be ahead', () => {
		expect(windowAt('2026-03-11T20:58:00Z').days).toEqual(['2026-03-11', '2026-03-12']);
	});

	test('the cut is the last completed poll less the overlap, never before the first activation', () => {
		const nowMs = at('2026-03-11T09:00:00Z');
		expect(cutOf(nowMs - HOUR, nowMs - 60_000)).toBe(nowMs - 60_000 - OVERLAP_MS);
		expect(cutOf(nowMs - 60_000, nowMs - 60_000)).toBe(nowMs - 60_000);
	});

	test('after a stop of three days with Catch Up Hours 24: back to the day 24 h before this activation, and the gap before it is reported', () => {
		const nowMs = at('2026-03-11T09:00:00Z');
		const window = windowAt('2026-03-11T09:00:00Z', { sinceLastPollMs: 72 * HOUR, catchUpHours: 24 });
		expect(window.days).toEqual(['2026-03-10', '2026-03-11']);
		expect(window.unchecked).toEqual({
			fromMs: nowMs - 72 * HOUR - OVERLAP_MS,
			untilMs: at('2026-03-09T21:00:00Z'),
		});
		expect(window.catchUpFromMs).toBe(nowMs - 24 * HOUR);
	});
});

describe('which rows run', () => {
	const nowMs = at('2026-03-11T09:00:00Z');
	// Activated two days ago, the last poll completed half a day ago, and n8n started again now with Catch Up Hours 4.
	const window = pollWindow({
		nowMs,
		cutMs: cutOf(nowMs - 48 * HOUR, nowMs - 12 * HOUR),
		catchUpFromMs: nowMs - 4 * HOUR,
	});
	const row = (xact_id, xact_date) => ({ xact_id, xact_date, is_succeed: true });

	test('new rows run oldest first; remembered ones and ones before the cut do not; older than Catch Up Hours are set apart', () => {
		const memory = { activatedAt: '', coveredUntil: '', payments: { known: '2026-03-11T11:00:00' } };
		const selection = selectNew(
			[
				row('b', '2026-03-11T11:30:00'),
				row('known', '2026-03-11T11:00:00'),
				row('a', '2026-03-11T11:10:00'),
				row('before-the-cut', '2026-03-10T23:40:00'),
				row('old', '2026-03-11T04:00:00'),
				row('b', '2026-03-11T11:30:00'),
				{ xact_date: '2026-03-11T11:40:00' },
			],
			memory,
			window,
		);
		expect(selection.run.map((r) => r.xact_id)).toEqual(['a', 'b']);
		expect(selection.tooOld.map((r) => r.xact_id)).toEqual(['old']);
		expect(selection.unidentified).toHaveLength(1);
	});

	test('a row at or before the horizon is set apart, never run: it may have run before its entry was dropped', () => {
		const memory = { activatedAt: '', coveredUntil: '', payments: {}, horizon: '2026-03-11T10:00:00' };
		const selection = selectNew([row('x', '2026-03-11T10:00:00'), row('y', '2026-03-11T10:00:01')], memory, window);
		expect(selection.beyondMemory.map((r) => r.xact_id)).toEqual(['x']);
		expect(selection.run.map((r) => r.xact_id)).toEqual(['y']);
	});

	test('the deduplication key names workflow, node and payment', () => {
		expect(deduplicationKey('wf1', 'node-1', 'xk_ABC')).toBe('paynet:wf1:node-1:xk_ABC');
	});
});

describe('the memory stays bounded', () => {
	test('entries dated before the next cut are forgotten', () => {
		const memory = {
			activatedAt: '2026-03-01T00:00:00.000Z',
			coveredUntil: '2026-03-11T09:00:00.000Z',
			payments: { old: '2026-03-10T23:59:59', today: '2026-03-11T00:00:01' },
		};
		const kept = prune(memory, at('2026-03-10T21:00:00Z')); // 11 March 00:00 Istanbul
		expect(kept.payments).toEqual({ today: '2026-03-11T00:00:01' });
		expect(kept.horizon).toBeUndefined();
	});

	test('past the bound the oldest go, and the horizon moves to the newest of them', () => {
		const payments = {};
		for (let index = 0; index < 5; index++) payments[`p${index}`] = `2026-03-11T10:0${index}:00`;
		const kept = prune({ activatedAt: '', coveredUntil: '', payments }, 0, 3);
		expect(Object.keys(kept.payments).sort()).toEqual(['p2', 'p3', 'p4']);
		expect(kept.horizon).toBe('2026-03-11T10:01:00');
	});
});
