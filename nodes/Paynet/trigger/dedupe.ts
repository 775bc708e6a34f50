import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Confirmation } from './confirmation';

/**
 * The trigger's memory of accepted payments, kept in the node's workflow
 * static data so that a payment posted again (Paynet retrying, a replay)
 * starts no second run, also after a restart.
 *
 * n8n loads static data fresh for each webhook call and saves it after the
 * call returns, whole (last writer wins), so this memory alone cannot see a
 * copy that is being handled at the same moment: `registry.ts` covers that
 * within one process.
 */

/**
 * Hex characters kept of each SHA-256 key. 64 bits make a false "duplicate"
 * among 2000 remembered keys about a 1-in-10^16 event, and keep the memory short.
 */
export const KEY_LENGTH = 16;
/** Accept time, epoch seconds in 8 hex digits (enough until 2106). */
const TIME_LENGTH = 8;
export const ENTRY_LENGTH = KEY_LENGTH + TIME_LENGTH;

/**
 * Hard bound: 2000 entries are 48 KB of static data, which n8n copies and
 * saves on every accepted post; the benchmark keeps the trigger at the
 * Webhook node's speed with the memory full.
 */
export const MEMORY_MAX_ENTRIES = 2000;
/** Payments accepted in the last 7 days are kept (up to the hard bound)... */
export const MEMORY_MIN_AGE_SECONDS = 7 * 24 * 60 * 60;
/** ...and the last 1000, however old. */
export const MEMORY_KEEP_COUNT = 1000;

export const MEMORY_KEY = 'acceptedPayments';
export const HORIZON_KEY = 'acceptedHorizon';
/** Earlier formats: an array of full keys, then a string of 16-hex keys without times. */
const LEGACY_KEY = 'acceptedConfirmations';

function shortHash(identity: string): string {
	return createHash('sha256').update(identity).digest('hex').slice(0, KEY_LENGTH);
}

/**
 * Verification off: nothing but the post identifies the payment, so a replay
 * with a field changed is a new key. Amounts are keyed in cents so "120.50"
 * and 120.5 agree.
 */
export function confirmationKey(confirmation: Confirmation): string {
	return shortHash(
		JSON.stringify([
			confirmation.reference_no ?? '',
			confirmation.order_id ?? '',
			confirmation.authorization_code ?? '',
			String(Math.round(confirmation.amount * 100)),
			confirmation.xact_date ?? '',
		]),
	);
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * Verification on: the payment is Paynet's transaction, whatever was posted.
 * `xact_id` is Paynet's transaction id; the row `id` stands in if it is empty.
 * The prefixes keep the two (and the posted-field keys) from colliding.
 */
export function transactionKey(row: IDataObject): string {
	const xactId = text(row.xact_id);
	if (xactId !== '') return shortHash(`xact:${xactId}`);
	const id = text(row.id);
	if (id !== '') return shortHash(`id:${id}`);
	// Neither documented id: the row's own values, which the poster cannot choose either.
	return shortHash(
		`row:${JSON.stringify([row.reference_no, row.order_id, row.authorization_code, row.amount, row.xact_date].map(text))}`,
	);
}

/** Only matches on an entry boundary count: one key's tail plus the next one's head is no key. */
function positionOf(entries: string, key: string, width: number): number {
	for (let at = entries.indexOf(key); at !== -1; at = entries.indexOf(key, at + 1)) {
		if (at % width === 0) return at;
	}
	return -1;
}

function legacyKeys(staticData: IDataObject): string {
	const stored = staticData[LEGACY_KEY];
	if (typeof stored === 'string') return stored;
	if (Array.isArray(stored)) {
		return stored
			.filter((key): key is string => typeof key === 'string' && key.length >= KEY_LENGTH)
			.map((key) => key.slice(0, KEY_LENGTH))
			.join('');
	}
	return '';
}

function storedEntries(staticData: IDataObject): string {
	const stored = staticData[MEMORY_KEY];
	return typeof stored === 'string' ? stored : '';
}

/** A string scan, no parsing: this runs on every post, against up to 48 KB. */
export function wasAccepted(staticData: IDataObject, key: string): boolean {
	if (positionOf(storedEntries(staticData), key, ENTRY_LENGTH) !== -1) return true;
	return LEGACY_KEY in staticData && positionOf(legacyKeys(staticData), key, KEY_LENGTH) !== -1;
}

/**
 * Epoch seconds up to which the memory may have forgotten a payment: the
 * accept time of the newest entry ever dropped. A payment made before it
 * could have been accepted and forgotten, so it cannot be told from a replay.
 */
export function memoryHorizon(staticData: IDataObject): number | undefined {
	const horizon = staticData[HORIZON_KEY];
	return typeof horizon === 'number' && Number.isFinite(horizon) ? horizon : undefined;
}

export interface AcceptedEntry {
	key: string;
	/** Accept time, epoch seconds. */
	seconds: number;
}

function encodeTime(seconds: number): string {
	return Math.max(0, Math.floor(seconds)).toString(16).padStart(TIME_LENGTH, '0').slice(-TIME_LENGTH);
}

function timeAt(entries: string, index: number): number {
	const at = index * ENTRY_LENGTH + KEY_LENGTH;
	return parseInt(entries.slice(at, at + TIME_LENGTH), 16);
}

export interface MemoryBounds {
	maxEntries: number;
	keepCount: number;
	minAgeSeconds: number;
}

const BOUNDS: MemoryBounds = {
	maxEntries: MEMORY_MAX_ENTRIES,
	keepCount: MEMORY_KEEP_COUNT,
	minAgeSeconds: MEMORY_MIN_AGE_SECONDS,
};

/**
 * Appends accepted payments (oldest first), then forgets from the old end:
 * past the hard bound always, past the keep count only what is older than
 * the minimum age. Assigns new values rather than mutating: n8n saves static
 * data only when it notices a changed property.
 */
export function rememberAccepted(
	staticData: IDataObject,
	accepted: AcceptedEntry[],
	nowSeconds: number,
	bounds: MemoryBounds = BOUNDS,
): void {
	let entries = storedEntries(staticData);
	if (LEGACY_KEY in staticData) {
		// Their accept times are unknown; the migration time is later than any of them, so a horizon built from it errs safe.
		const legacy = legacyKeys(staticData);
		const time = encodeTime(nowSeconds);
		let migrated = '';
		for (let at = 0; at + KEY_LENGTH <= legacy.length; at += KEY_LENGTH) migrated += legacy.slice(at, at + KEY_LENGTH) + time;
		entries = migrated + entries;
		delete staticData[LEGACY_KEY];
	}
	for (const { key, seconds } of accepted) entries += key + encodeTime(seconds);

	const count = entries.length / ENTRY_LENGTH;
	let drop = Math.max(0, count - bounds.maxEntries);
	const oldEnough = nowSeconds - bounds.minAgeSeconds;
	while (count - drop > bounds.keepCount && timeAt(entries, drop) < oldEnough) drop++;
	if (drop > 0) {
		const newestDropped = timeAt(entries, drop - 1);
		staticData[HORIZON_KEY] = Math.max(memoryHorizon(staticData) ?? 0, newestDropped);
		entries = entries.slice(drop * ENTRY_LENGTH);
	}
	staticData[MEMORY_KEY] = entries;
}
