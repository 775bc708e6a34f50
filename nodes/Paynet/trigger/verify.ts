import type { IDataObject, INode } from 'n8n-workflow';

import type { Confirmation } from '../confirmation/post';
import { matchesConfirmation } from '../confirmation/post';
import { istanbulInstant } from '../helpers/dates';
import { normaliseTransaction, readListPage } from '../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../helpers/paynetFields';
import type { PaynetClient, RetryPolicy } from '../transport/client';
import { PaynetApiError } from '../transport/client';
import { isNoDataAnswer, isPaynetNoData } from '../transport/noData';
import type { Verification } from './verification';
import { verifyByListing } from './verifyByListing';

/**
 * How the trigger decides that a posted confirmation is a real payment.
 * The post carries no signature (spec §5), so it is trusted only when Paynet
 * itself reports a matching transaction.
 */

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

/** Whether this trigger already accepted the payment a row stands for. */
export type AcceptedCheck = (row: IDataObject) => boolean;

/**
 * The row a confirmation stands for, among those that match it. One already
 * accepted is never taken over one that is not (a reused reference: last
 * month's payment is in the memory, this month's is new); then the row at the
 * posted time, else the newest, times compared as instants
 * (`…T10:00:00` and `…T10:00:00.000` are one time).
 */
export function pickRow(
	matches: IDataObject[],
	confirmation: Confirmation,
	isAccepted: AcceptedCheck,
): IDataObject | undefined {
	const fresh = matches.filter((row) => !isAccepted(row));
	const candidates = fresh.length > 0 ? fresh : matches;
	const postedAt = istanbulInstant(confirmation.xact_date);
	if (postedAt !== undefined) {
		const atPostedTime = candidates.find((row) => istanbulInstant(row.xact_date) === postedAt);
		if (atPostedTime) return atPostedTime;
	}
	let newest: IDataObject | undefined;
	let newestAt = -Infinity;
	for (const row of candidates) {
		const at = istanbulInstant(row.xact_date) ?? -Infinity;
		if (newest === undefined || at > newestAt) {
			newest = row;
			newestAt = at;
		}
	}
	return newest;
}

/**
 * Paynet's own "no such record": its no-data error (`no_data_error`, return
 * code 12, on a 404 or a 200), or a 404 typed "404 Not Found" as its error
 * table has it. A bare 404, or one typed otherwise, is not one: a proxy, a
 * load balancer or a Custom base URL with a wrong path answers that too, and
 * it proves nothing about the payment.
 */
export function isPaynetNotFound(error: PaynetApiError): boolean {
	const { details, status } = error.failure;
	return isPaynetNoData(error) || (status === 404 && details.type === '404 Not Found');
}

/** A failure in the shape Paynet's error table gives: its `type` and a return code. */
function hasPaynetErrorShape(details: IDataObject): boolean {
	return typeof details.type === 'string' && details.result_code !== undefined;
}

/** Whether a row can say anything about the post: Paynet's outcome and amount are in it. */
function isReadableRow(row: IDataObject): boolean {
	return typeof row.is_succeed === 'boolean' && typeof row.amount === 'number' && Number.isFinite(row.amount);
}

function shortAnswer(response: IDataObject): string {
	const text = JSON.stringify(response);
	return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

type CheckAnswer = { rows: IDataObject[] } | { failed: unknown } | { undecided: string };

/**
 * The rows Paynet has for the key; none for its "no such record" in one of
 * its shapes. A 200 that is neither a list of transactions nor Paynet's
 * no-data (`{}`, `{code: 0}`, `Data` as an object) says nothing: undecided.
 */
async function checkRows(client: PaynetClient, lookup: IDataObject): Promise<CheckAnswer> {
	let response: IDataObject;
	try {
		response = await client.request(PAYNET_ENDPOINT.checkTransaction, lookup, { idempotent: true });
	} catch (error) {
		// A definitive "no such payment" is an answer (and never retried); anything else leaves the question open.
		if (error instanceof PaynetApiError && isPaynetNotFound(error)) return { rows: [] };
		return { failed: error };
	}
	const page = readListPage(response);
	if (page === undefined) {
		return { undecided: `transaction/check answered ${shortAnswer(response)}, not a list of transactions` };
	}
	if (page.rows.length === 0 && !isNoDataAnswer(response)) {
		return {
			undecided: `transaction/check answered ${shortAnswer(response)}: no rows, and not Paynet's no-data answer`,
		};
	}
	return { rows: page.rows.map(normaliseTransaction) };
}

/**
 * v1/transaction/check by what the post gives, in order: the posted xact_id,
 * then the reference (Quirk 10) when the xact_id finds no matching row. One
 * reference may have several rows (attempts, or a reused reference).
 */
async function verifyByCheck(
	client: PaynetClient,
	confirmation: Confirmation,
	isAccepted: AcceptedCheck,
): Promise<Verification> {
	const lookups: Array<[string, IDataObject]> = [];
	if (confirmation.xact_id) lookups.push(['xact_id', { [PAYNET_FIELD.xactId]: confirmation.xact_id }]);
	if (confirmation.reference_no) lookups.push(['reference', { [PAYNET_FIELD.referenceNo]: confirmation.reference_no }]);
	const found: string[] = [];
	let known: IDataObject | undefined;
	for (const [name, lookup] of lookups) {
		const answer = await checkRows(client, lookup);
		if ('failed' in answer) return failureVerdict(answer.failed);
		if ('undecided' in answer) return { outcome: 'unavailable', reason: answer.undecided };
		const { rows } = answer;
		// An xact_id Paynet does not know says nothing about the payment: the reference's rows are matched without it.
		const posted =
			name === 'reference' && found.length > 0 && known === undefined
				? { ...confirmation, xact_id: null }
				: confirmation;
		const match = pickRow(
			rows.filter((row) => matchesConfirmation(row, posted)),
			confirmation,
			isAccepted,
		);
		if (match) return { outcome: 'verified', transaction: match };
		// A row without Paynet's outcome or amount cannot contradict the post: it may be this payment.
		if (rows.some((row) => !isReadableRow(row))) {
			return {
				outcome: 'unavailable',
				reason: `transaction/check returned a row for the ${name} without a readable is_succeed and amount`,
			};
		}
		found.push(`${rows.length} row(s) for the ${name}`);
		known = known ?? rows[0];
	}
	return {
		outcome: 'rejected',
		reason:
			known === undefined
				? 'Paynet has no such transaction'
				: `transaction/check returned ${found.join(' and ')}, none with the posted outcome, amount and codes`,
		knownXactId: known === undefined ? undefined : text(known.xact_id),
	};
}

function text(value: unknown): string | undefined {
	return value === undefined || value === null || String(value).trim() === '' ? undefined : String(value).trim();
}

/**
 * Asks Paynet about the confirmation. Never throws for Paynet's answers: a
 * "no such transaction" or a refused look-up key is a rejection; anything that
 * stops the question being asked or proves nothing (network, 5xx, a bare 404,
 * our own key refused) is "unavailable", so the sender is told to try again
 * rather than that the payment is fake.
 */
export async function verifyConfirmation(
	client: PaynetClient,
	node: INode,
	confirmation: Confirmation,
	isAccepted: AcceptedCheck = () => false,
): Promise<Verification> {
	const quick = withShortRetries(client);
	try {
		return confirmation.xact_id || confirmation.reference_no
			? await verifyByCheck(quick, confirmation, isAccepted)
			: await verifyByListing(quick, node, confirmation);
	} catch (error) {
		return failureVerdict(error);
	}
}

/**
 * What a failed look-up says about the payment. Only Paynet's no-data answers,
 * and a 400 in Paynet's own error shape (it refused the key looked up), say
 * no; every other failure (a proxy's page, a 4xx without Paynet's shape, a
 * 5xx, our key refused, the network) leaves the question open.
 */
function failureVerdict(error: unknown): Exclude<Verification, { outcome: 'verified' }> {
	if (error instanceof PaynetApiError) {
		if (isPaynetNotFound(error)) return { outcome: 'rejected', reason: 'Paynet has no such transaction' };
		const { details, status, unauthorized } = error.failure;
		if (status === 404) {
			return {
				outcome: 'unavailable',
				reason: `HTTP 404 without Paynet's no-data error (a proxy, or a wrong base URL?): ${error.message}`,
			};
		}
		if (status === 400 && !unauthorized && hasPaynetErrorShape(details)) {
			return { outcome: 'rejected', reason: `Paynet refused the look-up: ${error.message}` };
		}
	}
	return { outcome: 'unavailable', reason: (error as Error).message };
}
