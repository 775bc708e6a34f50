import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Confirmation } from './confirmation';

/**
 * Remembers accepted confirmations so that the same one posted again (Paynet
 * retrying, or a replay) starts the workflow once.
 *
 * The keys live in the node's workflow static data, which n8n saves after each
 * webhook call. Two copies arriving at the same moment can both pass before
 * either is saved, so this is best-effort: workflows that must never act twice
 * should still check `reference_no` against their own records.
 */

/** How many recent confirmations are remembered; the oldest is forgotten first. */
export const DEDUPE_CAPACITY = 1000;

/**
 * Hex characters kept of each SHA-256 key. 64 bits make a false "duplicate"
 * among 1000 remembered keys about a 1-in-10^16 event, and keep the list short.
 */
export const KEY_LENGTH = 16;

const STATIC_DATA_KEY = 'acceptedConfirmations';

/**
 * Paynet sends no id of its own (no xact_id), so the key is what identifies
 * a payment in the post. Amounts are keyed in cents so "120.50" and 120.5 agree.
 */
export function confirmationKey(confirmation: Confirmation): string {
	const identity = [
		confirmation.reference_no ?? '',
		confirmation.order_id ?? '',
		confirmation.authorization_code ?? '',
		String(Math.round(confirmation.amount * 100)),
		confirmation.xact_date ?? '',
	];
	return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, KEY_LENGTH);
}

/**
 * The keys are stored as one string of fixed-width keys, oldest first, not as
 * an array: n8n wraps static data in change-tracking proxies and copies and
 * saves it on every webhook call, and a 1000-element array made that cost
 * several times the rest of the trigger's work. An array of full-length keys
 * (the earlier format) is still read.
 */
function storedKeys(staticData: IDataObject): string {
	const stored = staticData[STATIC_DATA_KEY];
	if (typeof stored === 'string') return stored;
	if (Array.isArray(stored)) {
		return stored
			.filter((key): key is string => typeof key === 'string' && key.length >= KEY_LENGTH)
			.map((key) => key.slice(0, KEY_LENGTH))
			.join('');
	}
	return '';
}

/** Only matches on a key boundary count: a key's tail plus the next key's head is no key. */
function positionOf(keys: string, key: string): number {
	for (let at = keys.indexOf(key); at !== -1; at = keys.indexOf(key, at + 1)) {
		if (at % KEY_LENGTH === 0) return at;
	}
	return -1;
}

export function wasAccepted(staticData: IDataObject, key: string): boolean {
	return positionOf(storedKeys(staticData), key) !== -1;
}

/** Assigns a new value rather than mutating: n8n notices a changed property. */
export function rememberAccepted(staticData: IDataObject, key: string, capacity = DEDUPE_CAPACITY): void {
	let keys = storedKeys(staticData);
	const at = positionOf(keys, key);
	if (at !== -1) keys = keys.slice(0, at) + keys.slice(at + KEY_LENGTH);
	keys += key;
	staticData[STATIC_DATA_KEY] = keys.slice(-capacity * KEY_LENGTH);
}
