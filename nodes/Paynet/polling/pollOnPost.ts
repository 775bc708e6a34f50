import { sleep } from 'n8n-workflow';

import type { Confirmation } from '../confirmation/post';

/**
 * How a post to a listening Polling Trigger reaches the trigger that polls.
 * Process-level on purpose: the webhook and trigger() share a process only in
 * a single n8n or on the leader main. Elsewhere (a queue-mode webhook
 * processor, a follower main) no trigger is registered here, and the post's
 * payment runs at the next scheduled poll.
 */

/**
 * Posts make at most one poll per interval. It starts short, so payments
 * posted one after another each run within about this long.
 */
export const POST_POLL_MIN_INTERVAL_MS = 2_000;
/**
 * Each post-made poll that starts no run doubles the interval up to this, so
 * posts that name nothing new (repeats, forgeries, a flood) cost Paynet a
 * handful of list calls however long they go on. A poll that starts a run, or
 * this long without a post-made poll, brings it back to the minimum.
 */
export const POST_POLL_MAX_INTERVAL_MS = 60_000;

/** Polls now (after a poll already running) and says how many runs that poll started. */
export type PollForPost = () => Promise<{ ran: number } | undefined>;

interface Listener {
	poll: PollForPost;
	lastPollMs: number;
	intervalMs: number;
	/** A poll is already waiting for the interval to pass: it covers every post until it starts. */
	deferred: boolean;
	closed: boolean;
	/** What recent posts said, for naming a payment Paynet listed too late to run (never to start one). */
	hints: Array<{ confirmation: Confirmation; atMs: number }>;
}

/** Posts kept as hints, and for how long: the polls a post makes come within a minute. */
const MAX_HINTS = 100;
const HINT_KEPT_MS = 10 * 60_000;

const listeners = new Map<string, Listener>();

const keyOf = (workflowId: string, nodeId: string) => `${workflowId}\u0000${nodeId}`;

/** Registers the active trigger of a node; returns what its closeFunction calls. */
export function listenForPosts(workflowId: string, nodeId: string, poll: PollForPost): () => void {
	const key = keyOf(workflowId, nodeId);
	const listener: Listener = {
		poll,
		lastPollMs: Number.NEGATIVE_INFINITY,
		intervalMs: POST_POLL_MIN_INTERVAL_MS,
		deferred: false,
		closed: false,
		hints: [],
	};
	listeners.set(key, listener);
	return () => {
		listener.closed = true;
		if (listeners.get(key) === listener) listeners.delete(key);
	};
}

function schedule(listener: Listener, secondLook: boolean): void {
	if (listener.deferred || listener.closed) return;
	const fire = async () => {
		listener.deferred = false;
		if (listener.closed) return;
		listener.lastPollMs = Date.now();
		const result = await listener.poll().catch(() => undefined);
		const ranSomething = result !== undefined && result.ran > 0;
		listener.intervalMs = ranSomething
			? POST_POLL_MIN_INTERVAL_MS
			: Math.min(POST_POLL_MAX_INTERVAL_MS, listener.intervalMs * 2);
		// Paynet may list a payment a moment after posting it (or fail once): one more look, once.
		if (!secondLook && !ranSomething) schedule(listener, true);
	};
	const sinceLastMs = Date.now() - listener.lastPollMs;
	if (sinceLastMs >= POST_POLL_MAX_INTERVAL_MS) listener.intervalMs = POST_POLL_MIN_INTERVAL_MS;
	const waitMs = listener.intervalMs - sinceLastMs;
	if (waitMs <= 0) {
		void fire();
		return;
	}
	listener.deferred = true;
	void sleep(waitMs).then(fire);
}

/** Makes the node's trigger in this process poll; `false` when no active trigger of it runs here. */
export function pollOnPost(workflowId: string, nodeId: string, confirmation?: Confirmation): boolean {
	const listener = listeners.get(keyOf(workflowId, nodeId));
	if (!listener) return false;
	if (confirmation) {
		listener.hints.push({ confirmation, atMs: Date.now() });
		if (listener.hints.length > MAX_HINTS) listener.hints.splice(0, listener.hints.length - MAX_HINTS);
	}
	schedule(listener, false);
	return true;
}

/** The recent posts to this node's webhook in this process: where to look, never proof of a payment. */
export function postHints(workflowId: string, nodeId: string): Confirmation[] {
	const listener = listeners.get(keyOf(workflowId, nodeId));
	if (!listener) return [];
	const since = Date.now() - HINT_KEPT_MS;
	listener.hints = listener.hints.filter((hint) => hint.atMs >= since);
	return listener.hints.map((hint) => hint.confirmation);
}
