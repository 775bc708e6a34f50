import type { IDataObject } from 'n8n-workflow';

import { CLOCK_SKEW_MS, istanbulInstant } from '../helpers/dates';
import { memoryHorizon, readMemory, rememberAccepted, remembers, transactionKey } from './dedupe';
import type { Decision } from './outcome';
import type { TriggerRegistry } from './registry';
import { acceptedSince, acceptedUpTo, markAccepted, recentlyAccepted } from './registry';

/**
 * How many of the payments this process accepted before a call started that
 * call checks its copy of the static data for, and saves again if missing:
 * n8n may have loaded the copy before their calls saved, or a save that lacked
 * them may have landed last.
 */
const RESAVE_MAX = 16;

/**
 * Check and claim in one synchronous step, so two calls cannot both claim one
 * payment. `verified.paidAt` is Paynet's time of a verified payment;
 * `verified.postedKey` the key the same payment has when accepted unverified.
 */
export type Claim = (
	key: string,
	item: IDataObject,
	verified?: { paidAt: unknown; postedKey: string },
) => { decision: Decision; reason?: string };

export interface ClaimScope {
	registry: TriggerRegistry;
	/** The node's static data as n8n loaded it for this call. */
	staticData: IDataObject;
	/** The registry's sequence when n8n loaded it: payments accepted after are not in `staticData`. */
	sequenceAtLoad: number;
	deduplicate: boolean;
}

/** The claim of one webhook call, and whether a Paynet row is a payment already accepted. */
export function claimsFor({ registry, staticData, sequenceAtLoad, deduplicate }: ClaimScope): {
	claim: Claim;
	isAccepted: (row: IDataObject) => boolean;
} {
	/** Whether this process or the stored memory holds the payment: for choosing among a reference's rows. */
	const isAccepted = (row: IDataObject): boolean => {
		const key = transactionKey(row);
		return recentlyAccepted(registry, key, Date.now()) || remembers(readMemory(staticData), key);
	};

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

	return { claim, isAccepted };
}
