import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readListPage } from '../helpers/normalise';
import { PAYNET_PAGING_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from './client';

/** Paynet documents no maximum page size; 100 is what servers in front of it are known to allow. */
export const DEFAULT_PAGE_SIZE = 100;

/** With no `total` to size it by, no list is followed further than this. */
export const MAX_PAGES = 10_000;

/** Pages allowed beyond what `total` needs, for overlapping page boundaries and rows shifted by arrivals. */
const PAGE_MARGIN = 2;

/**
 * How many pages a list of `total` rows may take. Sized by the smallest page
 * Paynet actually sent, not by the page size asked for: a server that caps
 * pages at 20 when asked for 100 needs five times the pages, while one that
 * sends full pages of mostly repeated rows is still stopped early.
 */
function pageCap(total: number | undefined, smallestPage: number): number {
	if (total === undefined || !Number.isFinite(smallestPage)) return MAX_PAGES;
	return Math.min(MAX_PAGES, Math.ceil(total / smallestPage) + PAGE_MARGIN);
}

/** One page as the caller sees it: its rows (mapped, before `accept`) and the list index of the first. */
export interface ListedPage {
	rows: IDataObject[];
	firstIndex: number;
}

export interface ListPagingOptions {
	/** Node the errors are reported against. */
	node: INode;
	pageSize?: number;
	/** Stop once this many rows were accepted; all rows when unset. */
	limit?: number;
	/** Applied to every row before `accept` and before it is returned (e.g. normalisePayLink). */
	map?: (row: IDataObject) => IDataObject;
	/** Client-side filter, for what Paynet cannot filter (PayLink status). */
	accept?: (row: IDataObject) => boolean;
	/** Identity of a raw row, to drop rows seen before: repeated across a boundary, or shifted by arrivals. */
	rowKey?: (row: IDataObject) => string;
	itemIndex?: number;
	maxPages?: number;
	/** The list index to start at (`starting_after` of the first request); the rows before it count as read. */
	startAt?: number;
	/** Sees each page's new rows in list order; returning `true` ends the listing there, as complete. */
	onPage?: (page: ListedPage) => boolean | void;
}

/**
 * List rows have no id of their own, and distinct links can agree on
 * `xact_id` (empty until paid), reference (none without a confirmation URL)
 * and `create_date` (made in one batch). A row repeated across a page
 * boundary is the same row in every field, so only that counts as a repeat:
 * the key is every field, in a fixed order.
 */
export function defaultRowKey(row: IDataObject): string {
	const keys = Object.keys(row).sort();
	const values: unknown[] = new Array(keys.length * 2);
	for (let index = 0; index < keys.length; index++) {
		values[index * 2] = keys[index];
		values[index * 2 + 1] = row[keys[index]];
	}
	return JSON.stringify(values);
}

/** A transaction is one payment attempt: its `xact_id` names it, whatever else a later page says of it. */
export function transactionRowKey(row: IDataObject): string {
	const id = row.xact_id;
	if ((typeof id === 'string' && id.trim() !== '') || typeof id === 'number') return `xact_id:${String(id).trim()}`;
	return defaultRowKey(row);
}

function isListEnvelope(body: IDataObject): boolean {
	return 'Data' in body || 'has_more' in body || 'total' in body;
}

function shortListError(node: INode, endpoint: string, why: string, pages: number, rows: number, itemIndex?: number) {
	return new NodeApiError(node, { pages, rows } as JsonObject, {
		message: `Paynet said more rows of ${endpoint} exist (${why}), but page ${pages} brought none that were not already received (${rows} rows so far); stopped so no partial list is returned`,
		description:
			'Nothing is returned, because the result would be incomplete. Either the server does not page (it may ignore starting_after) or its total and has_more disagree with the rows it sends. Narrow the date range so it fits one page, or report this to Paynet.',
		itemIndex,
	});
}

/**
 * Follows Paynet's index paging (`starting_after` + `limit`) and returns the
 * accepted rows, complete against what the list held when the first page
 * came. It advances by the rows actually received, since a server may send
 * fewer than asked, and drops rows already received: payments made while it
 * pages shift a newest-first list, so later pages repeat rows.
 *
 * It goes on while any sign says more: `has_more`; fewer distinct rows than
 * the first page's `total`; an index short of the latest `total`; or, when
 * Paynet sent neither field, a page that is not proven the last (the end is
 * an empty page, or one shorter than a page already received). A page that
 * brings nothing new while more is due fails the listing, unless `total`
 * grew meanwhile (arrivals shifted a whole page): a server that ignores
 * `starting_after` or always says `has_more: true` can neither keep it
 * looping nor pass a partial list off as complete.
 */
export async function fetchListPages(
	client: PaynetClient,
	endpoint: string,
	body: IDataObject,
	options: ListPagingOptions,
): Promise<IDataObject[]> {
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	const { limit, map, accept, itemIndex, node, onPage } = options;
	const rowKey = options.rowKey ?? defaultRowKey;
	const startAt = Math.max(0, options.startAt ?? 0);
	const rows: IDataObject[] = [];
	const seen = new Set<string>();
	let received = startAt;
	let firstTotal: number | undefined;
	let latestTotal: number | undefined;
	let largestPage = 0;
	let smallestPage = Number.POSITIVE_INFINITY;

	if (limit !== undefined && limit <= 0) return rows;

	for (let pageNumber = 1; ; pageNumber++) {
		// Without a filter every row counts, so ask only for what is still missing.
		const wanted = limit !== undefined && !accept ? Math.min(pageSize, limit - rows.length) : pageSize;
		const response = await client.request(
			endpoint,
			{ ...body, [PAYNET_PAGING_FIELD.limit]: wanted, [PAYNET_PAGING_FIELD.startingAfter]: received },
			{ idempotent: true, itemIndex },
		);
		const page = isListEnvelope(response) ? readListPage(response) : undefined;
		if (!page) {
			throw new NodeApiError(node, response as JsonObject, {
				message: `Paynet answered ${endpoint} with a successful HTTP status but a body that is not a list (no Data, has_more or total)`,
				description: `Received keys: ${Object.keys(response).slice(0, 10).join(', ') || 'none'}`,
				itemIndex,
			});
		}
		const firstIndex = received;
		received += page.rows.length;
		const grew = page.total !== undefined && latestTotal !== undefined && page.total > latestTotal;
		if (page.total !== undefined) {
			firstTotal = firstTotal ?? page.total;
			latestTotal = page.total;
		}
		const provenLast = page.rows.length === 0 || page.rows.length < largestPage;
		largestPage = Math.max(largestPage, page.rows.length);
		if (page.rows.length > 0) smallestPage = Math.min(smallestPage, page.rows.length);

		const fresh: IDataObject[] = [];
		for (const raw of page.rows) {
			const key = rowKey(raw);
			if (seen.has(key)) continue;
			seen.add(key);
			fresh.push(map ? map(raw) : raw);
		}
		const stop = onPage?.({ rows: fresh, firstIndex }) === true;
		for (const row of fresh) {
			if (accept && !accept(row)) continue;
			rows.push(row);
			if (limit !== undefined && rows.length >= limit) return rows;
		}
		if (stop) return rows;

		// Rows before `startAt` were counted by the caller: they are part of the list the first page saw.
		const distinct = startAt + seen.size;
		const signalled = page.hasMore !== undefined || page.total !== undefined;
		const more =
			page.hasMore === true ||
			(firstTotal !== undefined && distinct < firstTotal) ||
			(latestTotal !== undefined && received < latestTotal) ||
			(!signalled && !provenLast);
		if (!more) return rows;
		if (page.rows.length === 0 || (fresh.length === 0 && !grew)) {
			const why = page.hasMore
				? `has_more is true${page.total !== undefined ? `, total ${page.total}` : ''}`
				: page.total !== undefined
					? `total ${firstTotal}, has_more not true`
					: 'a full page, with neither has_more nor total';
			throw shortListError(node, endpoint, why, pageNumber, distinct, itemIndex);
		}
		// The cap turns a server that disagrees with itself into a clear error, and bounds a list with no total.
		if (pageNumber >= (options.maxPages ?? pageCap(latestTotal, smallestPage))) {
			throw new NodeApiError(node, { pages: pageNumber, rows: received } as JsonObject, {
				message: `Paynet still reported more rows of ${endpoint} after ${pageNumber} pages (${received} rows); stopped so the node cannot loop forever`,
				description:
					'The result would be incomplete, so nothing is returned. Narrow the date range, or report this to Paynet: its total and has_more disagree.',
				itemIndex,
			});
		}
	}
}
