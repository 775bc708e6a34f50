import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { istanbulDayOfInstant, istanbulInstant } from '../helpers/dates';
import { normaliseTransaction } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import { fetchListPages, transactionRowKey } from '../transport/paging';
import type { ListCursor, PollMemory } from './memory';
import { firstMemory, prune, readPollMemory, rememberPayment, writePollMemory } from './memory';
import type { DayRead } from './readDay';
import { cursorFor, readDay } from './readDay';
import type { PollFilters, Selection } from './select';
import { matchesFilters, selectNew, xactIdOf } from './select';
import type { PollWindow } from './window';
import { cutOf, HOUR_MS, pollWindow } from './window';

/** Runs one poll starts at most: a backlog is worked off in steps, each poll continuing where the last stopped. */
export const MAX_RUNS_PER_POLL = 500;

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
	nowMs: number;
	/** Payments dated before this are older than Catch Up Hours at this activation. */
	catchUpFromMs: number;
	maxRunsPerPoll?: number;
}

export interface PollResult {
	firstActivation: boolean;
	listed: number;
	ran: number;
	tooOld: number;
	/** More new payments are waiting than this poll was allowed to start: poll again at once. */
	more: boolean;
	days?: string[];
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

function logSkipped(logger: PollLogger, selection: Selection, catchUpHours: number): void {
	for (const row of selection.tooOld) {
		logger.warn(
			`Paynet Polling Trigger: payment older than Catch Up Hours (${catchUpHours} h) not run, ${describe(row)}`,
		);
	}
	for (const row of selection.beyondMemory) {
		logger.warn(
			`Paynet Polling Trigger: payment dated before what the memory still holds, not run (it may have run already), ${describe(row)}`,
		);
	}
	for (const row of selection.unidentified) {
		logger.warn(`Paynet Polling Trigger: transaction without xact_id not run, ${describe(row)}`);
	}
}

/** Reads each day of the window on its own; a failure on any day throws before anything runs. */
async function readWindow(deps: PollDependencies, memory: PollMemory, window: PollWindow, settings: PollSettings) {
	const reads = new Map<string, DayRead>();
	const rows: IDataObject[] = [];
	const maxRuns = deps.maxRunsPerPoll ?? MAX_RUNS_PER_POLL;
	const isNew = (row: IDataObject) => {
		const xactId = xactIdOf(row);
		return xactId !== undefined && !(xactId in memory.payments) && matchesFilters(row, settings.filters);
	};
	let newSoFar = 0;
	let truncated = false;
	for (const day of window.days) {
		// A backlog: the older days already hold more than this poll runs, so the later ones wait for the next.
		if (newSoFar > maxRuns) {
			truncated = true;
			break;
		}
		const read = await readDay({
			client: deps.client,
			node: deps.node,
			day,
			body: listBody(day, settings.filters),
			cutMs: window.cutMs,
			cursor: memory.cursors?.[day],
			remembered: memory.payments,
			enough: { count: maxRuns - newSoFar, isNew },
		});
		reads.set(day, read);
		for (const row of read.rows) if (matchesFilters(row, settings.filters)) rows.push(row);
		newSoFar += read.rows.filter(isNew).length;
		truncated = truncated || read.truncated === true;
	}
	return { reads, rows, truncated };
}

/** Cursors for the days the next poll reads again, where the day is listed oldest first. */
function nextCursors(reads: Map<string, DayRead>, previous: PollMemory, nextCutMs: number) {
	const cursors: Record<string, ListCursor> = {};
	const firstDay = istanbulDayOfInstant(nextCutMs);
	for (const [day, read] of reads) {
		if (day < firstDay || read.order !== 'oldestFirst') continue;
		const cursor = cursorFor(read.positions, nextCutMs) ?? previous.cursors?.[day];
		if (cursor) cursors[day] = cursor;
	}
	return Object.keys(cursors).length > 0 ? cursors : undefined;
}

/**
 * One poll: read the window's days, start one run per new payment (oldest
 * first, at most `MAX_RUNS_PER_POLL`), then move the memory forward. A
 * failure before the runs throws with nothing changed, so the next poll
 * covers the same time again; each payment is remembered just before its run
 * is started, so the static data n8n saves with that run already holds it.
 */
export async function runPoll(deps: PollDependencies, settings: PollSettings): Promise<PollResult> {
	const { staticData, logger, nowMs } = deps;
	const stored = readPollMemory(staticData);
	if (!stored) {
		writePollMemory(staticData, firstMemory(nowMs), nowMs);
		return { firstActivation: true, listed: 0, ran: 0, tooOld: 0, more: false };
	}
	const memory: PollMemory = stored;
	const window = pollWindow({
		nowMs,
		cutMs: cutOf(Date.parse(memory.activatedAt), Date.parse(memory.coveredUntil)),
		catchUpFromMs: deps.catchUpFromMs,
	});
	const { reads, rows, truncated } = await readWindow(deps, memory, window, settings);
	const selection = selectNew(rows, memory, window);
	logSkipped(logger, selection, settings.catchUpHours);
	if (window.unchecked) {
		logger.warn(
			`Paynet Polling Trigger: the last completed poll was at ${memory.coveredUntil}, longer ago than Catch Up Hours (${settings.catchUpHours} h) before this activation; payments from ${new Date(window.unchecked.fromMs).toISOString()} to ${new Date(window.unchecked.untilMs).toISOString()} were not checked. Use Payment → List to find them`,
		);
	}
	for (const row of selection.tooOld) {
		const xactId = xactIdOf(row);
		if (xactId !== undefined) rememberPayment(staticData, memory, xactId, String(row.xact_date ?? ''), nowMs);
	}

	const maxRuns = deps.maxRunsPerPoll ?? MAX_RUNS_PER_POLL;
	const toRun = selection.run.slice(0, maxRuns);
	// Read only in part (a backlog): nothing newer than the last run is known to be covered.
	const more = selection.run.length > toRun.length || (truncated && toRun.length > 0);
	let ran = 0;
	let lastRunMs: number | undefined;
	for (const row of toRun) {
		const xactId = xactIdOf(row) as string;
		rememberPayment(staticData, memory, xactId, String(row.xact_date ?? ''), nowMs);
		// No await in between: emit records the run (static data `started`) in this same tick, so no save
		// n8n makes holds the payment without it (the crash recovery in runs.ts relies on that).
		if (!(await deps.emit(row))) {
			// Closed mid-poll: this payment is remembered but did not start, so forget it again.
			delete memory.payments[xactId];
			writePollMemory(staticData, memory, nowMs);
			return { firstActivation: false, listed: rows.length, ran, tooOld: selection.tooOld.length, more: false };
		}
		ran++;
		lastRunMs = istanbulInstant(row.xact_date) ?? lastRunMs;
	}

	// Stopped at the bound: covered up to the last payment run (all older ones ran), so the next poll goes on from there.
	// Never backwards: entries before the old cut are forgotten, so a lower cut would take them as new.
	const coveredUntilMs =
		more || truncated ? Math.max(Date.parse(memory.coveredUntil), Math.min(lastRunMs ?? 0, nowMs)) : nowMs;
	const nextCutMs = cutOf(Date.parse(memory.activatedAt), coveredUntilMs);
	const cursors = nextCursors(reads, memory, nextCutMs);
	const covered: PollMemory = { ...memory, coveredUntil: new Date(coveredUntilMs).toISOString() };
	delete covered.cursors;
	if (cursors) covered.cursors = cursors;
	writePollMemory(staticData, prune(covered, nextCutMs), nowMs);
	return {
		firstActivation: false,
		listed: rows.length,
		ran,
		tooOld: selection.tooOld.length,
		more,
		days: window.days,
	};
}

/** Days "Fetch Test Event" looks back for a payment, newest day first. */
export const TEST_LOOKBACK_DAYS = 7;

/** Days a test post's own payment is looked for before the newest matching one stands in. */
export const TEST_POSTED_LOOKBACK_DAYS = 2;

/**
 * The newest payment that matches the filters, for "Fetch Test Event": read
 * day by day back from today, without touching the memory. With `named` (a
 * post to the Test URL), the newest row it names, from today or yesterday,
 * comes first: the payment that was just posted, as Paynet lists it.
 */
export async function findNewestPayment(
	client: PaynetClient,
	node: INode,
	filters: PollFilters,
	nowMs: number,
	named?: (row: IDataObject) => boolean,
): Promise<IDataObject> {
	// As instants, as the Paynet Trigger picks rows: `…T10:00:00` and `…T10:00:00.000` are one moment.
	const paidAt = (row: IDataObject) => istanbulInstant(row.xact_date) ?? Number.NEGATIVE_INFINITY;
	const newestOf = (rows: IDataObject[]) => {
		let newest: IDataObject | undefined;
		for (const row of rows) {
			if (!newest || paidAt(row) > paidAt(newest)) newest = row;
		}
		return newest;
	};
	const looksForNamed = (back: number) => named !== undefined && back < TEST_POSTED_LOOKBACK_DAYS;
	let newestMatching: IDataObject | undefined;
	for (let back = 0; back < TEST_LOOKBACK_DAYS; back++) {
		const day = istanbulDayOfInstant(nowMs - back * 24 * HOUR_MS);
		const rows = await fetchListPages(client, PAYNET_ENDPOINT.listTransactions, listBody(day, filters), {
			node,
			map: normaliseTransaction,
			rowKey: transactionRowKey,
			accept: (row) => matchesFilters(row, filters),
		});
		if (looksForNamed(back)) {
			const namedRow = newestOf(rows.filter(named!));
			if (namedRow) return namedRow;
		}
		newestMatching ??= newestOf(rows);
		// The newest matching payment stands in once no later day is left to find the named one in.
		if (newestMatching && !looksForNamed(back + 1)) return newestMatching;
	}
	throw new NodeOperationError(node, `No matching payment in the last ${TEST_LOOKBACK_DAYS} days`, {
		description:
			'Pay a PayLink (in Paynet’s test environment, with a test card) or loosen the filters, then fetch again. Once the workflow is active, each new payment starts one run.',
	});
}
