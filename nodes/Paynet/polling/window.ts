import { ISTANBUL_OFFSET_MS, istanbulDayOfInstant } from '../helpers/dates';
import type { PollMemory } from './memory';
import { LATE_LISTING_MS } from './memory';

export const HOUR_MS = 60 * 60 * 1000;

const DAY_MS = 24 * HOUR_MS;

/**
 * How far n8n's clock may be from Paynet's. It only chooses which days are
 * asked for (a day is read while either clock may still be in it, or Paynet
 * may still list late into it); what is new is decided by Paynet's rows.
 */
export const CLOCK_ALLOWANCE_MS = HOUR_MS + 10 * 60 * 1000;

/** How each day is read: counted before; never counted (every row is new); or counted from what Paynet lists now. */
export type DayMode = 'count' | 'whole' | 'baseline';

export interface PollWindow {
	/** The Istanbul days read, oldest first, each listed on its own (`datab` = `datbi`), and how. */
	days: Array<{ day: string; mode: DayMode }>;
	/** Days after the last one counted that Catch Up Hours keeps this poll from reading (logged). */
	unchecked?: { fromDay: string; untilDay: string };
}

/** The instant the Istanbul day `day` (YYYY-MM-DD) began. */
export function istanbulDayStartMs(day: string): number {
	return Date.parse(`${day}T00:00:00Z`) - ISTANBUL_OFFSET_MS;
}

function nextDay(day: string): string {
	return istanbulDayOfInstant(istanbulDayStartMs(day) + DAY_MS);
}

/** Every Istanbul day from `first` to `last`, both included. */
function daysFrom(first: string, last: string): string[] {
	const days: string[] = [];
	for (let day = first; day <= last; day = nextDay(day)) days.push(day);
	return days;
}

/**
 * The days n8n's clock says Paynet may be writing payments into, or may
 * still list late into: around midnight, both days (and, when Paynet's clock
 * may be ahead, the next). One or two days, whatever the time.
 */
export function currentDays(nowMs: number): string[] {
	return daysFrom(
		istanbulDayOfInstant(nowMs - LATE_LISTING_MS - CLOCK_ALLOWANCE_MS),
		istanbulDayOfInstant(nowMs + CLOCK_ALLOWANCE_MS),
	);
}

/**
 * The days one poll reads, and how. Days counted before are read again
 * (only what changed costs more than a call) until `closeDays` lets them go;
 * the current days are read; after a stop, the days between the last one
 * counted and today are read whole, back to Catch Up Hours. A first
 * activation counts what Paynet lists now; after an upgrade from a version
 * that cut by n8n's clock, the days from its cut are counted by that cut.
 */
export function pollWindow(input: {
	nowMs: number;
	memory: PollMemory;
	firstActivation: boolean;
	catchUpFromMs: number;
}): PollWindow {
	const { nowMs, memory, firstActivation, catchUpFromMs } = input;
	const counted = Object.keys(memory.days).sort();
	const current = currentDays(nowMs);
	const lastDay = current[current.length - 1];
	let firstDay = current[0];
	if (counted.length > 0 && counted[0] < firstDay) firstDay = counted[0];
	const legacyDay = memory.legacyCut?.slice(0, 10);
	if (legacyDay !== undefined && legacyDay < firstDay) firstDay = legacyDay;
	let unchecked: PollWindow['unchecked'];
	const catchUpDay = istanbulDayOfInstant(catchUpFromMs);
	const days: PollWindow['days'] = [];
	for (const day of daysFrom(firstDay, lastDay)) {
		if (memory.days[day] !== undefined) days.push({ day, mode: 'count' });
		else if (firstActivation) days.push({ day, mode: 'baseline' });
		// Before the last day counted and no longer counted: let go earlier, nothing to read.
		else if (counted.length > 0 && day < counted[counted.length - 1]) continue;
		else if (day < catchUpDay) unchecked = { fromDay: unchecked?.fromDay ?? day, untilDay: day };
		else days.push({ day, mode: legacyDay !== undefined && day >= legacyDay ? 'baseline' : 'whole' });
	}
	return { days, ...(unchecked ? { unchecked } : {}) };
}

/**
 * The counted days a poll may let go of: wholly before the current days, so
 * neither clock can be in them and a payment Paynet lists into them now
 * would be later than `LATE_LISTING_MS` plus the clock allowance.
 */
export function closedDays(memory: PollMemory, nowMs: number): string[] {
	const first = currentDays(nowMs)[0];
	return Object.keys(memory.days).filter((day) => day < first);
}
