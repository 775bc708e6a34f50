import type { IDataObject } from 'n8n-workflow';

import { CLOCK_SKEW_MS } from '../helpers/dates';
import { sha256 } from '../helpers/hash';
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
 * Each remembered payment is one fixed-width entry of base64url characters
 * (no JSON escaping, 6 bits a character): a 60-bit key, the first 10
 * characters of the SHA-256 digest in base64url, then the payment's time in
 * seconds since 1970 in 6 characters. 60 bits make a false "duplicate" among
 * the remembered keys about a 1-in-10^15 event.
 */
export const KEY_LENGTH = 10;
const TIME_LENGTH = 6;
export const ENTRY_LENGTH = KEY_LENGTH + TIME_LENGTH;

/**
 * Hard bound, and the only one: the newest 300 accepted payments are kept,
 * however old (4.8 KB of static data, which n8n copies in, and serialises
 * whole at about 3 ns a character, on every accepted post). What is forgotten
 * moves the horizon, so a smaller memory never lets a replay through; it only
 * shortens how late a genuine confirmation may arrive for a merchant taking
 * more than 300 payments in that time (Paynet posts at payment time). Within
 * one process the registry remembers 1000 for 7 days besides. `npm run bench`
 * on n8n 2.x: 1000 entries (15 KB) 0.66-0.81x n8n's Webhook node, 400 (6.4 KB)
 * 0.88-0.99x on a busy machine, below or at the edge of the 0.9x target.
 */
export const MEMORY_MAX_ENTRIES = 300;

export const MEMORY_KEY = 'acceptedPayments';
export const HORIZON_KEY = 'acceptedHorizon';
/** Earlier formats: an array of full hex keys, then a string of 16-hex keys without times. */
const LEGACY_KEY = 'acceptedConfirmations';
const LEGACY_KEY_LENGTH = 16;

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function shortHash(identity: string): string {
	return sha256(identity, 'base64url').slice(0, KEY_LENGTH);
}

/** A legacy key's first 60 bits as the base64url key the same digest gives now (3 hex digits are 2 base64 digits). */
function fromLegacyKey(hex: string): string {
	let key = '';
	for (let at = 0; at < 15; at += 3) {
		const value = parseInt(hex.slice(at, at + 3), 16);
		key += DIGITS[value >> 6] + DIGITS[value & 63];
	}
	return key;
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
function positionOf(entries: string, key: string, width: number, from = 0): number {
	for (let at = entries.indexOf(key, from); at !== -1; at = entries.indexOf(key, at + 1)) {
		if (at % width === 0) return at;
	}
	return -1;
}

function legacyKeys(staticData: IDataObject): string[] {
	const stored = staticData[LEGACY_KEY];
	let hexKeys: unknown[] = [];
	if (typeof stored === 'string') {
		for (let at = 0; at + LEGACY_KEY_LENGTH <= stored.length; at += LEGACY_KEY_LENGTH)
			hexKeys.push(stored.slice(at, at + LEGACY_KEY_LENGTH));
	} else if (Array.isArray(stored)) hexKeys = stored;
	return hexKeys
		.filter((key): key is string => typeof key === 'string' && /^[0-9a-f]{16}/i.test(key))
		.map((key) => fromLegacyKey(key.toLowerCase()));
}

/** The newest whole entries: a memory of another width (edited, or from a development build) never misaligns the rest. */
function storedEntries(staticData: IDataObject): string {
	const stored = staticData[MEMORY_KEY];
	if (typeof stored !== 'string') return '';
	const partial = stored.length % ENTRY_LENGTH;
	return partial === 0 ? stored : stored.slice(partial);
}

/**
 * The memory as one call reads it: each property of the static data once
 * (in n8n it is a proxy), and the entries string scanned in place, never
 * copied, on every post.
 */
export interface Memory {
	entries: string;
	/** Keys from an earlier format, converted; only until the next accepted post migrates them. */
	legacy: string[] | undefined;
}

export function readMemory(staticData: IDataObject): Memory {
	return { entries: storedEntries(staticData), legacy: LEGACY_KEY in staticData ? legacyKeys(staticData) : undefined };
}

/** A string scan, no parsing: this runs on every post, against up to 4.8 KB. */
export function remembers(memory: Memory, key: string): boolean {
	if (positionOf(memory.entries, key, ENTRY_LENGTH) !== -1) return true;
	return memory.legacy !== undefined && memory.legacy.includes(key);
}

/**
 * Whether the key is among the newest `count` entries: where a payment
 * accepted moments ago is if it was saved at all. Cheap enough for every post.
 */
export function remembersAmongNewest(memory: Memory, key: string, count: number): boolean {
	const from = Math.max(0, memory.entries.length - count * ENTRY_LENGTH);
	return positionOf(memory.entries, key, ENTRY_LENGTH, from) !== -1;
}

/**
 * Epoch seconds up to which the memory may have forgotten a payment: the
 * newest payment time among the entries ever dropped. A payment made at or
 * before it could have been accepted and forgotten, so it cannot be told from
 * a replay.
 */
export function memoryHorizon(staticData: IDataObject): number | undefined {
	const horizon = staticData[HORIZON_KEY];
	return typeof horizon === 'number' && Number.isFinite(horizon) ? horizon : undefined;
}

export interface AcceptedEntry {
	key: string;
	/**
	 * The payment's time, epoch seconds: Paynet's `xact_date` when verified, so
	 * that the horizon compares Paynet's clock with Paynet's clock.
	 */
	seconds: number;
}

function encodeSeconds(seconds: number): string {
	let value = Math.max(0, Math.floor(seconds));
	let text = '';
	for (let digit = 0; digit < TIME_LENGTH; digit++) {
		text = DIGITS[value % 64] + text;
		value = Math.floor(value / 64);
	}
	return text;
}

/** Character code → digit value; -1 for a character that is no digit (as `DIGITS.indexOf` gives). */
const DIGIT_VALUE: Int8Array = (() => {
	const table = new Int8Array(128).fill(-1);
	for (let digit = 0; digit < DIGITS.length; digit++) table[DIGITS.charCodeAt(digit)] = digit;
	return table;
})();

/** The entry's payment time, epoch seconds. */
function timeAt(entries: string, index: number): number {
	const at = index * ENTRY_LENGTH + KEY_LENGTH;
	let seconds = 0;
	for (let digit = 0; digit < TIME_LENGTH; digit++) {
		const code = entries.charCodeAt(at + digit);
		seconds = seconds * 64 + (code < 128 ? DIGIT_VALUE[code] : -1);
	}
	return seconds;
}

/**
 * Appends accepted payments (oldest first), then forgets the oldest past
 * `maxEntries`, moving the horizon to the newest payment time among them.
 * Assigns new values rather than mutating: n8n saves static data only when it
 * notices a changed property. Returns the entries as stored.
 */
export function rememberAccepted(
	staticData: IDataObject,
	accepted: AcceptedEntry[],
	nowSeconds: number,
	maxEntries: number = MEMORY_MAX_ENTRIES,
	memory: Memory = readMemory(staticData),
): string {
	let entries = memory.entries;
	if (memory.legacy !== undefined) {
		// Their payment times are unknown; the migration time is later than any of them, so a horizon built from it errs safe.
		const time = encodeSeconds(nowSeconds);
		entries = memory.legacy.map((key) => key + time).join('') + entries;
		delete staticData[LEGACY_KEY];
	}
	let added = '';
	for (const { key, seconds } of accepted) added += key + encodeSeconds(seconds);
	const stored = entries.length;
	const drop = Math.max(0, (stored + added.length) / ENTRY_LENGTH - maxEntries);
	if (drop === 0) {
		const kept = entries + added;
		staticData[MEMORY_KEY] = kept;
		return kept;
	}
	// Read in place, as if joined: joining first would copy the whole memory once more per post.
	const joined = stored >= drop * ENTRY_LENGTH ? entries : entries + added;
	// No payment can be dated later than Paynet's clock now: an unreadable time must not push the horizon
	// into the future, where it would ignore every payment.
	const latest = nowSeconds + CLOCK_SKEW_MS / 1000;
	let newestDropped = memoryHorizon(staticData) ?? 0;
	for (let index = 0; index < drop; index++)
		newestDropped = Math.max(newestDropped, Math.min(timeAt(joined, index), latest));
	staticData[HORIZON_KEY] = newestDropped;
	const cut = drop * ENTRY_LENGTH;
	// Slicing first and appending after leaves one string for n8n to flatten when it saves, not two.
	const kept = cut <= stored ? entries.slice(cut) + added : added.slice(cut - stored);
	staticData[MEMORY_KEY] = kept;
	return kept;
}
