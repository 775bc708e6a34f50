import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { istanbulDayOfInstant, istanbulInstant } from '../helpers/dates';
import type { PaynetClient } from '../transport/client';
import { DEFAULT_PAGE_SIZE } from '../transport/paging';
import { listBody } from './poll';
import { fetchTransactionPage, orderOf } from './readDay';
import type { PollFilters } from './select';
import { matchesFilters } from './select';
import { currentDays, HOUR_MS, istanbulDayStartMs } from './window';

/** Days "Fetch Test Event" looks back for a payment, newest day first. */
export const TEST_LOOKBACK_DAYS = 7;

/** List calls one "Fetch Test Event" may make: it reads the newest end of each day, never a whole day. */
export const TEST_MAX_CALLS = 5;

/**
 * The newest payment that matches the filters, for "Fetch Test Event": the
 * newest end of each day's list (the first page newest first, the last one
 * oldest first), back from the latest day Paynet may be in, without touching
 * the memory. With `named` (a post to the Test URL), the newest row it names
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
	const latestDay = currentDays(nowMs).pop() as string;
	let calls = 0;
	let newestMatching: IDataObject | undefined;
	for (let back = 0; back <= TEST_LOOKBACK_DAYS && calls < TEST_MAX_CALLS; back++) {
		const day = istanbulDayOfInstant(istanbulDayStartMs(latestDay) + 12 * HOUR_MS - back * 24 * HOUR_MS);
		const body = listBody(day, filters);
		const first = await fetchTransactionPage(client, node, body, 0);
		calls++;
		const rows = [...first.rows];
		const total = first.total;
		if (orderOf(first.rows) === 'oldestFirst' && total !== undefined && total > rows.length && calls < TEST_MAX_CALLS) {
			rows.push(...(await fetchTransactionPage(client, node, body, total - DEFAULT_PAGE_SIZE)).rows);
			calls++;
		}
		const matching = rows.filter((row) => matchesFilters(row, filters));
		const namedRow = named ? newestOf(matching.filter(named)) : undefined;
		if (namedRow) return namedRow;
		newestMatching ??= newestOf(matching);
		// The payment a test post names was just made: once a day holds a newer one, it is not further back.
		if (newestMatching && (!named || back >= 1)) return newestMatching;
	}
	if (newestMatching) return newestMatching;
	throw new NodeOperationError(
		node,
		`No matching payment among Paynet's newest payments of the last ${TEST_LOOKBACK_DAYS} days`,
		{
			description:
				'Pay a PayLink (in Paynet’s test environment, with a test card) or loosen the filters, then fetch again. Once the workflow is active, each new payment starts one run.',
		},
	);
}
