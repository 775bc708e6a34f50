import type { IDataObject } from 'n8n-workflow';

import { exactKurus } from '../helpers/amount';
import { sha256 } from '../helpers/hash';
import { isPlainObject, numberOrAsSent, readPaynetBoolean, readPaynetNumber } from '../helpers/normalise';
import { PAYNET_QUIRK_NAMES } from '../helpers/paynetFields';

/**
 * The body Paynet posts to a PayLink's confirmation_url (spec §5, Quirk 9),
 * turned into the trigger's output shape. Paynet documents no sample body, so
 * values may arrive as JSON numbers or, from a form post, as strings.
 */
export interface Confirmation extends IDataObject {
	reference_no: string | null;
	amount: number;
	is_succeed: boolean;
	xact_date: string | null;
	order_id: string | null;
	authorization_code: string | null;
	/** Not in Paynet's documented post; used for the look-up when a sender includes it. */
	xact_id?: string | null;
}

export type ConfirmationParse = { ok: true; confirmation: Confirmation } | { ok: false; problem: string };

/**
 * Written by hand rather than as a schema: this runs on every post, and a
 * schema library's parse was about half of the trigger's own time per post
 * (`npm run bench`). The rules, in the order a problem is reported:
 * keys are a string or number (trimmed; empty is null), the amount a
 * positive number, `is_succeed` true/false; fields the trigger does not
 * decide on are converted when readable and otherwise passed on as posted.
 */
type KeyField = 'reference_no' | 'xact_date' | 'order_id' | 'authorization_code' | 'xact_id';
const LOOSE_NUMBER_FIELDS = ['net_amount', 'comission', 'comission_tax', 'instalment'] as const;
/** The output's field order: these first, then whatever else was posted. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
	'reference_no',
	'amount',
	'is_succeed',
	'xact_date',
	'order_id',
	'authorization_code',
	'xact_id',
	...LOOSE_NUMBER_FIELDS,
]);

type KeyRead = { ok: true; value: string | null } | { ok: false };

/** Keys compared by value: an empty string carries no information, so it becomes null. */
function readKey(value: unknown): KeyRead {
	if (value === null || value === undefined) return { ok: true, value: null };
	if (typeof value === 'string') return { ok: true, value: value.trim() || null };
	if (typeof value === 'number' && !Number.isNaN(value)) return { ok: true, value: String(value).trim() || null };
	return { ok: false };
}

/** Paynet's own spelling wins; the correct one is read too, in case Paynet ever fixes it. */
function rename(body: IDataObject, from: string, to: string): void {
	if (!(from in body)) return;
	const value = body[from];
	delete body[from];
	if (value !== undefined && value !== null && value !== '') body[to] = value;
	else if (!(to in body)) body[to] = value;
}

/**
 * Reads a posted body as a confirmation. A body is one when it has an amount,
 * `is_succeed`, and at least one key the payment can be looked up by.
 */
export function parseConfirmation(body: unknown): ConfirmationParse {
	if (!isPlainObject(body)) return { ok: false, problem: 'the body is not a JSON object or form' };
	const fields: IDataObject = { ...body };
	for (const [documented, posted] of Object.entries(PAYNET_QUIRK_NAMES.confirmation))
		rename(fields, posted, documented);

	// Problems are reported in this field order, the first one only.
	let problem: string | undefined;
	const key = (name: KeyField): string | null => {
		const read = readKey(fields[name]);
		if (read.ok) return read.value;
		problem ??= `${name} Invalid input`;
		return null;
	};
	const reference = key('reference_no');
	const amount = readPaynetNumber(fields.amount);
	if (amount === undefined || amount <= 0) problem ??= 'amount is missing or not a positive number';
	const succeeded = readPaynetBoolean(fields.is_succeed);
	if (succeeded === undefined) problem ??= 'is_succeed is missing or not true/false';
	const confirmation = {
		reference_no: reference,
		amount,
		is_succeed: succeeded,
		xact_date: key('xact_date'),
		order_id: key('order_id'),
		authorization_code: key('authorization_code'),
		xact_id: key('xact_id'),
	} as Confirmation;
	if (problem !== undefined) return { ok: false, problem };
	for (const name of LOOSE_NUMBER_FIELDS) {
		if (name in fields)
			confirmation[name] =
				fields[name] === undefined ? undefined : (numberOrAsSent(fields[name]) as IDataObject[string]);
	}
	for (const name in fields) {
		if (!KNOWN_FIELDS.has(name) && name !== '__proto__' && fields[name] !== undefined)
			confirmation[name] = fields[name];
	}
	if (!confirmation.xact_id) delete confirmation.xact_id;
	if (
		!confirmation.reference_no &&
		!confirmation.order_id &&
		!confirmation.authorization_code &&
		!confirmation.xact_id
	) {
		return { ok: false, problem: 'referance_no, order_id and authorization_code are all missing' };
	}
	return { ok: true, confirmation };
}

/**
 * What Paynet is asked by, so copies of one post share one verification:
 * Paynet's transaction id when posted, else the reference, else the codes a
 * reference-less post is matched on.
 */
export function lookupKey(confirmation: Confirmation): string {
	if (confirmation.xact_id) return JSON.stringify(['xact', confirmation.xact_id]);
	if (confirmation.reference_no) return JSON.stringify(['ref', confirmation.reference_no]);
	return JSON.stringify(['codes', confirmation.order_id, confirmation.authorization_code]);
}

/** Neither a transaction id nor a reference: the day's list must be searched. */
export function isReferenceLess(confirmation: Confirmation): boolean {
	return !confirmation.xact_id && !confirmation.reference_no;
}

function canonical(value: unknown): unknown {
	if (!isPlainObject(value)) return Array.isArray(value) ? value.map(canonical) : value;
	return Object.keys(value)
		.sort()
		.map((name) => [name, canonical(value[name])]);
}

/** Two posts are the same post when they normalise alike: JSON or form, "120,50" or 120.5. */
export function postFingerprint(confirmation: Confirmation): string {
	return sha256(JSON.stringify(canonical(confirmation)), 'hex');
}

/** Posted text in a log line: one line, and short, whatever the sender put there. */
export function loggable(value: string): string {
	const line = value.replace(/\p{Cc}+/gu, ' ');
	return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** What a log line names a post by: never card data, never the whole body. */
export function referenceOf(confirmation: Pick<Confirmation, 'reference_no' | 'order_id' | 'xact_id'>): string {
	if (confirmation.reference_no) return `reference ${loggable(confirmation.reference_no)}`;
	if (confirmation.xact_id) return `xact_id ${loggable(confirmation.xact_id)}`;
	if (confirmation.order_id) return `order_id ${loggable(confirmation.order_id)}`;
	return 'no reference';
}

/**
 * Paynet's amounts are money: whole kuruş. Compared in kuruş, under the same
 * rules as Create's amount, so a posted 19.999 or 1e-9 matches nothing
 * rather than being rounded onto a real payment's amount.
 */
export function sameAmount(a: unknown, b: unknown): boolean {
	const x = exactKurus(a);
	return x !== undefined && x === exactKurus(b);
}

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

/**
 * Whether a post is about this listed payment: its xact_id, or else its
 * reference or order id, and nothing in it contradicting the row. A post
 * naming neither is about no payment in particular.
 */
export function namesPayment(confirmation: Confirmation, row: IDataObject): boolean {
	const named =
		typeof confirmation.xact_id === 'string' && confirmation.xact_id !== ''
			? String(row.xact_id ?? '').trim() === confirmation.xact_id
			: confirmation.reference_no !== null || confirmation.order_id !== null;
	return named && matchesConfirmation(row, confirmation);
}
