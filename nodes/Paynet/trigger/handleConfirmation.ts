import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { sleep } from 'n8n-workflow';

import { refusalByAllowList } from '../confirmation/allowedIps';
import type { ReplyName } from '../confirmation/answer';
import { reply, replyAccepted, replyNotAConfirmation } from '../confirmation/answer';
import { isReferenceLess, lookupKey, parseConfirmation, postFingerprint, referenceOf } from '../confirmation/post';
import { claimsFor } from './claim';
import { confirmationKey } from './dedupe';
import { verifyAndClaim } from './lookUp';
import type { Decision } from './outcome';
import { logOutcome, postedReferences, SHARED_ANSWERS } from './outcome';
import type { Settled } from './registry';
import { acquireLookup, RECENT_TTL_MS, registryFor, releaseLookup, TEST_TTL_MS } from './registry';
import { referenceLessProblem } from './verifyByListing';

export type TriggerEvent = 'successfulPayment' | 'anyPayment';

interface TriggerOptions {
	allowedIps?: string;
	deduplicate?: boolean;
}

/** Reference-less verifications (each may read up to 50 pages of a day's list) one trigger runs at once. */
export const REFERENCE_LESS_MAX_IN_FLIGHT = 2;

/**
 * How long a post waits for a Paynet look-up slot before it is answered 503
 * (Retry-After 10 s). A look-up normally takes a fraction of a second and at
 * worst about 5 s per key asked (verify.ts), so with 4 slots a genuine payment
 * behind a flood still gets its turn, and Paynet still gets an answer within
 * about 20 s; a flood longer than that is told to come back.
 */
export const LOOKUP_WAIT_MS = 10_000;

/**
 * One confirmation post, from the sender's address to the workflow run.
 * Cheap refusals first; Paynet is asked only about posts that could start a
 * run; a payment is remembered only once accepted, so a post answered 503
 * can be sent again.
 */
export async function handleConfirmation(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const event = this.getNodeParameter('event', 'successfulPayment') as TriggerEvent;
	const verifyWithApi = this.getNodeParameter('verifyWithApi', true) as boolean;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;

	const refused = refusalByAllowList(this, options.allowedIps, 'Paynet Trigger');
	if (refused !== undefined) return reply(this, refused);

	const body = this.getBodyData();
	const parsed = parseConfirmation(body);
	if (!parsed.ok) {
		this.logger.warn(
			`Paynet Trigger: refused a post that is not a confirmation (400: ${parsed.problem}), ${referenceOf(postedReferences(body))}`,
		);
		return replyNotAConfirmation(this, parsed.problem);
	}
	const { confirmation } = parsed;

	if (!confirmation.is_succeed && event === 'successfulPayment') {
		logOutcome(this, 'notSuccessful', confirmation);
		return reply(this, 'notSuccessful');
	}

	const deduplicate = options.deduplicate !== false;
	const node = this.getNode();
	// A post to the Test URL must not make the production URL's copy of the same payment a duplicate.
	const test = this.getMode?.() === 'manual';
	const registry = registryFor(
		String(this.getWorkflow().id ?? ''),
		`${node.id ?? node.name}:${test ? 'test' : 'production'}`,
		test ? TEST_TTL_MS : RECENT_TTL_MS,
	);
	// n8n loaded this static data before the call; payments accepted after this point are not in it.
	const staticData = this.getWorkflowStaticData('node');
	const sequenceAtLoad = registry.sequence;

	const answer = (decision: Decision, reason?: string, xactId?: string): IWebhookResponseData => {
		if (decision.reply === 'accepted') return replyAccepted(this, decision.item);
		logOutcome(this, decision.reply, confirmation, reason, xactId);
		return reply(this, decision.reply);
	};

	const { claim, isAccepted } = claimsFor({ registry, staticData, sequenceAtLoad, deduplicate });

	if (!verifyWithApi) {
		const item = { ...confirmation, verified: false };
		const { decision, reason } = claim(confirmationKey(confirmation), item);
		return answer(decision, reason);
	}

	const referenceLess = isReferenceLess(confirmation);
	if (referenceLess) {
		const problem = referenceLessProblem(confirmation, Date.now());
		if (problem !== undefined) return answer({ reply: 'notVerified' }, problem);
	}

	const fingerprint = postFingerprint(confirmation);
	const lookup = lookupKey(confirmation);
	if (deduplicate) {
		// A copy of a post being verified waits for that verification rather than verifying (and running) in parallel.
		let sawUnavailable = false;
		for (let pending = registry.inFlight.get(lookup); pending; pending = registry.inFlight.get(lookup)) {
			const settled = await pending;
			if (settled.bodyHash !== fingerprint) continue;
			if (settled.reply === 'unavailable') {
				// After one 503 a copy may try again; after a second it says so itself, rather than queue behind every copy.
				if (sawUnavailable)
					return answer({ reply: 'unavailable' }, 'Paynet could not be asked for a copy of this post either');
				sawUnavailable = true;
				continue;
			}
			if (!SHARED_ANSWERS.has(settled.reply)) continue;
			const repeated = settled.reply === 'accepted' ? 'duplicate' : settled.reply;
			return answer({ reply: repeated as Exclude<ReplyName, 'accepted'> }, 'same post as one just answered');
		}
		// A post that differs from the one that settled verifies for itself, and then finds the payment claimed.
	}

	if (referenceLess && registry.referenceLessInFlight >= REFERENCE_LESS_MAX_IN_FLIGHT) {
		return answer({ reply: 'busy' });
	}

	let settle: (settled: Settled) => void = () => {};
	const settledPromise = new Promise<Settled>((resolve) => {
		settle = resolve;
	});
	if (deduplicate) registry.inFlight.set(lookup, settledPromise);
	if (referenceLess) registry.referenceLessInFlight++;
	let decided: Decision = { reply: 'unavailable' };
	let slot = false;
	try {
		// Posts beyond the trigger's few look-ups in flight wait their turn; a copy of this post waits on it above.
		slot = await acquireLookup(registry, async () => await sleep(LOOKUP_WAIT_MS));
		if (!slot) {
			decided = { reply: 'busy' };
			return answer(decided);
		}
		const { decision, reason, xactId } = await verifyAndClaim(this, confirmation, claim, isAccepted);
		decided = decision;
		return answer(decision, reason, xactId);
	} finally {
		if (slot) releaseLookup(registry);
		if (referenceLess) registry.referenceLessInFlight--;
		if (registry.inFlight.get(lookup) === settledPromise) registry.inFlight.delete(lookup);
		settle({ reply: decided.reply, bodyHash: fingerprint });
	}
}
