import type { IDataObject } from 'n8n-workflow';

import type { Confirmation } from '../confirmation/post';
import { CLOCK_SKEW_MS } from '../helpers/dates';
import { sha256 } from '../helpers/hash';

/**
 * The trigger's memory of accepted payments, kept in the node's workflow
 * static data so that a payment posted again (Paynet retrying, a replay)
 * starts no second run, also after a restart. docs/trigger-memory.md explains
 * the choices; in short:
 *
 *     acceptedPayments: { "xact:<xact_id>": "<Paynet's payment time, ISO UTC>", … }
 *     forgottenUpTo:    "<ISO UTC>"   (only once something was forgotten)
 *
 * One plain object, oldest first (insertion order; every key has a prefix,
 * so none is an array index that JavaScript would sort first): a person can
 * read and edit it in the workflow's JSON, a look-up is one property read,
 * and adding a payment is one property write. n8n loads the static data
 * fresh for each webhook call and saves it after the call, whole, so the
 * memory alone cannot see a copy being handled at the same moment:
 * `registry.ts` covers that within one process.
 */

export const MEMORY_KEY = 'acceptedPayments';
export const FORGOTTEN_KEY = 'forgottenUpTo';

/** Kept this long after Paynet's payment time; older entries are dropped when the next payment is remembered. */
export const MEMORY_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Hard bound: about 2.3 MB of static data, which n8n copies in and serialises whole on every accepted post. */
export const MEMORY_MAX_ENTRIES = 50_000;

/**
 * Verification off: nothing but the post identifies the payment, so a replay
 * with a field changed is a new key. Amounts are keyed in cents so "120.50"
 * and 120.5 agree. Hashed: the post's fields are the poster's, and a key that
 * reads like a Paynet id would mislead.
 */
export function confirmationKey(confirmation: Confirmation): string {
	const digest = sha256(
		JSON.stringify([
			confirmation.reference_no ?? '',
			confirmation.order_id ?? '',
			confirmation.authorization_code ?? '',
			String(Math.round(confirmation.amount * 100)),
			confirmation.xact_date ?? '',
		]),
		'hex',
	);
	return `post:${digest.slice(0, 32)}`;
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * Verification on: the payment is Paynet's transaction, whatever was posted.
 * `xact_id` is Paynet's transaction id, kept as it is so a person can find it
 * in Paynet's panel; the row `id` stands in if it is empty. The prefixes keep
 * the kinds of key apart.
 */
export function transactionKey(row: IDataObject): string {
	const xactId = text(row.xact_id);
	if (xactId !== '') return `xact:${xactId}`;
	const id = text(row.id);
	if (id !== '') return `id:${id}`;
	// Neither documented id: the row's own values, which the poster cannot choose either.
	const values = [row.reference_no, row.order_id, row.authorization_code, row.amount, row.xact_date].map(text);
	return `row:${sha256(JSON.stringify(values), 'hex').slice(0, 32)}`;
}

/** The memory as stored: key → Paynet's payment time. Anything else under the name (hand-edited) counts as empty. */
export function readMemory(staticData: IDataObject): IDataObject {
	const stored = staticData[MEMORY_KEY];
	return typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as IDataObject) : {};
}

export function remembers(memory: IDataObject, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(memory, key);
}

/**
 * Epoch milliseconds up to which the memory may have forgotten a payment (the
 * newest payment time among the entries it dropped), or `undefined` while it
 * has forgotten nothing. A payment made at or before it cannot be told from a
 * replay of one accepted and forgotten.
 */
export function memoryHorizon(staticData: IDataObject): number | undefined {
	const stored = staticData[FORGOTTEN_KEY];
	const ms = typeof stored === 'string' ? Date.parse(stored) : Number.NaN;
	// An edited value that does not parse still says something was forgotten: cover everything up to now.
	if (stored !== undefined && Number.isNaN(ms)) return Date.now() + CLOCK_SKEW_MS;
	return Number.isNaN(ms) ? undefined : ms;
}

export interface AcceptedEntry {
	key: string;
	/** Paynet's payment time, epoch ms (when unreadable, the latest Paynet's clock can say: errs safe). */
	paidAtMs: number;
}

/**
 * Adds accepted payments (oldest first), then forgets those Paynet dated more
 * than 7 days ago and the oldest past `maxEntries`, moving `forgottenUpTo` to
 * the newest payment time among them. The object is changed through n8n's
 * static-data proxy (which marks the workflow's data changed on any nested
 * write) and assigned again besides, so n8n saves it either way.
 */
export function rememberAccepted(
	staticData: IDataObject,
	accepted: AcceptedEntry[],
	nowMs: number,
	maxEntries: number = MEMORY_MAX_ENTRIES,
): IDataObject {
	const memory = readMemory(staticData);
	for (const { key, paidAtMs } of accepted) memory[key] = new Date(paidAtMs).toISOString();

	// No payment is dated later than Paynet's clock now: an edited time must not push the horizon into the future.
	const latest = nowMs + CLOCK_SKEW_MS;
	const cutoff = nowMs - MEMORY_TTL_MS;
	let newestForgotten = memoryHorizon(staticData);
	const forget = (key: string, paidAtMs: number): void => {
		delete memory[key];
		const bounded = Number.isNaN(paidAtMs) ? latest : Math.min(paidAtMs, latest);
		newestForgotten = Math.max(newestForgotten ?? bounded, bounded);
	};

	const keys = Object.keys(memory);
	let kept = keys.length;
	// Oldest first: age stops at the first entry young enough (one kept out of order waits for those before it);
	// the bound keeps dropping the oldest whatever their age.
	for (const key of keys) {
		const paidAtMs = Date.parse(String(memory[key]));
		const tooOld = paidAtMs < cutoff;
		if (!tooOld && kept <= maxEntries) break;
		forget(key, paidAtMs);
		kept--;
	}
	if (newestForgotten !== undefined) staticData[FORGOTTEN_KEY] = new Date(newestForgotten).toISOString();
	staticData[MEMORY_KEY] = memory;
	return memory;
}
