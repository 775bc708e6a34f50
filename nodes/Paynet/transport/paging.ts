import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readListPage } from '../helpers/normalise';
import { PAYNET_PAGING_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from './client';

/** Paynet documents no maximum page size; 100 is what servers in front of it are known to allow. */
export const DEFAULT_PAGE_SIZE = 100;

/** With no `total` to size it by, no list is followed further than this. */
export const MAX_PAGES = 10_000;

/** Pages allowed beyond what `total` needs, for overlapping page boundaries. */
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
	/** Identity of a raw row, to drop rows repeated across a page boundary. */
	rowKey?: (row: IDataObject) => string;
	itemIndex?: number;
	maxPages?: number;
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

function isListEnvelope(body: IDataObject): boolean {
	return 'Data' in body || 'has_more' in body || 'total' in body;
}

/**
 * Follows Paynet's index paging (`starting_after` + `limit`, `has_more`) and
 * returns the accepted rows. It advances by the rows actually received, since
 * a server may return fewer than asked. It goes on while `has_more` is true
 * or fewer distinct rows than `total` have arrived, and ends only when
 * neither says more; a page that brings nothing new while more rows are due,
 * or the page cap, is an error, so a server that always says `has_more:
 * true` can neither keep it looping nor pass a partial list off as complete.
 * Only accepted rows and the previous page's keys are kept in memory.
 */
export async function fetchListPages(
	client: PaynetClient,
	endpoint: string,
	body: IDataObject,
	options: ListPagingOptions,
): Promise<IDataObject[]> {
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	const { limit, map, accept, itemIndex, node } = options;
	const rowKey = options.rowKey ?? defaultRowKey;
	const rows: IDataObject[] = [];
	let received = 0;
	// `total` counts distinct rows; a repeated boundary row must not end the list early.
	let distinct = 0;
	let smallestPage = Number.POSITIVE_INFINITY;
	let previousKeys = new Set<string>();

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
		received += page.rows.length;
		if (page.rows.length > 0) smallestPage = Math.min(smallestPage, page.rows.length);
		const keys = new Set<string>();
		let fresh = 0;
		for (const raw of page.rows) {
			const key = rowKey(raw);
			keys.add(key);
			if (previousKeys.has(key)) continue;
			fresh++;
			const row = map ? map(raw) : raw;
			if (accept && !accept(row)) continue;
			rows.push(row);
			if (limit !== undefined && rows.length >= limit) return rows;
		}
		previousKeys = keys;
		distinct += fresh;

		// Either signal that more rows exist is believed: `has_more` may be
		// missing while `total` says 250, or `total` stale while `has_more` is
		// true. Stopping on the first "done" would return part of the list.
		const totalSaysMore = page.total !== undefined && distinct < page.total;
		if (!page.hasMore && !totalSaysMore) return rows;
		if (page.rows.length === 0 || fresh === 0) {
			// Returning what arrived would pass a partial list off as the whole one.
			const why = page.hasMore
				? `has_more is true${page.total !== undefined ? `, total ${page.total}` : ''}`
				: `total ${page.total}, has_more not true`;
			throw new NodeApiError(node, { pages: pageNumber, rows: distinct } as JsonObject, {
				message: `Paynet said more rows of ${endpoint} exist (${why}), but page ${pageNumber} brought none that were not already received (${distinct} rows so far); stopped so no partial list is returned`,
				description:
					'Nothing is returned, because the result would be incomplete. Either the server does not page (it may ignore starting_after) or its total and has_more disagree with the rows it sends. Narrow the date range so it fits one page, or report this to Paynet.',
				itemIndex,
			});
		}
		// Each page that goes on brought at least one new row, so with a total the
		// loop ends anyway; the cap turns a server that disagrees with itself into
		// a clear error long before that, and bounds a list with no total at all.
		if (pageNumber >= (options.maxPages ?? pageCap(page.total, smallestPage))) {
			throw new NodeApiError(node, { pages: pageNumber, rows: received } as JsonObject, {
				message: `Paynet still reported more rows of ${endpoint} after ${pageNumber} pages (${received} rows); stopped so the node cannot loop forever`,
				description:
					'The result would be incomplete, so nothing is returned. Narrow the date range, or report this to Paynet: its total and has_more disagree.',
				itemIndex,
			});
		}
	}
}
