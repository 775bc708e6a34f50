import { CLOCK_SKEW_MS, istanbulDayOfInstant } from '../helpers/dates';

/**
 * How far each poll reaches back before the last poll that completed. Paynet
 * lists by Istanbul day, so a poll already reads the whole day; the overlap
 * decides only how long after midnight yesterday is still asked, for
 * payments Paynet lists a little late or dates by a clock a little behind.
 */
export const OVERLAP_MS = 30 * 60 * 1000;

export const HOUR_MS = 60 * 60 * 1000;

export interface PollWindow {
	/** First and last Istanbul day asked for (`datab`, `datbi`). */
	startDay: string;
	endDay: string;
	/** Payments dated before this were made before the first activation: never run. */
	floorMs: number;
	/** Payments dated before this are older than Catch Up Hours: logged, not run. */
	catchUpFromMs: number;
	/** When the last completed poll is older than what is asked, the gap not checked (logged). */
	uncheckedFromMs?: number;
}

/**
 * The days one poll asks Paynet for: from a little before the last completed
 * poll (`OVERLAP_MS`) to now, plus the clock skew Paynet may be ahead by, so
 * around Istanbul midnight both days are asked. After a long stop it reaches
 * back no further than a day beyond Catch Up Hours: older payments would only
 * be logged, and the gap is logged instead of read.
 */
export function pollWindow(input: {
	nowMs: number;
	activatedAtMs: number;
	coveredUntilMs: number;
	catchUpHours: number;
}): PollWindow {
	const { nowMs, activatedAtMs, coveredUntilMs, catchUpHours } = input;
	// A payment made just after activation, by a Paynet clock a little behind ours, still runs.
	const floorMs = activatedAtMs - CLOCK_SKEW_MS;
	const catchUpFromMs = nowMs - catchUpHours * HOUR_MS;
	const wanted = Math.max(floorMs, coveredUntilMs - OVERLAP_MS);
	const reach = catchUpFromMs - 24 * HOUR_MS;
	const fromMs = Math.max(wanted, reach);
	return {
		startDay: istanbulDayOfInstant(Math.min(fromMs, nowMs)),
		endDay: istanbulDayOfInstant(nowMs + CLOCK_SKEW_MS),
		floorMs,
		catchUpFromMs,
		...(wanted < reach ? { uncheckedFromMs: wanted } : {}),
	};
}
