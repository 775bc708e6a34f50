import type { IDataObject, INode } from 'n8n-workflow';

import { toIstanbulDay } from '../helpers/dates';
import { normaliseTransaction, readListPage } from '../helpers/normalise';
import { PAYNET_ENDPOINT } from '../helpers/paynetFields';
import type { PaynetClient, RetryPolicy } from '../transport/client';
import { PaynetApiError } from '../transport/client';
import { isPaynetNoData } from '../transport/noData';
import { fetchListPages } from '../transport/paging';
import type { Confirmation } from './confirmation';
import { sameAmount } from './confirmation';

/**
 * How the trigger decides that a posted confirmation is a real payment.
 * The post carries no signature (spec §5), so it is trusted only when Paynet
 * itself reports a matching transaction.
 */

export type Verification =
	| { outcome: 'verified'; transaction: IDataObject }
	/** Paynet has no such payment: the post is forged or wrong. */
	| { outcome: 'rejected'; reason: string }
	/** Paynet could not be asked (down, timing out, or rejecting our key): the sender may retry. */
	| { outcome: 'unavailable'; reason: string };

/**
 * Paynet waits for the confirmation's answer; a long retry loop would make it
 * time out and, if it retries, post again. A few quick attempts, then 503.
 */
export const WEBHOOK_RETRY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 250,
	maxTotalMs: 5_000,
	maxDelayMs: 2_000,
};

/** One verification call may not hold the confirmation's answer longer than this. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 4_000;

/**
 * Pages of the day's transaction list the trigger reads before giving up
 * (with 503, so the sender retries later). Bounds the time Paynet waits for
 * an answer; also keeps the bound independent of the page size Paynet
 * actually returns, which may be smaller than asked.
 */
export const LIST_MAX_PAGES = 50;

/** Both sides have it and they differ; a value missing on either side proves nothing. */
function conflicts(posted: string | null, reported: unknown): boolean {
	if (posted === null || reported === undefined || reported === null || reported === '') return false;
	return String(reported).trim() !== posted;
}

/**
 * Whether a normalised transaction row is the payment the confirmation
 * describes: same outcome, same gross amount to the cent (Quirk 12), and no
 * disagreement on reference, order id or authorization code.
 */
export function matchesConfirmation(row: IDataObject, confirmation: Confirmation): boolean {
	return (
		row.is_succeed === confirmation.is_succeed &&
		sameAmount(row.amount, confirmation.amount) &&
		!conflicts(confirmation.reference_no, row.reference_no) &&
		!conflicts(confirmation.order_id, row.order_id) &&
		!conflicts(confirmation.authorization_code, row.authorization_code)
	);
}

function withShortRetries(client: PaynetClient): PaynetClient {
	return {
		baseUrl: client.baseUrl,
		request: async (endpoint, body, options) =>
			await client.request(endpoint, body, {
				...options,
				retry: WEBHOOK_RETRY,
				timeoutMs: WEBHOOK_ATTEMPT_TIMEOUT_MS,
			}),
	};
}

/** v1/transaction/check by reference (Quirk 10): one reference may have several attempts. */
async function verifyByReference(client: PaynetClient, confirmation: Confirmation): Promise<Verification> {
	const response = await client.request(
		PAYNET_ENDPOINT.checkTransaction,
		{ reference_no: confirmation.reference_no },
		{ idempotent: true },
	);
	const rows = (readListPage(response)?.rows ?? []).map(normaliseTransaction);
	const match = rows.find((row) => matchesConfirmation(row, confirmation));
	if (match) return { outcome: 'verified', transaction: match };
	return {
		outcome: 'rejected',
		reason: `transaction/check returned ${rows.length} row(s) for the reference, none with the posted outcome and amount`,
	};
}

/**
 * A link created without a reference can only be found in the day's
 * transaction list; order id or authorization code must be posted, since the
 * amount alone would match any payment of the same size.
 */
async function verifyByListing(
	client: PaynetClient,
	node: INode,
	confirmation: Confirmation,
): Promise<Verification> {
	if (!confirmation.order_id && !confirmation.authorization_code) {
		return { outcome: 'rejected', reason: 'no reference, order_id or authorization_code to look the payment up by' };
	}
	if (!confirmation.xact_date) {
		return { outcome: 'rejected', reason: 'no reference and no xact_date: no day to list transactions for' };
	}
	let day: string;
	try {
		day = toIstanbulDay('xact_date', confirmation.xact_date);
	} catch (error) {
		return { outcome: 'rejected', reason: `xact_date is not a date: ${(error as Error).message}` };
	}
	const body: IDataObject = { datab: day, datbi: day };
	// Paynet lists only successful transactions unless asked.
	if (!confirmation.is_succeed) body.show_unsucceed = true;
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

function isNotFound(error: PaynetApiError): boolean {
	const { details, status } = error.failure;
	return isPaynetNoData(error) || (status === 404 && details.type === undefined);
}

/**
 * Asks Paynet about the confirmation. Never throws for Paynet's answers: a
 * "no such transaction" or a refused look-up key is a rejection; anything that
 * stops the question being asked (network, 5xx, our own key refused) is
 * "unavailable", so the sender is told to try again rather than that the
 * payment is fake.
 */
export async function verifyConfirmation(
	client: PaynetClient,
	node: INode,
	confirmation: Confirmation,
): Promise<Verification> {
	const quick = withShortRetries(client);
	try {
		return confirmation.reference_no
			? await verifyByReference(quick, confirmation)
			: await verifyByListing(quick, node, confirmation);
	} catch (error) {
		if (error instanceof PaynetApiError) {
			if (isNotFound(error)) return { outcome: 'rejected', reason: 'Paynet has no such transaction' };
			const { status, unauthorized } = error.failure;
			if (status === 400 && !unauthorized) {
				return { outcome: 'rejected', reason: `Paynet refused the look-up: ${error.message}` };
			}
		}
		return { outcome: 'unavailable', reason: (error as Error).message };
	}
}
