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
	return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function storedKeys(staticData: IDataObject): string[] {
	const stored = staticData[STATIC_DATA_KEY];
	return Array.isArray(stored) ? stored.filter((key): key is string => typeof key === 'string') : [];
}

export function wasAccepted(staticData: IDataObject, key: string): boolean {
	return storedKeys(staticData).includes(key);
}

/** Replaces the array rather than pushing into it: n8n notices a changed property, not a mutated array. */
export function rememberAccepted(staticData: IDataObject, key: string, capacity = DEDUPE_CAPACITY): void {
	const keys = storedKeys(staticData).filter((stored) => stored !== key);
	keys.push(key);
	staticData[STATIC_DATA_KEY] = keys.slice(-capacity);
}
