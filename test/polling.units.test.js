'use strict';
// The Polling Trigger's pure parts: which days a poll asks for, and how the
// memory stays bounded without letting a payment run twice.
const { pollWindow, closedDays } = require('../dist/nodes/Paynet/polling/window');
const { prune, readPollMemory, LATE_LISTING_MS } = require('../dist/nodes/Paynet/polling/memory');
const { deduplicationKey } = require('../dist/nodes/Paynet/polling/select');

const HOUR = 60 * 60 * 1000;
const at = (iso) => Date.parse(iso);

describe('the days a poll reads', () => {
	const windowAt = (nowIso, { days = {}, catchUpHours = 168, firstActivation = false } = {}) => {
		const nowMs = at(nowIso);
		return pollWindow({
			nowMs,
			memory: { activatedAt: '', days, payments: {} },
			firstActivation,
			catchUpFromMs: nowMs - catchUpHours * HOUR,
		});
	};
	const dayNames = (window) => window.days.map(({ day }) => day);

	test('at noon: today only, one call for a quiet day', () => {
		expect(windowAt('2026-03-11T09:00:00Z', { days: { '2026-03-11': 10 } }).days).toEqual([
			{ day: '2026-03-11', mode: 'count' },
		]);
	});

	test(`at 00:05 Istanbul: yesterday too, since Paynet may still list late into it (${LATE_LISTING_MS / HOUR} h)`, () => {
		expect(dayNames(windowAt('2026-03-10T21:05:00Z', { days: { '2026-03-10': 5 } }))).toEqual([
			'2026-03-10',
			'2026-03-11',
		]);
	});

	test('at 23:30 Istanbul: tomorrow too, since Paynet’s clock may be an hour ahead of n8n’s', () => {
		expect(dayNames(windowAt('2026-03-11T20:30:00Z', { days: { '2026-03-11': 5 } }))).toEqual([
			'2026-03-11',
			'2026-03-12',
		]);
	});

	test('a first activation counts the current days as they are (baseline)', () => {
		expect(windowAt('2026-03-11T09:00:00Z', { firstActivation: true }).days).toEqual([
			{ day: '2026-03-11', mode: 'baseline' },
		]);
	});

	test('after a stop of three days with Catch Up Hours 24: the last day counted, the days after it back to 24 h before this activation read whole, and the gap reported', () => {
		const window = windowAt('2026-03-11T09:00:00Z', { days: { '2026-03-08': 40 }, catchUpHours: 24 });
		expect(window.days).toEqual([
			{ day: '2026-03-08', mode: 'count' },
			{ day: '2026-03-10', mode: 'whole' },
			{ day: '2026-03-11', mode: 'whole' },
		]);
		expect(window.unchecked).toEqual({ fromDay: '2026-03-09', untilDay: '2026-03-09' });
	});

	test('a counted day is let go once neither clock can be in it and a late listing would be later than the reach', () => {
		const memory = { activatedAt: '', days: { '2026-03-10': 3, '2026-03-11': 4 }, payments: {} };
		expect(closedDays(memory, at('2026-03-10T22:00:00Z'))).toEqual([]); // 01:00 Istanbul
		expect(closedDays(memory, at('2026-03-11T03:00:00Z'))).toEqual(['2026-03-10']); // 06:00 Istanbul
	});

	test('the deduplication key names workflow, node and payment', () => {
		expect(deduplicationKey('wf1', 'node-1', 'xk_ABC')).toBe('paynet:wf1:node-1:xk_ABC');
	});
});

describe('an older version’s memory', () => {
	test('is read with its cut (last completed poll less its overlap), so its last payments neither run again nor go missing', () => {
		const memory = readPollMemory({
			activatedAt: '2026-03-10T06:00:00.000Z',
			coveredUntil: '2026-03-11T09:00:00.000Z',
			payments: { x: '2026-03-11T11:55:00' },
			cursors: {},
		});
		expect(memory.legacyCut).toBe('2026-03-11T11:50:00.000');
		expect(memory.payments).toEqual({ x: '2026-03-11T11:55:00' });
		expect(memory.days).toEqual({});
	});
});

describe('the memory stays bounded', () => {
	test(`entries more than the late-listing reach (${LATE_LISTING_MS / HOUR} h) before the newest are forgotten, and the floor says so; never moved back`, () => {
		const memory = {
			activatedAt: '2026-03-01T00:00:00.000Z',
			days: { '2026-03-11': 3 },
			payments: { old: '2026-03-11T08:59:59', edge: '2026-03-11T09:00:00', newest: '2026-03-11T12:00:00' },
		};
		const kept = prune(memory);
		expect(kept.payments).toEqual({ edge: '2026-03-11T09:00:00', newest: '2026-03-11T12:00:00' });
		expect(kept.floor).toBe('2026-03-11T09:00:00.000');
		expect(kept.days).toEqual({ '2026-03-11': 3 }); // a forgotten row stays counted
		// A newest entry dated earlier (a clock that stepped back) does not lower the floor.
		const again = prune({ ...kept, payments: { late: '2026-03-11T08:00:00' } });
		expect(again.floor).toBe('2026-03-11T09:00:00.000');
	});

	test('past the bound the oldest go, and the floor moves over them', () => {
		const payments = {};
		for (let index = 0; index < 5; index++) payments[`p${index}`] = `2026-03-11T10:0${index}:00`;
		const kept = prune({ activatedAt: '', days: {}, payments }, 3);
		expect(Object.keys(kept.payments).sort()).toEqual(['p2', 'p3', 'p4']);
		expect(kept.floor).toBe('2026-03-11T10:01:00.001');
	});
});
