import type { INode, IDataObject } from 'n8n-workflow';

import type { Confirmation } from '../confirmation/post';
import { matchesConfirmation } from '../confirmation/post';
import { CLOCK_SKEW_MS, istanbulInstant, toIstanbulDay } from '../helpers/dates';
import { normaliseTransaction } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import { fetchListPages } from '../transport/paging';
import type { Verification } from './verification';

/**
 * Pages of the day's transaction list the trigger reads before giving up
 * (with 503, so the sender retries later). Bounds the time Paynet waits for
 * an answer; also keeps the bound independent of the page size Paynet
 * actually returns, which may be smaller than asked.
 */
export const LIST_MAX_PAGES = 50;

/**
 * Paynet posts a confirmation right after the payment. A reference-less post
 * dated days ago or in the future is not one Paynet just sent, and must not
 * make the merchant's server page through that day's list at Paynet; 48 hours
 * leave room for a sender's retries and a late replay from a queue.
 */
export const REFERENCE_LESS_MAX_AGE_MS = 48 * 60 * 60 * 1000;

/** Why a reference-less post is refused before Paynet is asked; `undefined` when it may be looked up. */
export function referenceLessProblem(confirmation: Confirmation, nowMs: number): string | undefined {
	if (!confirmation.order_id && !confirmation.authorization_code) {
		return 'no reference, order_id or authorization_code to look the payment up by';
	}
	if (!confirmation.xact_date) return 'no reference and no xact_date: no day to list transactions for';
	const instant = istanbulInstant(confirmation.xact_date);
	if (instant === undefined) return 'xact_date is not a date';
	if (instant > nowMs + CLOCK_SKEW_MS) return 'xact_date is in the future';
	if (instant < nowMs - REFERENCE_LESS_MAX_AGE_MS) return 'xact_date is more than 48 hours old';
	return undefined;
}

/**
 * A link created without a reference can only be found in the day's
 * transaction list; order id or authorization code must be posted, since the
 * amount alone would match any payment of the same size.
 */
export async function verifyByListing(
	client: PaynetClient,
	node: INode,
	confirmation: Confirmation,
): Promise<Verification> {
	const problem = referenceLessProblem(confirmation, Date.now());
	if (problem !== undefined) return { outcome: 'rejected', reason: problem };
	let day: string;
	try {
		day = toIstanbulDay('xact_date', confirmation.xact_date);
	} catch (error) {
		return { outcome: 'rejected', reason: `xact_date is not a date: ${(error as Error).message}` };
	}
	const body: IDataObject = { [PAYNET_FIELD.startDate]: day, [PAYNET_FIELD.endDate]: day };
	if (!confirmation.is_succeed) body[PAYNET_FIELD.showUnsucceed] = true;
	const [match] = await fetchListPages(client, PAYNET_ENDPOINT.listTransactions, body, {
		node,
		map: normaliseTransaction,
		accept: (row) => matchesConfirmation(row, confirmation),
		limit: 1,
		maxPages: LIST_MAX_PAGES,
	});
	if (match) return { outcome: 'verified', transaction: match };
	return { outcome: 'rejected', reason: `no matching transaction listed for ${day}` };
}
