import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CLOCK_SKEW_MS, istanbulInstant } from '../helpers/dates';
import { PAYNET_QUIRK_NAMES } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import { createPaynetClient } from '../transport/client';
import type { Confirmation } from './confirmation';
import { isReferenceLess, lookupKey, parseConfirmation, postFingerprint, referenceOf } from './confirmation';
import {
	confirmationKey,
	memoryHorizon,
	readMemory,
	rememberAccepted,
	remembers,
	remembersAmongNewest,
	transactionKey,
} from './dedupe';
import { isAllowed, parseAllowList } from './ipAllowList';
import type { Settled } from './registry';
import {
	acceptedSince,
	acceptedUpTo,
	markAccepted,
	recentlyAccepted,
	RECENT_TTL_MS,
	registryFor,
	TEST_TTL_MS,
} from './registry';
import type { ReplyName } from './respond';
import { reply, replyAccepted, replyNotAConfirmation } from './respond';
import { referenceLessProblem, verifyConfirmation } from './verify';

export type TriggerEvent = 'successfulPayment' | 'anyPayment';

interface TriggerOptions {
	allowedIps?: string;
	deduplicate?: boolean;
}

/** Reference-less verifications (each may read up to 50 pages of a day's list) one trigger runs at once. */
export const REFERENCE_LESS_MAX_IN_FLIGHT = 2;

/**
 * How many of the payments this process accepted before a call started that
 * call checks its copy of the static data for, and saves again if missing:
 * n8n may have loaded the copy before their calls saved, or a save that lacked
 * them may have landed last. Only the newest entries of the copy are searched.
 */
const RESAVE_MAX = 16;
const RESAVE_SEARCH = 4 * RESAVE_MAX;

/** What a verification came to: the reply, and for an accepted payment its run's item. */
type Decision = { reply: Exclude<ReplyName, 'accepted'> } | { reply: 'accepted'; item: IDataObject };

/** Answers that a waiting identical copy repeats; after a 503 it tries for itself. */
const SHARED_ANSWERS: ReadonlySet<ReplyName> = new Set<ReplyName>([
	'accepted',
	'duplicate',
	'notVerified',
	'tooOld',
	'misconfigured',
]);

const LOG_LEVEL: Partial<Record<ReplyName, 'info' | 'warn' | 'error'>> = {
	duplicate: 'info',
	notSuccessful: 'info',
	tooOld: 'info',
	notVerified: 'warn',
	forbiddenIp: 'warn',
	busy: 'warn',
	unavailable: 'error',
	misconfigured: 'error',
};

const LOG_TEXT: Partial<Record<ReplyName, string>> = {
	duplicate: 'duplicate of an accepted payment, no run',
	notSuccessful: 'payment not successful, no run',
	tooOld: 'payment older than the trigger remembers, no run',
	notVerified: 'confirmation refused (403)',
	busy: 'confirmation refused (503, too many reference-less look-ups at once)',
	unavailable: 'could not verify a confirmation with Paynet (503)',
	misconfigured: 'cannot verify a confirmation (500)',
};

/** One line per refused or ignored post: the reason and the reference, never card data, the key or the body. */
function logOutcome(context: IWebhookFunctions, name: ReplyName, confirmation: Confirmation, reason?: string): void {
	const level = LOG_LEVEL[name];
	if (!level) return;
	const why = reason ? ` (${reason})` : '';
	context.logger[level](`Paynet Trigger: ${LOG_TEXT[name] ?? name}${why}, ${referenceOf(confirmation)}`);
}

/** Whatever names a post that did not parse, so a genuine payment refused with 400 can still be found. */
function postedReferences(body: unknown): {
	reference_no: string | null;
	xact_id: string | null;
	order_id: string | null;
} {
	const fields = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const text = (...names: string[]): string | null => {
		for (const name of names) {
			const value = fields[name];
			if ((typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '')
				return String(value).trim();
		}
		return null;
	};
	return {
		reference_no: text(PAYNET_QUIRK_NAMES.confirmation.reference_no, 'reference_no'),
		xact_id: text('xact_id'),
		order_id: text('order_id'),
	};
}

/** The run's item when Paynet confirmed the payment: Paynet's row, the post kept apart under `posted`. */
export function verifiedItem(row: IDataObject, confirmation: Confirmation): IDataObject {
	const item: IDataObject = { ...row };
	// The post's name for the masked number; Paynet's row calls it card_no.
	if (row.card_no !== undefined) item.card_number = row.card_no;
	item.verified = true;
	item.posted = { ...confirmation };
	return item;
}

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

	const allowedIps = String(options.allowedIps ?? '').trim();
	if (allowedIps !== '') {
		const { ranges, invalid } = parseAllowList(allowedIps);
		if (invalid.length > 0) {
			// Fail closed: a typo in the list must not let everyone in.
			this.logger.error(`Paynet Trigger: invalid Allowed IPs entries: ${invalid.join(', ')}`);
			return reply(this, 'misconfigured');
		}
		// req.ip honours n8n's proxy-hops setting; X-Forwarded-For alone could be forged.
		const clientIp = this.getRequestObject().ip;
		if (!isAllowed(ranges, clientIp)) {
			this.logger.warn(`Paynet Trigger: refused a post from ${clientIp ?? 'an unknown address'} (not in Allowed IPs)`);
			return reply(this, 'forbiddenIp');
		}
	}

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

	const answer = (decision: Decision, reason?: string): IWebhookResponseData => {
		if (decision.reply === 'accepted') return replyAccepted(this, decision.item);
		logOutcome(this, decision.reply, confirmation, reason);
		return reply(this, decision.reply);
	};

	/**
	 * Check and claim in one synchronous step, so two calls cannot both claim one
	 * payment. `paidAt` is Paynet's time of a verified payment.
	 */
	type Claim = (key: string, item: IDataObject, verified?: { paidAt: unknown; postedKey: string }) => Decision;
	const claim: Claim = (key, item, verified) => {
		if (!deduplicate) return { reply: 'accepted', item };
		const nowMs = Date.now();
		if (recentlyAccepted(registry, key, nowMs)) return { reply: 'duplicate' };
		const memory = readMemory(staticData);
		if (remembers(memory, key)) return { reply: 'duplicate' };
		// Memories from before verified identities (and from runs with verification off) hold posted-field keys:
		// an exact replay of such a payment is still a duplicate. This can only add duplicates, never runs.
		if (verified && remembers(memory, verified.postedKey)) return { reply: 'duplicate' };
		const paidAtMs = istanbulInstant(verified?.paidAt);
		const horizon = memoryHorizon(staticData);
		if (horizon !== undefined && paidAtMs !== undefined && Math.floor(paidAtMs / 1000) <= horizon) {
			return { reply: 'tooOld' };
		}
		// Without Paynet's time, the latest Paynet's clock can have said: a horizon built from it errs safe.
		const seconds = Math.floor((paidAtMs ?? nowMs + CLOCK_SKEW_MS) / 1000);
		markAccepted(registry, { key, seconds }, nowMs);
		// A copy that is exactly what this process saved last holds every payment up to then: nothing to look for.
		const { written } = registry;
		const upToDate = written !== undefined && written.sequence >= sequenceAtLoad && written.entries === memory.entries;
		const missing = upToDate
			? []
			: acceptedUpTo(registry, sequenceAtLoad, RESAVE_MAX).filter(
					(entry) => !remembersAmongNewest(memory, entry.key, RESAVE_SEARCH),
				);
		const accepted = [...missing, ...acceptedSince(registry, sequenceAtLoad)];
		const entries = rememberAccepted(staticData, accepted, Math.floor(nowMs / 1000), undefined, memory);
		registry.written = { entries, sequence: registry.sequence };
		return { reply: 'accepted', item };
	};

	if (!verifyWithApi) {
		const item = { ...confirmation, verified: false };
		return answer(deduplicate ? claim(confirmationKey(confirmation), item) : { reply: 'accepted', item });
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
	try {
		const { decision, reason } = await verifyAndClaim(this, confirmation, claim);
		decided = decision;
		return answer(decision, reason);
	} finally {
		if (referenceLess) registry.referenceLessInFlight--;
		if (registry.inFlight.get(lookup) === settledPromise) registry.inFlight.delete(lookup);
		settle({ reply: decided.reply, bodyHash: fingerprint });
	}
}

async function verifyAndClaim(
	context: IWebhookFunctions,
	confirmation: Confirmation,
	claim: (key: string, item: IDataObject, verified: { paidAt: unknown; postedKey: string }) => Decision,
): Promise<{ decision: Decision; reason?: string }> {
	let client: PaynetClient;
	try {
		client = await createPaynetClient(context);
	} catch (error) {
		return {
			decision: { reply: 'misconfigured' },
			reason: `no usable Paynet credential: ${(error as Error).message}`,
		};
	}
	const verification = await verifyConfirmation(client, context.getNode(), confirmation);
	if (verification.outcome === 'rejected') return { decision: { reply: 'notVerified' }, reason: verification.reason };
	if (verification.outcome === 'unavailable')
		return { decision: { reply: 'unavailable' }, reason: verification.reason };
	const row = verification.transaction;
	const verified = { paidAt: row.xact_date, postedKey: confirmationKey(confirmation) };
	return { decision: claim(transactionKey(row), verifiedItem(row, confirmation), verified) };
}
