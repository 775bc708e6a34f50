import { sleep } from 'n8n-workflow';

/**
 * How a post to a listening Polling Trigger reaches the trigger that polls.
 * Process-level on purpose: the webhook and trigger() share a process only in
 * a single n8n or on the leader main. Elsewhere (a queue-mode webhook
 * processor, a follower main) no trigger is registered here, and the post's
 * payment runs at the next scheduled poll.
 */

/** However many posts arrive, they make at most one poll per this interval. */
export const POST_POLL_INTERVAL_MS = 5_000;

/** Polls now (after a poll already running) and says how many runs that poll started. */
export type PollForPost = () => Promise<{ ran: number } | undefined>;

interface Listener {
	poll: PollForPost;
	lastPollMs: number;
	/** A poll is already waiting for the interval to pass: it covers every post until it starts. */
	deferred: boolean;
	closed: boolean;
}

const listeners = new Map<string, Listener>();

const keyOf = (workflowId: string, nodeId: string) => `${workflowId}\u0000${nodeId}`;

/** Registers the active trigger of a node; returns what its closeFunction calls. */
export function listenForPosts(workflowId: string, nodeId: string, poll: PollForPost): () => void {
	const key = keyOf(workflowId, nodeId);
	const listener: Listener = { poll, lastPollMs: Number.NEGATIVE_INFINITY, deferred: false, closed: false };
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
		// Paynet may list a payment a moment after posting it: one more look, once, when this poll ran nothing.
		if (!secondLook && result !== undefined && result.ran === 0) schedule(listener, true);
	};
	const waitMs = listener.lastPollMs + POST_POLL_INTERVAL_MS - Date.now();
	if (waitMs <= 0) {
		void fire();
		return;
	}
	listener.deferred = true;
	void sleep(waitMs).then(fire);
}

/** Makes the node's trigger in this process poll; `false` when no active trigger of it runs here. */
export function pollOnPost(workflowId: string, nodeId: string): boolean {
	const listener = listeners.get(keyOf(workflowId, nodeId));
	if (!listener) return false;
	schedule(listener, false);
	return true;
}
