import type { ReplyName } from '../confirmation/answer';
import type { AcceptedEntry } from './dedupe';

/**
 * What one n8n process knows about a trigger's posts beyond its static data.
 *
 * n8n hands each webhook call its own copy of the static data, loaded before
 * the call and saved after it returns, so two calls at the same moment never
 * see each other's writes, and the later save overwrites the earlier one.
 * This module-level registry is shared by every call in the process: it holds
 * the verifications in flight (so a copy waits for the first instead of
 * verifying and running in parallel) and the payments it accepted (so a copy
 * that loaded its static data before the first one was saved, or after a save
 * that lacked it landed last, still sees it, and so the next accepting call
 * saves it again). It is per process: in queue mode with several webhook
 * processors each has its own, and a restart empties it.
 * No timers: entries expire by `Date.now()` when next touched, and every map
 * is bounded by count.
 */

/** The answer a verification came to, for the copies that waited for it. */
export interface Settled {
	reply: ReplyName;
	/** Hash of the normalised post that was verified. */
	bodyHash: string;
}

interface RecentEntry extends AcceptedEntry {
	acceptedMs: number;
	sequence: number;
}

export interface TriggerRegistry {
	/** Verifications under way, by the post's lookup key. */
	inFlight: Map<string, Promise<Settled>>;
	/** Reference-less verifications under way (each may page through a day's transactions). */
	referenceLessInFlight: number;
	/** Paynet look-ups under way, and the calls waiting for one to end, first come first served. */
	lookupsInFlight: number;
	lookupQueue: Array<() => void>;
	/** Accepted payments, oldest first from index `oldest`: a queue without a shift per post. */
	recent: RecentEntry[];
	oldest: number;
	recentByKey: Map<string, RecentEntry>;
	/** Counts accepted payments; a call notes it at its start to find the ones accepted while it ran. */
	sequence: number;
	/** How long an accepted payment is kept. */
	ttlMs: number;
}

/**
 * How long and how many accepted payments a production registry keeps: at
 * least as long as the static-data memory, so that within one process a replay
 * is refused even when n8n's last-save-wins race lost the payment from static
 * data.
 */
export const RECENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RECENT_MAX = 1000;
/**
 * The Test URL's registry is the only memory there (n8n saves no static data
 * for test executions): long enough to stop a burst, short enough that the
 * same sample can be tried again after a while.
 */
export const TEST_TTL_MS = 15 * 60 * 1000;
/** Triggers tracked per process; one without work in flight is dropped first. */
const MAX_TRIGGERS = 1000;

const registries = new Map<string, TriggerRegistry>();

export function registryFor(workflowId: string, nodeId: string, ttlMs = RECENT_TTL_MS): TriggerRegistry {
	const name = JSON.stringify([workflowId, nodeId]);
	let registry = registries.get(name);
	if (registry) return registry;
	if (registries.size >= MAX_TRIGGERS) {
		for (const [other, candidate] of registries) {
			if (candidate.inFlight.size === 0 && candidate.referenceLessInFlight === 0 && candidate.lookupsInFlight === 0) {
				registries.delete(other);
				break;
			}
		}
	}
	registry = {
		inFlight: new Map(),
		referenceLessInFlight: 0,
		lookupsInFlight: 0,
		lookupQueue: [],
		recent: [],
		oldest: 0,
		recentByKey: new Map(),
		sequence: 0,
		ttlMs,
	};
	registries.set(name, registry);
	return registry;
}

function prune(registry: TriggerRegistry, nowMs: number): void {
	const { recent, recentByKey } = registry;
	let { oldest } = registry;
	while (
		oldest < recent.length &&
		(recent.length - oldest > RECENT_MAX || nowMs - recent[oldest].acceptedMs > registry.ttlMs)
	) {
		if (recentByKey.get(recent[oldest].key) === recent[oldest]) recentByKey.delete(recent[oldest].key);
		oldest++;
	}
	// Compacted only once half is dead: a shift per accepted post would move the whole queue each time.
	if (oldest > RECENT_MAX && oldest * 2 > recent.length) {
		recent.splice(0, oldest);
		oldest = 0;
	}
	registry.oldest = oldest;
}

export function recentlyAccepted(registry: TriggerRegistry, key: string, nowMs: number): boolean {
	const entry = registry.recentByKey.get(key);
	return entry !== undefined && nowMs - entry.acceptedMs <= registry.ttlMs;
}

/** Synchronous with the check before it: no other call can claim the same payment in between. */
export function markAccepted(registry: TriggerRegistry, entry: AcceptedEntry, nowMs: number): void {
	const recent = { key: entry.key, paidAtMs: entry.paidAtMs, acceptedMs: nowMs, sequence: ++registry.sequence };
	registry.recent.push(recent);
	registry.recentByKey.set(entry.key, recent);
	prune(registry, nowMs);
}

/** Payments accepted in this process after `sequence`, oldest first: none of them is in a copy loaded before. */
export function acceptedSince(registry: TriggerRegistry, sequence: number): AcceptedEntry[] {
	const { recent } = registry;
	let from = recent.length;
	while (from > registry.oldest && recent[from - 1].sequence > sequence) from--;
	return recent.slice(from).map(({ key, paidAtMs }) => ({ key, paidAtMs }));
}

/**
 * The last `max` payments accepted in this process at or before `sequence`,
 * oldest first. A call's copy of the static data may lack some: n8n loaded it
 * before their calls saved, or a save that lacked them landed last.
 */
export function acceptedUpTo(registry: TriggerRegistry, sequence: number, max: number): AcceptedEntry[] {
	const { recent } = registry;
	let to = recent.length;
	while (to > registry.oldest && recent[to - 1].sequence > sequence) to--;
	return recent.slice(Math.max(registry.oldest, to - max), to).map(({ key, paidAtMs }) => ({ key, paidAtMs }));
}

/**
 * Paynet look-ups one trigger has under way at once. A burst of forged posts
 * (random references, each worth one look-up) must not become a burst of
 * calls from the merchant's allow-listed address; genuine payments arrive a
 * few a minute, so a few slots never hold one up for long.
 */
export const LOOKUPS_MAX_IN_FLIGHT = 4;
/** Calls waiting for a slot; beyond that a post is answered 503 at once, so a flood cannot pile up without end. */
export const LOOKUP_QUEUE_MAX = 200;

/**
 * Takes a look-up slot, waiting in turn when all are taken. Resolves `false`
 * when the queue is full or `wait()` (started only if the call has to wait)
 * ends first; the caller must `releaseLookup` after a `true`.
 */
export async function acquireLookup(registry: TriggerRegistry, wait: () => Promise<void>): Promise<boolean> {
	if (registry.lookupsInFlight < LOOKUPS_MAX_IN_FLIGHT && registry.lookupQueue.length === 0) {
		registry.lookupsInFlight++;
		return true;
	}
	if (registry.lookupQueue.length >= LOOKUP_QUEUE_MAX) return false;
	let turn: () => void = () => {};
	const granted = new Promise<true>((resolve) => {
		turn = () => resolve(true);
	});
	registry.lookupQueue.push(turn);
	const won = await Promise.race([granted, wait().then(() => false as const)]);
	if (won) return true;
	// Gave up: leave the queue, unless the slot was handed over at the same moment (then pass it on).
	const at = registry.lookupQueue.indexOf(turn);
	if (at !== -1) registry.lookupQueue.splice(at, 1);
	else releaseLookup(registry);
	return false;
}

/** Hands the slot to the next caller waiting, if any. */
export function releaseLookup(registry: TriggerRegistry): void {
	const next = registry.lookupQueue.shift();
	if (next) next();
	else registry.lookupsInFlight--;
}
