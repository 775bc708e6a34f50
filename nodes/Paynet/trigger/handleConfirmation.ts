import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { sleep } from 'n8n-workflow';

import { CLOCK_SKEW_MS, istanbulInstant } from '../helpers/dates';
import { PAYNET_QUIRK_NAMES } from '../helpers/paynetFields';
import type { PaynetClient } from '../transport/client';
import { createPaynetClient } from '../transport/client';
import type { Confirmation } from './confirmation';
import { isReferenceLess, loggable, lookupKey, parseConfirmation, postFingerprint, referenceOf } from './confirmation';
import { confirmationKey, memoryHorizon, readMemory, rememberAccepted, remembers, transactionKey } from './dedupe';
import { isAllowed, parseAllowList } from './ipAllowList';
import type { Settled } from './registry';
import {
	acceptedSince,
	acceptedUpTo,
	acquireLookup,
	markAccepted,
	recentlyAccepted,
	RECENT_TTL_MS,
	registryFor,
	releaseLookup,
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
 * them may have landed last.
 */
const RESAVE_MAX = 16;

/**
 * How long a post waits for a Paynet look-up slot before it is answered 503
 * (Retry-After 10 s). A look-up normally takes a fraction of a second and at
 * worst about 5 s per key asked (verify.ts), so with 4 slots a genuine payment
 * behind a flood still gets its turn, and Paynet still gets an answer within
 * about 20 s; a flood longer than that is told to come back.
 */
export const LOOKUP_WAIT_MS = 10_000;

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
	// Every `ignored` is a warning: a merchant who logs warnings and above must learn that money arrived without a run.
	notSuccessful: 'warn',
	tooOld: 'warn',
	notVerified: 'warn',
	forbiddenIp: 'warn',
	busy: 'warn',
	unavailable: 'warn',
	misconfigured: 'error',
};

const LOG_TEXT: Partial<Record<ReplyName, string>> = {
	duplicate: 'duplicate of an accepted payment, no run',
	notSuccessful: 'payment not successful, no run',
	tooOld: 'payment older than the trigger remembers, ignored (200), no run',
	notVerified: 'confirmation refused (403)',
	busy: 'confirmation refused (503, too many Paynet look-ups at once)',
	unavailable: 'could not verify or decide a confirmation (503), no run; a redelivery is looked up again',
	misconfigured: 'cannot verify a confirmation (500)',
};

/**
 * One line per refused or ignored post: the reason, the reference and the
 * xact_id (Paynet's when it knows the payment), never card data, the key or
 * the body.
 */
function logOutcome(
	context: IWebhookFunctions,
	name: ReplyName,
	confirmation: Confirmation,
	reason?: string,
	xactId?: string,
): void {
	const level = LOG_LEVEL[name];
	if (!level) return;
	const why = reason ? ` (${reason})` : '';
	const names = referenceOf({ ...confirmation, xact_id: null });
	const id = xactId ?? confirmation.xact_id;
	context.logger[level](
		`Paynet Trigger: ${LOG_TEXT[name] ?? name}${why}, ${names}, xact_id ${id ? loggable(id) : 'unknown'}`,
	);
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

	const answer = (decision: Decision, reason?: string, xactId?: string): IWebhookResponseData => {
		if (decision.reply === 'accepted') return replyAccepted(this, decision.item);
		logOutcome(this, decision.reply, confirmation, reason, xactId);
		return reply(this, decision.reply);
	};

	/** Whether this process or the stored memory holds the payment: for choosing among a reference's rows. */
	const isAccepted = (row: IDataObject): boolean => {
		const key = transactionKey(row);
		return recentlyAccepted(registry, key, Date.now()) || remembers(readMemory(staticData), key);
	};

	/**
	 * Check and claim in one synchronous step, so two calls cannot both claim one
	 * payment. `paidAt` is Paynet's time of a verified payment.
	 */
	type Claim = (
		key: string,
		item: IDataObject,
		verified?: { paidAt: unknown; postedKey: string },
	) => { decision: Decision; reason?: string };
	const claim: Claim = (key, item, verified) => {
		if (!deduplicate) return { decision: { reply: 'accepted', item } };
		const nowMs = Date.now();
		if (recentlyAccepted(registry, key, nowMs)) return { decision: { reply: 'duplicate' } };
		const memory = readMemory(staticData);
		if (remembers(memory, key)) return { decision: { reply: 'duplicate' } };
		// Runs with verification off keep posted-field keys: an exact replay of such a payment is still a
		// duplicate. This can only add duplicates, never runs.
		if (verified && remembers(memory, verified.postedKey)) return { decision: { reply: 'duplicate' } };
		const horizon = memoryHorizon(staticData);
		let paidAtMs = verified ? istanbulInstant(verified.paidAt) : undefined;
		if (verified && horizon !== undefined) {
			// The memory has forgotten payments up to its horizon: only Paynet's time can say this one is newer.
			if (paidAtMs === undefined) {
				return {
					decision: { reply: 'unavailable' },
					reason: `Paynet's payment time ${JSON.stringify(verified.paidAt ?? null)} cannot be read, and the memory has forgotten payments up to ${new Date(horizon).toISOString()}`,
				};
			}
			if (paidAtMs <= horizon) {
				return {
					decision: { reply: 'tooOld' },
					reason: `paid ${new Date(paidAtMs).toISOString()}, the memory covers only payments after ${new Date(horizon).toISOString()}`,
				};
			}
		}
		// Without Paynet's time, the latest Paynet's clock can have said: the horizon it may become errs safe.
		paidAtMs = Math.min(paidAtMs ?? Infinity, nowMs + CLOCK_SKEW_MS);
		markAccepted(registry, { key, paidAtMs }, nowMs);
		const missing = acceptedUpTo(registry, sequenceAtLoad, RESAVE_MAX).filter((entry) => !remembers(memory, entry.key));
		rememberAccepted(staticData, [...missing, ...acceptedSince(registry, sequenceAtLoad)], nowMs);
		return { decision: { reply: 'accepted', item } };
	};

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

async function verifyAndClaim(
	context: IWebhookFunctions,
	confirmation: Confirmation,
	claim: (
		key: string,
		item: IDataObject,
		verified: { paidAt: unknown; postedKey: string },
	) => { decision: Decision; reason?: string },
	isAccepted: (row: IDataObject) => boolean,
): Promise<{ decision: Decision; reason?: string; xactId?: string }> {
	let client: PaynetClient;
	try {
		client = await createPaynetClient(context);
	} catch (error) {
		return {
			decision: { reply: 'misconfigured' },
			reason: `no usable Paynet credential: ${(error as Error).message}`,
		};
	}
	const verification = await verifyConfirmation(client, context.getNode(), confirmation, isAccepted);
	if (verification.outcome === 'rejected')
		return { decision: { reply: 'notVerified' }, reason: verification.reason, xactId: verification.knownXactId };
	if (verification.outcome === 'unavailable')
		return { decision: { reply: 'unavailable' }, reason: verification.reason };
	const row = verification.transaction;
	const verified = { paidAt: row.xact_date, postedKey: confirmationKey(confirmation) };
	const xactId = row.xact_id === undefined || row.xact_id === null ? undefined : String(row.xact_id);
	return { ...claim(transactionKey(row), verifiedItem(row, confirmation), verified), xactId };
}
