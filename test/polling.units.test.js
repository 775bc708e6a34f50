'use strict';
// The Polling Trigger's pure parts: which days a poll asks for, which rows
// run, and how the memory stays bounded without letting a payment run twice.
const { pollWindow, OVERLAP_MS } = require('../dist/nodes/Paynet/polling/window');
const { prune } = require('../dist/nodes/Paynet/polling/memory');
const { selectNew, deduplicationKey } = require('../dist/nodes/Paynet/polling/select');

const HOUR = 60 * 60 * 1000;
const at = (iso) => Date.parse(iso);

describe('the days a poll asks for', () => {
	test('at 00:10 Istanbul, the last poll a minute ago: yesterday and today', () => {
		const nowMs = at('2026-03-10T21:10:00Z'); // 00:10 on 11 March in Istanbul
		const window = pollWindow({
			nowMs,
			activatedAtMs: nowMs - 10 * HOUR,
			coveredUntilMs: nowMs - 60_000,
			catchUpHours: 168,
		});
		expect([window.startDay, window.endDay]).toEqual(['2026-03-10', '2026-03-11']);
	});

	test(`at noon, with the overlap (${OVERLAP_MS / 60_000} min) well inside the day: today only`, () => {
		const nowMs = at('2026-03-11T09:00:00Z');
		const window = pollWindow({
			nowMs,
			activatedAtMs: nowMs - 10 * HOUR,
			coveredUntilMs: nowMs - 60_000,
			catchUpHours: 168,
		});
		expect([window.startDay, window.endDay]).toEqual(['2026-03-11', '2026-03-11']);
	});

	test('at 23:58 Istanbul: tomorrow too, since Paynet’s clock may be ahead', () => {
		const nowMs = at('2026-03-11T20:58:00Z');
		const window = pollWindow({
			nowMs,
			activatedAtMs: nowMs - 10 * HOUR,
			coveredUntilMs: nowMs - 60_000,
			catchUpHours: 168,
		});
		expect([window.startDay, window.endDay]).toEqual(['2026-03-11', '2026-03-12']);
	});

	test('after a stop of three days with Catch Up Hours 24: back to two days ago, and the gap before it is reported', () => {
		const nowMs = at('2026-03-11T09:00:00Z');
		const window = pollWindow({
			nowMs,
			activatedAtMs: nowMs - 300 * HOUR,
			coveredUntilMs: nowMs - 72 * HOUR,
			catchUpHours: 24,
		});
		expect(window.startDay).toBe('2026-03-09');
		expect(window.uncheckedFromMs).toBe(nowMs - 72 * HOUR - OVERLAP_MS);
		expect(window.catchUpFromMs).toBe(nowMs - 24 * HOUR);
	});
});

describe('which rows run', () => {
	const nowMs = at('2026-03-11T09:00:00Z');
	const window = pollWindow({
		nowMs,
		activatedAtMs: nowMs - 48 * HOUR,
		coveredUntilMs: nowMs - 60_000,
		catchUpHours: 24,
	});
	const row = (xact_id, xact_date) => ({ xact_id, xact_date, is_succeed: true });

	test('new rows run oldest first; remembered ones and ones before the activation do not; older than Catch Up Hours are set apart', () => {
		const memory = { activatedAt: '', coveredUntil: '', payments: { known: '2026-03-11T11:00:00' } };
		const selection = selectNew(
			[
				row('b', '2026-03-11T11:30:00'),
				row('known', '2026-03-11T11:00:00'),
				row('a', '2026-03-11T11:10:00'),
				row('before-activation', '2026-03-08T10:00:00'),
				row('old', '2026-03-10T10:00:00'),
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
	test('entries of days no poll asks for again are forgotten', () => {
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
