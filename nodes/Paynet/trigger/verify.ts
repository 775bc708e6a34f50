import type { IDataObject, INode } from 'n8n-workflow';

import { CLOCK_SKEW_MS, istanbulInstant, toIstanbulDay } from '../helpers/dates';
import { normaliseTransaction, readListPage } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../helpers/paynetFields';
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
		!conflicts(confirmation.xact_id ?? null, row.xact_id) &&
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

/**
 * v1/transaction/check by the posted xact_id, else by reference (Quirk 10):
 * one reference may have several attempts. Should two rows match, the one at
 * the posted time is taken, else the first: either way the run carries that
 * row's values, and its xact_id decides whether it is a duplicate.
 */
async function verifyByCheck(client: PaynetClient, confirmation: Confirmation): Promise<Verification> {
	const lookup = confirmation.xact_id
		? { [PAYNET_FIELD.xactId]: confirmation.xact_id }
		: { [PAYNET_FIELD.referenceNo]: confirmation.reference_no };
	const response = await client.request(PAYNET_ENDPOINT.checkTransaction, lookup, { idempotent: true });
	const rows = (readListPage(response)?.rows ?? []).map(normaliseTransaction);
	const matches = rows.filter((row) => matchesConfirmation(row, confirmation));
	const match = matches.find((row) => row.xact_date === confirmation.xact_date) ?? matches[0];
	if (match) return { outcome: 'verified', transaction: match };
	return {
		outcome: 'rejected',
		reason: `transaction/check returned ${rows.length} row(s) for the ${confirmation.xact_id ? 'xact_id' : 'reference'}, none with the posted outcome, amount and codes`,
	};
}

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
async function verifyByListing(client: PaynetClient, node: INode, confirmation: Confirmation): Promise<Verification> {
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
		return confirmation.xact_id || confirmation.reference_no
			? await verifyByCheck(quick, confirmation)
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
