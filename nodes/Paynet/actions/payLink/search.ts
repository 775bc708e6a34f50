import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { istanbulDayOfInstant, istanbulInstant } from '../../helpers/dates';
import { normalisePayLink, readListPage } from '../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD, PAYNET_PAGING_FIELD } from '../../helpers/paynetFields';
import type { PaynetClient } from '../../transport/client';
import { CREDENTIAL_NAME, createPaynetClient } from '../../transport/client';

// "From List" of the PayLink Resource Locator (Get, Deactivate, Reactivate):
// the PayLinks of the last 30 days, newest day first, searched by what a
// user remembers of one (name, reference, amount, status). Paynet's list
// has no PayLink IDs and no search, so each entry's value is its reference
// number, and the search text is matched here. One call of the search (one
// scroll of the list) makes a bounded number of Paynet requests; the editor
// asks for the next part with the pagination token.

/** How far back the list reaches, in Istanbul days, today included. */
export const SEARCH_DAYS = 30;
/** Rows asked of Paynet per request. */
export const SEARCH_PAGE_SIZE = 100;
/** Paynet requests one call of the search may make: enough to walk 30 empty days, and no more. */
export const MAX_REQUESTS_PER_SEARCH = SEARCH_DAYS + 1;
/** A call stops asking once it has this many entries; the rest come with the next scroll. */
export const RESULTS_PER_SEARCH = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

const STATUS_LABEL: Record<string, string> = {
	awaiting_payment: 'Awaiting payment',
	paid: 'Paid',
	expired: 'Expired',
	deactivated: 'Deactivated',
};

/** Where the next call goes on: `day` days before today, after `after` rows of that day. */
interface Cursor {
	day: number;
	after: number;
}

function readCursor(token: unknown): Cursor | undefined {
	if (typeof token !== 'string' || token === '') return undefined;
	try {
		const { day, after } = JSON.parse(token) as Partial<Cursor>;
		if (Number.isInteger(day) && Number.isInteger(after) && (day as number) >= 0 && (after as number) >= 0)
			return { day: day as number, after: after as number };
	} catch {
		// a token that is not ours starts the list again
	}
	return undefined;
}

/** Lower case, Turkish dotted and dotless i read as i, so "ışık", "IŞIK" and "isik" find each other. */
function fold(text: string): string {
	return text
		.replace(/İ/g, 'i')
		.toLowerCase()
		.replace(/ı/g, 'i')
		.replace(/\u0307/g, '');
}

function withThousands(fixed: string, thousands: string, decimal: string): string {
	const [whole, fraction] = fixed.split('.');
	return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands)}${decimal}${fraction}`;
}

/** The ways a user may type an amount: 1234.5, 1234.50, 1234,50, 1,234.50, 1.234,50. */
function amountSpellings(amount: unknown): string[] {
	if (typeof amount !== 'number') return amount === undefined || amount === null ? [] : [String(amount)];
	const fixed = amount.toFixed(2);
	return [
		String(amount),
		fixed,
		fixed.replace('.', ','),
		withThousands(fixed, ',', '.'),
		withThousands(fixed, '.', ','),
	];
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Who the PayLink is for, as far as the list row says (Paynet's list may leave the name out). */
function payer(row: IDataObject): string | undefined {
	return text(row.name_surname) ?? text(row.email) ?? text(row.user_name);
}

function entryOf(row: IDataObject, reference: string): INodeListSearchItems {
	const amount =
		typeof row.amount === 'number'
			? `${withThousands(row.amount.toFixed(2), ',', '.')} ${text(row.currency) ?? 'TRY'}`
			: undefined;
	const status = STATUS_LABEL[String(row.status_text)];
	const created = text(row.create_date)?.slice(0, 10);
	return {
		name: [reference, payer(row), amount, status, created].filter(Boolean).join(' · '),
		value: reference,
	};
}

/** Whether every word of the search is found in the PayLink's name, reference, amount or status. */
function matches(row: IDataObject, reference: string, words: string[]): boolean {
	if (words.length === 0) return true;
	const statusText = String(row.status_text ?? '');
	const haystack = fold(
		[
			reference,
			text(row.name_surname),
			text(row.email),
			text(row.user_name),
			text(row.note),
			...amountSpellings(row.amount),
			statusText,
			statusText.replace(/_/g, ' '),
			STATUS_LABEL[statusText],
		]
			.filter(Boolean)
			.join('\n'),
	);
	return words.every((word) => haystack.includes(word));
}

/** Newest first by creation time; rows without a readable one keep their place at the end. */
function newestFirst(rows: IDataObject[]): IDataObject[] {
	const created = (row: IDataObject) => istanbulInstant(row.create_date) ?? Number.NEGATIVE_INFINITY;
	return [...rows].sort((a, b) => created(b) - created(a));
}

/** The credential is checked before anything else: without one there is nothing to list. */
function requireCredential(context: ILoadOptionsFunctions): void {
	if (context.getNode().credentials?.[CREDENTIAL_NAME]) return;
	throw new NodeOperationError(context.getNode(), 'Choose a Paynet credential first, then open the list again', {
		description:
			'The list of PayLinks comes from Paynet, read with the node’s Paynet API credential. Or enter the PayLink By ID or By Reference No.',
	});
}

async function onePage(
	client: PaynetClient,
	context: ILoadOptionsFunctions,
	start: string,
	end: string,
	after: number,
) {
	const response = await client.request(
		PAYNET_ENDPOINT.listPayLinks,
		{
			[PAYNET_FIELD.startDate]: start,
			[PAYNET_FIELD.endDate]: end,
			[PAYNET_PAGING_FIELD.limit]: SEARCH_PAGE_SIZE,
			[PAYNET_PAGING_FIELD.startingAfter]: after,
		},
		{ idempotent: true },
	);
	const page = readListPage(response);
	if (!page) {
		throw new NodeOperationError(
			context.getNode(),
			'Paynet answered the PayLink list with something that is not a list',
		);
	}
	const more =
		page.rows.length > 0 &&
		(page.hasMore === true || (page.total !== undefined && after + page.rows.length < page.total));
	return { rows: page.rows.map(normalisePayLink), more };
}

/** `methods.listSearch.searchPayLinks`: one part of the PayLink list, filtered by `filter`. */
export async function searchPayLinks(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	requireCredential(this);
	const client = await createPaynetClient(this);
	const now = Date.now();
	const dayBefore = (days: number) => istanbulDayOfInstant(now - days * DAY_MS);
	const words = fold(filter ?? '')
		.split(/\s+/)
		.filter(Boolean);
	const results: INodeListSearchItems[] = [];
	const seen = new Set<string>();
	const take = (rows: IDataObject[]) => {
		for (const row of newestFirst(rows)) {
			// Without a reference a PayLink from the list cannot be found again: Paynet lists no IDs.
			const reference = text(row[PAYNET_FIELD.referenceNo]);
			if (reference === undefined || seen.has(reference) || !matches(row, reference, words)) continue;
			seen.add(reference);
			results.push(entryOf(row, reference));
		}
	};

	let requests = 0;
	let cursor = readCursor(paginationToken);
	if (!cursor) {
		// Most accounts make fewer than a page of PayLinks a month: one request then shows them all, newest first.
		const whole = await onePage(client, this, dayBefore(SEARCH_DAYS - 1), dayBefore(0), 0);
		requests++;
		if (!whole.more) {
			take(whole.rows);
			return { results };
		}
		cursor = { day: 0, after: 0 };
	}
	// More than a page: day by day from today, so the newest come first.
	while (cursor.day < SEARCH_DAYS && requests < MAX_REQUESTS_PER_SEARCH && results.length < RESULTS_PER_SEARCH) {
		const day = dayBefore(cursor.day);
		const page = await onePage(client, this, day, day, cursor.after);
		requests++;
		take(page.rows);
		cursor = page.more
			? { day: cursor.day, after: cursor.after + page.rows.length }
			: { day: cursor.day + 1, after: 0 };
	}
	return cursor.day < SEARCH_DAYS ? { results, paginationToken: JSON.stringify(cursor) } : { results };
}
