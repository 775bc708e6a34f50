import type { IDataObject, INode } from 'n8n-workflow';

import { istanbulInstant } from '../helpers/dates';
import { normaliseTransaction } from '../helpers/normalise';
import { PAYNET_ENDPOINT } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import type { ListedPage } from '../transport/paging';
import { fetchListPages, transactionRowKey } from '../transport/paging';
import type { ListCursor } from './memory';
import { xactIdOf } from './select';

/** Paynet's documentation does not say which; each day's rows tell. */
export type ListOrder = 'newestFirst' | 'oldestFirst' | 'unknown';

/** Where a row stood in the day's list, for the next poll's cursor. */
export interface ListedPosition {
	index: number;
	xactId?: string;
	paidAtMs?: number;
}

export interface DayRead {
	/** Rows that may be new: dated at or after the cut, or with a date that cannot be read. */
	rows: IDataObject[];
	/** Every row read, in list order, when the day is listed oldest first (for the cursor); else empty. */
	positions: ListedPosition[];
	order: ListOrder;
	/** Stopped (oldest first) once more new rows came than the poll runs: later rows wait for the next poll. */
	truncated?: boolean;
}

export interface DayRequest {
	client: PaynetClient;
	node: INode;
	day: string;
	/** Paynet's request for the day, without paging. */
	body: IDataObject;
	cutMs: number;
	/** The cursor the last poll left for this day, if it was listed oldest first. */
	cursor?: ListCursor;
	/** Remembered payments (`xact_id` → `xact_date`): a newest-first read that stops early must have met each one from the cut on. */
	remembered: Record<string, string>;
	/** Oldest first, the read may stop once more than this many rows `isNew` came: the poll runs no more. */
	enough?: { count: number; isNew: (row: IDataObject) => boolean };
}

/** Reads the order from the first and the latest readable payment times, as rows arrive. */
class OrderReader {
	private first?: number;
	order: ListOrder = 'unknown';

	see(paidAtMs: number | undefined): void {
		if (paidAtMs === undefined) return;
		if (this.first === undefined) this.first = paidAtMs;
		else if (paidAtMs < this.first) this.order = 'newestFirst';
		else if (paidAtMs > this.first) this.order = 'oldestFirst';
	}
}

/**
 * One pass over the day's list. From the cursor, the first page must hold
 * the payment the cursor names (else `undefined`: the day must be read
 * whole). Newest first, it stops after the first page that ends with a
 * payment dated before the cut, unless `toEnd`; oldest first, once more new
 * rows came than the poll will run.
 */
async function pass(request: DayRequest, mode: { cursor?: ListCursor; toEnd: boolean }): Promise<DayRead | undefined> {
	const { client, node, body, cutMs } = request;
	const rows: IDataObject[] = [];
	const positions: ListedPosition[] = [];
	const order = new OrderReader();
	let anchorMissing = false;
	let pageNumber = 0;
	let newRows = 0;
	let truncated = false;
	const onPage = (page: ListedPage): boolean => {
		pageNumber++;
		let lastBeforeCut = false;
		page.rows.forEach((row, offset) => {
			const paidAtMs = istanbulInstant(row.xact_date);
			order.see(paidAtMs);
			positions.push({ index: page.firstIndex + offset, xactId: xactIdOf(row), paidAtMs });
			lastBeforeCut = paidAtMs !== undefined && paidAtMs < cutMs;
			if (lastBeforeCut) return;
			rows.push(row);
			if (request.enough?.isNew(row)) newRows++;
		});
		if (mode.cursor && pageNumber === 1) {
			const anchor = mode.cursor.xactId;
			anchorMissing = order.order === 'newestFirst' || !page.rows.some((row) => xactIdOf(row) === anchor);
			if (anchorMissing) return true;
		}
		const oldestFirst = mode.cursor !== undefined || order.order === 'oldestFirst';
		if (oldestFirst && request.enough && newRows > request.enough.count) {
			truncated = true;
			return true;
		}
		// Newest first, a page that ends before the cut is the last one that can hold anything new.
		return !mode.toEnd && order.order === 'newestFirst' && lastBeforeCut;
	};
	await fetchListPages(client, PAYNET_ENDPOINT.listTransactions, body, {
		node,
		map: normaliseTransaction,
		rowKey: transactionRowKey,
		accept: () => false,
		onPage,
		// One row before the anchor: whether `starting_after` counts from 0 or 1, the anchor is on the first page.
		startAt: mode.cursor ? Math.max(0, mode.cursor.startingAfter - 1) : 0,
	});
	if (anchorMissing) return undefined;
	const listedOrder = mode.cursor ? 'oldestFirst' : order.order;
	return {
		rows,
		positions: listedOrder === 'oldestFirst' ? positions : [],
		order: listedOrder,
		...(truncated ? { truncated } : {}),
	};
}

/** Whether every remembered payment of the day, from the cut on, was among the rows read. */
function metEveryRemembered(request: DayRequest, read: DayRead): boolean {
	const seen = new Set(read.rows.map((row) => xactIdOf(row)));
	for (const [xactId, paidAt] of Object.entries(request.remembered)) {
		const paidAtMs = istanbulInstant(paidAt);
		if (paidAtMs === undefined || paidAtMs < request.cutMs || !paidAt.startsWith(request.day)) continue;
		if (!seen.has(xactId)) return false;
	}
	return true;
}

/**
 * The rows of one Istanbul day a poll needs, reading as little of the list
 * as the order lets it: oldest first, from the cursor the last poll left;
 * newest first, up to the cut. When an expectation fails (the cursor's
 * payment is not where it was, a remembered payment was not met before the
 * read stopped), the day is read whole, as on the first poll.
 */
export async function readDay(request: DayRequest): Promise<DayRead> {
	if (request.cursor) {
		const fromCursor = await pass(request, { cursor: request.cursor, toEnd: true });
		if (fromCursor) return fromCursor;
	}
	const read = (await pass(request, { toEnd: false })) as DayRead;
	if (read.order !== 'newestFirst' || metEveryRemembered(request, read)) return read;
	return (await pass(request, { toEnd: true })) as DayRead;
}

/**
 * The cursor for the next poll of an oldest-first day: the row just before
 * the first one dated at or after `nextCutMs` (or without a readable date),
 * so everything the next poll may take as new lies after it.
 */
export function cursorFor(positions: ListedPosition[], nextCutMs: number): ListCursor | undefined {
	let anchor: ListedPosition | undefined;
	for (const position of positions) {
		if (position.paidAtMs === undefined || position.paidAtMs >= nextCutMs) break;
		anchor = position;
	}
	if (!anchor || anchor.xactId === undefined) return undefined;
	return { startingAfter: anchor.index, xactId: anchor.xactId };
}
