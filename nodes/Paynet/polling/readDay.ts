import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { istanbulInstant } from '../helpers/dates';
import { normaliseTransaction, readListPage } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_PAGING_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import type { ListedPage } from '../transport/paging';
import { DEFAULT_PAGE_SIZE, fetchListPages, transactionRowKey } from '../transport/paging';
import type { DayMode } from './window';

/**
 * How one Istanbul day's list is read: only as far as it must be to find the
 * rows not counted yet. Paynet's `total` for the day says how many there are
 * (total less the rows counted); the list's order is read from its rows,
 * never assumed, and a late-listed row may stand anywhere in it.
 */

export interface DayRequest {
	client: PaynetClient;
	node: INode;
	day: string;
	/** Paynet's request for the day, without paging. */
	body: IDataObject;
	mode: DayMode;
	/** Rows of the day counted so far (`count` mode). */
	counted: number;
	/** Whether the memory holds this row: counted already. */
	isKnown: (row: IDataObject) => boolean;
	/** `count`: rows dated before it that are not known were counted; `baseline`: rows dated before it were there before. */
	floorMs?: number;
	/** `baseline` on a first activation: the floor is the day's newest payment less this. */
	baselineReachMs?: number;
	pageSize?: number;
}

export interface DayRead {
	/** The rows not counted yet, in list order (normalised). */
	found: IDataObject[];
	/** Rows of the day counted before this read, or counted by it without being in `found` (`whole`, `baseline`). */
	countedBefore: number;
	/** Rows Paynet counts in the day that this read could not find, though it read all it could tell apart. */
	missing: number;
	/** Rows not counted, dated before the floor yet listed among rows after it: what `missing` counts, by name where seen. */
	listedLate: IDataObject[];
	/** `baseline`: rows dated before this were counted without being read one by one. */
	floorMs?: number;
}

export type ListOrder = 'newestFirst' | 'oldestFirst' | 'unknown';

/** The order of a page, from its first and last readable payment times. */
export function orderOf(rows: IDataObject[]): ListOrder {
	const times = rows.map((row) => istanbulInstant(row.xact_date)).filter((ms): ms is number => ms !== undefined);
	if (times.length < 2 || times[0] === times[times.length - 1]) return 'unknown';
	return times[0] > times[times.length - 1] ? 'newestFirst' : 'oldestFirst';
}

function newestOf(rows: IDataObject[]): number | undefined {
	let newest: number | undefined;
	for (const row of rows) {
		const ms = istanbulInstant(row.xact_date);
		if (ms !== undefined && (newest === undefined || ms > newest)) newest = ms;
	}
	return newest;
}

/** One page of a day's transactions at `startingAfter`, read on its own, normalised. */
export async function fetchTransactionPage(
	client: PaynetClient,
	node: INode,
	body: IDataObject,
	startingAfter: number,
	pageSize = DEFAULT_PAGE_SIZE,
) {
	const response = await client.request(
		PAYNET_ENDPOINT.listTransactions,
		{ ...body, [PAYNET_PAGING_FIELD.limit]: pageSize, [PAYNET_PAGING_FIELD.startingAfter]: Math.max(0, startingAfter) },
		{ idempotent: true },
	);
	const page = readListPage(response);
	if (!page) {
		throw new NodeApiError(node, response as JsonObject, {
			message: `Paynet answered ${PAYNET_ENDPOINT.listTransactions} with a successful HTTP status but a body that is not a list (no Data, has_more or total)`,
		});
	}
	return { rows: page.rows.map(normaliseTransaction), total: page.total };
}

/**
 * Reads one day. Newest first, from the top, down to where the rows still to
 * find must be (or the floor); oldest first, from the end backwards, each
 * page overlapping the one read before so that a row inserted meanwhile
 * cannot slip between them (if one did, the day is read whole from the
 * start). With no order to read, or no `total`, the day is read whole.
 * Every stop but "found them all" is a read of all that can be told apart,
 * so what is still short then is `missing`.
 */
export async function readDay(request: DayRequest): Promise<DayRead> {
	const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
	const seen = new Set<string>();
	const found: IDataObject[] = [];
	let floorMs = request.mode === 'whole' ? undefined : request.floorMs;
	// Rows not counted and dated before the floor, read from the newest end: old rows, unless a row dated after
	// the floor comes after them, which puts them out of place: listed long after their time.
	let beforeFloor: IDataObject[] = [];
	const listedLate: IDataObject[] = [];
	const take = (row: IDataObject) => {
		const key = transactionRowKey(row);
		const paidAtMs = istanbulInstant(row.xact_date);
		const old = floorMs !== undefined && paidAtMs !== undefined && paidAtMs < floorMs;
		if (!old && beforeFloor.length > 0) {
			listedLate.push(...beforeFloor);
			beforeFloor = [];
		}
		if (seen.has(key)) return;
		seen.add(key);
		if (request.isKnown(row)) return;
		// An unreadable date cannot place a row before the floor: it is taken as not counted.
		if (old) beforeFloor.push(row);
		else found.push(row);
	};
	const belowFloor = (row: IDataObject | undefined) => {
		const paidAtMs = row === undefined ? undefined : istanbulInstant(row.xact_date);
		return floorMs !== undefined && paidAtMs !== undefined && paidAtMs < floorMs;
	};
	// A first activation keeps one by one only the rows a late listing can still need: from the newest less the reach.
	const floorFromNewest = (rows: IDataObject[]) => {
		if (request.mode !== 'baseline' || request.baselineReachMs === undefined || floorMs !== undefined) return;
		const newest = newestOf(rows);
		if (newest !== undefined) floorMs = newest - request.baselineReachMs;
	};

	// The first page: its total says how many rows are not counted yet, its rows the order.
	const first = await fetchTransactionPage(request.client, request.node, request.body, 0, pageSize);
	const total = first.total;
	const order = orderOf(first.rows);
	// Fewer rows than counted: the list lost some (Paynet's never should), so the count says nothing this time.
	const shrunk = request.mode === 'count' && total !== undefined && total < request.counted;
	const need =
		request.mode === 'count' && total !== undefined && !shrunk ? total - request.counted : Number.POSITIVE_INFINITY;
	const enough = () => found.length >= need;
	if (order === 'newestFirst') floorFromNewest(first.rows);
	// From the newest end, so a row out of place is seen before the later rows it stands among.
	for (const row of order === 'oldestFirst' ? [...first.rows].reverse() : first.rows) take(row);
	// Oldest first, what is still before the floor at the start of the list is simply old.
	if (order === 'oldestFirst') beforeFloor = [];

	const readWhole = async (startAt: number) => {
		await fetchListPages(request.client, PAYNET_ENDPOINT.listTransactions, request.body, {
			node: request.node,
			pageSize,
			map: normaliseTransaction,
			rowKey: transactionRowKey,
			accept: () => false,
			startAt,
			onPage: (page: ListedPage) => {
				for (const row of page.rows) take(row);
				// Newest first, a page that ends before the floor is the last that can hold a row not counted.
				return enough() || (order === 'newestFirst' && belowFloor(page.rows[page.rows.length - 1]));
			},
		});
	};

	const listedAll = first.rows.length === 0 || (total !== undefined && first.rows.length >= total);
	if (!enough() && !listedAll) {
		if (order === 'oldestFirst' && total !== undefined) {
			const joined = await readBackward(request, total, first.rows.length, pageSize, {
				take,
				enough,
				belowFloor,
				floorFromNewest,
			});
			// A row slipped between two pages: the day is read whole from the start.
			if (!joined) await readWhole(0);
		} else if (!(order === 'newestFirst' && belowFloor(first.rows[first.rows.length - 1]))) {
			await readWhole(first.rows.length);
		}
	}

	const countedBefore =
		request.mode === 'count'
			? shrunk
				? Math.max(0, (total as number) - found.length)
				: request.counted
			: (request.mode === 'baseline' ? Math.max(total ?? 0, seen.size) : seen.size) - found.length;
	const missing = Number.isFinite(need) ? Math.max(0, need - found.length) : 0;
	return { found, countedBefore, missing, listedLate, ...(floorMs !== undefined ? { floorMs } : {}) };
}

interface BackwardSteps {
	take: (row: IDataObject) => void;
	enough: () => boolean;
	belowFloor: (row: IDataObject | undefined) => boolean;
	floorFromNewest: (rows: IDataObject[]) => void;
}

/**
 * Oldest first: pages from the end of the list back towards the first page,
 * each ending on the row the one after it began with. `false` when that row
 * is not there (rows were inserted below meanwhile): the caller reads whole.
 */
async function readBackward(
	request: DayRequest,
	total: number,
	firstPageLength: number,
	pageSize: number,
	steps: BackwardSteps,
): Promise<boolean> {
	// A server that sends fewer rows than asked sends pages of that size: step by what it sends, two rows short
	// of a page, so each page reaches the row the last one began with whether `starting_after` skips that many
	// rows or starts after that row counted from 1 (Paynet's documentation reads both ways).
	const step = Math.max(1, Math.min(pageSize, firstPageLength) - 2);
	let end = total;
	let joinKey: string | undefined;
	while (end > firstPageLength) {
		const startingAfter = Math.max(firstPageLength - 2, end - step - 1);
		const page = await fetchTransactionPage(request.client, request.node, request.body, startingAfter, pageSize);
		// Short of what was asked for: rows between this page and the last one could go unread.
		if (page.rows.length < Math.min(step, end - startingAfter - 1)) return false;
		if (joinKey !== undefined && !page.rows.some((row) => transactionRowKey(row) === joinKey)) return false;
		if (joinKey === undefined) steps.floorFromNewest(page.rows);
		// From the newest end: this page's rows backwards.
		for (let index = page.rows.length - 1; index >= 0; index--) steps.take(page.rows[index]);
		if (steps.enough()) return true;
		if (steps.belowFloor(page.rows[0])) return true;
		joinKey = transactionRowKey(page.rows[0]);
		end = startingAfter + 1;
		if (startingAfter <= firstPageLength - 2) return true;
	}
	return true;
}
