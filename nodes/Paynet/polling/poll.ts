import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ISTANBUL_OFFSET_MS, istanbulDayOfInstant, istanbulInstant } from '../helpers/dates';
import { normaliseTransaction } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import { fetchListPages } from '../transport/paging';
import type { PollMemory } from './memory';
import { firstMemory, prune, readPollMemory, rememberPayment, writePollMemory } from './memory';
import type { PollFilters, Selection } from './select';
import { matchesFilters, selectNew, xactIdOf } from './select';
import type { PollWindow } from './window';
import { HOUR_MS, OVERLAP_MS, pollWindow } from './window';

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
	/** Starts one run for one payment; `false` when the trigger was closed meanwhile and nothing was started. */
	emit(row: IDataObject): boolean;
	nowMs: number;
}

export interface PollResult {
	firstActivation: boolean;
	listed: number;
	ran: number;
	tooOld: number;
	startDay?: string;
	endDay?: string;
}

/** Paynet's request for the window's days, with the filters Paynet can apply itself. */
export function listBody(window: PollWindow, filters: PollFilters): IDataObject {
	const body: IDataObject = { [PAYNET_FIELD.startDate]: window.startDay, [PAYNET_FIELD.endDate]: window.endDay };
	if (filters.agentId) body[PAYNET_FIELD.agentId] = filters.agentId;
	if (filters.event === 'anyPayment') body[PAYNET_FIELD.showUnsucceed] = true;
	return body;
}

function describe(row: IDataObject): string {
	return `reference ${JSON.stringify(row.reference_no ?? null)}, xact_id ${JSON.stringify(row.xact_id ?? null)}, xact_date ${JSON.stringify(row.xact_date ?? null)}, amount ${JSON.stringify(row.amount ?? null)}`;
}

/** The instant the Istanbul day of `epochMs` began. */
function istanbulDayStart(epochMs: number): number {
	return Date.parse(`${istanbulDayOfInstant(epochMs)}T00:00:00Z`) - ISTANBUL_OFFSET_MS;
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

/**
 * One poll: list the window's days to the end, start one run per new
 * payment, then move the memory forward. A failure anywhere before the runs
 * throws with nothing changed, so the next poll covers the same time again;
 * each payment is remembered just before its run is started, so the static
 * data n8n saves with that run already holds it.
 */
export async function runPoll(deps: PollDependencies, settings: PollSettings): Promise<PollResult> {
	const { client, node, staticData, logger, nowMs } = deps;
	const stored = readPollMemory(staticData);
	if (!stored) {
		writePollMemory(staticData, firstMemory(nowMs), nowMs);
		return { firstActivation: true, listed: 0, ran: 0, tooOld: 0 };
	}
	const memory: PollMemory = stored;
	const window = pollWindow({
		nowMs,
		activatedAtMs: Date.parse(memory.activatedAt),
		coveredUntilMs: Date.parse(memory.coveredUntil),
		catchUpHours: settings.catchUpHours,
	});
	const rows = await fetchListPages(client, PAYNET_ENDPOINT.listTransactions, listBody(window, settings.filters), {
		node,
		map: normaliseTransaction,
		accept: (row) => matchesFilters(row, settings.filters),
	});
	const selection = selectNew(rows, memory, window);
	logSkipped(logger, selection, settings.catchUpHours);
	if (window.uncheckedFromMs !== undefined) {
		logger.warn(
			`Paynet Polling Trigger: the last completed poll was at ${memory.coveredUntil}, before Catch Up Hours (${settings.catchUpHours} h) and a day more; payments from ${new Date(window.uncheckedFromMs).toISOString()} to ${window.startDay} (Istanbul) were not checked. Use Payment → List to find them`,
		);
	}
	for (const row of selection.tooOld) {
		const xactId = xactIdOf(row);
		if (xactId !== undefined) rememberPayment(staticData, memory, xactId, String(row.xact_date ?? ''), nowMs);
	}

	let ran = 0;
	for (const row of selection.run) {
		const xactId = xactIdOf(row) as string;
		rememberPayment(staticData, memory, xactId, String(row.xact_date ?? ''), nowMs);
		if (!deps.emit(row)) {
			// Closed mid-poll: this payment is remembered but did not start, so forget it again.
			delete memory.payments[xactId];
			writePollMemory(staticData, memory, nowMs);
			return { firstActivation: false, listed: rows.length, ran, tooOld: selection.tooOld.length };
		}
		ran++;
	}

	const covered: PollMemory = { ...memory, coveredUntil: new Date(nowMs).toISOString() };
	writePollMemory(staticData, prune(covered, istanbulDayStart(nowMs - OVERLAP_MS)), nowMs);
	return {
		firstActivation: false,
		listed: rows.length,
		ran,
		tooOld: selection.tooOld.length,
		startDay: window.startDay,
		endDay: window.endDay,
	};
}

/** Days "Fetch Test Event" looks back for a payment, newest day first. */
export const TEST_LOOKBACK_DAYS = 7;

/**
 * The newest payment that matches the filters, for "Fetch Test Event": read
 * day by day back from today, without touching the memory.
 */
export async function findNewestPayment(
	client: PaynetClient,
	node: INode,
	filters: PollFilters,
	nowMs: number,
): Promise<IDataObject> {
	for (let back = 0; back < TEST_LOOKBACK_DAYS; back++) {
		const day = istanbulDayOfInstant(nowMs - back * 24 * HOUR_MS);
		const window: PollWindow = { startDay: day, endDay: day, floorMs: 0, catchUpFromMs: 0 };
		const rows = await fetchListPages(client, PAYNET_ENDPOINT.listTransactions, listBody(window, filters), {
			node,
			map: normaliseTransaction,
			accept: (row) => matchesFilters(row, filters),
		});
		// As instants, as the Paynet Trigger picks rows: `…T10:00:00` and `…T10:00:00.000` are one moment.
		const paidAt = (row: IDataObject) => istanbulInstant(row.xact_date) ?? Number.NEGATIVE_INFINITY;
		let newest: IDataObject | undefined;
		for (const row of rows) {
			if (!newest || paidAt(row) > paidAt(newest)) newest = row;
		}
		if (newest) return newest;
	}
	throw new NodeOperationError(node, `No matching payment in the last ${TEST_LOOKBACK_DAYS} days`, {
		description:
			'Pay a PayLink (in Paynet’s test environment, with a test card) or loosen the filters, then fetch again. Once the workflow is active, each new payment starts one run.',
	});
}
