import type { IDataObject } from 'n8n-workflow';

/**
 * What asking Paynet about a confirmation came to, whichever way it was
 * asked: by check (verify.ts) or, for a post without a reference, by the
 * day's list (verifyByListing.ts).
 */
export type Verification =
	| { outcome: 'verified'; transaction: IDataObject }
	/**
	 * Paynet has no such payment, or none that matches: the post is forged or
	 * wrong. `knownXactId` when Paynet does know the reference (then the refusal
	 * is logged as a warning worth a look).
	 */
	| { outcome: 'rejected'; reason: string; knownXactId?: string }
	/** Paynet could not be asked (down, timing out, or rejecting our key): the sender may retry. */
	| { outcome: 'unavailable'; reason: string };
