import type { IDataObject, INode } from 'n8n-workflow';

import { istanbulDayOfInstant, istanbulInstant, istanbulWallClock } from '../helpers/dates';
import type { Confirmation } from '../confirmation/post';
import { namesPayment } from '../confirmation/post';
import { normaliseTransaction } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import { fetchListPages, transactionRowKey } from '../transport/paging';
import type { PollMemory } from './memory';
import {
	countRow,
	firstMemory,
	floorMsOf,
	forLists,
	LATE_LISTING_MS,
	prune,
	readPollMemory,
	writePollMemory,
} from './memory';
import { readDay } from './readDay';
import type { PollFilters } from './select';
import { matchesFilters, xactIdOf } from './select';
import { closedDays, HOUR_MS, pollWindow } from './window';

export interface PollLogger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

export interface PollSettings {
	filters: PollFilters;
	catchUpHours: number;
}

export interface PollDependencies {
	client: PaynetClient;
	node: INode;
	staticData: IDataObject;
	logger: PollLogger;
	/** Starts one run for one payment (waiting while too many are in flight); `false` when the trigger was closed meanwhile and nothing was started. */
	emit(row: IDataObject): Promise<boolean>;
	/** n8n's clock at the poll's start: it only chooses the days asked for, and dates the log lines. */
	nowMs: number;
	/** Payments dated before this are older than Catch Up Hours at this activation. */
	catchUpFromMs: number;
	/** Tells n8n of payments the trigger can no longer run (a failed execution, where n8n has them). */
	reportUnrunnable?: (message: string) => void;
	/** What recent posts to the node's webhook said: where to look for a payment to name, never a reason to run one. */
	postHints?: () => Confirmation[];
	/** State kept for the activation: whether the clocks' disagreement was logged. */
	activation?: { clockWarned?: boolean };
}

export interface PollResult {
	firstActivation: boolean;
	listed: number;
	ran: number;
	tooOld: number;
}

/** Paynet's request for one Istanbul day, with the filters Paynet can apply itself. */
export function listBody(day: string, filters: PollFilters): IDataObject {
	const body: IDataObject = { [PAYNET_FIELD.startDate]: day, [PAYNET_FIELD.endDate]: day };
	if (filters.agentId) body[PAYNET_FIELD.agentId] = filters.agentId;
	if (filters.event === 'anyPayment') body[PAYNET_FIELD.showUnsucceed] = true;
	return body;
}

function describe(row: IDataObject): string {
	return `reference ${JSON.stringify(row.reference_no ?? null)}, xact_id ${JSON.stringify(row.xact_id ?? null)}, xact_date ${JSON.stringify(row.xact_date ?? null)}, amount ${JSON.stringify(row.amount ?? null)}`;
}

/** The memory's key of a listed row: its `xact_id`, or every field that identifies a row without one. */
export function memoryKeyOf(row: IDataObject): string {
	return xactIdOf(row) ?? transactionRowKey(row);
}

/** Beyond this, n8n's clock and Paynet's times are said to disagree (once per activation). */
const CLOCK_WARNING_MS = 5 * 60 * 1000;

/**
 * Logs once per activation when the newest payment a poll found is dated far
 * from n8n's clock: nothing depends on it, but a user reading times should know.
 */
function noteClocks(deps: PollDependencies, found: IDataObject[], pollMinutesMs: number): void {
	if (!deps.activation || deps.activation.clockWarned) return;
	let newestMs: number | undefined;
	for (const row of found) {
		const ms = istanbulInstant(row.xact_date);
		if (ms !== undefined && (newestMs === undefined || ms > newestMs)) newestMs = ms;
	}
	if (newestMs === undefined) return;
	const aheadMs = newestMs - deps.nowMs;
	const behindMs = deps.nowMs - newestMs - pollMinutesMs;
	if (aheadMs <= CLOCK_WARNING_MS && behindMs <= CLOCK_WARNING_MS) return;
	deps.activation.clockWarned = true;
	const minutes = Math.round(Math.abs(newestMs - deps.nowMs) / 60_000);
	deps.logger.warn(
		`Paynet Polling Trigger: the newest new payment is dated ${new Date(newestMs).toISOString()} by Paynet, while n8n's clock says ${new Date(deps.nowMs).toISOString()} (${minutes} min ${aheadMs > 0 ? 'ahead of' : 'behind'} n8n's clock). ${aheadMs > 0 ? "Paynet's clock is ahead of n8n's" : "Paynet listed it late, or its clock is behind n8n's"}; the trigger decides what is new by Paynet's list, not by either clock, so nothing is missed or run twice`,
	);
}

/**
 * One poll: read each day of the window as far as Paynet's counts say it
 * must, then start one run per payment found, oldest first. Each row is
 * counted (and remembered) just before its run starts, so the static data
 * n8n saves with that run already holds it; a failure while reading throws
 * before anything is counted, so the next poll looks again.
 */
export async function runPoll(
	deps: PollDependencies,
	settings: PollSettings,
	pollMinutesMs = 60_000,
): Promise<PollResult> {
	const { staticData, logger, nowMs } = deps;
	const listedBy = `${settings.filters.event}|${settings.filters.agentId ?? ''}`;
	let memory: PollMemory = forLists(readPollMemory(staticData) ?? firstMemory(nowMs), listedBy);
	const firstActivation =
		Object.keys(memory.days).length === 0 &&
		Object.keys(memory.payments).length === 0 &&
		memory.floor === undefined &&
		memory.countFrom === undefined;
	const window = pollWindow({ nowMs, memory, firstActivation, catchUpFromMs: deps.catchUpFromMs });
	if (window.unchecked) {
		logger.warn(
			`Paynet Polling Trigger: the days ${window.unchecked.fromDay} to ${window.unchecked.untilDay} are older than Catch Up Hours (${settings.catchUpHours} h) before this activation and were not checked. Use Payment → List to find them`,
		);
	}
	const result: PollResult = {
		firstActivation,
		listed: 0,
		ran: 0,
		tooOld: 0,
	};
	const countFromMs = memory.countFrom === undefined ? undefined : istanbulInstant(memory.countFrom);

	for (const { day, mode } of window.days) {
		const read = await readDay({
			client: deps.client,
			node: deps.node,
			day,
			body: listBody(day, settings.filters),
			mode,
			counted: memory.days[day] ?? 0,
			isKnown: (row) => memoryKeyOf(row) in memory.payments,
			floorMs: mode === 'baseline' ? countFromMs : floorMsOf(memory),
			baselineReachMs: firstActivation ? LATE_LISTING_MS : undefined,
		});
		result.listed += read.found.length;
		memory.days[day] = read.countedBefore;
		// Counted without being held one by one: what lies before this floor is not new.
		if (mode === 'baseline' && read.floorMs !== undefined) {
			const floorMs = floorMsOf(memory);
			if (floorMs === undefined || read.floorMs > floorMs) memory.floor = istanbulWallClock(read.floorMs);
		}
		writePollMemory(staticData, memory, nowMs);
		if (!firstActivation && mode === 'count') noteClocks(deps, read.found, pollMinutesMs);

		const rows = [...read.found].sort(
			(a, b) =>
				(istanbulInstant(a.xact_date) ?? Number.POSITIVE_INFINITY) -
				(istanbulInstant(b.xact_date) ?? Number.POSITIVE_INFINITY),
		);
		for (const row of rows) {
			const key = memoryKeyOf(row);
			const paidAt = String(row.xact_date ?? '');
			const paidAtMs = istanbulInstant(row.xact_date);
			if (!firstActivation && xactIdOf(row) === undefined) {
				logger.warn(`Paynet Polling Trigger: transaction without xact_id not run, ${describe(row)}`);
			} else if (!firstActivation && matchesFilters(row, settings.filters)) {
				if (paidAtMs !== undefined && paidAtMs < deps.catchUpFromMs) {
					result.tooOld++;
					logger.warn(
						`Paynet Polling Trigger: payment older than Catch Up Hours (${settings.catchUpHours} h) not run, ${describe(row)}`,
					);
				} else {
					countRow(staticData, memory, day, key, paidAt, nowMs);
					// No await in between: emit records the run (static data `started`) in this same tick, so no save
					// n8n makes holds the payment without it (the crash recovery in runs.ts relies on that).
					if (!(await deps.emit(row))) {
						// Closed mid-poll: this payment did not start, so it is not counted.
						memory.days[day]--;
						delete memory.payments[key];
						writePollMemory(staticData, memory, nowMs);
						return result;
					}
					result.ran++;
					// The memory's size follows the late-listing reach, not the backlog.
					if (result.ran % PRUNE_EVERY_RUNS === 0) {
						memory = prune(memory);
						writePollMemory(staticData, memory, nowMs);
					}
					continue;
				}
			}
			countRow(staticData, memory, day, key, paidAt, nowMs);
		}

		if (read.missing > 0) {
			const named = read.listedLate.slice(0, read.missing);
			if (named.length < read.missing)
				named.push(
					...(await postedButTooLate(deps, day, settings, memory, named)).slice(0, read.missing - named.length),
				);
			const reach = `${LATE_LISTING_MS / HOUR_MS} h`;
			for (const row of named) {
				const message = `Paynet Polling Trigger: payment listed by Paynet more than ${reach} after its payment time, not run: it can no longer be told apart from a payment that already ran. Check it in the Executions list and Payment → List: ${describe(row)}`;
				logger.warn(message);
				deps.reportUnrunnable?.(message);
			}
			if (read.missing > named.length) {
				const message = `Paynet Polling Trigger: Paynet lists ${read.missing - named.length} more payment(s) on ${day} that the trigger has not counted and cannot find from ${memory.floor ?? 'the start of the day'} on: dated earlier, so listed more than ${reach} after their payment time, they cannot be told apart from payments that already ran, and were not run. Compare Payment → List for ${day} with the Executions list`;
				logger.warn(message);
				deps.reportUnrunnable?.(message);
			}
			memory.days[day] += read.missing;
		}
		memory = prune(memory);
		writePollMemory(staticData, memory, nowMs);
	}

	for (const day of closedDays(memory, nowMs)) delete memory.days[day];
	// countFrom (an older version's cut, or filters Paynet applies that changed) has done its work: the days are counted.
	delete memory.countFrom;
	writePollMemory(staticData, prune(memory), nowMs);
	return result;
}

/**
 * The payments posts named that Paynet lists on `day` too late to run: not
 * counted and dated before the floor. Read only when a day's count is short
 * and a post names a payment of that day, so a post costs nothing otherwise;
 * the post only says where to look, the row is Paynet's.
 */
async function postedButTooLate(
	deps: PollDependencies,
	day: string,
	settings: PollSettings,
	memory: PollMemory,
	already: IDataObject[],
): Promise<IDataObject[]> {
	const floorMs = floorMsOf(memory);
	const hints = (deps.postHints?.() ?? []).filter((hint) => {
		const paidAtMs = istanbulInstant(hint.xact_date);
		return paidAtMs !== undefined && istanbulDayOfInstant(paidAtMs) === day;
	});
	if (hints.length === 0 || floorMs === undefined) return [];
	const named = new Set(already.map(memoryKeyOf));
	const rows = await fetchListPages(deps.client, PAYNET_ENDPOINT.listTransactions, listBody(day, settings.filters), {
		node: deps.node,
		map: normaliseTransaction,
		rowKey: transactionRowKey,
		accept: (row) => hints.some((hint) => namesPayment(hint, row)),
	});
	return rows.filter((row) => {
		const paidAtMs = istanbulInstant(row.xact_date);
		return (
			!(memoryKeyOf(row) in memory.payments) &&
			!named.has(memoryKeyOf(row)) &&
			paidAtMs !== undefined &&
			paidAtMs < floorMs
		);
	});
}

/** During a long backlog, the memory is pruned this often, so each save n8n makes stays small. */
const PRUNE_EVERY_RUNS = 100;
