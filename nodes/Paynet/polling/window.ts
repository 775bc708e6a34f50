import { CLOCK_SKEW_MS, ISTANBUL_OFFSET_MS, istanbulDayOfInstant } from '../helpers/dates';

/**
 * How far each poll reaches back before the last poll that completed, for
 * payments Paynet lists a little late or dates by a clock a little behind.
 * Every payment inside it is listed again by each poll and held in the
 * memory, so it is what a quiet poll costs: twice the clock skew allowed.
 */
export const OVERLAP_MS = 10 * 60 * 1000;

export const HOUR_MS = 60 * 60 * 1000;

const DAY_MS = 24 * HOUR_MS;

export interface PollWindow {
	/** The Istanbul days read, oldest first; each is listed on its own (`datab` = `datbi`). */
	days: string[];
	/** Payments dated before this were seen by an earlier completed poll, or made before the first activation: not new. */
	cutMs: number;
	/** Payments dated before this are older than Catch Up Hours at this activation: logged, not run. */
	catchUpFromMs: number;
	/** When Catch Up Hours keeps a poll from reading back to the cut: the time not read (logged). */
	unchecked?: { fromMs: number; untilMs: number };
}

/** The instant the Istanbul day `day` (YYYY-MM-DD) began. */
export function istanbulDayStartMs(day: string): number {
	return Date.parse(`${day}T00:00:00Z`) - ISTANBUL_OFFSET_MS;
}

/** Where the next poll starts: after the last completed poll less the overlap, never before the first activation. */
export function cutOf(activatedAtMs: number, coveredUntilMs: number): number {
	return Math.max(activatedAtMs, coveredUntilMs - OVERLAP_MS);
}

/**
 * The days one poll reads: from the cut to now, plus the clock skew Paynet
 * may be ahead by, so around Istanbul midnight both days are read. Catch Up
 * Hours counts back from this activation, not from now: it limits only how
 * far the first poll after a stop reaches, never time the trigger watched.
 */
export function pollWindow(input: { nowMs: number; cutMs: number; catchUpFromMs: number }): PollWindow {
	const { nowMs, cutMs, catchUpFromMs } = input;
	const readFromMs = Math.min(Math.max(cutMs, catchUpFromMs), nowMs);
	const days: string[] = [];
	const lastDay = istanbulDayOfInstant(nowMs + CLOCK_SKEW_MS);
	for (let day = istanbulDayOfInstant(readFromMs); day <= lastDay; ) {
		days.push(day);
		day = istanbulDayOfInstant(istanbulDayStartMs(day) + DAY_MS);
	}
	const firstDayStartMs = istanbulDayStartMs(days[0]);
	return {
		days,
		cutMs,
		catchUpFromMs,
		...(cutMs < firstDayStartMs ? { unchecked: { fromMs: cutMs, untilMs: firstDayStartMs } } : {}),
	};
}
